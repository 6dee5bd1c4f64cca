#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

// What minting a runtime credential hands to a runtime: where to send its traffic, with which
// token and model, until when. The admin API's answer and the `gatehouse exec` client's input.
struct MintedCredential
{
    QString id;    // "cr_" + hex; public, names the credential in lists and revocation
    QString token; // the bearer token, shown once; empty for a direct (ungoverned) alias
    qint64 expiresAtMs = 0;
    QString account;
    QString flow;             // empty: none
    QString executionId;      // empty: none
    QString principalType;    // claude-code, codex, opencode, sdk, custom
    QString modelAlias;       // the default alias; empty: the runtime chooses
    QString upstreamModel;    // for a direct alias: the provider's own model name
    bool governed = true;     // false: the runtime talks to the provider directly
    QString openaiBaseUrl;    // e.g. http://127.0.0.1:8787/openai/v1
    QString anthropicBaseUrl; // e.g. http://127.0.0.1:8787/anthropic
    QString notice;           // for the operator, e.g. why the traffic is not governed

    QJsonObject toJson() const;
    static std::optional<MintedCredential> fromJson(const QJsonObject &object);
};
