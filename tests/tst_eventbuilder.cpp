// The event preview built from a record and its captured bodies: what each wire shape shows of
// a request and of a response (streamed or not), members in QJsonObject's order, texts redacted
// before they are cut, bodies that are not one JSON object, and the trimmed form past the bound.
#include "events/eventbuilder.h"
#include "events/sharedtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

UsageRecord recordOf(const QByteArray &endpoint, const QByteArray &request,
                     const QByteArray &response, bool stream)
{
    UsageRecord record;
    record.requestId = "gh-1";
    record.endpoint = endpoint;
    record.account = u"acme"_s;
    record.outcome = "ok";
    record.httpStatus = 200;
    record.stream = stream;
    auto capture = std::make_shared<RequestCapture>();
    capture->requestBody = request;
    capture->requestBytes = request.size();
    capture->responseBody = response;
    capture->responseBytes = response.size();
    capture->stream = stream;
    record.capture = capture;
    return record;
}

} // namespace

class tst_EventBuilder : public QObject
{
    Q_OBJECT

    QByteArray build(const UsageRecord &record, qint64 previewBytes = 32 * 1024)
    {
        EventSettings settings;
        settings.previewBytes = previewBytes;
        return EventBuilder(settings, &m_redactor).build(record).preview;
    }

    Redactor m_redactor;

private Q_SLOTS:
    void requestPreview_data()
    {
        QTest::addColumn<QByteArray>("endpoint");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected"); // the "request" member, exactly

        QTest::newRow("chat")
            << QByteArray("openai.chat_completions")
            << QByteArray(
                   R"({"stream":true,"model":"fast","temperature":0.20,)"
                   R"("response_format":{"type":"json_object"},"max_tokens":1e2,)"
                   R"("tools":[{"type":"function","function":{"name":"read_file"}}],)"
                   R"("messages":[{"role":"system","content":"Be terse."},)"
                   R"({"role":"user","content":"first"},{"role":"assistant","content":"x"},)"
                   R"({"role":"user","content":[{"type":"text","text":"Say"},{"type":"image_url"},{"type":"text","text":"hello"}]}]})")
            << QByteArray(
                   R"({"lastUser":"Say\n[image_url]\nhello","messages":4,"model":"fast",)"
                   R"("params":{"max_tokens":100,"response_format":"json_object","stream":true,"temperature":0.2},)"
                   R"("system":"Be terse.","tools":["read_file"]})");
        QTest::newRow("anthropic tool result")
            << QByteArray("anthropic.messages")
            << QByteArray(
                   R"({"model":"claude","system":[{"type":"text","text":"A"},{"type":"text","text":"B"}],)"
                   R"("thinking":{"type":"enabled","budget_tokens":1024},"tools":[{"name":"bash"}],)"
                   R"("messages":[{"role":"user","content":[{"type":"tool_result","content":[{"type":"text","text":"out"}]},)"
                   R"({"type":"text","text":"next"}]}]})")
            << QByteArray(R"({"lastUser":"[tool result] out\nnext","messages":1,"model":"claude",)"
                          R"("params":{"thinking":"enabled"},"system":"A\nB","tools":["bash"]})");
        QTest::newRow("responses: developer item when no instructions")
            << QByteArray("openai.responses")
            << QByteArray(
                   R"({"model":"m","instructions":"","reasoning":{"effort":"low"},)"
                   R"("input":[{"role":"developer","content":"dev"},{"type":"function_call_output","output":"o"},)"
                   R"({"role":"user","content":[{"type":"input_text","text":"hi"}]}]})")
            << QByteArray(
                   R"({"lastUser":"hi","messages":3,"model":"m","params":{"reasoning":"low"},)"
                   R"("system":"dev","tools":[]})");
        QTest::newRow("responses: input text")
            << QByteArray("openai.responses")
            << QByteArray(R"({"model":"m","input":"hi","instructions":"I"})")
            << QByteArray(
                   R"({"lastUser":"hi","messages":1,"model":"m","params":{},"system":"I","tools":[]})");
        QTest::newRow("not JSON") << QByteArray("openai.chat_completions") << QByteArray("nope")
                                  << QByteArray(R"({"unparsed":true})");
        QTest::newRow("cut short") << QByteArray("openai.chat_completions")
                                   << QByteArray(R"({"model":"m","messages":[{"role":"user",}]})")
                                   << QByteArray(R"({"unparsed":true})");
        QTest::newRow("two objects")
            << QByteArray("openai.chat_completions") << QByteArray(R"({"model":"m"} {"model":"n"})")
            << QByteArray(R"({"unparsed":true})");
        QTest::newRow("empty object") << QByteArray("openai.chat_completions") << QByteArray("{}")
                                      << QByteArray(R"({"unparsed":true})");
        QTest::newRow("no body") << QByteArray("openai.chat_completions") << QByteArray()
                                 << QByteArray("{}");
    }

