#include "ledger/databaselocation.h"
#include "ledger/ledgerexport.h"
#include "ledger/ledgerqueries.h"
#include "ledger/ledgerreport.h"
#include "ledger/ledgerstore.h"
#include "ledger/readonlyledger.h"
#include "ledger/requestcapture.h"
#include "ledger/schemamigrator.h"
#include "postgresserver.h"

#include <QBuffer>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kStartedAtMs = 1'790'000'000'000;

QDeadlineTimer soon()
{
    return QDeadlineTimer(60'000);
}

UsageRecord record(const QString &requestId, qint64 costMicros = 345)
{
    UsageRecord r;
    r.requestId = requestId.toUtf8();
    r.startedAtMs = kStartedAtMs;
    r.account = u"team"_s;
    r.apiKey = u"laptop"_s;
    r.endpoint = "openai.chat_completions";
    r.provider = u"openai"_s;
    r.modelAlias = u"fast"_s;
    r.upstreamModel = u"gpt-4o-mini"_s;
    r.runtimeSession = u"session-1"_s;
    r.usage.promptTokens = 1200;
    r.usage.completionTokens = 300;
    r.usage.reported = true;
    r.costMicros = costMicros;
    r.reservedMicros = 5'000'000'000'000; // past 32 bits: BIGINT all the way
    r.priceSource = u"bundled:2026-11-24"_s;
    r.firstByteUs = 1500;
    r.durationUs = 90'000;
    r.httpStatus = 200;
    r.stream = true;
    r.outcome = "ok";
    return r;
}

// A chat completion request with this system prompt.
QByteArray chatWithSystem(const QByteArray &system)
{
    return "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"" + system +
           "\"},{\"role\":\"user\",\"content\":\"hi\"}]}";
}

} // namespace

// The ledger on PostgreSQL (team mode): the same migrations, writes, reads and exports as on
// SQLite, idempotent by request id, and nothing lost or doubled when the server goes away.
class TestPostgresLedger : public QObject
{
    Q_OBJECT

private:
    DatabaseLocation location() const
    {
        QString error;
        const auto parsed = DatabaseLocation::parse(m_server.url(), &error);
        return parsed.value_or(DatabaseLocation());
    }

    // A reader on the server, on the test thread.
    QVariant value(const QString &sql)
    {
        if (!m_reader.isOpen()) {
            QString error;
            if (!m_reader.open(location(), &error)) {
                qWarning() << error;
                return {};
            }
        }
        QSqlQuery query(m_reader.database());
        if (!query.exec(sql) || !query.next()) {
            qWarning() << sql << query.lastError().text();
            m_reader.close();
            return {};
        }
        return query.value(0);
    }

    PostgresServer m_server;
    ReadOnlyLedger m_reader;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void cleanup()
    {
        m_reader.close();
        QString error;
        QVERIFY2(m_server.restart(&error), qPrintable(error));
    }

    void twoStoresOpeningAtOnceMigrateOnce()
    {
        // Two gateways starting together: the migration lock lets one apply, the other wait.
        const DatabaseLocation where = location();
        QString otherError;
        bool otherOpened = false;
        std::unique_ptr<QThread> other(QThread::create([&] {
            LedgerStore store;
            otherOpened = store.open(where, &otherError);
        }));
        other->start();
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(where, &error), qPrintable(error));
        QVERIFY(other->wait(60'000));
        QVERIFY2(otherOpened, qPrintable(otherError));
        const auto migrations = SchemaMigrator(SqlDialect::postgresql()).available(&error);
        QVERIFY2(migrations, qPrintable(error));
        const auto sqlite = SchemaMigrator(SqlDialect::sqlite()).available(&error);
        QVERIFY2(sqlite, qPrintable(error));
        QCOMPARE(migrations->size(), sqlite->size()); // one schema, versioned alike
        QCOMPARE(value(u"SELECT COUNT(*) FROM schema_migrations"_s).toLongLong(),
                 migrations->size());
        QCOMPARE(value(u"SELECT MAX(version) FROM schema_migrations"_s).toLongLong(),
                 migrations->last().version);
    }

    void recordsRoundTripWithBigIntegers()
    {
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(location(), &error), qPrintable(error));
        store.enqueue(record(u"round-trip"_s, 7'000'000'000'001));
        QVERIFY(store.flush(soon()));
        QCOMPARE(
            value(u"SELECT cost_micros FROM usage WHERE request_id = 'round-trip'"_s).toLongLong(),
            7'000'000'000'001);
        QCOMPARE(value(u"SELECT reserved_micros FROM usage WHERE request_id = 'round-trip'"_s)
                     .toLongLong(),
                 5'000'000'000'000);
        QCOMPARE(value(u"SELECT stream FROM usage WHERE request_id = 'round-trip'"_s).toInt(), 1);
        QCOMPARE(value(u"SELECT COUNT(*) FROM events WHERE request_id = 'round-trip'"_s).toInt(),
                 1);
    }

