#pragma once

#include "events/previewtext.h"
#include "ledger/requestcapture.h"

#include <QByteArray>
#include <QByteArrayList>

// What an event shows of a response, whatever its wire shape, streamed or not: the head of the
// text, the tools called, the stop reason and whether the provider reported an error. Read with
// simdjson On-Demand (a stream event by event), texts kept up to a bound and not yet redacted
// (EventBuilder redacts them as it writes the preview).
class ResponsePreview
{
public:
    // endpoint: the ledger's name of the route ("anthropic.messages", "openai.responses", ...).
    static ResponsePreview read(QByteArrayView endpoint, const RequestCapture &capture,
                                qsizetype textBound);

    bool empty = true; // no response body: the preview is {}
    PreviewText text;
    QByteArrayList toolCalls;
    QByteArray stopReason;
    bool error = false;
    bool truncated = false; // the capture kept only the start of the response

private:
    explicit ResponsePreview(qsizetype textBound)
        : text(textBound)
    {}
};
