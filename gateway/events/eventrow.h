#pragma once

#include <QByteArray>

// One row of the events table, built and redacted on the store thread.
struct EventRow
{
    QByteArray preview;      // JSON
    QByteArray requestBody;  // empty unless full bodies are kept
    QByteArray responseBody;
    // The system prompt's head as placed in the preview (a JSON string from `at`), when it is
    // long enough to be stored once for all the events that carry it (SharedText).
    struct SystemHead
    {
        qsizetype at = -1;
        QByteArray json;
    } system;
};
