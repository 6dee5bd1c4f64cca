#pragma once

#include <QByteArray>

// The raw material of a request's event, handed from the relay to the store with its usage
// record: bodies are shared, not copied, and nothing is parsed on the request's path (the store
// thread builds the preview and redacts it).
struct RequestCapture
{
    QByteArray requestBody;  // as decoded (implicitly shared with the relay's copy)
    QByteArray responseBody; // a JSON body, or the SSE bytes relayed, up to the capture bound
    qint64 requestBytes = 0;
    qint64 responseBytes = 0; // all of it, also past the bound
    bool responseTruncated = false;
    bool stream = false;
    qint64 queuedUs = -1; // from the request's last byte to dispatch (or refusal)
    // The bodies were dropped while queued: the store was so far behind that keeping them would
    // have passed the queue's memory bound (StoreQueue). Sizes and timings stay.
    bool bodiesShed = false;
};
