#pragma once

#include "console/liverequest.h"

#include <QObject>
#include <QTimer>

#include <array>

class GatewayConsole;

// The two figures always on screen: requests per second (finished calls, averaged over the
// last five seconds) and spend today (the ledger's sum since local midnight, re-read every
// few seconds, plus the calls finished since the last read; unpriced calls are counted apart).
class TrafficPulse : public QObject
{
    Q_OBJECT
public:
    static constexpr int kWindowSeconds = 5;
    static constexpr int kReloadMs = 10'000;

    explicit TrafficPulse(GatewayConsole *console, QObject *parent = nullptr);

    double requestsPerSecond() const;
    qint64 spentTodayMicros() const { return m_ledgerMicros + m_liveMicros; }
    qint64 unpricedToday() const { return m_ledgerUnpriced + m_liveUnpriced; }
    // Whether the ledger's figure has been read once (before: only live calls are counted).
    bool loaded() const { return m_loaded; }

Q_SIGNALS:
    void changed();

private:
    void take(const QList<LiveRequest> &requests);
    void tick();
    void reload();

    GatewayConsole *m_console;
    QTimer m_ticker;
    QTimer m_reloader;
    std::array<int, kWindowSeconds> m_perSecond{}; // finished calls, one slot per second
    int m_slot = 0;
    qint64 m_ledgerMicros = 0;
    qint64 m_ledgerUnpriced = 0;
    qint64 m_liveMicros = 0; // finished since the last read was asked for
    qint64 m_liveUnpriced = 0;
    bool m_loaded = false;
    bool m_reading = false;
};
