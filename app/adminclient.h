#pragma once

#include "adminendpoint.h"
#include "policy/mintedcredential.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>

#include <optional>

// A blocking client of the running Gatehouse's admin API for the command line: a handful of
// calls per run, not the hot path, so each call simply waits for its answer.
class AdminClient
{
public:
    explicit AdminClient(const AdminEndpoint &endpoint);

    // The new execution's id.
    std::optional<QString> openExecution(const QString &flow, const QString &principal,
                                         const QString &command, QString *error);
    bool closeExecution(const QString &id, int exitStatus, QString *error);
    std::optional<MintedCredential> mintCredential(const QJsonObject &request, QString *error);
    bool revokeCredential(const QString &id, QString *error);

private:
    std::optional<QJsonObject> call(const QByteArray &verb, const QString &path,
                                    const QJsonObject &body, QString *error);

    AdminEndpoint m_endpoint;
    QNetworkAccessManager m_network;
};
