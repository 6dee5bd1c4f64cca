// The admin API's views and exports over loopback on a running gateway: traffic made through
// the gateway (an execution's credential, a session with a child session, a priced and an
// unpriced model), then every view checked against the ledger rows that traffic wrote.
#include "gatewayfixture.h"
#include "requestbodies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QStringList requestIds(const QJsonObject &answer)
{
    QStringList ids;
    for (const QJsonValue &row : answer.value(u"rows"_s).toArray())
        ids += row.toObject().value(u"requestId"_s).toString();
    return ids;
}

} // namespace

class tst_AdminViews : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    QString m_execution;
    QString m_parentSession;
    QStringList m_executionRequests;
    QStringList m_sessionRequests; // parent session, then its child's
    QStringList m_allRequests;
    qint64 m_fastCostMicros = 0;

    // A chat completion through the gateway, once its ledger row is written.
    QVariantMap call(const QString &model, const QByteArray &token = {},
                     const QByteArray &headers = {})
    {
        const auto response =
            m_fixture.call("POST", "/openai/v1/chat/completions",
                           RequestBodies::chat(model, u"hello, \"views\""_s), token, headers);
        if (!response || response->status != 200) {
            qWarning() << "call failed:" << (response ? response->body : QByteArray());
            return {};
        }
        const QVariantMap row = m_fixture.ledgerRow(*response);
        m_allRequests += row.value(u"request_id"_s).toString();
        if (model == u"fast")
            m_fastCostMicros += row.value(u"cost_micros"_s).toLongLong();
        return row;
    }
    QJsonObject view(const QByteArray &path, int expectedStatus = 200)
    {
        const auto response = m_fixture.admin("GET", "/admin/v1/" + path);
        if (!response) {
            qWarning() << "no answer for" << path;
            return {};
        }
        if (response->status != expectedStatus)
            qWarning() << path << response->status << response->body;
        return response->status == expectedStatus ? GatewayFixture::json(*response) : QJsonObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        const auto opened =
            m_fixture.admin("POST", "/admin/v1/executions", QJsonObject{{u"flow"_s, u"nightly"_s}});
        QVERIFY(opened && opened->status == 201);
        m_execution = GatewayFixture::json(*opened).value(u"id"_s).toString();
        const auto minted = m_fixture.admin("POST", "/admin/v1/credentials",
                                            QJsonObject{{u"execution"_s, m_execution}});
        QVERIFY(minted && minted->status == 201);
        const QByteArray token =
            GatewayFixture::json(*minted).value(u"token"_s).toString().toLatin1();

        for (int i = 0; i < 2; ++i)
            m_executionRequests += call(u"fast"_s, token).value(u"request_id"_s).toString();
        const QVariantMap parent = call(u"fast"_s, {}, "X-Gatehouse-Session-Id: views-parent\r\n");
        m_parentSession = parent.value(u"runtime_session"_s).toString();
        QVERIFY(!m_parentSession.isEmpty());
        m_sessionRequests += parent.value(u"request_id"_s).toString();
        const QVariantMap child = call(u"mystery"_s, {},
                                       "X-Gatehouse-Session-Id: views-child\r\n"
                                       "X-Gatehouse-Parent-Session-Id: views-parent\r\n");
        QVERIFY(child.value(u"runtime_session"_s).toString() != m_parentSession);
        m_sessionRequests += child.value(u"request_id"_s).toString();
        QVERIFY(m_allRequests.size() == 4 && !m_allRequests.contains(QString()));
        QVERIFY(m_fastCostMicros > 0);
    }

    void executionTimeline()
    {
        const QJsonObject answer = view("views/execution/" + m_execution.toUtf8());
        QCOMPARE(requestIds(answer), m_executionRequests);
        const QJsonObject first = answer.value(u"rows"_s)[0].toObject();
        QCOMPARE(first.value(u"execution"_s).toString(), m_execution);
        QCOMPARE(first.value(u"flow"_s).toString(), u"nightly"_s);
        QCOMPARE(first.value(u"modelAlias"_s).toString(), u"fast"_s);
        QVERIFY(answer.value(u"nextCursor"_s).isNull());
    }

    void sessionTimelineWithChildSession()
    {
        const QJsonObject answer = view("views/session/" + m_parentSession.toUtf8());
        QCOMPARE(requestIds(answer), m_sessionRequests);
    }

    void accountTimelineNewestFirst()
    {
        // The caller key's account; the execution's credential belongs to "default".
        QStringList seen;
        QByteArray cursor;
        int pages = 0;
        do {
            const QJsonObject page =
                view("views/account/acme?limit=1" +
                     (cursor.isEmpty() ? QByteArray() : QByteArray("&cursor=" + cursor)));
            seen += requestIds(page);
            cursor = page.value(u"nextCursor"_s).toString().toUtf8();
        } while (!cursor.isEmpty() && ++pages < 5);
        QCOMPARE(seen, QStringList({m_sessionRequests[1], m_sessionRequests[0]}));
        QCOMPARE(requestIds(view("views/account/default")),
                 QStringList({m_executionRequests[1], m_executionRequests[0]}));
    }

    void summaryByModel()
    {
        const QJsonObject answer = view("summary?by=model&bucket=hour");
        QHash<QString, QJsonObject> groups;
        for (const QJsonValue &group : answer.value(u"groups"_s).toArray())
            groups.insert(group[u"key"_s].toString(), group.toObject());
        QCOMPARE(groups.value(u"fast"_s).value(u"requests"_s).toInteger(), 3);
        QCOMPARE(groups.value(u"fast"_s).value(u"costMicros"_s).toInteger(), m_fastCostMicros);
        // sim-unpriced-1 has no price: counted apart, never as $0.
        const QJsonObject mystery = groups.value(u"mystery"_s);
        QCOMPARE(mystery.value(u"requests"_s).toInteger(), 1);
        QCOMPARE(mystery.value(u"unpricedRequests"_s).toInteger(), 1);
        QCOMPARE(mystery.value(u"pricedRequests"_s).toInteger(), 0);
        const QJsonObject totals = answer.value(u"totals"_s).toObject();
        QCOMPARE(totals.value(u"costMicros"_s).toInteger(), m_fastCostMicros);
        QCOMPARE(totals.value(u"unpricedRequests"_s).toInteger(), 1);
        QCOMPARE(view("summary?by=flow").value(u"groups"_s).toArray().size(), 2);
    }

    void modelObservability()
    {
        const QJsonObject answer = view("observability/models");
        const QJsonArray models = answer.value(u"models"_s).toArray();
        QCOMPARE(models.size(), 2);
        const QJsonObject fast = models[0].toObject();
        QCOMPARE(fast.value(u"model"_s).toString(), u"fast"_s);
        QCOMPARE(fast.value(u"calls"_s).toInteger(), 3);
        QCOMPARE(fast.value(u"errors"_s).toInteger(), 0);
        const QJsonObject duration = fast.value(u"durationUs"_s).toObject();
        QVERIFY(duration.value(u"p50"_s).toInteger() > 0);
        QVERIFY(duration.value(u"p50"_s).toInteger() <= duration.value(u"p99"_s).toInteger());
        QCOMPARE(duration.value(u"p99"_s).toInteger(), duration.value(u"max"_s).toInteger());
    }

    void eventsAndOneEvent()
    {
        const QString id = m_executionRequests.first();
        const QJsonObject one = view("events/" + id.toUtf8());
        QCOMPARE(one.value(u"usage"_s).toObject().value(u"requestId"_s).toString(), id);
        const QJsonObject missing = view("events/gh-nothing-here", 404);
        QCOMPARE(missing.value(u"error"_s).toObject().value(u"code"_s).toString(), u"not_found"_s);
        // Every request has its event; the listing shows them newest first, with previews.
        QCOMPARE(one.value(u"event"_s).toObject().value(u"requestId"_s).toString(), id);
        const QJsonObject listed = view("events?execution=" + m_execution.toUtf8());
        QCOMPARE(requestIds(listed), QStringList({m_executionRequests[1], m_executionRequests[0]}));
        for (const QJsonValue &row : listed.value(u"rows"_s).toArray())
            QVERIFY(row.toObject().value(u"event"_s).isObject());
    }

    void exportUsage_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<int>("rows");
        QTest::addColumn<bool>("truncated");
        QTest::newRow("csv") << QByteArray("format=csv") << 4 << false;
        QTest::newRow("jsonl") << QByteArray("format=jsonl") << 4 << false;
        QTest::newRow("capped") << QByteArray("format=csv&limit=3") << 3 << true;
        QTest::newRow("at the cap") << QByteArray("format=jsonl&limit=4") << 4 << false;
        QTest::newRow("filtered") << QByteArray("model=mystery") << 1 << false;
    }
    void exportUsage()
    {
        QFETCH(QByteArray, query);
        QFETCH(int, rows);
        QFETCH(bool, truncated);
        const auto response = m_fixture.admin("GET", "/admin/v1/export/usage?" + query);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->header("x-gatehouse-rows"), QByteArray::number(rows));
        QCOMPARE(response->header("x-gatehouse-truncated"),
                 truncated ? QByteArray("true") : QByteArray("false"));
        const bool csv = !query.contains("jsonl");
        QVERIFY(
            response->header("content-type").startsWith(csv ? "text/csv" : "application/jsonl"));
        QByteArrayList lines = response->body.split('\n');
        QCOMPARE(lines.takeLast(), QByteArray());
        QCOMPARE(lines.size(), rows + (csv ? 1 : 0));
        if (csv)
            QVERIFY(lines.first().startsWith("request_id,started_at_ms,"));
        for (qsizetype i = csv ? 1 : 0; i < lines.size(); ++i) {
            const QString id =
                csv ? QString::fromUtf8(lines[i].left(lines[i].indexOf(',')))
                    : QJsonDocument::fromJson(lines[i]).object().value(u"request_id"_s).toString();
            QVERIFY2(m_allRequests.contains(id), lines[i].constData());
        }
    }

    void exportEvents()
    {
        const auto response = m_fixture.admin("GET", "/admin/v1/export/events?format=jsonl");
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QByteArrayList lines = response->body.split('\n');
        lines.removeLast();
        QCOMPARE(lines.size(), m_allRequests.size());
        QCOMPARE(response->header("x-gatehouse-rows"), QByteArray::number(lines.size()));
        for (const QByteArray &line : lines) {
            QJsonParseError error;
            const QJsonObject event = QJsonDocument::fromJson(line, &error).object();
            QCOMPARE(error.error, QJsonParseError::NoError);
            QVERIFY(m_allRequests.contains(event.value(u"request_id"_s).toString()));
            QVERIFY(event.value(u"preview"_s).isObject());
        }
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("bad time") << QByteArray("GET") << QByteArray("summary?from=soon") << 400
                                  << u"invalid_filter"_s;
        QTest::newRow("bad by") << QByteArray("GET") << QByteArray("summary?by=colour") << 400
                                << u"invalid_filter"_s;
        QTest::newRow("bad bucket")
            << QByteArray("GET") << QByteArray("summary?bucket=week") << 400 << u"invalid_filter"_s;
        QTest::newRow("bad format") << QByteArray("GET") << QByteArray("export/usage?format=xml")
                                    << 400 << u"invalid_filter"_s;
        QTest::newRow("limit past the cap")
            << QByteArray("GET") << QByteArray("export/usage?limit=100001") << 400
            << u"invalid_filter"_s;
        QTest::newRow("unknown table")
            << QByteArray("GET") << QByteArray("export/secrets") << 404 << u"unknown_route"_s;
        QTest::newRow("unknown scope")
            << QByteArray("GET") << QByteArray("views/planet/x") << 404 << u"unknown_route"_s;
        QTest::newRow("not GET") << QByteArray("DELETE") << QByteArray("events/x") << 404
                                 << u"unknown_route"_s;
    }
    void refusals()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto response = m_fixture.admin(method, "/admin/v1/" + path);
        QVERIFY(response);
        QCOMPARE(response->status, status);
        QCOMPARE(GatewayFixture::json(*response)
                     .value(u"error"_s)
                     .toObject()
                     .value(u"code"_s)
                     .toString(),
                 code);
    }

    void viewsNeedTheAdminToken()
    {
        // The caller key is not the admin token.
        const auto response = m_fixture.call("GET", "/admin/v1/summary", {});
        QVERIFY(response);
        QCOMPARE(response->status, 401);
    }

    void clientLeavingBeforeTheAnswer()
    {
        QFile tokenFile(QDir(m_fixture.dataDir()).filePath(u"admin-token"_s));
        QVERIFY(tokenFile.open(QIODevice::ReadOnly));
        const QByteArray token = tokenFile.readAll().trimmed();
        // Several exports asked for and abandoned at once: their answers find no one.
        for (int i = 0; i < 8; ++i) {
            RawHttpClient client;
            QVERIFY(client.connectTo(m_fixture.port()));
            client.send(rawRequest("GET", "/admin/v1/export/usage?format=jsonl", {},
                                   "Authorization: Bearer " + token + "\r\n", m_fixture.port()));
            QTRY_COMPARE(client.socket().bytesToWrite(), 0);
            client.socket().abort();
        }
        const QJsonObject answer = view("views/execution/" + m_execution.toUtf8());
        QCOMPARE(requestIds(answer), m_executionRequests);
    }
};

QTEST_GUILESS_MAIN(tst_AdminViews)
#include "tst_adminviews.moc"
