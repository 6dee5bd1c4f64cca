#pragma once

#include <QtGlobal>

// What one HTTP listener accepts before it refuses (nginx-like defaults).
struct ServerLimits
{
    qint64 maxBodyBytes = 32 * 1024 * 1024;
    int maxHeaderBytes = 64 * 1024;
    int maxHeaderCount = 100;
    int keepAliveTimeoutMs = 75'000;
    int headerTimeoutMs = 60'000; // whole header block must arrive within this
    int maxConnections = 4096;
    // Model requests are refused (503) while this many usage records (about 1.5 KB each) wait
    // for the ledger: its database slow, locked or away. Bounds the memory they hold.
    qint64 maxLedgerBacklog = 100'000;
};
