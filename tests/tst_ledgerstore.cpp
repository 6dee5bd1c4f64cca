#include "events/eventbuilder.h"
#include "ledger/ledgerexport.h"
#include "ledger/ledgerreport.h"
#include "ledger/ledgerstore.h"
#include "ledger/requestcapture.h"
#include "ledger/schemamigrator.h"
#include "ledger/sqldialect.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

// Bounded waits: a store that never finishes writing fails the test instead of hanging it.
QDeadlineTimer soon()
{
    return QDeadlineTimer(30'000);
}

UsageRecord record(const QString &requestId)
{
    UsageRecord r;
    r.requestId = requestId.toUtf8();
    r.startedAtMs = 1'790'000'000'000;
    r.account = u"team"_s;
    r.apiKey = u"laptop"_s;
    r.endpoint = "openai.chat_completions";
    r.provider = u"openai"_s;
    r.modelAlias = u"fast"_s;
    r.upstreamModel = u"gpt-4o-mini"_s;
    r.usage.promptTokens = 1200;
    r.usage.cachedTokens = 200;
    r.usage.cacheWriteTokens = 100;
    r.usage.completionTokens = 300;
    r.usage.reasoningTokens = 50;
    r.usage.reported = true;
    r.costMicros = 345;
    r.priceSource = u"bundled:2026-11-24"_s;
    r.firstByteUs = 1500;
    r.durationUs = 90'000;
    r.httpStatus = 200;
    r.stream = true;
    r.outcome = "ok";
    return r;
}

// A second connection to the same file, on the test thread, as a reader or a rival writer.
class Probe
{
public:
    explicit Probe(const QString &file)
        : m_name(u"probe-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(file);
        db.open();
        exec(u"PRAGMA busy_timeout=5000"_s);
    }
    ~Probe()
    {
        QSqlDatabase::database(m_name).close();
        QSqlDatabase::removeDatabase(m_name);
    }

    QVariant value(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(sql) || !query.next()) {
            qWarning() << sql << query.lastError().text();
            return {};
        }
        return query.value(0);
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        return query.exec(sql);
    }
    qint64 rows() const { return value(u"SELECT count(*) FROM usage"_s).toLongLong(); }
    QSqlDatabase database() const { return QSqlDatabase::database(m_name); }

private:
    QString m_name;
};

} // namespace

class TestLedgerStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void migrationsAppliedOnceAndReopenKeepsData();
    void openFailsOnAnUnreachablePath();
    void recordFieldsRoundTrip();
    void textsThatChangeFromRowToRow();
    void longSystemPromptsAreStoredOnce();
    void unpricedIsNullNeverZero();
    void concurrentEnqueueWritesEachRecordOnce();
    void duplicateRequestIdIsIgnored();
    void flushWaitsForEverythingEnqueuedBefore();
    void journalModeIsWal();
    void anExistingFileKeepsItsPageSize();
    void queuedBodiesAreBoundedAndUsageIsKept();
    void theStoreThreadYieldsToTheRequestPath();
    void retriesWhileAnotherWriterHoldsTheLock();
    void closeWithQueuedRecordsLosesNothing();
    void idleCheckpointMovesTheLogIntoTheDatabase();
    void recordsEnqueuedBeforeOpenAreWritten();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_file;
};

void TestLedgerStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_file = m_dir->filePath(u"ledger.sqlite"_s);
}