    void requestPreview()
    {
        QFETCH(QByteArray, endpoint);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const QByteArray preview = build(recordOf(endpoint, body, {}, false));
        QVERIFY2(preview.contains(QByteArray("\"request\":" + expected + ",\"requestId\"")),
                 preview.constData());
    }

    void responsePreview_data()
    {
        QTest::addColumn<QByteArray>("endpoint");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected"); // the "response" member, exactly

        QTest::newRow("chat")
            << QByteArray("openai.chat_completions") << false
            << QByteArray(
                   R"({"choices":[{"message":{"content":"Hi","tool_calls":[{"function":{"name":"f"}}]},"finish_reason":"tool_calls"}]})")
            << QByteArray(
                   R"({"error":false,"stopReason":"tool_calls","text":"Hi","toolCalls":["f"],"truncated":false})");
        QTest::newRow("chat stream")
            << QByteArray("openai.chat_completions") << true
            << QByteArray("data: {\"choices\":[{\"delta\":{\"content\":\"He\"}}]}\n\n"
                          "data: "
                          "{\"choices\":[{\"delta\":{\"content\":\"llo\"},\"finish_reason\":"
                          "\"stop\"}]}\n\n"
                          "data: [DONE]\n\n")
            << QByteArray(
                   R"({"error":false,"stopReason":"stop","text":"Hello","toolCalls":[],"truncated":false})");
        QTest::newRow("chat error body")
            << QByteArray("openai.chat_completions") << true
            << QByteArray(R"({"error":{"message":"overloaded"}})")
            << QByteArray(
                   R"({"error":true,"stopReason":null,"text":"overloaded","toolCalls":[],"truncated":false})");
        QTest::newRow("responses")
            << QByteArray("openai.responses") << false
            << QByteArray(
                   R"({"status":"completed","output":[{"type":"reasoning"},{"type":"function_call","name":"sh"},)"
                   R"({"type":"message","content":[{"type":"output_text","text":"Done"}]}]})")
            << QByteArray(
                   R"({"error":false,"stopReason":"completed","text":"Done","toolCalls":["sh"],"truncated":false})");
        QTest::newRow("responses: error null")
            << QByteArray("openai.responses") << false
            << QByteArray(R"({"status":"completed","error":null,"output":[{"type":"message","content":"Hi"}]})")
            << QByteArray(
                   R"({"error":false,"stopReason":"completed","text":"Hi","toolCalls":[],"truncated":false})");
        QTest::newRow("responses stream failed")
            << QByteArray("openai.responses") << true
            << QByteArray(
                   "data: {\"type\":\"response.output_text.delta\",\"delta\":\"Par\"}\n\n"
                   "data: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\"}}\n\n")
            << QByteArray(
                   R"({"error":true,"stopReason":"failed","text":"Par","toolCalls":[],"truncated":false})");
        QTest::newRow("anthropic stream")
            << QByteArray("anthropic.messages") << true
            << QByteArray(
                   "event: content_block_start\ndata: "
                   "{\"type\":\"content_block_start\",\"content_block\":{\"type\":\"tool_use\","
                   "\"name\":\"bash\"}}\n\n"
                   "event: content_block_delta\ndata: "
                   "{\"type\":\"content_block_delta\",\"delta\":{\"text\":\"ok\"}}\n\n"
                   "event: message_delta\ndata: "
                   "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}\n\n")
            << QByteArray(
                   R"({"error":false,"stopReason":"tool_use","text":"ok","toolCalls":["bash"],"truncated":false})");
    }

