#pragma once

#include "ledger/tokenusage.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>

struct UsageRecord;

// One model call as the console shows it: who sent it, to which model, and, once finished,
// its status, tokens, cost and timings. Names and ids only: never a key, a token or a body.
struct LiveRequest
{
    QByteArray requestId;
    qint64 startedAtMs = 0;
    bool finished = false; // false: dispatched, the answer is still coming
    QString account;
    QString apiKey;
    QString flow;
    QString executionId;
    QString runtimeSession;
    QString principal;
    QString principalType;
    QByteArray endpoint;
    QString provider;
    QString modelAlias;
    QString upstreamModel;
    bool stream = false;
    bool governed = true;
    int httpStatus = 0;
    QByteArray outcome;
    QString error; // redacted, short: why it was denied or failed
    TokenUsage usage;
    std::optional<qint64> costMicros; // empty: unpriced (or not finished)
    qint64 firstByteUs = -1;
    qint64 durationUs = 0;

    static LiveRequest from(const UsageRecord &record, bool finished);
    // The model the caller asked for, or the upstream model when no alias applied.
    QString model() const { return modelAlias.isEmpty() ? upstreamModel : modelAlias; }
};

Q_DECLARE_METATYPE(LiveRequest)
