// gatehouse-ledgerbench: how many usage records per second the ledger store sustains, for
// bench/run.sh. Enqueues records at full speed from this thread (as request threads would) and
// reports the rate at which the store thread commits them to a fresh SQLite file.
//
//   gatehouse-ledgerbench [RECORDS] [DIRECTORY]
#include "ingress/gatewaycontext.h"
#include "ledger/ledgerstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

UsageRecord record(qint64 now)
{
    UsageRecord r;
    r.requestId = newRequestId(); // the gateway's own ids: their order shapes the index inserts
    r.startedAtMs = now;
    r.account = u"bench"_s;
    r.apiKey = u"bench"_s;
    r.endpoint = "openai.chat_completions";
    r.provider = u"bench-upstream"_s;
    r.modelAlias = u"gpt-4o-mini"_s;
    r.upstreamModel = u"gpt-4o-mini"_s;
    r.usage.promptTokens = 250;
    r.usage.completionTokens = 16;
    r.usage.reported = true;
    r.costMicros = 47;
    r.priceSource = u"bundled"_s;
    r.firstByteUs = 180;
    r.durationUs = 240;
    r.httpStatus = 200;
    r.outcome = "ok";
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    DatabaseLocation::configureSqliteForThreadOwnedConnections(); // as the app does
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int records = args.size() > 1 ? args.at(1).toInt() : 200'000;
    QTemporaryDir scratch(args.size() > 2 ? args.at(2) + u"/ledgerbench-XXXXXX"_s : QString());
    QTextStream out(stdout);
    QTextStream err(stderr);

    LedgerStore store;
    QString error;
    if (records <= 0 || !scratch.isValid() ||
        !store.open(DatabaseLocation::sqliteFile(scratch.filePath(u"ledger.sqlite"_s)), &error)) {
        err << "ledgerbench: cannot start: " << error << Qt::endl;
        return 1;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < records; ++i)
        store.enqueue(record(now));
    if (!store.flush(QDeadlineTimer(120'000))) {
        err << "ledgerbench: records still pending after 120 s" << Qt::endl;
        return 1;
    }
    const qint64 writtenNs = clock.nsecsElapsed();
    store.close();
    out << "BENCH records=" << records << " records_per_s=" << qint64(records * 1e9 / writtenNs)
        << Qt::endl;
    return 0;
}