void TestLedgerStore::migrationsAppliedOnceAndReopenKeepsData()
{
    QString error;
    const auto migrations = SchemaMigrator(SqlDialect::sqlite()).available(&error);
    QVERIFY2(migrations, qPrintable(error));

    {
        LedgerStore store;
        QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
        store.enqueue(record(u"r1"_s));
        store.enqueue(record(u"r2"_s));
        store.close();
    }
    qint64 appliedAt = 0;
    {
        Probe probe(m_file);
        QCOMPARE(probe.value(u"SELECT count(*) FROM schema_migrations"_s).toLongLong(),
                 migrations->size());
        QCOMPARE(probe.value(u"SELECT max(version) FROM schema_migrations"_s).toInt(),
                 migrations->last().version);
        appliedAt = probe.value(u"SELECT min(applied_at_ms) FROM schema_migrations"_s).toLongLong();
        QVERIFY(appliedAt > 0);
    }

    LedgerStore reopened;
    QVERIFY2(reopened.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    reopened.enqueue(record(u"r3"_s));
    reopened.close();

    Probe probe(m_file);
    QCOMPARE(probe.value(u"SELECT count(*) FROM schema_migrations"_s).toLongLong(),
             migrations->size());
    QCOMPARE(probe.value(u"SELECT min(applied_at_ms) FROM schema_migrations"_s).toLongLong(),
             appliedAt);
    QCOMPARE(probe.rows(), 3);
}

void TestLedgerStore::openFailsOnAnUnreachablePath()
{
    LedgerStore store;
    QString error;
    QVERIFY(!store.open(
        DatabaseLocation::sqliteFile(m_dir->filePath(u"missing/dir/ledger.sqlite"_s)), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!store.isOpen());

    // The failed attempt cleaned up after itself: the same store opens a good file.
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    QVERIFY(store.isOpen());
}

void TestLedgerStore::recordFieldsRoundTrip()
{
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    store.enqueue(record(u"full"_s));
    QVERIFY(store.flush(soon()));

    Probe probe(m_file);
    const QString columns =
        u"request_id, started_at_ms, account, api_key, endpoint, provider, model_alias, "
        "upstream_model, prompt_tokens, completion_tokens, total_tokens, cached_tokens, "
        "cache_write_tokens, reasoning_tokens, usage_reported, cost_micros, price_source, "
        "first_byte_us, duration_us, http_status, stream, outcome, error"_s;
    const QStringList names = columns.split(u", "_s);
    const QVariantList expected = {u"full"_s,
                                   1'790'000'000'000LL,
                                   u"team"_s,
                                   u"laptop"_s,
                                   u"openai.chat_completions"_s,
                                   u"openai"_s,
                                   u"fast"_s,
                                   u"gpt-4o-mini"_s,
                                   1200,
                                   300,
                                   1500,
                                   200,
                                   100,
                                   50,
                                   1,
                                   345,
                                   u"bundled:2026-11-24"_s,
                                   1500,
                                   90'000,
                                   200,
                                   1,
                                   u"ok"_s,
                                   QVariant()};
    for (int i = 0; i < names.size(); ++i) {
        const QVariant actual = probe.value(u"SELECT "_s + names.at(i) + u" FROM usage"_s);
        if (expected.at(i).isValid())
            QCOMPARE(actual.toString(), expected.at(i).toString());
        else
            QVERIFY2(probe.value(u"SELECT "_s + names.at(i) + u" IS NULL FROM usage"_s).toBool(),
                     qPrintable(names.at(i)));
    }
    QCOMPARE(probe.value(u"SELECT typeof(request_id) FROM usage"_s).toString(), u"text"_s);
}

// The writer reuses a parameter's UTF-8 while its text repeats: each row still gets its own.
void TestLedgerStore::textsThatChangeFromRowToRow()
{
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    const QStringList accounts = {u"team"_s, u"team"_s, u"Zürich"_s, u"Zurich"_s,
                                  QString(), u"team"_s, u"Zürich"_s};
    for (int i = 0; i < accounts.size(); ++i) {
        UsageRecord r = record(u"row-%1"_s.arg(i));
        r.account = accounts.at(i);
        r.outcome = i % 2 ? "ok" : "upstream_error";
        store.enqueue(r);
    }
    QVERIFY(store.flush(soon()));

    Probe probe(m_file);
    for (int i = 0; i < accounts.size(); ++i) {
        const QString where = u" FROM usage WHERE request_id = 'row-%1'"_s.arg(i);
        if (accounts.at(i).isEmpty())
            QVERIFY(probe.value(u"SELECT account IS NULL"_s + where).toBool());
        else
            QCOMPARE(probe.value(u"SELECT account"_s + where).toString(), accounts.at(i));
        QCOMPARE(probe.value(u"SELECT outcome"_s + where).toString(),
                 i % 2 ? u"ok"_s : u"upstream_error"_s);
    }
}

// An agent's system prompt, the same every turn, is stored once; every reader gives each event
// its preview as it was built.
void TestLedgerStore::longSystemPromptsAreStoredOnce()
{
    const auto withSystem = [](const QString &id, const QByteArray &system) {
        UsageRecord r = record(id);
        auto capture = std::make_shared<RequestCapture>();
        capture->requestBody =
            R"({"model":"gpt-4o-mini","messages":[{"role":"system","content":")" + system +
            R"("},{"role":"user","content":"hi"}]})";
        capture->requestBytes = capture->requestBody.size();
        r.capture = capture;
        return r;
    };
    const QByteArray agent = "You are a coding agent. " + QByteArray(3000, 'a');
    const QByteArray other = "You review code. " + QByteArray(2000, 'b');
    const QList<UsageRecord> records = {
        withSystem(u"turn-1"_s, agent), withSystem(u"turn-2"_s, agent),
        withSystem(u"review"_s, other), withSystem(u"turn-3"_s, agent),
        withSystem(u"short"_s, "Be brief.")};
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    for (const UsageRecord &r : records)
        store.enqueue(r);
    QVERIFY(store.flush(soon()));

    Probe probe(m_file);
    QCOMPARE(probe.value(u"SELECT count(*) FROM event_texts"_s).toInt(), 2);
    QCOMPARE(probe.value(u"SELECT count(*) FROM events WHERE system_digest IS NOT NULL"_s).toInt(),
             4);
    QCOMPARE(
        probe.value(u"SELECT count(*) FROM events WHERE preview LIKE '%aaaaaaaaaa%'"_s).toInt(), 0);
    // Each text counts once toward the events' size cap, with the first event that carried it.
    QVERIFY(probe.value(u"SELECT stored_bytes FROM events WHERE request_id = 'turn-1'"_s).toInt() >
            3000);
    QVERIFY(probe.value(u"SELECT stored_bytes FROM events WHERE request_id = 'turn-2'"_s).toInt() <
            2000);

    EventSettings settings;
    Redactor redactor;
    const EventBuilder builder(settings, &redactor);
    const LedgerReport report(probe.database());
    UsageFilter filter;
    filter.fromMs = 0;
    filter.toMs = 2'000'000'000'000;
    const std::optional<QJsonObject> listed = report.rows(filter, true, &error);
    QVERIFY2(listed, qPrintable(error));
    QCOMPARE(listed->value(u"rows"_s).toArray().size(), records.size());
    for (const QJsonValue &row : listed->value(u"rows"_s).toArray()) {
        const QString id = row.toObject().value(u"requestId"_s).toString();
        const auto built =
            std::find_if(records.cbegin(), records.cend(),
                         [&](const UsageRecord &r) { return r.requestId == id.toUtf8(); });
        QVERIFY(built != records.cend());
        const QJsonObject expected =
            QJsonDocument::fromJson(builder.build(*built).preview).object();
        QCOMPARE(row.toObject().value(u"event"_s).toObject(), expected);
        const std::optional<QJsonObject> one = report.event(id, &error);
        QVERIFY2(one, qPrintable(error));
        QCOMPARE(one->value(u"event"_s).toObject(), expected);
    }

    // The export splices the stored preview: the head is back in it, byte for byte.
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    const LedgerExport exporter(probe.database(), LedgerExport::Table::Events,
                                LedgerExport::Format::JsonLines);
    QVERIFY2(exporter.write(filter, &out, 100, 1 << 20, &error), qPrintable(error));
    const QList<QByteArray> lines = out.data().trimmed().split('\n');
    QCOMPARE(lines.size(), records.size());
    for (const QByteArray &line : lines) {
        const QJsonObject exported = QJsonDocument::fromJson(line).object();
        const auto built =
            std::find_if(records.cbegin(), records.cend(), [&](const UsageRecord &r) {
                return r.requestId == exported.value(u"request_id"_s).toString().toUtf8();
            });
        QVERIFY(built != records.cend());
        QVERIFY(line.contains(builder.build(*built).preview));
    }
}

