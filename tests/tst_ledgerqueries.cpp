// The ledger's read side on a real SQLite file filled with known rows: filters, timelines with
// child sessions, summaries with exact money and unpriced rows apart, exact percentiles, CSV and
// JSON Lines exports, pages and cursors, and the reader thread's answers.
#include "ledger/ledgerexport.h"
#include "ledger/ledgerqueries.h"
#include "ledger/ledgerreport.h"
#include "ledger/readonlyledger.h"
#include "ledger/schemamigrator.h"
#include "ledger/sqldialect.h"
#include "ledger/usagefilter.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kHour = 3'600'000;
constexpr qint64 kT0 = 497'222 * kHour; // an hour boundary in 2026

QUrlQuery urlQuery(const QString &text)
{
    return QUrlQuery(text);
}

} // namespace

class TestLedgerQueries : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;
    QSqlDatabase m_writer;
    qint64 m_nextId = 0;

    // A usage row with defaults for every NOT NULL column; fields override them.
    void usage(const QString &requestId, qint64 startedAtMs, const QVariantMap &fields = {})
    {
        QVariantMap row{{u"request_id"_s, requestId},   {u"started_at_ms"_s, startedAtMs},
                        {u"account"_s, u"default"_s},   {u"provider"_s, u"sim"_s},
                        {u"model_alias"_s, u"fast"_s},  {u"upstream_model"_s, u"fast-upstream"_s},
                        {u"usage_reported"_s, 1},       {u"cost_micros"_s, 10},
                        {u"price_source"_s, u"test"_s}, {u"duration_us"_s, 1000},
                        {u"http_status"_s, 200},        {u"stream"_s, 0},
                        {u"outcome"_s, u"ok"_s}};
        for (auto it = fields.cbegin(); it != fields.cend(); ++it)
            row.insert(it.key(), it.value());
        QSqlQuery query(m_writer);
        QStringList marks(row.size(), u"?"_s);
        QVERIFY(query.prepare(u"INSERT INTO usage (%1) VALUES (%2)"_s.arg(row.keys().join(u", "_s),
                                                                          marks.join(u", "_s))));
        for (const QVariant &value : row)
            query.addBindValue(value);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }
    void event(const QString &requestId, qint64 startedAtMs, const QJsonObject &preview,
               const QString &requestBody = {})
    {
        QSqlQuery query(m_writer);
        QVERIFY(query.prepare(u"INSERT INTO events (request_id, started_at_ms, stored_bytes, "
                              "queued_us, request_bytes, response_bytes, preview, request_body) "
                              "VALUES (?, ?, 10, 5, 100, 200, ?, ?)"_s));
        query.addBindValue(requestId);
        query.addBindValue(startedAtMs);
        query.addBindValue(QString::fromUtf8(QJsonDocument(preview).toJson()));
        query.addBindValue(requestBody.isNull() ? QVariant(QMetaType::fromType<QString>())
                                                : QVariant(requestBody));
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }
    void session(const QString &id, const QString &parent)
    {
        QSqlQuery query(m_writer);
        QVERIFY(query.prepare(u"INSERT INTO runtime_sessions (id, parent_id, external_id, source, "
                              "owner, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, 'test', "
                              "'o', 0, 0)"_s));
        query.addBindValue(id);
        query.addBindValue(parent.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                            : QVariant(parent));
        query.addBindValue(id);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }
    void clear()
    {
        QSqlQuery query(m_writer);
        for (const char16_t *table : {u"usage", u"events", u"runtime_sessions"})
            QVERIFY(query.exec(u"DELETE FROM "_s + QString::fromUtf16(table)));
    }
    UsageFilter filter(const QString &query, qint64 nowMs = kT0 + 24 * kHour)
    {
        QString error;
        const auto parsed =
            UsageFilter::fromQuery(urlQuery(query), nowMs, 30 * 24 * kHour, 100000, &error);
        if (!parsed)
            qWarning("filter %s: %s", qPrintable(query), qPrintable(error));
        return parsed.value_or(UsageFilter());
    }
    QStringList requestIds(const QJsonObject &answer)
    {
        QStringList ids;
        for (const QJsonValue &row : answer.value(u"rows"_s).toArray())
            ids += row.toObject().value(u"requestId"_s).toString();
        return ids;
    }
    QByteArray exported(LedgerExport::Table table, LedgerExport::Format format,
                        const UsageFilter &f, qint64 maxRows = 1'000'000,
                        LedgerExport::Result *result = nullptr)
    {
        ReadOnlyLedger ledger;
        QString error;
        if (!ledger.open(DatabaseLocation::sqliteFile(m_file), &error))
            return "open failed: " + error.toUtf8();
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        const auto written = LedgerExport(ledger.database(), table, format)
                                 .write(f, &buffer, maxRows, 1 << 30, &error);
        if (!written)
            return "export failed: " + error.toUtf8();
        if (result)
            *result = *written;
        return bytes;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath(u"ledger.sqlite"_s);
        m_writer = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"writer"_s);
        m_writer.setDatabaseName(m_file);
        QVERIFY(m_writer.open());
        QSqlQuery(m_writer).exec(u"PRAGMA journal_mode=WAL"_s);
        QString error;
        QVERIFY2(SchemaMigrator(SqlDialect::sqlite()).migrate(m_writer, &error), qPrintable(error));
    }
    void init() { clear(); }
    void cleanupTestCase()
    {
        m_writer.close();
        m_writer = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"writer"_s);
    }

    void parsesTimes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // -1: refused
        const qint64 now = 1'790'000'000'000;
        QTest::newRow("epoch ms") << u"1789999200000"_s << qint64(1'789'999'200'000);
        QTest::newRow("iso utc") << u"2026-11-24T05:00:00Z"_s << qint64(1'795'496'400'000);
        QTest::newRow("iso ms") << u"2026-11-24T05:00:00.250Z"_s << qint64(1'795'496'400'250);
        QTest::newRow("iso offset") << u"2026-11-24T06:00:00+01:00"_s << qint64(1'795'496'400'000);
        QTest::newRow("iso no offset is utc")
            << u"2026-11-24T05:00:00"_s << qint64(1'795'496'400'000);
        QTest::newRow("date") << u"2026-11-24"_s << qint64(1'795'478'400'000);
        QTest::newRow("24h ago") << u"24h"_s << now - 24 * kHour;
        QTest::newRow("90s ago") << u"90s"_s << now - 90'000;
        QTest::newRow("7d ago") << u"7d"_s << now - 7 * 24 * kHour;
        QTest::newRow("garbage") << u"yesterday"_s << qint64(-1);
        QTest::newRow("negative") << u"-5"_s << qint64(-1);
        QTest::newRow("unit") << u"3w"_s << qint64(-1);
    }
    void parsesTimes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const auto parsed = UsageFilter::parseTime(text, 1'790'000'000'000);
        QCOMPARE(parsed.value_or(-1), expected);
    }

    void parsesQueries_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("everything")
            << u"from=1&to=2&account=a&user=u&key=k&flow=f&execution=ex_1&session=rs_1&model=m&"
               "provider=p&outcome=ok&limit=5&order=desc&cursor=10.3"_s
            << QString();
        QTest::newRow("from after to") << u"from=5&to=2"_s << u"from is after to"_s;
        QTest::newRow("bad from") << u"from=soon"_s << u"from:"_s;
        QTest::newRow("limit zero") << u"limit=0"_s << u"limit:"_s;
        QTest::newRow("limit too big") << u"limit=100001"_s << u"limit:"_s;
        QTest::newRow("bad order") << u"order=up"_s << u"order:"_s;
        QTest::newRow("bad cursor") << u"cursor=abc"_s << u"cursor:"_s;
    }
    void parsesQueries()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        QString message;
        const auto parsed = UsageFilter::fromQuery(urlQuery(query), 1000, 500, 100000, &message);
        QCOMPARE(parsed.has_value(), error.isEmpty());
        if (!error.isEmpty()) {
            QVERIFY2(message.startsWith(error), qPrintable(message));
            return;
        }
        if (query.isEmpty()) {
            // The default window: the last defaultWindowMs up to now, now included.
            QCOMPARE(parsed->toMs, 1001);
            QCOMPARE(parsed->fromMs, 501);
            QCOMPARE(parsed->limit, UsageFilter::kDefaultLimit);
            return;
        }
        QCOMPARE(parsed->fromMs, 1);
        QCOMPARE(parsed->toMs, 2);
        QCOMPARE(parsed->account, u"a"_s);
        QCOMPARE(parsed->user, u"u"_s);
        QCOMPARE(parsed->apiKey, u"k"_s);
        QCOMPARE(parsed->flow, u"f"_s);
        QCOMPARE(parsed->execution, u"ex_1"_s);
        QCOMPARE(parsed->session, u"rs_1"_s);
        QCOMPARE(parsed->model, u"m"_s);
        QCOMPARE(parsed->provider, u"p"_s);
        QCOMPARE(parsed->outcome, u"ok"_s);
        QCOMPARE(parsed->limit, 5);
        QVERIFY(parsed->descending);
        QCOMPARE(parsed->cursor->startedAtMs, 10);
        QCOMPARE(parsed->cursor->id, 3);
    }

    void executionTimeline()
    {
        usage(u"r2"_s, kT0 + 2000, {{u"execution_id"_s, u"ex_1"_s}});
        usage(u"r1"_s, kT0 + 1000, {{u"execution_id"_s, u"ex_1"_s}});
        usage(u"r3"_s, kT0 + 1500, {{u"execution_id"_s, u"ex_2"_s}});
        usage(u"old"_s, kT0 - 40 * 24 * kHour, {{u"execution_id"_s, u"ex_1"_s}});
        event(u"r1"_s, kT0 + 1000, {{u"requestId"_s, u"r1"_s}, {u"status"_s, 200}});
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY2(ledger.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
        UsageFilter f = filter(u"execution=ex_1"_s);
        const auto answer = LedgerReport(ledger.database()).rows(f, false, &error);
        QVERIFY2(answer, qPrintable(error));
        // In time order, only this execution, only inside the window.
        QCOMPARE(requestIds(*answer), QStringList({u"r1"_s, u"r2"_s}));
        const QJsonArray rows = answer->value(u"rows"_s).toArray();
        QCOMPARE(rows[0].toObject().value(u"event"_s).toObject().value(u"status"_s).toInt(), 200);
        QVERIFY(rows[1].toObject().value(u"event"_s).isNull());
        QCOMPARE(rows[0].toObject().value(u"execution"_s).toString(), u"ex_1"_s);
        QCOMPARE(rows[0].toObject().value(u"costMicros"_s).toInteger(), 10);
        QVERIFY(answer->value(u"nextCursor"_s).isNull());
        // Only the rows whose event was kept.
        const auto events = LedgerReport(ledger.database()).rows(f, true, &error);
        QCOMPARE(requestIds(*events), QStringList({u"r1"_s}));
    }

    void sessionTimelineIncludesChildSessions()
    {
        session(u"rs_root"_s, {});
        session(u"rs_child"_s, u"rs_root"_s);
        session(u"rs_grandchild"_s, u"rs_child"_s);
        session(u"rs_other"_s, {});
        session(u"rs_other_child"_s, u"rs_other"_s);
        usage(u"a"_s, kT0 + 1, {{u"runtime_session"_s, u"rs_root"_s}});
        usage(u"b"_s, kT0 + 2, {{u"runtime_session"_s, u"rs_child"_s}});
        usage(u"c"_s, kT0 + 3, {{u"runtime_session"_s, u"rs_grandchild"_s}});
        usage(u"d"_s, kT0 + 4, {{u"runtime_session"_s, u"rs_other"_s}});
        usage(u"e"_s, kT0 + 5, {{u"runtime_session"_s, u"rs_other_child"_s}});
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const LedgerReport report(ledger.database());
        QCOMPARE(requestIds(*report.rows(filter(u"session=rs_root"_s), false, &error)),
                 QStringList({u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(requestIds(*report.rows(filter(u"session=rs_child"_s), false, &error)),
                 QStringList({u"b"_s, u"c"_s}));
        QCOMPARE(requestIds(*report.rows(filter(u"session=rs_other_child"_s), false, &error)),
                 QStringList({u"e"_s}));
        // The export takes the same filter.
        const QByteArray csv = exported(LedgerExport::Table::Usage, LedgerExport::Format::Csv,
                                        filter(u"session=rs_root"_s));
        QCOMPARE(csv.count("\r\n"), 4); // the header and three rows
    }

    void sessionCycleEnds()
    {
        // Hostile data: a session that is its own grandparent must not make the tree endless.
        session(u"rs_x"_s, u"rs_y"_s);
        session(u"rs_y"_s, u"rs_x"_s);
        usage(u"x"_s, kT0 + 1, {{u"runtime_session"_s, u"rs_x"_s}});
        usage(u"y"_s, kT0 + 2, {{u"runtime_session"_s, u"rs_y"_s}});
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const auto answer =
            LedgerReport(ledger.database()).rows(filter(u"session=rs_x"_s), false, &error);
        QVERIFY2(answer, qPrintable(error));
        QCOMPARE(requestIds(*answer), QStringList({u"x"_s, u"y"_s}));
    }

    void accountAndOtherFilters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("account") << u"account=acme"_s << QStringList{u"1"_s, u"2"_s};
        QTest::newRow("user") << u"user=ann"_s << QStringList{u"1"_s};
        QTest::newRow("key") << u"key=laptop"_s << QStringList{u"2"_s};
        QTest::newRow("flow") << u"flow=nightly"_s << QStringList{u"3"_s};
        QTest::newRow("model alias") << u"model=smart"_s << QStringList{u"3"_s};
        QTest::newRow("upstream model") << u"model=smart-upstream"_s << QStringList{u"3"_s};
        QTest::newRow("provider") << u"provider=other"_s << QStringList{u"2"_s};
        QTest::newRow("outcome") << u"outcome=upstream_error"_s << QStringList{u"3"_s};
        QTest::newRow("window") << u"from=%1&to=%2"_s.arg(kT0 + 2).arg(kT0 + 3)
                                << QStringList{u"2"_s};
        QTest::newRow("descending") << u"account=acme&order=desc"_s << QStringList{u"2"_s, u"1"_s};
    }
    void accountAndOtherFilters()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, expected);
        usage(u"1"_s, kT0 + 1, {{u"account"_s, u"acme"_s}, {u"user_name"_s, u"ann"_s}});
        usage(
            u"2"_s, kT0 + 2,
            {{u"account"_s, u"acme"_s}, {u"api_key"_s, u"laptop"_s}, {u"provider"_s, u"other"_s}});
        usage(u"3"_s, kT0 + 3,
              {{u"flow"_s, u"nightly"_s},
               {u"model_alias"_s, u"smart"_s},
               {u"upstream_model"_s, u"smart-upstream"_s},
               {u"outcome"_s, u"upstream_error"_s}});
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const auto answer = LedgerReport(ledger.database()).rows(filter(query), false, &error);
        QVERIFY2(answer, qPrintable(error));
        QCOMPARE(requestIds(*answer), expected);
    }

    // The flow, execution and session indexes hold only rows that have a value (a partial
    // index): every query that narrows by one of them must still seek through it.
    void lookupsSeekTheirPartialIndex_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("index");
        QTest::newRow("flow") << u"flow=nightly"_s << u"usage_flow_started"_s;
        QTest::newRow("execution") << u"execution=ex_1"_s << u"usage_execution"_s;
        QTest::newRow("session") << u"session=rs_root"_s << u"usage_session"_s;
    }
    void lookupsSeekTheirPartialIndex()
    {
        QFETCH(QString, query);
        QFETCH(QString, index);
        for (int i = 0; i < 50; ++i) // most calls belong to no flow, execution or session
            usage(u"plain-%1"_s.arg(i), kT0 + i);
        usage(u"in-flow"_s, kT0 + 60,
              {{u"flow"_s, u"nightly"_s},
               {u"execution_id"_s, u"ex_1"_s},
               {u"runtime_session"_s, u"rs_root"_s}});
        const UsageFilter::Sql sql = filter(query).sql();
        QSqlQuery explain(m_writer);
        QVERIFY(explain.prepare(u"EXPLAIN QUERY PLAN "_s +
                                (sql.with.isEmpty() ? QString() : u"WITH RECURSIVE "_s + sql.with) +
                                u" SELECT u.id FROM usage u WHERE "_s + sql.where));
        for (const QVariant &value : std::as_const(sql.values))
            explain.addBindValue(value);
        QVERIFY2(explain.exec(), qPrintable(explain.lastError().text()));
        QStringList plan;
        while (explain.next())
            plan += explain.value(3).toString();
        QVERIFY2(plan.join(u'\n').contains(u"INDEX "_s + index), qPrintable(plan.join(u'\n')));

        QSqlQuery indexes(m_writer);
        QVERIFY(indexes.exec(u"PRAGMA index_list(usage)"_s));
        bool partial = false;
        while (indexes.next())
            partial |= indexes.value(1).toString() == index && indexes.value(4).toInt() == 1;
        QVERIFY2(partial, "rows without a value stay out of the index");
    }

    void pagesWithCursor_data()
    {
        QTest::addColumn<bool>("descending");
        QTest::newRow("oldest first") << false;
        QTest::newRow("newest first") << true;
    }
    void pagesWithCursor()
    {
        QFETCH(bool, descending);
        // Equal timestamps: the id breaks the tie, so no row is skipped or repeated.
        QStringList all;
        for (int i = 0; i < 7; ++i) {
            usage(u"p%1"_s.arg(i), kT0 + 10 * (i / 3));
            all += u"p%1"_s.arg(i);
        }
        if (descending)
            std::reverse(all.begin(), all.end());
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const LedgerReport report(ledger.database());
        QStringList seen;
        QString cursor;
        int pages = 0;
        do {
            const auto page =
                report.rows(filter(u"limit=3&order=%1%2"_s.arg(
                                descending ? u"desc"_s : u"asc"_s,
                                cursor.isEmpty() ? QString() : u"&cursor="_s + cursor)),
                            false, &error);
            QVERIFY2(page, qPrintable(error));
            seen += requestIds(*page);
            cursor = page->value(u"nextCursor"_s).toString();
            ++pages;
        } while (!cursor.isEmpty() && pages < 10);
        QCOMPARE(pages, 3);
        QCOMPARE(seen, all);
    }

    void summaryHasExactMoneyAndUnpricedApart()
    {
        // Two costs whose sum a double cannot hold: 2^52 + 1 and 2^52.
        const qint64 big = qint64(1) << 52;
        usage(u"s1"_s, kT0 + 1, {{u"cost_micros"_s, big + 1}, {u"prompt_tokens"_s, 10}});
        usage(u"s2"_s, kT0 + 2, {{u"cost_micros"_s, big}, {u"prompt_tokens"_s, 20}});
        usage(u"s3"_s, kT0 + 3,
              {{u"cost_micros"_s, QVariant(QMetaType::fromType<qint64>())},
               {u"price_source"_s, u"unpriced"_s},
               {u"prompt_tokens"_s, 5}});
        usage(u"s4"_s, kT0 + kHour + 5,
              {{u"cost_micros"_s, 7}, {u"outcome"_s, u"upstream_error"_s}});
        usage(u"s5"_s, kT0 + kHour + 6,
              {{u"model_alias"_s, u"smart"_s},
               {u"cost_micros"_s, QVariant(QMetaType::fromType<qint64>())}});
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const LedgerReport report(ledger.database());
        const auto byHour = report.summary(filter(QString()), LedgerReport::Dimension::Model,
                                           LedgerReport::Bucket::Hour, &error);
        QVERIFY2(byHour, qPrintable(error));
        const QJsonArray groups = byHour->value(u"groups"_s).toArray();
        QCOMPARE(groups.size(), 3);
        const QJsonObject first = groups[0].toObject();
        QCOMPARE(first.value(u"key"_s).toString(), u"fast"_s);
        QCOMPARE(first.value(u"bucketStartMs"_s).toInteger(), kT0);
        QCOMPARE(first.value(u"requests"_s).toInteger(), 3);
        QCOMPARE(first.value(u"costMicros"_s).toInteger(), 2 * big + 1);
        QCOMPARE(first.value(u"pricedRequests"_s).toInteger(), 2);
        QCOMPARE(first.value(u"unpricedRequests"_s).toInteger(), 1);
        QCOMPARE(first.value(u"promptTokens"_s).toInteger(), 35);
        QCOMPARE(first.value(u"errors"_s).toInteger(), 0);
        const QJsonObject second = groups[1].toObject();
        QCOMPARE(second.value(u"key"_s).toString(), u"fast"_s);
        QCOMPARE(second.value(u"bucketStartMs"_s).toInteger(), kT0 + kHour);
        QCOMPARE(second.value(u"errors"_s).toInteger(), 1);
        // A group with nothing priced costs nothing known: 0 priced, 1 unpriced, never "$0".
        const QJsonObject third = groups[2].toObject();
        QCOMPARE(third.value(u"key"_s).toString(), u"smart"_s);
        QCOMPARE(third.value(u"pricedRequests"_s).toInteger(), 0);
        QCOMPARE(third.value(u"unpricedRequests"_s).toInteger(), 1);
        const QJsonObject totals = byHour->value(u"totals"_s).toObject();
        QCOMPARE(totals.value(u"costMicros"_s).toInteger(), 2 * big + 1 + 7);
        QCOMPARE(totals.value(u"requests"_s).toInteger(), 5);
        QCOMPARE(totals.value(u"unpricedRequests"_s).toInteger(), 2);
        // The serialised answer keeps every digit.
        QVERIFY(QJsonDocument(*byHour).toJson().contains(QByteArray::number(2 * big + 1 + 7)));

        const auto byDay = report.summary(filter(QString()), LedgerReport::Dimension::None,
                                          LedgerReport::Bucket::None, &error);
        QCOMPARE(byDay->value(u"groups"_s).toArray().size(), 1);
        QCOMPARE(byDay->value(u"groups"_s)[0].toObject().value(u"requests"_s).toInteger(), 5);
        const auto byProvider =
            report.summary(filter(u"model=smart"_s), LedgerReport::Dimension::Provider,
                           LedgerReport::Bucket::Day, &error);
        QCOMPARE(byProvider->value(u"groups"_s).toArray().size(), 1);
        QCOMPARE(byProvider->value(u"groups"_s)[0].toObject().value(u"key"_s).toString(), u"sim"_s);
    }

    void summaryBuckets_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QList<qint64>>("starts");
        QTest::addColumn<QList<qint64>>("requests");
        // Rows at +0 s, +59.999 s, +60 s, +61 min and +25 h from an hour boundary.
        constexpr qint64 kMinute = 60'000;
        QTest::newRow("minute") << u"minute"_s
                                << QList<qint64>{kT0, kT0 + kMinute, kT0 + 61 * kMinute,
                                                 kT0 + 25 * kHour}
                                << QList<qint64>{2, 1, 1, 1};
        QTest::newRow("hour") << u"hour"_s << QList<qint64>{kT0, kT0 + kHour, kT0 + 25 * kHour}
                              << QList<qint64>{3, 1, 1};
        // kT0 is 497222 hours: 14 hours past a UTC midnight.
        QTest::newRow("day") << u"day"_s << QList<qint64>{kT0 - 14 * kHour, kT0 + 10 * kHour}
                             << QList<qint64>{4, 1};
        QTest::newRow("none") << u"none"_s << QList<qint64>{-1} << QList<qint64>{5};
    }

    void summaryBuckets()
    {
        QFETCH(QString, name);
        QFETCH(QList<qint64>, starts);
        QFETCH(QList<qint64>, requests);
        for (const qint64 offset : {0LL, 59'999LL, 60'000LL, 61 * 60'000LL, 25 * kHour})
            usage(u"b%1"_s.arg(offset), kT0 + offset);
        const auto bucket = LedgerReport::bucket(name);
        QVERIFY(bucket);
        QCOMPARE(LedgerReport::bucketLengthMs(*bucket), name == u"minute" ? 60'000
                                                        : name == u"hour" ? kHour
                                                        : name == u"day"  ? 24 * kHour
                                                                          : 0);
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const auto answer =
            LedgerReport(ledger.database())
                .summary(filter(u"from=%1&to=%2"_s.arg(kT0 - 24 * kHour).arg(kT0 + 48 * kHour)),
                         LedgerReport::Dimension::None, *bucket, &error);
        QVERIFY2(answer, qPrintable(error));
        QCOMPARE(answer->value(u"bucket"_s).toString(), name);
        QList<qint64> gotStarts;
        QList<qint64> gotRequests;
        for (const QJsonValue &group : answer->value(u"groups"_s).toArray()) {
            const QJsonObject object = group.toObject();
            gotStarts += object.contains(u"bucketStartMs"_s)
                             ? object.value(u"bucketStartMs"_s).toInteger()
                             : -1;
            gotRequests += object.value(u"requests"_s).toInteger();
        }
        QCOMPARE(gotStarts, starts);
        QCOMPARE(gotRequests, requests);
        QVERIFY(!LedgerReport::bucket(u"week"_s));
    }

    void observabilityPercentilesAreExact()
    {
        // Durations 1..100 in a shuffled order; a first byte on every tenth call only.
        for (int i = 0; i < 100; ++i) {
            const int duration = (i * 37) % 100 + 1;
            QVariantMap fields{{u"duration_us"_s, duration},
                               {u"model_alias"_s, u"p"_s},
                               {u"completion_tokens"_s, 2}};
            if (duration % 10 == 0)
                fields.insert(u"first_byte_us"_s, duration);
            if (duration > 97)
                fields.insert(u"outcome"_s, u"upstream_error"_s);
            if (duration == 1)
                fields.insert(u"cost_micros"_s, QVariant(QMetaType::fromType<qint64>()));
            usage(u"o%1"_s.arg(i), kT0 + i, fields);
        }
        usage(u"q1"_s, kT0 + 1, {{u"model_alias"_s, u"q"_s}, {u"duration_us"_s, 500}});
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const auto answer = LedgerReport(ledger.database()).models(filter(QString()), &error);
        QVERIFY2(answer, qPrintable(error));
        const QJsonArray models = answer->value(u"models"_s).toArray();
        QCOMPARE(models.size(), 2);
        const QJsonObject p = models[0].toObject();
        QCOMPARE(p.value(u"model"_s).toString(), u"p"_s);
        QCOMPARE(p.value(u"calls"_s).toInteger(), 100);
        QCOMPARE(p.value(u"errors"_s).toInteger(), 3);
        const QJsonObject duration = p.value(u"durationUs"_s).toObject();
        QCOMPARE(duration.value(u"p50"_s).toInteger(), 50);
        QCOMPARE(duration.value(u"p95"_s).toInteger(), 95);
        QCOMPARE(duration.value(u"p99"_s).toInteger(), 99);
        QCOMPARE(duration.value(u"max"_s).toInteger(), 100);
        const QJsonObject firstByte = p.value(u"firstByteUs"_s).toObject();
        QCOMPARE(firstByte.value(u"count"_s).toInteger(), 10);
        QCOMPARE(firstByte.value(u"p50"_s).toInteger(), 50);
        QCOMPARE(firstByte.value(u"p95"_s).toInteger(), 100);
        QCOMPARE(firstByte.value(u"max"_s).toInteger(), 100);
        QCOMPARE(p.value(u"completionTokens"_s).toInteger(), 200);
        QCOMPARE(p.value(u"costMicros"_s).toInteger(), 99 * 10);
        QCOMPARE(p.value(u"unpricedCalls"_s).toInteger(), 1);
        // One call: every percentile is that call; no first byte: none.
        const QJsonObject q = models[1].toObject();
        QCOMPARE(q.value(u"durationUs"_s).toObject().value(u"p99"_s).toInteger(), 500);
        QCOMPARE(q.value(u"firstByteUs"_s).toObject().value(u"count"_s).toInteger(), 0);
        QVERIFY(q.value(u"firstByteUs"_s).toObject().value(u"p50"_s).isNull());
    }

    void oneEvent()
    {
        usage(u"ev1"_s, kT0 + 1, {{u"error"_s, u"boom"_s}});
        event(u"ev1"_s, kT0 + 1, {{u"requestId"_s, u"ev1"_s}}, u"{\"model\":\"fast\"}"_s);
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(ledger.open(DatabaseLocation::sqliteFile(m_file), &error));
        const LedgerReport report(ledger.database());
        const auto found = report.event(u"ev1"_s, &error);
        QVERIFY2(found, qPrintable(error));
        QCOMPARE(found->value(u"usage"_s).toObject().value(u"error"_s).toString(), u"boom"_s);
        QCOMPARE(found->value(u"event"_s).toObject().value(u"requestId"_s).toString(), u"ev1"_s);
        QCOMPARE(found->value(u"requestBody"_s).toString(), u"{\"model\":\"fast\"}"_s);
        QVERIFY(found->value(u"responseBody"_s).isNull());
        QCOMPARE(found->value(u"queuedUs"_s).toInteger(), 5);
        const auto missing = report.event(u"nope"_s, &error);
        QVERIFY(missing && missing->isEmpty());
    }

    void csvField_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("plain") << QByteArray("fast") << QByteArray("fast");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("comma") << QByteArray("a,b") << QByteArray("\"a,b\"");
        QTest::newRow("quote") << QByteArray("say \"hi\"") << QByteArray("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << QByteArray("a\nb") << QByteArray("\"a\nb\"");
        QTest::newRow("carriage return") << QByteArray("a\rb") << QByteArray("\"a\rb\"");
        QTest::newRow("utf-8") << QByteArray("Grüße") << QByteArray("Grüße");
    }
    void csvField()
    {
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, field);
        QCOMPARE(LedgerExport::csvField(value), field);
    }

    void csvExport()
    {
        usage(u"c1"_s, kT0 + 1,
              {{u"error"_s, u"he said \"no\", then\nleft"_s},
               {u"cost_micros"_s, QVariant(QMetaType::fromType<qint64>())},
               {u"price_source"_s, u"unpriced"_s}});
        const QByteArray csv =
            exported(LedgerExport::Table::Usage, LedgerExport::Format::Csv, filter(QString()));
        const qsizetype headerEnd = csv.indexOf("\r\n");
        const QByteArrayList header = csv.left(headerEnd).split(',');
        QCOMPARE(header.first(), QByteArray("request_id"));
        QVERIFY(header.contains("cost_micros"));
        // Unpriced is an empty field, never 0; the error keeps its comma, quotes and newline.
        QVERIFY2(csv.endsWith(",unpriced,,,,1000,200,0,ok,\"he said \"\"no\"\", then\nleft\"\r\n"),
                 csv.constData());
        const QByteArray row = csv.mid(headerEnd + 2);
        QVERIFY(row.startsWith(QByteArray("c1," + QByteArray::number(kT0 + 1) + ",default,")));
    }

    void jsonLinesExport()
    {
        usage(u"j1"_s, kT0 + 1, {{u"error"_s, u"tab\there \"q\" \\ ünï"_s}});
        usage(u"j2"_s, kT0 + 2, {{u"cost_micros"_s, QVariant(QMetaType::fromType<qint64>())}});
        event(u"j1"_s, kT0 + 1, {{u"requestId"_s, u"j1"_s}, {u"tools"_s, QJsonArray{u"bash"_s}}});
        const QByteArray usageLines = exported(LedgerExport::Table::Usage,
                                               LedgerExport::Format::JsonLines, filter(QString()));
        QByteArrayList lines = usageLines.split('\n');
        QCOMPARE(lines.takeLast(), QByteArray()); // every line ends with \n
        QCOMPARE(lines.size(), 2);
        QJsonParseError parseError;
        const QJsonObject first = QJsonDocument::fromJson(lines[0], &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QCOMPARE(first.value(u"error"_s).toString(), u"tab\there \"q\" \\ ünï"_s);
        QCOMPARE(first.value(u"cost_micros"_s).toInteger(), 10);
        const QJsonObject second = QJsonDocument::fromJson(lines[1], &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QVERIFY(second.value(u"cost_micros"_s).isNull());

        // Events: the rows that have one, the preview as an object.
        QByteArrayList eventLines = exported(LedgerExport::Table::Events,
                                             LedgerExport::Format::JsonLines, filter(QString()))
                                        .split('\n');
        eventLines.removeLast();
        QCOMPARE(eventLines.size(), 1);
        const QJsonObject event = QJsonDocument::fromJson(eventLines[0], &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QCOMPARE(event.value(u"request_id"_s).toString(), u"j1"_s);
        QCOMPARE(event.value(u"preview"_s).toObject().value(u"tools"_s).toArray().size(), 1);
        QCOMPARE(event.value(u"request_bytes"_s).toInteger(), 100);
    }

    void exportPagesAndCap()
    {
        // More rows than a page, many sharing a millisecond: every row once, in order.
        QSqlQuery(m_writer).exec(u"BEGIN"_s);
        const int count = LedgerExport::kPageRows * 2 + 17;
        for (int i = 0; i < count; ++i)
            usage(u"x%1"_s.arg(i, 6, 10, QLatin1Char('0')), kT0 + i / 7);
        QSqlQuery(m_writer).exec(u"COMMIT"_s);
        LedgerExport::Result result;
        QByteArrayList lines = exported(LedgerExport::Table::Usage, LedgerExport::Format::Csv,
                                        filter(QString()), 1'000'000, &result)
                                   .split('\n');
        lines.removeLast();
        QCOMPARE(result.rows, count);
        QVERIFY(!result.truncated);
        QCOMPARE(lines.size(), count + 1);
        for (int i = 0; i < count; ++i)
            QVERIFY(lines[i + 1].startsWith(
                QByteArray("x" + QByteArray::number(i).rightJustified(6, '0') + ',')));
        // A cap says it cut; a cap exactly at the count does not.
        exported(LedgerExport::Table::Usage, LedgerExport::Format::Csv, filter(QString()), 10,
                 &result);
        QCOMPARE(result.rows, 10);
        QVERIFY(result.truncated);
        exported(LedgerExport::Table::Usage, LedgerExport::Format::Csv, filter(QString()), count,
                 &result);
        QCOMPARE(result.rows, count);
        QVERIFY(!result.truncated);
    }

    void readOnlyConnection()
    {
        ReadOnlyLedger ledger;
        QString error;
        QVERIFY(!ledger.open(DatabaseLocation::sqliteFile(m_dir.filePath(u"missing.sqlite"_s)),
                             &error));
        QVERIFY2(error.contains(u"no ledger"_s), qPrintable(error));
        QVERIFY(!QFile::exists(m_dir.filePath(u"missing.sqlite"_s)));
        QVERIFY2(ledger.open(DatabaseLocation::sqliteFile(m_file), &error), qPrintable(error));
        QSqlQuery query(ledger.database());
        QVERIFY(!query.exec(u"DELETE FROM usage"_s));
    }

    void readerThreadAnswersOnTheAskingThread()
    {
        usage(u"t1"_s, kT0 + 1);
        LedgerQueries queries(DatabaseLocation::sqliteFile(m_file));
        QObject context;
        std::optional<LedgerAnswer> answer;
        QThread *answeredOn = nullptr;
        QThread *ranOn = nullptr;
        queries.post(
            &context,
            [&ranOn](const QSqlDatabase &db) {
                ranOn = QThread::currentThread();
                LedgerAnswer a;
                QSqlQuery query(db);
                if (query.exec(u"SELECT COUNT(*) FROM usage"_s) && query.next())
                    a.rows = query.value(0).toLongLong();
                return a;
            },
            [&](const LedgerAnswer &a) {
                answer = a;
                answeredOn = QThread::currentThread();
            });
        QTRY_VERIFY(answer.has_value());
        QCOMPARE(answer->rows, 1);
        QCOMPARE(answeredOn, QThread::currentThread());
        QVERIFY(ranOn != QThread::currentThread());
    }

    void answerForAVanishedAskerIsDropped()
    {
        LedgerQueries queries(DatabaseLocation::sqliteFile(m_file));
        QSemaphore started;
        QSemaphore release;
        auto context = std::make_unique<QObject>();
        bool called = false;
        queries.post(
            context.get(),
            [&](const QSqlDatabase &) {
                started.release();
                release.acquire();
                return LedgerAnswer();
            },
            [&](const LedgerAnswer &) { called = true; });
        QVERIFY(started.tryAcquire(1, 10'000));
        context.reset(); // the client left while its query ran
        release.release();
        // A later query's answer arrives; the vanished asker's never does.
        QObject second;
        bool secondCalled = false;
        queries.post(
            &second, [](const QSqlDatabase &) { return LedgerAnswer(); },
            [&](const LedgerAnswer &) { secondCalled = true; });
        QTRY_VERIFY(secondCalled);
        QCoreApplication::processEvents();
        QVERIFY(!called);
    }

    void readerReportsAMissingLedger()
    {
        LedgerQueries queries(DatabaseLocation::sqliteFile(m_dir.filePath(u"nowhere.sqlite"_s)));
        QObject context;
        std::optional<LedgerAnswer> answer;
        queries.post(
            &context, [](const QSqlDatabase &) { return LedgerAnswer(); },
            [&](const LedgerAnswer &a) { answer = a; });
        QTRY_VERIFY(answer.has_value());
        QCOMPARE(answer->status, 503);
        QVERIFY(answer->failed());
    }
};

QTEST_GUILESS_MAIN(TestLedgerQueries)
#include "tst_ledgerqueries.moc"
