#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// A runtime session as the gateway identified it: one agent conversation (and its sub-agents,
// as child sessions), namespaced by the subject that sent it.
struct RuntimeSession
{
    QString id;         // "rs_" + 20 hex digits, derived from owner, source and external id
    QString externalId; // what the runtime sent (or the fallback's anchor)
    QByteArray source; // gatehouse-header, claude-code, codex, opencode, prompt-cache-key, fallback
    QString parentId;  // empty: a root session
    QString owner;
    QString account;
    QString principal;
    QString principalType;
    QString flow;
    QString executionId;
    QString credentialId;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    qint64 requests = 0;

    QJsonObject toJson() const;
};
