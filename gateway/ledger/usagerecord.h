#pragma once

#include "tokenusage.h"

#include <QByteArray>
#include <QString>

#include <optional>

// One ledger row: what a request was, who sent it, what it used and what it cost.
struct UsageRecord
{
    QByteArray requestId;
    qint64 startedAtMs = 0; // Unix epoch milliseconds
    QString account;
    QString apiKey;      // the key's name, never the key
    QByteArray endpoint; // e.g. "openai.chat_completions"
    QString provider;
    QString modelAlias;
    QString upstreamModel;
    TokenUsage usage;
    std::optional<qint64> costMicros; // empty: unpriced
    QString priceSource;              // provenance of the price, or "unpriced"
    qint64 firstByteUs = -1;          // -1: no byte reached the client
    qint64 durationUs = 0;
    int httpStatus = 0;
    bool stream = false;
    QByteArray outcome; // ok, upstream_error, client_disconnected, invalid_request, ...
    QString error;      // short, redacted explanation when outcome is not ok
};
