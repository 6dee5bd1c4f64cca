#include "common/consolestyle.h"
#include "gateway.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "ingress/gatewaycontext.h"
#include "ledger/usagerecord.h"
#include "live/livefiltermodel.h"
#include "live/liveview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <unistd.h>

#include <atomic>
#include <deque>
#include <memory>

using namespace Qt::StringLiterals;

#if defined(__SANITIZE_ADDRESS__)
#define GH_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GH_ADDRESS_SANITIZER 1
#endif
#endif

#ifdef GH_ADDRESS_SANITIZER
// ASan keeps freed memory in a quarantine (256 MB by default) before reusing it, which RSS would
// show as growth: a small one keeps the measurement about the console. ASAN_OPTIONS still wins.
extern "C" const char *__asan_default_options()
{
    return "quarantine_size_mb=16";
}
#endif

namespace {

// Each call is two events on the feed: started, then finished. Also under AddressSanitizer (CI
// builds it at -O0): measured there, the GUI thread's work per batch stays well under the bound.
constexpr int kCallsPerSecond = 2000;
// The table is at (or near) capacity at the first sample; after that nothing may accumulate.
constexpr qint64 kRssGrowthBound = 24LL << 20;
constexpr int kSeconds = 10;
constexpr int kProbeMs = 10;
constexpr int kMaxStallMs = 50;
constexpr qint64 kFinishAfterMs = 40; // so that some rows are always live

qint64 residentBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

// How long this thread has waited on a run queue for a CPU (/proc/thread-self/schedstat's
// second field, in ns); 0 where the kernel does not say.
qint64 runQueueWaitNs()
{
    QFile schedstat(u"/proc/thread-self/schedstat"_s);
    if (!schedstat.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = schedstat.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() : 0;
}

UsageRecord record(qint64 n, qint64 nowMs)
{
    static const QString principals[] = {u"alice-claude"_s, u"bob-codex"_s, u"review-bot"_s,
                                         u"triage-bot"_s, QString()};
    static const QString flows[] = {u"nightly-fixes"_s, u"reviews"_s, QString()};
    static const QString models[] = {u"fast"_s, u"mystery"_s, u"claude-sonnet-4-5"_s, u"gpt-4o"_s};
    UsageRecord r;
    r.requestId = "gh-load-" + QByteArray::number(n);
    r.startedAtMs = nowMs;
    r.account = n % 7 ? u"acme"_s : u"globex"_s;
    r.apiKey = u"ci"_s;
    r.principal = principals[n % 5];
    r.principalType = u"claude-code"_s;
    r.flow = flows[n % 3];
    r.runtimeSession = u"rs_%1"_s.arg(n % 40);
    r.endpoint = "openai.chat_completions";
    r.provider = u"simulator"_s;
    r.modelAlias = models[n % 4];
    r.upstreamModel = r.modelAlias;
    r.stream = n % 2;
    return r;
}

void finish(UsageRecord &r, qint64 n)
{
    r.httpStatus = n % 50 == 0 ? 502 : 200;
    r.outcome = n % 50 == 0 ? "upstream_error" : "ok";
    r.usage.promptTokens = 800 + n % 4000;
    r.usage.completionTokens = 20 + n % 300;
    r.usage.reported = true;
    if (r.modelAlias != u"mystery")
        r.costMicros = r.usage.promptTokens * 3 + r.usage.completionTokens * 15;
    r.firstByteUs = 90'000;
    r.durationUs = kFinishAfterMs * 1000;
}

} // namespace

class TestLiveViewLoad : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { ConsoleStyle::apply(*qobject_cast<QApplication *>(qApp)); }

    void keepsUpWithTheRealFeed()
    {
        GatewayFixture fixture;
        QString error;
        QVERIFY2(fixture.start(&error), qPrintable(error));
        GatewayConsole console(fixture.gateway());
        LiveView view(&console);
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isFollowing());
        const qint64 total = qint64(kCallsPerSecond) * kSeconds;
        // A console has painted rows before a burst comes: its first paint (fonts, glyphs, the
        // detail pane opening) is not what this measures.
        fixture.gateway()->run([total](GatewayContext &context) {
            UsageRecord warmUp = record(total, QDateTime::currentMSecsSinceEpoch());
            finish(warmUp, 1);
            context.live.finished(warmUp);
        });
        QTRY_COMPARE(view.model()->rowCount(), 1);
        view.repaint();

