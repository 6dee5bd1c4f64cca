#pragma once

#include <QByteArray>

// The wire bytes of one streamed simulated response, produced on demand so that a long stream
// costs no memory up front: the events before the first output token, the event carrying each
// output token, and the events after the last one (the end-of-stream marker included), or
// instead of those the events by which the provider reports a failure mid-stream.
class SimulatedStream
{
public:
    virtual ~SimulatedStream() = default;
    virtual int tokenCount() const = 0;
    virtual QByteArray opening() const = 0;
    virtual QByteArray token(int index) const = 0;
    virtual QByteArray closing() const = 0;
    // What ends the stream when the provider fails after tokensSent tokens.
    virtual QByteArray failure(int tokensSent) const = 0;
};
