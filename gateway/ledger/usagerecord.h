#pragma once

#include "requestcapture.h"
#include "tokenusage.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

// One ledger row: what a request was, who sent it, what it used and what it cost.
struct UsageRecord
{
    QByteArray requestId;
    qint64 startedAtMs = 0; // Unix epoch milliseconds
    // Attribution: who sent it. Names and ids only, never a key or a token.
    QString account;
    QString apiKey; // the key's name, never the key
    QString user;
    QString flow;
    QString executionId;
    QString runtimeSession;
    QString principal;
    QString principalType; // claude-code, codex, opencode, sdk, custom
    QString credentialId;
    bool governed = true; // false: a direct alias handed to a runtime, traffic not seen
    QByteArray endpoint;  // e.g. "openai.chat_completions"
    QString provider;
    QString modelAlias;
    QString upstreamModel;
    TokenUsage usage;
    std::optional<qint64> costMicros;     // empty: unpriced
    std::optional<qint64> reservedMicros; // the budget reservation; a higher cost is an overrun
    std::optional<qint64> reservedTokens;
    QString priceSource;     // provenance of the price, or "unpriced"
    qint64 firstByteUs = -1; // -1: no byte reached the client
    qint64 durationUs = 0;
    int httpStatus = 0;
    bool stream = false;
    QByteArray outcome; // ok, upstream_error, client_disconnected, invalid_request, ...
    QString error;      // short, redacted explanation when outcome is not ok
    std::shared_ptr<const RequestCapture> capture; // for the event; empty: no bodies seen
};