void TestLedgerStore::unpricedIsNullNeverZero()
{
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    UsageRecord unpriced = record(u"unpriced"_s);
    unpriced.costMicros.reset();
    unpriced.priceSource = u"unpriced"_s;
    unpriced.firstByteUs = -1;
    unpriced.outcome = "client_disconnected";
    unpriced.error = u"client went away"_s;
    store.enqueue(unpriced);
    UsageRecord free = record(u"free"_s);
    free.costMicros = 0;
    free.priceSource = u"config"_s;
    store.enqueue(free);
    QVERIFY(store.flush(soon()));

    Probe probe(m_file);
    QVERIFY(probe.value(u"SELECT cost_micros IS NULL FROM usage WHERE request_id='unpriced'"_s)
                .toBool());
    QCOMPARE(
        probe.value(u"SELECT price_source FROM usage WHERE request_id='unpriced'"_s).toString(),
        u"unpriced"_s);
    QVERIFY(probe.value(u"SELECT first_byte_us IS NULL FROM usage WHERE request_id='unpriced'"_s)
                .toBool());
    QCOMPARE(probe.value(u"SELECT error FROM usage WHERE request_id='unpriced'"_s).toString(),
             u"client went away"_s);
    // A real $0 price stays distinguishable from unpriced.
    QCOMPARE(
        probe.value(u"SELECT typeof(cost_micros) FROM usage WHERE request_id='free'"_s).toString(),
        u"integer"_s);
    QCOMPARE(probe.value(u"SELECT count(*) FROM usage WHERE cost_micros = 0"_s).toInt(), 1);
}

