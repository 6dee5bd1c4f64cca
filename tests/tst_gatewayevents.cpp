// Events end to end: every request (allowed or denied) leaves one normalized event with
// previews of both sides, attribution and timings; with full-body capture on, no secret of the
// corpus reaches the store (the SQLite file, WAL included, or the PostgreSQL tables) or the log; retention prunes old events and
// keeps the money; /metrics counts what happened.
#include "gatewayfixture.h"
#include "secretcorpus.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray g_log; // every message the process logged while the test ran

void collectLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log += message.toUtf8() + '\n';
}

QJsonObject eventPreview(LedgerReader &ledger, const QByteArray &requestId)
{
    QJsonObject preview;
    static_cast<void>(QTest::qWaitFor(
        [&] {
            const auto rows = ledger.query(u"SELECT preview FROM events WHERE request_id = ?"_s,
                                           {QString::fromLatin1(requestId)});
            if (!rows.isEmpty())
                preview = QJsonDocument::fromJson(rows.first().value(u"preview"_s).toByteArray())
                              .object();
            return !preview.isEmpty();
        },
        15'000));
    return preview;
}

} // namespace

class tst_GatewayEvents : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;

private Q_SLOTS:
    void initTestCase()
    {
        qInstallMessageHandler(collectLog);
        m_fixture.configuration().events.captureFullBodies = true;
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }

    void aStreamLeavesANormalizedEvent()
    {
        const QByteArray body = QJsonDocument(QJsonObject{
            {u"model"_s, u"fast"_s},
            {u"stream"_s, true},
            {u"temperature"_s, 0.2},
            {u"tools"_s, QJsonArray{QJsonObject{{u"type"_s, u"function"_s},
                                                {u"function"_s, QJsonObject{{u"name"_s, u"read_file"_s}}}}}},
            {u"messages"_s,
             QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You are terse."_s}},
                        QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Say hello"_s}}}}})
                                   .toJson(QJsonDocument::Compact);
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions", body);
        QCOMPARE(response->status, 200);
        const QJsonObject preview = eventPreview(m_fixture.ledger(), response->header("x-request-id"));
        QVERIFY(!preview.isEmpty());
        const QJsonObject request = preview.value(u"request"_s).toObject();
        QCOMPARE(request.value(u"model"_s).toString(), u"fast"_s);
        QCOMPARE(request.value(u"system"_s).toString(), u"You are terse."_s);
        QCOMPARE(request.value(u"lastUser"_s).toString(), u"Say hello"_s);
        QCOMPARE(request.value(u"tools"_s).toArray(), QJsonArray{u"read_file"_s});
        QCOMPARE(request.value(u"params"_s).toObject().value(u"temperature"_s).toDouble(), 0.2);
        const QJsonObject answer = preview.value(u"response"_s).toObject();
        // The simulator may answer with text or call the tool it was offered.
        const bool toolCalled = answer.value(u"toolCalls"_s).toArray() == QJsonArray{u"read_file"_s};
        QVERIFY(toolCalled || !answer.value(u"text"_s).toString().isEmpty());
        QCOMPARE(answer.value(u"stopReason"_s).toString(),
                 toolCalled ? u"tool_calls"_s : u"stop"_s);
        QCOMPARE(preview.value(u"attribution"_s).toObject().value(u"account"_s).toString(), u"acme"_s);
        QCOMPARE(preview.value(u"outcome"_s).toString(), u"ok"_s);
        const QJsonObject timing = preview.value(u"timing"_s).toObject();
        QVERIFY(timing.value(u"queuedUs"_s).toInteger() >= 0);
        QVERIFY(timing.value(u"firstByteUs"_s).toInteger() >= timing.value(u"queuedUs"_s).toInteger());
        QVERIFY(timing.value(u"durationUs"_s).toInteger() >= timing.value(u"firstByteUs"_s).toInteger());
        QCOMPARE(preview.value(u"sizes"_s).toObject().value(u"requestBytes"_s).toInteger(), body.size());
        QVERIFY(preview.value(u"sizes"_s).toObject().value(u"responseBytes"_s).toInteger() > 0);
    }

    void anthropicAndDeniedRequestsHaveEventsToo()
    {
        const auto message = m_fixture.call(
            "POST", "/anthropic/v1/messages",
            R"({"model":"claude-haiku-4-5","max_tokens":32,"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":[{"type":"text","text":"Name a color"}]}]})");
        QCOMPARE(message->status, 200);
        const QJsonObject preview = eventPreview(m_fixture.ledger(), message->header("request-id"));
        QCOMPARE(preview.value(u"request"_s).toObject().value(u"system"_s).toString(), u"Be brief."_s);
        QCOMPARE(preview.value(u"request"_s).toObject().value(u"lastUser"_s).toString(),
                 u"Name a color"_s);
        QVERIFY(!preview.value(u"response"_s).toObject().value(u"text"_s).toString().isEmpty());
        QCOMPARE(preview.value(u"response"_s).toObject().value(u"stopReason"_s).toString(),
                 u"max_tokens"_s); // the simulator writes more than 32 tokens

        const auto unknown = m_fixture.call("POST", "/openai/v1/chat/completions",
                                            R"({"model":"no-such-model","messages":[]})");
        QCOMPARE(unknown->status, 404);
        const QJsonObject denied = eventPreview(m_fixture.ledger(), unknown->header("x-request-id"));
        QCOMPARE(denied.value(u"outcome"_s).toString(), u"model_not_found"_s);
        QVERIFY(denied.value(u"error"_s).toString().contains(u"no-such-model"_s));
        const auto unauthorized = m_fixture.call("GET", "/openai/v1/nothing", {}, "wrong-key");
        QVERIFY(!eventPreview(m_fixture.ledger(), unauthorized->header("x-request-id")).isEmpty());
    }

    void noSecretReachesTheStoreOrTheLog()
    {
        const QList<SecretSample> samples = SecretCorpus::samples();
        QVERIFY(samples.size() > 20);
        QByteArrayList ids;
        for (const SecretSample &sample : samples) {
            const QByteArray body =
                QJsonDocument(
                    QJsonObject{{u"model"_s, u"fast"_s},
                                {u"messages"_s,
                                 QJsonArray{QJsonObject{{u"role"_s, u"system"_s},
                                                        {u"content"_s, QString::fromUtf8(sample.text)}},
                                            QJsonObject{{u"role"_s, u"user"_s},
                                                        {u"content"_s,
                                                         QString(u"Please keep this: "_s +
                                                                 QString::fromUtf8(sample.text))}}}}})
                    .toJson(QJsonDocument::Compact);
            const auto response = m_fixture.call("POST", "/openai/v1/chat/completions", body);
            QCOMPARE(response->status, 200);
            ids += response->header("x-request-id");
        }
        for (const QByteArray &id : std::as_const(ids))
            QVERIFY(!eventPreview(m_fixture.ledger(), id).isEmpty());
        const QByteArray stored = m_fixture.storedBytes();
        QVERIFY(stored.size() > 0);
        for (const SecretSample &sample : samples) {
            const QList<QByteArray> inStore = SecretCorpus::leaks(stored, sample.secret);
            QVERIFY2(inStore.isEmpty(),
                     qPrintable(u"%1 leaked into the store: %2"_s.arg(
                         QString::fromLatin1(sample.pattern),
                         QString::fromLatin1(inStore.value(0)))));
            QVERIFY2(SecretCorpus::leaks(g_log, sample.secret).isEmpty(),
                     qPrintable(u"%1 leaked into the log"_s.arg(QString::fromLatin1(sample.pattern))));
        }
        // The full bodies are kept, redacted.
        const auto rows = m_fixture.ledger().query(
            u"SELECT request_body FROM events WHERE request_id = ?"_s, {QString::fromLatin1(ids.first())});
        QVERIFY(rows.value(0).value(u"request_body"_s).toString().contains(u"[REDACTED:"_s));
    }

    void retentionPrunesOldEventsAndKeepsTheMoney()
    {
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             R"({"model":"fast","messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(response->status, 200);
        QVERIFY(!eventPreview(m_fixture.ledger(), response->header("x-request-id")).isEmpty());
        // A recent request with a long system prompt: its head is stored apart, and kept.
        const QByteArray system(2000, 's');
        const auto agent =
            m_fixture.call("POST", "/openai/v1/chat/completions",
                           R"({"model":"fast","messages":[{"role":"system","content":")" + system +
                               R"("},{"role":"user","content":"hi"}]})");
        QCOMPARE(agent->status, 200);
        QVERIFY(!eventPreview(m_fixture.ledger(), agent->header("x-request-id")).isEmpty());
        const auto textCount = [&](const QString &where) {
            return m_fixture.ledger()
                .query(u"SELECT count(*) AS n FROM event_texts WHERE "_s + where)
                .value(0)
                .value(u"n"_s)
                .toInt();
        };
        QCOMPARE(textCount(u"digest <> 'old-text'"_s), 1);
        const int usageRows = m_fixture.ledger().rows().size();

        // Events of 40 days ago (past the default 30), written while the gateway is down.
        m_fixture.stop();
        const QString connection = u"retention"_s;
        {
            const DatabaseLocation store =
                m_fixture.configuration().database.resolved(m_fixture.dataDir());
            QSqlDatabase db = store.addConnection(connection);
            QVERIFY(db.open());
            QSqlQuery query(db);
            const qint64 old = QDateTime::currentMSecsSinceEpoch() - 40LL * 86'400'000;
            QVERIFY(db.transaction());
            for (int i = 0; i < 1200; ++i) {
                QVERIFY(query.prepare(u"INSERT INTO events (request_id, started_at_ms, stored_bytes, "
                                      "request_bytes, response_bytes, preview) VALUES (?, ?, 2, 0, 0, '{}')"_s));
                query.addBindValue(u"old-%1"_s.arg(i));
                query.addBindValue(old + i);
                QVERIFY(query.exec());
            }
            // A shared text last used by those old events.
            QVERIFY(query.prepare(u"INSERT INTO event_texts (digest, text, last_used_ms) "
                                  "VALUES ('old-text', '\"old\"', ?)"_s));
            query.addBindValue(old);
            QVERIFY(query.exec());
            QVERIFY(db.commit());
        }
        QSqlDatabase::removeDatabase(connection);

        // Started again and sent nothing: the writer prunes once it has been idle for a few
        // seconds after it opens (and hourly while it stays idle; after a batch, a few seconds
        // after it), in chunks of 500.
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.ledger()
                                      .query(u"SELECT count(*) AS n FROM events WHERE request_id LIKE 'old-%'"_s)
                                      .value(0)
                                      .value(u"n"_s)
                                      .toInt(),
                                  0, 20'000);
        // The old events' text goes with them.
        QTRY_COMPARE_WITH_TIMEOUT(textCount(u"digest = 'old-text'"_s), 0, 20'000);
        // The money stays, and so do the recent events and the text one of them uses.
        QCOMPARE(m_fixture.ledger().rows().size(), usageRows);
        QVERIFY(!eventPreview(m_fixture.ledger(), response->header("x-request-id")).isEmpty());
        QCOMPARE(textCount(u"digest <> 'old-text'"_s), 1);
    }

    void metricsCountWhatHappened()
    {
        QCOMPARE(m_fixture
                     .call("POST", "/openai/v1/chat/completions",
                           R"({"model":"fast","messages":[{"role":"user","content":"hi"}]})")
                     ->status,
                 200);
        const auto metrics = m_fixture.exchange(rawRequest("GET", "/metrics", {}, {}, m_fixture.port()));
        QCOMPARE(metrics->status, 200);
        QVERIFY(metrics->header("content-type").startsWith("text/plain; version=0.0.4"));
        QVERIFY(metrics->body.contains("gatehouse_requests_total{endpoint=\"openai.chat_completions\""));
        QVERIFY(metrics->body.contains(
            "gatehouse_requests_in_flight{endpoint=\"openai.chat_completions\"} 0\n"));
        QVERIFY(metrics->body.contains("gatehouse_request_duration_seconds_bucket"));
        for (const SecretSample &sample : SecretCorpus::samples())
            QVERIFY(SecretCorpus::leaks(metrics->body, sample.secret).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_GatewayEvents)
#include "tst_gatewayevents.moc"