    void responsePreview()
    {
        QFETCH(QByteArray, endpoint);
        QFETCH(bool, stream);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const QByteArray preview = build(recordOf(endpoint, R"({"model":"m"})", body, stream));
        QVERIFY2(preview.contains(QByteArray("\"response\":" + expected + ",\"sizes\"")),
                 preview.constData());
    }

    void membersInQJsonObjectOrder()
    {
        const QByteArray preview =
            build(recordOf("openai.chat_completions", R"({"model":"m","messages":[]})",
                           R"({"choices":[]})", false));
        const QJsonDocument document = QJsonDocument::fromJson(preview);
        QVERIFY(document.isObject());
        QCOMPARE(preview, document.toJson(QJsonDocument::Compact));
    }

    // Bodies shed by the store's queue (it was far behind): the event says so and keeps the
    // sizes; nothing claims a body that was not kept.
    void shedBodiesAreNamed()
    {
        UsageRecord record = recordOf("openai.chat_completions", {}, {}, false);
        auto shed = std::make_shared<RequestCapture>(*record.capture);
        shed->requestBytes = 1'000'000;
        shed->responseBytes = 2'000;
        shed->bodiesShed = true;
        record.capture = shed;
        const QJsonObject preview = QJsonDocument::fromJson(build(record)).object();
        QCOMPARE(preview.value(u"bodiesShed"_s).toBool(), true);
        QCOMPARE(preview.value(u"sizes"_s)[u"requestBytes"_s].toInteger(), 1'000'000);
        QCOMPARE(preview.value(u"sizes"_s)[u"responseBytes"_s].toInteger(), 2'000);
        const QJsonObject kept = QJsonDocument::fromJson(build(recordOf(
            "openai.chat_completions", R"({"model":"m","messages":[]})", "{}", false))).object();
        QVERIFY(!kept.contains(u"bodiesShed"_s));
    }

    void textIsRedactedThenCut()
    {
        // A secret that straddles the cut is redacted whole, not left half-shown.
        const QByteArray secret = "sk-ant-api03-" + QByteArray(40, 'x');
        const QByteArray text = QByteArray(1000, 'a') + ' ' + secret + ' ' + QByteArray(5000, 'b');
        const QByteArray body =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
        const QJsonObject request =
            QJsonDocument::fromJson(
                build(recordOf("openai.chat_completions", body, {}, false), 4096))
                .object()
                .value(u"request"_s)
                .toObject();
        const QString lastUser = request.value(u"lastUser"_s).toString();
        QCOMPARE(lastUser.size(), 1024 + 1); // previewBytes / 4, then the ellipsis
        QVERIFY(lastUser.endsWith(u"\u2026"_s));
        QVERIFY(lastUser.contains(u" [REDACTED:anthropic_ke"_s));
        QVERIFY(!lastUser.contains(u"sk-ant"_s));
    }

    void systemPromptSeenBeforeIsTheSame()
    {
        // One builder, as the store keeps it: long system prompts are remembered (eight of them).
        EventSettings settings;
        settings.previewBytes = 4096;
        const EventBuilder builder(settings, &m_redactor);
        const auto systemOf = [&](const QByteArray &system) {
            const QByteArray body = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\","
                                    "\"content\":\"" + system + "\"},{\"role\":\"user\","
                                    "\"content\":\"hi\"}]}";
            const QByteArray preview =
                builder.build(recordOf("openai.chat_completions", body, {}, false)).preview;
            return QJsonDocument::fromJson(preview)
                .object()
                .value(u"request"_s)
                .toObject()
                .value(u"system"_s)
                .toString();
        };
        const QByteArray secret = "sk-ant-api03-" + QByteArray(40, 'x');
        const QByteArray prompt = QByteArray(600, 'p') + " \\\"quoted\\\" " + secret + ' ' +
                                  QByteArray(2000, 'q');
        const QString first = systemOf(prompt);
        QVERIFY(first.startsWith(QString(600, u'p') + u" \"quoted\" [REDACTED:anthropic_ke"_s));
        QVERIFY(!first.contains(u"sk-ant"_s));
        QCOMPARE(first.size(), 1024 + 1); // previewBytes / 4, then the ellipsis
        QCOMPARE(systemOf(prompt), first);

        // Same length, one byte apart: not taken for the one remembered.
        QByteArray other = prompt;
        other[0] = 'o';
        QCOMPARE(systemOf(other), u'o' + first.mid(1));

        // Past eight others the first is forgotten, and built again the same.
        for (char c = 'a'; c < 'a' + 8; ++c)
            QVERIFY(systemOf(QByteArray(300, c)).startsWith(QString(300, QChar::fromLatin1(c))));
        QCOMPARE(systemOf(prompt), first);
        QCOMPARE(systemOf(QByteArray(300, 'a')), QString(300, u'a'));
    }

    // A long system prompt's head is marked for the ledger to store once (SharedText): the
    // preview with null in its place, and that null put back, gives the preview again, byte for
    // byte, even when a parameter's raw JSON holds a "system":null of its own.
    void longSystemPromptIsMarkedToBeStoredOnce_data()
    {
        QTest::addColumn<int>("systemLength");
        QTest::addColumn<QByteArray>("responseFormat");
        QTest::addColumn<bool>("apart");
        QTest::newRow("short: inline") << 100 << QByteArray("null") << false;
        QTest::newRow("just under the bound")
            << int(SharedText::kFromBytes) - 3 << QByteArray("null") << false;
        QTest::newRow("at the bound")
            << int(SharedText::kFromBytes) - 2 << QByteArray("null") << true;
        QTest::newRow("long") << 5000 << QByteArray("null") << true;
        QTest::newRow("a parameter holds \"system\":null")
            << 5000 << QByteArray(R"({"type":"json_object","system":null})") << true;
    }
    void longSystemPromptIsMarkedToBeStoredOnce()
    {
        QFETCH(int, systemLength);
        QFETCH(QByteArray, responseFormat);
        QFETCH(bool, apart);
        const QByteArray body = "{\"model\":\"m\",\"response_format\":" + responseFormat +
                                ",\"messages\":[{\"role\":\"system\",\"content\":\"" +
                                QByteArray(systemLength, 's') +
                                "\"},{\"role\":\"user\",\"content\":\"hi\"}]}";
        EventSettings settings;
        const EventRow row = EventBuilder(settings, &m_redactor)
                                 .build(recordOf("openai.chat_completions", body, {}, false));
        QCOMPARE(row.system.json.isEmpty(), !apart);
        if (!apart)
            return;
        const QByteArray head = '"' + QByteArray(systemLength, 's') + '"';
        QCOMPARE(row.system.json, head);
        QCOMPARE(row.preview.sliced(row.system.at, head.size()), head);
        const QByteArray stored = SharedText::cut(row.preview, row.system.at, head.size());
        QVERIFY(!stored.contains(QByteArray(systemLength, 's')));
        QCOMPARE(QJsonDocument::fromJson(stored)
                     .object()
                     .value(u"request"_s)
                     .toObject()
                     .value(u"system"_s),
                 QJsonValue(QJsonValue::Null));
        QCOMPARE(SharedText::restore(stored, head), row.preview);
        QCOMPARE(SharedText::digest(head).size(), 32);
        QCOMPARE(SharedText::digest(head), SharedText::digest(QByteArray(head)));
        QVERIFY(SharedText::digest(head) != SharedText::digest(QByteArray(head + ' ')));
    }

    void trimmedPastTheBound()
    {
        const QByteArray text(3000, 'a');
        const QByteArray body =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
        const QByteArray preview =
            build(recordOf("openai.chat_completions", body, R"({"choices":[]})", false), 1024);
        const QJsonObject json = QJsonDocument::fromJson(preview).object();
        QCOMPARE(json.value(u"request"_s).toObject(), (QJsonObject{{u"messages"_s, 1},
                                                                   {u"model"_s, u"m"_s},
                                                                   {u"params"_s, QJsonObject()},
                                                                   {u"trimmed"_s, true}}));
        QCOMPARE(json.value(u"response"_s).toObject().value(u"trimmed"_s), QJsonValue(true));
        QVERIFY(!json.value(u"response"_s).toObject().contains(u"text"_s));
    }
};

QTEST_GUILESS_MAIN(tst_EventBuilder)
#include "tst_eventbuilder.moc"