    void aRetriedRequestIdIsWrittenOnce()
    {
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(location(), &error), qPrintable(error));
        store.enqueue(record(u"twice"_s));
        QVERIFY(store.flush(soon()));
        store.enqueue(record(u"twice"_s, 999));
        QVERIFY(store.flush(soon()));
        QCOMPARE(value(u"SELECT COUNT(*) FROM usage WHERE request_id = 'twice'"_s).toInt(), 1);
        QCOMPARE(value(u"SELECT cost_micros FROM usage WHERE request_id = 'twice'"_s).toInt(), 345);
    }

    void aRefusedStatementDoesNotTakeItsBatchWithIt()
    {
        // PostgreSQL aborts the whole transaction on one error: the statement is undone alone.
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(location(), &error), qPrintable(error));
        store.enqueue(record(u"before-refused"_s));
        store.execute({u"INSERT INTO accounts (name, created_at_ms) VALUES (?, ?)"_s,
                       {u"default"_s, 0}}); // the key exists: refused
        store.execute({u"INSERT INTO no_such_table VALUES (?)"_s, {1}});
        store.execute({u"INSERT INTO accounts (name, created_at_ms) VALUES (?, ?)"_s,
                       {u"after-refused"_s, 1}});
        store.enqueue(record(u"after-refused"_s));
        QVERIFY(store.flush(soon()));
        QCOMPARE(value(u"SELECT COUNT(*) FROM usage WHERE request_id IN ('before-refused', "
                       "'after-refused')"_s)
                     .toInt(),
                 2);
        QCOMPARE(value(u"SELECT COUNT(*) FROM accounts WHERE name = 'after-refused'"_s).toInt(), 1);
    }

    void sessionUpsertKeepsTheLatestSight()
    {
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(location(), &error), qPrintable(error));
        const QString upsert =
            u"INSERT INTO runtime_sessions (id, parent_id, external_id, source, owner, account, "
            "principal, principal_type, flow, execution_id, credential_id, first_seen_ms, "
            "last_seen_ms, requests) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET last_seen_ms = CASE WHEN excluded.last_seen_ms > "
            "runtime_sessions.last_seen_ms THEN excluded.last_seen_ms ELSE "
            "runtime_sessions.last_seen_ms END, "
            "requests = runtime_sessions.requests + excluded.requests"_s;
        const QVariant null(QMetaType::fromType<QString>());
        for (const qint64 seen : {200, 100})
            store.execute({upsert,
                           {u"s1"_s, null, u"x"_s, u"header"_s, u"o"_s, null, null, null, null,
                            null, null, 50, seen, 1}});
        QVERIFY(store.flush(soon()));
        QCOMPARE(value(u"SELECT last_seen_ms FROM runtime_sessions WHERE id = 's1'"_s).toInt(),
                 200);
        QCOMPARE(value(u"SELECT requests FROM runtime_sessions WHERE id = 's1'"_s).toInt(), 2);
    }

    void reportsAndExportsReadTheServer()
    {
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(location(), &error), qPrintable(error));
        for (int i = 0; i < 10; ++i) {
            UsageRecord r = record(u"report-%1"_s.arg(i), 100 + i);
            r.modelAlias = u"report-model"_s;
            r.outcome = i < 3 ? "upstream_error" : "ok";
            store.enqueue(std::move(r));
        }
        QVERIFY(store.flush(soon()));

        UsageFilter filter;
        filter.fromMs = kStartedAtMs;
        filter.toMs = kStartedAtMs + 1;
        filter.model = u"report-model"_s;
        filter.session = u"session-1"_s; // the recursive session scope
        LedgerQueries queries(location());
        QJsonObject models;
        QJsonObject summary;
        QObject context;
        queries.post(
            &context,
            [filter](const QSqlDatabase &db) {
                LedgerAnswer answer;
                QString error;
                const auto m = LedgerReport(db).models(filter, &error);
                const auto s = LedgerReport(db).summary(filter, LedgerReport::Dimension::Model,
                                                        LedgerReport::Bucket::Hour, &error);
                if (!m || !s)
                    return LedgerAnswer::failure(500, error, "failed");
                answer.body =
                    QJsonDocument(QJsonObject{{u"models"_s, *m}, {u"summary"_s, *s}}).toJson();
                return answer;
            },
            [&](const LedgerAnswer &answer) {
                QVERIFY2(!answer.failed(), qPrintable(answer.error));
                const QJsonObject both = QJsonDocument::fromJson(answer.body).object();
                models = both.value(u"models"_s).toObject();
                summary = both.value(u"summary"_s).toObject();
            });
        QTRY_VERIFY_WITH_TIMEOUT(!models.isEmpty(), 30'000);
        const QJsonObject model = models.value(u"models"_s).toArray().at(0).toObject();
        QCOMPARE(model.value(u"calls"_s).toInteger(), 10);
        QCOMPARE(model.value(u"errors"_s).toInteger(), 3);
        QCOMPARE(model.value(u"costMicros"_s).toInteger(), 1045);
        const QJsonObject group = summary.value(u"groups"_s).toArray().at(0).toObject();
        QCOMPARE(group.value(u"costMicros"_s).toInteger(), 1045);
        QCOMPARE(group.value(u"requests"_s).toInteger(), 10);

        ReadOnlyLedger reader;
        QVERIFY2(reader.open(location(), &error), qPrintable(error));
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        const auto written =
            LedgerExport(reader.database(), LedgerExport::Table::Usage, LedgerExport::Format::Csv)
                .write(filter, &out, 100, 1 << 20, &error);
        QVERIFY2(written, qPrintable(error));
        QCOMPARE(written->rows, 10);
        QVERIFY(out.data().contains("report-9"));
    }

    void aLongSystemPromptIsStoredOnceOnTheServer()
    {
        const QByteArray system(3000, 'a');
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(location(), &error), qPrintable(error));
        for (const QString &id : {u"agent-1"_s, u"agent-2"_s}) {
            UsageRecord r = record(id);
            auto capture = std::make_shared<RequestCapture>();
            capture->requestBody = chatWithSystem(system);
            r.capture = capture;
            store.enqueue(std::move(r));
        }
        QVERIFY(store.flush(soon()));
        QCOMPARE(value(u"SELECT count(*) FROM event_texts"_s).toInt(), 1);
        QCOMPARE(value(u"SELECT count(*) FROM events WHERE request_id LIKE 'agent-%' AND "
                       "system_digest IS NOT NULL AND preview NOT LIKE '%aaaaaaaaaa%'"_s)
                     .toInt(),
                 2);

        ReadOnlyLedger reader;
        QVERIFY2(reader.open(location(), &error), qPrintable(error));
        const auto event = LedgerReport(reader.database()).event(u"agent-2"_s, &error);
        QVERIFY2(event, qPrintable(error));
        QCOMPARE(event->value(u"event"_s)
                     .toObject()
                     .value(u"request"_s)
                     .toObject()
                     .value(u"system"_s)
                     .toString(),
                 QString::fromLatin1(system));
        UsageFilter filter;
        filter.fromMs = kStartedAtMs;
        filter.toMs = kStartedAtMs + 1;
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        QVERIFY2(LedgerExport(reader.database(), LedgerExport::Table::Events,
                              LedgerExport::Format::JsonLines)
                     .write(filter, &out, 100, 1 << 20, &error),
                 qPrintable(error));
        QCOMPARE(out.data().count(system), 2);
    }

    void aServerRestartLosesAndDoublesNothing()
    {
        LedgerStore store;
        QString error;
        QVERIFY2(store.open(location(), &error), qPrintable(error));
        QSignalSpy failures(&store, &LedgerStore::writeFailed);
        const int before = 200;
        const int during = 300;
        for (int i = 0; i < before; ++i)
            store.enqueue(record(u"restart-a-%1"_s.arg(i)));
        // Down while the first records may still be in flight: what was not committed stays
        // queued and is retried on a new connection.
        QVERIFY2(m_server.stop(&error), qPrintable(error));
        for (int i = 0; i < during; ++i)
            store.enqueue(record(u"restart-b-%1"_s.arg(i)));
        QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty() || store.pending() == 0, 30'000);
        QVERIFY2(m_server.restart(&error), qPrintable(error));
        QVERIFY(store.flush(soon()));
        QCOMPARE(store.pending(), 0);
        QCOMPARE(value(u"SELECT COUNT(*) FROM usage WHERE request_id LIKE 'restart-%'"_s).toInt(),
                 before + during);
        QCOMPARE(value(u"SELECT COUNT(DISTINCT request_id) FROM usage WHERE request_id LIKE "
                       "'restart-%'"_s)
                     .toInt(),
                 before + during);
    }

    void anotherStoresCommitsArriveHereAndNotItsOwn()
    {
        // Two gateways' stores on one database: each hears the other's commits, not its own.
        LedgerStore here;
        LedgerStore there;
        QString error;
        QVERIFY2(here.open(location(), &error), qPrintable(error));
        QVERIFY2(there.open(location(), &error), qPrintable(error));
        QSignalSpy usageHere(&here, &LedgerStore::usageElsewhere);
        QSignalSpy usageThere(&there, &LedgerStore::usageElsewhere);
        QSignalSpy changesHere(&here, &LedgerStore::changedElsewhere);

        UsageRecord sent = record(u"elsewhere-1"_s, 4321);
        sent.modelAlias = u"far-model"_s;
        there.enqueue(sent);
        QVERIFY(there.flush(soon()));
        // Written means committed, and the notification went with the commit.
        QTRY_COMPARE_WITH_TIMEOUT(usageHere.size(), 1, 1000);
        const auto records = usageHere.first().first().value<QList<UsageRecord>>();
        QCOMPARE(records.size(), 1);
        QCOMPARE(records.first().requestId, QByteArray("elsewhere-1"));
        QCOMPARE(records.first().costMicros, std::optional<qint64>(4321));
        QCOMPARE(records.first().modelAlias, u"far-model"_s);
        QCOMPARE(records.first().httpStatus, 200);

        there.execute({u"INSERT INTO kill_switches (scope, subject, cut, reason, at_ms) "
                       "VALUES (?, ?, ?, ?, ?)"_s,
                       {u"all"_s, u""_s, 0, u"test"_s, 1}});
        QVERIFY(there.flush(soon()));
        QTRY_COMPARE_WITH_TIMEOUT(changesHere.size(), 1, 1000);
        QCOMPARE(changesHere.first().first().toString(), u"kill_switches"_s);
        QCOMPARE(usageThere.size(), 0); // its own commit is not news to it

        std::optional<QList<QVariantList>> rows;
        QObject context;
        here.selectLater({u"SELECT reason FROM kill_switches"_s, {}}, &context,
                         [&](const QList<QVariantList> &result) { rows = result; });
        QTRY_VERIFY_WITH_TIMEOUT(rows.has_value(), 10'000);
        QCOMPARE(rows->value(0).value(0).toString(), u"test"_s);
    }

    void openFailsWhileTheServerIsDown()
    {
        QString error;
        QVERIFY2(m_server.stop(&error), qPrintable(error));
        LedgerStore store;
        QVERIFY(!store.open(location(), &error));
        QVERIFY2(error.contains(u"postgresql://gatehouse@127.0.0.1"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPostgresLedger)
#include "tst_postgresledger.moc"