void TestLedgerStore::concurrentEnqueueWritesEachRecordOnce()
{
    constexpr int threads = 4;
    constexpr int perThread = 2500;

    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    QSignalSpy written(&store, &LedgerStore::recordsWritten);

    std::vector<std::unique_ptr<QThread>> producers;
    for (int t = 0; t < threads; ++t) {
        producers.emplace_back(QThread::create([&store, t] {
            for (int i = 0; i < perThread; ++i)
                store.enqueue(record(u"t%1-%2"_s.arg(t).arg(i)));
        }));
        producers.back()->start();
    }
    for (auto &producer : producers)
        QVERIFY(producer->wait(60'000));
    QVERIFY(store.flush(soon()));

    Probe probe(m_file);
    QCOMPARE(probe.rows(), threads * perThread);
    QCOMPARE(probe.value(u"SELECT count(DISTINCT request_id) FROM usage"_s).toLongLong(),
             threads * perThread);

    const auto total = [&] {
        int sum = 0;
        for (const QList<QVariant> &signal : std::as_const(written))
            sum += signal.at(0).toInt();
        return sum;
    };
    QTRY_COMPARE(total(), threads * perThread);
    for (const QList<QVariant> &signal : std::as_const(written))
        QVERIFY2(signal.at(0).toInt() <= 1000, "a batch is at most 1000 rows");
    QVERIFY(written.size() >= threads * perThread / 1000);
}

void TestLedgerStore::duplicateRequestIdIsIgnored()
{
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    store.enqueue(record(u"same"_s));
    UsageRecord again = record(u"same"_s);
    again.httpStatus = 500;
    store.enqueue(again);
    QVERIFY(store.flush(soon()));
    // A retry in a later batch is ignored as well.
    store.enqueue(again);
    QVERIFY(store.flush(soon()));

    Probe probe(m_file);
    QCOMPARE(probe.rows(), 1);
    QCOMPARE(probe.value(u"SELECT http_status FROM usage"_s).toInt(), 200);
}

void TestLedgerStore::flushWaitsForEverythingEnqueuedBefore()
{
    LedgerStore store;
    QString error;

    store.enqueue(record(u"early"_s));
    QVERIFY2(!store.flush(soon()), "a closed store cannot write what waits");

    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    QVERIFY(store.flush(soon()));
    Probe probe(m_file);
    QCOMPARE(probe.rows(), 1);

    for (int i = 0; i < 2500; ++i)
        store.enqueue(record(u"f%1"_s.arg(i)));
    // No event loop runs between flush() and the check: flush itself waited for the commit.
    QVERIFY(store.flush(soon()));
    QCOMPARE(probe.rows(), 2501);
    QCOMPARE(store.pending(), 0);

    QVERIFY(store.flush(soon())); // nothing queued: returns at once
}

void TestLedgerStore::journalModeIsWal()
{
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    Probe probe(m_file);
    QCOMPARE(probe.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    QCOMPARE(probe.value(u"PRAGMA page_size"_s).toInt(), 16384);
}

// The nice value of this process's thread called `name` (Linux), or nothing when there is none.
static std::optional<int> threadNice(const QByteArray &name)
{
    for (const QString &tid : QDir(u"/proc/self/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(u"/proc/self/task/%1/comm"_s.arg(tid));
        QFile stat(u"/proc/self/task/%1/stat"_s.arg(tid));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name ||
            !stat.open(QIODevice::ReadOnly))
            continue;
        // After the parenthesised name: state is field 3, nice field 19.
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        return fields.value(19 - 3).toInt();
    }
    return std::nullopt;
}

void TestLedgerStore::theStoreThreadYieldsToTheRequestPath()
{
#ifndef Q_OS_LINUX
    QSKIP("thread priorities are set on Linux only");
#else
    QVERIFY(!threadNice("ledger-store")); // no store yet
    const int mine = getpriority(PRIO_PROCESS, id_t(gettid()));
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    QCOMPARE(threadNice("ledger-store"), std::optional<int>(LedgerStore::kStoreNice));
    QCOMPARE(getpriority(PRIO_PROCESS, id_t(gettid())), mine); // only the store's own thread
    // It still writes.
    store.enqueue(record(u"background"_s));
    QVERIFY(store.flush(soon()));
    QCOMPARE(Probe(m_file).rows(), 1);
#endif
}

// While the store is behind, the bodies queued for events stop at the bound: later records keep
// their usage (the money) and sizes and shed their bodies; room taken out frees the bound again.
void TestLedgerStore::queuedBodiesAreBoundedAndUsageIsKept()
{
    StoreQueue queue;
    const qint64 bodySize = 1 << 20;
    const auto withBodies = [&](int i) {
        UsageRecord r = record(u"bodies-%1"_s.arg(i));
        auto capture = std::make_shared<RequestCapture>();
        capture->requestBody = QByteArray(bodySize / 2, 'q');
        capture->responseBody = QByteArray(bodySize / 2, 'a');
        capture->requestBytes = capture->responseBytes = bodySize / 2;
        r.capture = capture;
        return r;
    };
    const int fit = int(StoreQueue::kMaxQueuedBodyBytes / bodySize);
    for (int i = 0; i < fit + 16; ++i)
        queue.push(withBodies(i));
    QCOMPARE(queue.pending(), fit + 16);
    QCOMPARE(queue.queuedBodyBytes(), fit * bodySize);

    QList<StoreWrite> all;
    queue.take(fit + 16, &all);
    QCOMPARE(queue.queuedBodyBytes(), 0);
    for (int i = 0; i < all.size(); ++i) {
        const UsageRecord &r = std::get<UsageRecord>(all[i]);
        QCOMPARE(r.usage.promptTokens, 1200); // the money is all there
        QCOMPARE(r.capture->bodiesShed, i >= fit);
        QCOMPARE(r.capture->requestBody.size(), i < fit ? bodySize / 2 : 0);
        QCOMPARE(r.capture->requestBytes, bodySize / 2); // sizes kept
    }
    queue.putBack(all.mid(0, 4)); // a failed batch goes back with its bodies
    QCOMPARE(queue.queuedBodyBytes(), 4 * bodySize);
    queue.push(withBodies(-1)); // room again
    QList<StoreWrite> more;
    queue.take(5, &more);
    QCOMPARE(more.size(), 5); // the four put back, then the new one
    QVERIFY(!std::get<UsageRecord>(more.last()).capture->bodiesShed);
}

void TestLedgerStore::anExistingFileKeepsItsPageSize()
{
    {
        Probe made(m_file);
        QVERIFY(made.exec(u"PRAGMA page_size=4096"_s));
        QVERIFY(made.exec(u"CREATE TABLE made_elsewhere (x INTEGER)"_s));
    }
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    store.enqueue(record(u"kept"_s));
    QVERIFY(store.flush(soon()));
    Probe probe(m_file);
    QCOMPARE(probe.value(u"PRAGMA page_size"_s).toInt(), 4096);
    QCOMPARE(probe.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    QCOMPARE(probe.rows(), 1);
}

void TestLedgerStore::retriesWhileAnotherWriterHoldsTheLock()
{
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    QSignalSpy failed(&store, &LedgerStore::writeFailed);
    QSignalSpy written(&store, &LedgerStore::recordsWritten);

    Probe rival(m_file);
    QVERIFY(rival.exec(u"BEGIN IMMEDIATE"_s));
    for (int i = 0; i < 10; ++i)
        store.enqueue(record(u"locked%1"_s.arg(i)));

    // The store waits out its busy timeout (5 s), fails, and keeps the batch for a retry.
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 30'000);
    QVERIFY(failed.at(0).at(0).toString().contains(u"locked"_s));
    QVERIFY(written.isEmpty());
    QCOMPARE(rival.rows(), 0);

    QVERIFY(rival.exec(u"COMMIT"_s));
    QVERIFY(store.flush(soon()));
    QCOMPARE(rival.rows(), 10);
    const auto total = [&] {
        int sum = 0;
        for (const QList<QVariant> &signal : std::as_const(written))
            sum += signal.at(0).toInt();
        return sum;
    };
    QTRY_COMPARE(total(), 10);
}

void TestLedgerStore::closeWithQueuedRecordsLosesNothing()
{
    constexpr int count = 5000;
    {
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
        for (int i = 0; i < count; ++i)
            store.enqueue(record(u"c%1"_s.arg(i)));
        store.close();
        QVERIFY(!store.isOpen());
        QCOMPARE(store.pending(), 0);
    }
    Probe probe(m_file);
    QCOMPARE(probe.rows(), count);
}

void TestLedgerStore::idleCheckpointMovesTheLogIntoTheDatabase()
{
    LedgerStore store;
    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    for (int i = 0; i < 2000; ++i)
        store.enqueue(record(u"w%1"_s.arg(i)));
    QVERIFY(store.flush(soon()));

    // Fewer pages than SQLite's automatic checkpoint threshold: until the store checkpoints,
    // the rows live in the -wal file only.
    const qint64 before = QFileInfo(m_file).size();
    QVERIFY(QFileInfo(m_file + u"-wal"_s).size() > 100'000);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_file).size() > before + 100'000, 15'000);
}

void TestLedgerStore::recordsEnqueuedBeforeOpenAreWritten()
{
    LedgerStore store;
    for (int i = 0; i < 3; ++i)
        store.enqueue(record(u"pre%1"_s.arg(i)));
    QCOMPARE(store.pending(), 3);

    QString error;
    QVERIFY2(store.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
    QVERIFY(store.flush(soon()));
    Probe probe(m_file);
    QCOMPARE(probe.rows(), 3);
}

QTEST_GUILESS_MAIN(TestLedgerStore)
#include "tst_ledgerstore.moc"
