#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// A short-lived credential issued to a runtime: the subject scope it carries and its lifetime.
// Its secret exists only in the token handed out once; this holds its SHA-256.
struct RuntimeCredential
{
    QString id; // "cr_" + the token's hex id
    QByteArray secretDigest;
    QString account;
    QString user;
    QString apiKey;
    QString flow;
    QString executionId;
    QString principal;
    QString principalType;
    QStringList allowedModels;
    QString defaultModel;
    bool governed = true;
    qint64 createdAtMs = 0;
    qint64 expiresAtMs = 0;
    std::optional<qint64> revokedAtMs;

    // Expired at the exact millisecond it expires.
    bool expiredAt(qint64 nowMs) const { return nowMs >= expiresAtMs; }
    // For listings: everything but the digest.
    QJsonObject toJson(qint64 nowMs) const;
};
