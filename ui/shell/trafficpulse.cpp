#include "trafficpulse.h"

#include "gatewayconsole.h"
#include "ledger/ledgerreport.h"
#include "ledger/usagefilter.h"

#include <QDateTime>

#include <numeric>

TrafficPulse::TrafficPulse(GatewayConsole *console, QObject *parent)
    : QObject(parent)
    , m_console(console)
{
    connect(console, &GatewayConsole::requestsArrived, this, &TrafficPulse::take);
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &TrafficPulse::tick);
    m_ticker.start();
    m_reloader.setInterval(kReloadMs);
    connect(&m_reloader, &QTimer::timeout, this, &TrafficPulse::reload);
    m_reloader.start();
    reload();
}

double TrafficPulse::requestsPerSecond() const
{
    return std::accumulate(m_perSecond.begin(), m_perSecond.end(), 0) / double(kWindowSeconds);
}

void TrafficPulse::take(const QList<LiveRequest> &requests)
{
    const qint64 midnight = QDateTime(QDate::currentDate(), QTime(0, 0)).toMSecsSinceEpoch();
    for (const LiveRequest &request : requests) {
        if (!request.finished)
            continue;
        ++m_perSecond[m_slot];
        if (request.startedAtMs < midnight)
            continue;
        if (request.costMicros)
            m_liveMicros += *request.costMicros;
        else if (request.usage.totalTokens() > 0)
            ++m_liveUnpriced;
    }
}

void TrafficPulse::tick()
{
    m_slot = (m_slot + 1) % kWindowSeconds;
    m_perSecond[m_slot] = 0;
    Q_EMIT changed();
}

void TrafficPulse::reload()
{
    if (m_reading)
        return;
    m_reading = true;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    UsageFilter filter;
    filter.fromMs = QDateTime(QDate::currentDate(), QTime(0, 0)).toMSecsSinceEpoch();
    filter.toMs = now + 3'600'000;
    // What finishes from now on is counted live until the answer replaces it.
    const qint64 liveMicros = m_liveMicros;
    const qint64 liveUnpriced = m_liveUnpriced;
    m_console->read(
        this,
        [filter](const LedgerReport &report, QString *error) {
            return report.summary(filter, LedgerReport::Dimension::None, LedgerReport::Bucket::None,
                                  error);
        },
        [this, liveMicros, liveUnpriced](const QJsonObject &answer, const QString &error) {
            m_reading = false;
            if (!error.isEmpty())
                return; // the next reload tries again; the live figures stand meanwhile
            const QJsonObject totals = answer.value(QStringLiteral("totals")).toObject();
            m_ledgerMicros = totals.value(QStringLiteral("costMicros")).toInteger();
            m_ledgerUnpriced = totals.value(QStringLiteral("unpricedRequests")).toInteger();
            m_liveMicros -= liveMicros;
            m_liveUnpriced -= liveUnpriced;
            m_loaded = true;
            Q_EMIT changed();
        });
}
