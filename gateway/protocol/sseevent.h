#pragma once

#include <QByteArray>

// One Server-Sent Event as it crossed the wire: its parsed fields and its exact bytes.
struct SseEvent
{
    QByteArray event; // the "event:" field, empty when the stream did not name one
    QByteArray data;  // the "data:" lines joined by '\n'; capacity leaves room for JSON padding
    QByteArray raw;   // the exact bytes of the event, its terminating blank line included
};
