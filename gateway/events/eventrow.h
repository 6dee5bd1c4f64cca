#pragma once

#include <QByteArray>

// One row of the events table, built and redacted on the store thread.
struct EventRow
{
    QByteArray preview;      // JSON
    QByteArray requestBody;  // empty unless full bodies are kept
    QByteArray responseBody;
    qint64 storedBytes() const { return preview.size() + requestBody.size() + responseBody.size(); }
};
