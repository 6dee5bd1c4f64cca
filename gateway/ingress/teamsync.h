#pragma once

#include "ingress/gatewaycontext.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

struct StoreReading;

// Team mode: what another gateway changed in the shared state applies on this one within a
// few milliseconds of its commit. A change notified for a table (LedgerStore::changedElsewhere)
// has the parts of the state read from it read again on the store thread and replace what the
// gateway thread holds (GatewayContext::storedState()). Lives on the gateway thread, which
// never waits: changes arriving together are read once, a change arriving during a read makes
// one more, and a reading older than this thread's own latest write to one of its tables is
// read again once that write is in (else the write would vanish here).
class TeamSync : public QObject
{
public:
    static constexpr int gatherMs = 10;    // notifications of one commit come one per table
    static constexpr int unwrittenMs = 50; // this thread's own write is still on its way
    static constexpr int failedMs = 1000;  // the read failed (the database is away)

    explicit TeamSync(GatewayContext *context);

    void changed(const QString &table);

private:
    struct Part
    {
        StoredState state;
        QTimer due;
        bool stale = false;
        bool reading = false;
    };
    void read(Part &part);
    void take(Part &part, const StoreReading &reading);

    GatewayContext *m_context;
    std::vector<std::unique_ptr<Part>> m_parts;
};
