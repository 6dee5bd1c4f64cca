#pragma once

#include "console/consolebatch.h"

#include <QTimer>

#include <functional>

struct UsageRecord;

// The gateway thread's side of the operator console: collects started and finished calls,
// budget alerts and state changes, and hands them over in one batch per interval, so thousands
// of calls a second cost the console a few deliveries. With no console attached (headless) every
// method returns at once: the hot path pays one branch.
class LiveFeed
{
public:
    static constexpr int kIntervalMs = 100;
    // A console that stops taking batches cannot make the gateway hold calls without bound:
    // past this many in one interval the oldest are dropped (the ledger keeps them all).
    static constexpr qsizetype kMaxRequestsPerBatch = 20000;
    // Runs on the gateway thread; must hand the batch over without waiting.
    using Sink = std::function<void(ConsoleBatch)>;
    // Fills a batch's budget and kill switch state, on the gateway thread.
    using StateReader = std::function<void(ConsoleBatch *)>;

    explicit LiveFeed(StateReader state);

    void attach(Sink sink);
    void detach();
    bool attached() const { return bool(m_sink); }

    void started(const UsageRecord &record);
    void finished(const UsageRecord &record);
    void alert(const BudgetAlert &alert);
    // Budgets, their totals or the kill switch changed.
    void stateChanged();

private:
    void schedule();
    void flush();

    StateReader m_state;
    Sink m_sink;
    ConsoleBatch m_pending;
    QTimer m_timer;
};
