#include "console/liverequest.h"

#include "ledger/usagerecord.h"

LiveRequest LiveRequest::from(const UsageRecord &record, bool finished)
{
    LiveRequest live;
    live.requestId = record.requestId;
    live.startedAtMs = record.startedAtMs;
    live.finished = finished;
    live.account = record.account;
    live.apiKey = record.apiKey;
    live.flow = record.flow;
    live.executionId = record.executionId;
    live.runtimeSession = record.runtimeSession;
    live.principal = record.principal;
    live.principalType = record.principalType;
    live.endpoint = record.endpoint;
    live.provider = record.provider;
    live.modelAlias = record.modelAlias;
    live.upstreamModel = record.upstreamModel;
    live.stream = record.stream;
    live.governed = record.governed;
    if (finished) {
        live.httpStatus = record.httpStatus;
        live.outcome = record.outcome;
        live.error = record.error;
        live.usage = record.usage;
        live.costMicros = record.costMicros;
        live.firstByteUs = record.firstByteUs;
        live.durationUs = record.durationUs;
    }
    return live;
}
