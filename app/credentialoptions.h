#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

class QCommandLineParser;

// What `gatehouse exec` and `gatehouse env` are asked for on their command lines: which running
// Gatehouse to ask, and the credential to mint there.
struct CredentialOptions
{
    QString flow;
    QString principal; // a type or a named principal; empty: none
    QString model;     // empty: the runtime chooses
    qint64 ttlSeconds = 30 * 60;
    QString dataDir; // where the running Gatehouse left its listen-url and admin-token
    QString url;     // --url; empty: GATEHOUSE_URL, else the data directory's listen-url

    static void addTo(QCommandLineParser *parser);
    static std::optional<CredentialOptions> read(const QCommandLineParser &parser, QString *error);
    // "90s", "30m", "2h", "1d": a positive count of seconds.
    static std::optional<qint64> parseTtl(const QString &text);

    QJsonObject mintRequest(const QString &executionId) const;
};