        // The traffic: calls that start and, kFinishAfterMs later, finish, made on the gateway
        // thread and handed to the real feed (LiveFeed batches, queued to the console).
        std::atomic<qint64> finishedCalls{0};
        QTimer *generator = nullptr;
        fixture.gateway()->run([&](GatewayContext &context) {
            generator = new QTimer;
            generator->setTimerType(Qt::PreciseTimer);
            generator->setInterval(5);
            auto clock = std::make_shared<QElapsedTimer>();
            clock->start();
            auto running = std::make_shared<std::deque<std::pair<qint64, UsageRecord>>>();
            auto startedCalls = std::make_shared<qint64>(0);
            QObject::connect(generator, &QTimer::timeout,
                             [&context, &finishedCalls, total, clock, running, startedCalls] {
                                 const qint64 elapsed = clock->elapsed();
                                 const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
                                 // As many as are due: the rate holds whatever the timer's jitter.
                                 const qint64 due =
                                     std::min(total, elapsed * kCallsPerSecond / 1000);
                                 for (; *startedCalls < due; ++*startedCalls) {
                                     UsageRecord r = record(*startedCalls, nowMs);
                                     context.live.started(r);
                                     running->emplace_back(elapsed, std::move(r));
                                 }
                                 while (!running->empty() &&
                                        (running->front().first + kFinishAfterMs <= elapsed ||
                                         *startedCalls == total)) {
                                     UsageRecord &r = running->front().second;
                                     finish(r, finishedCalls.load());
                                     context.live.finished(r);
                                     running->pop_front();
                                     ++finishedCalls;
                                 }
                             });
            generator->start();
        });

        // The probe: how late does the GUI thread get to a 10 ms timer? Time the kernel kept it
        // waiting for a CPU while it could have run is not the console's doing (CI runs two
        // tests at once on two cores, next to this test's own gateway thread): it is taken out.
        QElapsedTimer sinceTick;
        qint64 waitedNs = runQueueWaitNs();
        qint64 worstStallMs = 0;
        QElapsedTimer sinceStart;
        qint64 worstGapMs = 0;
        qint64 ticks = 0;
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        probe.setInterval(kProbeMs);
        connect(&probe, &QTimer::timeout, this, [&] {
            const qint64 gapMs = sinceTick.restart();
            const qint64 waited = runQueueWaitNs();
            const qint64 stallMs = gapMs - (waited - waitedNs) / 1'000'000 - kProbeMs;
            waitedNs = waited;
            worstGapMs = std::max(worstGapMs, gapMs);
            worstStallMs = std::max(worstStallMs, stallMs);
            ++ticks;
        });
        qint64 rssAt2s = -1;
        qint64 rssAt10s = -1;
        int rowsAt2s = 0;
        bool followedThroughout = true;
        QTimer sampler;
        sampler.setInterval(250);
        connect(&sampler, &QTimer::timeout, this, [&] {
            followedThroughout &= view.isFollowing();
            if (rssAt2s < 0 && sinceStart.elapsed() >= 2000) {
                rssAt2s = residentBytes();
                rowsAt2s = view.model()->rowCount();
            }
            if (rssAt10s < 0 && sinceStart.elapsed() >= 10'000)
                rssAt10s = residentBytes();
        });
        sinceStart.start();
        sinceTick.start();
        probe.start();
        sampler.start();

        QTRY_VERIFY_WITH_TIMEOUT(finishedCalls.load() == total && rssAt10s >= 0,
                                 (kSeconds + 20) * 1000);
        // The last batch is on its way.
        QTRY_COMPARE(view.model()->state(view.model()->rowCount() - 1),
                     LiveRequestModel::State::Ok);
        probe.stop();
        sampler.stop();
        fixture.gateway()->run([&](GatewayContext &) { delete generator; });

        qInfo("%d calls/s for %d s: worst probe gap %lld ms, worst stall %lld ms over %lld ticks; "
              "rows %d at 2 s; RSS %.1f MB at 2 s, %.1f MB at 10 s",
              kCallsPerSecond, kSeconds, worstGapMs, worstStallMs, ticks, rowsAt2s,
              rssAt2s / 1048576.0, rssAt10s / 1048576.0);
        QVERIFY2(worstStallMs <= kMaxStallMs,
                 qPrintable(u"the GUI thread stalled %1 ms"_s.arg(worstStallMs)));
        QCOMPARE(view.model()->rowCount(), view.model()->capacity());
        QCOMPARE(view.model()->capacity(), LiveRequestModel::kDefaultCapacity);
        QVERIFY(followedThroughout);
        QVERIFY(view.isFollowing());
        const QByteArray newest = "gh-load-" + QByteArray::number(total - 1);
        QCOMPARE(view.model()->rowOf(newest), view.model()->rowCount() - 1);
        const int bottom = view.table()->viewport()->height() - 2;
        QCOMPARE(view.table()->indexAt(QPoint(2, bottom)).data(LiveRequestModel::RequestIdRole),
                 QVariant(QString::fromLatin1(newest)));
        QVERIFY(rssAt2s > 0 && rssAt10s > 0);
        QVERIFY2(rssAt10s - rssAt2s < kRssGrowthBound,
                 qPrintable(u"RSS grew by %1 MB"_s.arg((rssAt10s - rssAt2s) / 1048576.0)));
    }
};

QTEST_MAIN(TestLiveViewLoad)
#include "tst_liveviewload.moc"
