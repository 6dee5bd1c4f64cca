#include "events/gatewaymetrics.h"
#include "events/prometheustext.h"
#include "ledger/usagerecord.h"

#include <QRegularExpression>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

UsageRecord record(const QByteArray &outcome = "ok", int status = 200,
                   std::optional<qint64> costMicros = 0)
{
    UsageRecord r;
    r.endpoint = "openai.chat_completions";
    r.provider = u"openai"_s;
    r.modelAlias = u"fast"_s;
    r.upstreamModel = u"gpt-4o-mini"_s;
    r.outcome = outcome;
    r.httpStatus = status;
    r.costMicros = costMicros;
    r.durationUs = 120'000;
    r.firstByteUs = 40'000;
    return r;
}

UsageRecord withTokens(UsageRecord r, qint64 prompt, qint64 completion)
{
    r.usage.promptTokens = prompt;
    r.usage.completionTokens = completion;
    return r;
}

QByteArrayList lines(const QByteArray &text)
{
    QByteArrayList all = text.split('\n');
    if (!all.isEmpty() && all.last().isEmpty())
        all.removeLast();
    return all;
}

struct Sample
{
    QByteArray name;
    QList<std::pair<QByteArray, QByteArray>> labels; // unescaped values, in order
    QByteArray value;

    QByteArray label(const QByteArray &key) const
    {
        for (const auto &[name, value] : labels) {
            if (name == key)
                return value;
        }
        return {};
    }
};

QByteArray unescape(QByteArrayView value)
{
    QByteArray out;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
            ++i;
            out += value[i] == 'n' ? '\n' : value[i];
        } else {
            out += value[i];
        }
    }
    return out;
}

// Checks text against the exposition format 0.0.4 line by line: comment and sample syntax,
// one HELP and TYPE per family before its samples, only the family's own sample names,
// histogram buckets cumulative with le ending at +Inf equal to _count. Returns the problem.
QString parseExposition(const QByteArray &text, QList<Sample> *samples)
{
    static const QRegularExpression comment(
        uR"re(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$)re"_s);
    static const QRegularExpression sample(
        uR"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*)\})? (-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|[+-]Inf|NaN)$)re"_s);
    static const QRegularExpression label(
        uR"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)")re"_s);
    if (!text.isEmpty() && !text.endsWith('\n'))
        return u"no final line feed"_s;
    QHash<QByteArray, QByteArray> types;
    QSet<QByteArray> helped;
    QByteArray family;
    QSet<QByteArray> finished;
    QByteArray bucketSeries;
    double lastBucket = -1;
    bool sawInf = false;
    for (const QByteArray &line : lines(text)) {
        const QString lineText = QString::fromUtf8(line);
        if (line.startsWith('#')) {
            const QRegularExpressionMatch match = comment.match(lineText);
            if (!match.hasMatch())
                return u"bad comment: "_s + lineText;
            const QByteArray name = match.captured(2).toUtf8();
            if (name != family) {
                if (finished.contains(name))
                    return u"family split: "_s + lineText;
                finished.insert(family);
                family = name;
            }
            if (match.captured(1) == u"TYPE"_s) {
                if (types.contains(name))
                    return u"second TYPE: "_s + lineText;
                static const QStringList known{u"counter"_s, u"gauge"_s, u"histogram"_s,
                                               u"summary"_s, u"untyped"_s};
                if (!known.contains(match.captured(3)))
                    return u"unknown type: "_s + lineText;
                types.insert(name, match.captured(3).toUtf8());
            } else if (helped.contains(name) || match.captured(3).isEmpty()) {
                return u"bad HELP: "_s + lineText;
            } else {
                helped.insert(name);
            }
            continue;
        }
        const QRegularExpressionMatch match = sample.match(lineText);
        if (!match.hasMatch())
            return u"bad sample: "_s + lineText;
        Sample parsed{match.captured(1).toUtf8(), {}, match.captured(3).toUtf8()};
        QRegularExpressionMatchIterator labels = label.globalMatch(match.captured(2));
        while (labels.hasNext()) {
            const QRegularExpressionMatch one = labels.next();
            parsed.labels.append({one.captured(1).toUtf8(), unescape(one.captured(2).toUtf8())});
        }
        const QByteArray type = types.value(family);
        if (type.isEmpty())
            return u"sample before its TYPE: "_s + lineText;
        QByteArray series = parsed.name;
        if (type == "histogram") {
            if (parsed.name == family + "_bucket") {
                QByteArrayList others{family};
                for (const auto &[name, value] : parsed.labels) {
                    if (name != "le")
                        others += name + '=' + value;
                }
                const QByteArray key = others.join(',');
                if (key != bucketSeries) {
                    if (!bucketSeries.isEmpty() && !sawInf)
                        return u"buckets without +Inf before: "_s + lineText;
                    bucketSeries = key;
                    lastBucket = -1;
                    sawInf = false;
                }
                const double count = parsed.value.toDouble();
                if (count < lastBucket)
                    return u"buckets not cumulative: "_s + lineText;
                lastBucket = count;
                sawInf = parsed.label("le") == "+Inf";
                if (parsed.label("le").isEmpty())
                    return u"bucket without le: "_s + lineText;
            } else if (parsed.name == family + "_count") {
                if (!sawInf || parsed.value.toDouble() != lastBucket)
                    return u"_count differs from the +Inf bucket: "_s + lineText;
            } else if (parsed.name != family + "_sum") {
                return u"not a histogram sample: "_s + lineText;
            }
        } else if (parsed.name != family) {
            return u"sample outside its family: "_s + lineText;
        }
        samples->append(parsed);
    }
    return {};
}

} // namespace

class TestGatewayMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyRenderNamesEveryFamily();
    void exactLines();
    void inFlight();
    void decimal_data();
    void decimal();
    void costIsExact();
    void unpricedIsNotZeroDollars();
    void denialsAndUpstreamErrors();
    void labelEscaping();
    void histogramBuckets();
    void noFirstByteNoObservation();
    void modelCardinalityCap();
    void countsExactPastTheSeriesCache();
    void endpointCardinalityCap();
    void deterministicOrder();
    void wholeRenderParses();
};

void TestGatewayMetrics::emptyRenderNamesEveryFamily()
{
    const QByteArray text = GatewayMetrics().render();
    QList<Sample> samples;
    QCOMPARE(parseExposition(text, &samples), QString());
    QVERIFY(samples.isEmpty());
    for (const char *family :
         {"gatehouse_requests_total counter", "gatehouse_requests_in_flight gauge",
          "gatehouse_tokens_total counter", "gatehouse_cost_usd_total counter",
          "gatehouse_unpriced_requests_total counter", "gatehouse_denials_total counter",
          "gatehouse_upstream_errors_total counter", "gatehouse_request_duration_seconds histogram",
          "gatehouse_time_to_first_byte_seconds histogram"})
        QVERIFY2(text.contains(QByteArray("# TYPE " + QByteArray(family) + '\n')), family);
}

void TestGatewayMetrics::exactLines()
{
    GatewayMetrics metrics;
    UsageRecord first = withTokens(record("ok", 200, 1'500), 1000, 200);
    first.usage.cachedTokens = 300;
    first.usage.reasoningTokens = 50;
    metrics.requestStarted(first.endpoint);
    metrics.requestFinished(first);
    metrics.requestEnded(first.endpoint);
    metrics.requestStarted(first.endpoint);
    metrics.requestFinished(withTokens(record("ok", 200, 2'000), 10, 5));
    metrics.requestEnded(first.endpoint);
    UsageRecord anthropic = withTokens(record("ok", 200, 42), 7, 3);
    anthropic.endpoint = "anthropic.messages";
    anthropic.provider = u"anthropic"_s;
    anthropic.upstreamModel = u"claude-sonnet-4-5"_s;
    anthropic.usage.cacheWriteTokens = 4;
    metrics.requestStarted(anthropic.endpoint);
    metrics.requestFinished(anthropic);
    metrics.requestEnded(anthropic.endpoint);

    const QByteArrayList all = lines(metrics.render());
    for (
        const char *expected :
        {R"(gatehouse_requests_total{endpoint="anthropic.messages",provider="anthropic",model="claude-sonnet-4-5",outcome="ok",status="200"} 1)",
         R"(gatehouse_requests_total{endpoint="openai.chat_completions",provider="openai",model="gpt-4o-mini",outcome="ok",status="200"} 2)",
         R"(gatehouse_tokens_total{provider="openai",model="gpt-4o-mini",kind="prompt"} 1010)",
         R"(gatehouse_tokens_total{provider="openai",model="gpt-4o-mini",kind="completion"} 205)",
         R"(gatehouse_tokens_total{provider="openai",model="gpt-4o-mini",kind="cached"} 300)",
         R"(gatehouse_tokens_total{provider="openai",model="gpt-4o-mini",kind="reasoning"} 50)",
         R"(gatehouse_tokens_total{provider="anthropic",model="claude-sonnet-4-5",kind="cache_write"} 4)",
         R"(gatehouse_cost_usd_total{provider="openai",model="gpt-4o-mini"} 0.0035)",
         R"(gatehouse_cost_usd_total{provider="anthropic",model="claude-sonnet-4-5"} 0.000042)",
         R"(gatehouse_requests_in_flight{endpoint="openai.chat_completions"} 0)",
         R"(gatehouse_request_duration_seconds_bucket{endpoint="openai.chat_completions",provider="openai",model="gpt-4o-mini",le="0.1"} 0)",
         R"(gatehouse_request_duration_seconds_bucket{endpoint="openai.chat_completions",provider="openai",model="gpt-4o-mini",le="0.25"} 2)",
         R"(gatehouse_request_duration_seconds_sum{endpoint="openai.chat_completions",provider="openai",model="gpt-4o-mini"} 0.24)",
         R"(gatehouse_request_duration_seconds_count{endpoint="openai.chat_completions",provider="openai",model="gpt-4o-mini"} 2)",
         R"(gatehouse_time_to_first_byte_seconds_bucket{endpoint="openai.chat_completions",provider="openai",model="gpt-4o-mini",le="0.05"} 2)",
         R"(gatehouse_time_to_first_byte_seconds_sum{endpoint="openai.chat_completions",provider="openai",model="gpt-4o-mini"} 0.08)"})
        QVERIFY2(all.contains(QByteArray(expected)), expected);
    // No token kind that was never used.
    QVERIFY(!metrics.render().contains(R"(model="claude-sonnet-4-5",kind="cached")"));
}

void TestGatewayMetrics::inFlight()
{
    GatewayMetrics metrics;
    metrics.requestStarted("openai.responses");
    metrics.requestStarted("openai.responses");
    metrics.requestStarted("anthropic.messages");
    metrics.requestEnded("openai.responses");
    // A request refused at once is counted but was never in flight.
    UsageRecord refused = record("unauthorized", 401);
    refused.endpoint = "anthropic.messages";
    metrics.requestFinished(refused);
    const QByteArrayList all = lines(metrics.render());
    QVERIFY(all.contains(R"(gatehouse_requests_in_flight{endpoint="openai.responses"} 1)"));
    QVERIFY(all.contains(R"(gatehouse_requests_in_flight{endpoint="anthropic.messages"} 1)"));
    metrics.requestEnded("openai.responses");
    metrics.requestEnded("anthropic.messages");
    const QByteArrayList after = lines(metrics.render());
    QVERIFY(after.contains(R"(gatehouse_requests_in_flight{endpoint="openai.responses"} 0)"));
    QVERIFY(after.contains(R"(gatehouse_requests_in_flight{endpoint="anthropic.messages"} 0)"));
}

void TestGatewayMetrics::decimal_data()
{
    QTest::addColumn<qint64>("millionths");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("zero") << 0LL << QByteArray("0");
    QTest::newRow("one micro") << 1LL << QByteArray("0.000001");
    QTest::newRow("three micros") << 3LL << QByteArray("0.000003");
    QTest::newRow("one") << 1'000'000LL << QByteArray("1");
    QTest::newRow("one and a half") << 1'500'000LL << QByteArray("1.5");
    QTest::newRow("all digits") << 123'456'789LL << QByteArray("123.456789");
    QTest::newRow("trailing zeros cut") << 10'010'000LL << QByteArray("10.01");
    QTest::newRow("negative") << -2'500'000LL << QByteArray("-2.5");
    QTest::newRow("largest") << std::numeric_limits<qint64>::max()
                             << QByteArray("9223372036854.775807");
    QTest::newRow("smallest") << std::numeric_limits<qint64>::min()
                              << QByteArray("-9223372036854.775808");
}

void TestGatewayMetrics::decimal()
{
    QFETCH(qint64, millionths);
    QFETCH(QByteArray, expected);
    QCOMPARE(PrometheusText::decimalFromMillionths(millionths), expected);
}

void TestGatewayMetrics::costIsExact()
{
    // 0.1 + 0.2 in doubles is 0.30000000000000004; in micro-dollars it is 0.3.
    GatewayMetrics metrics;
    for (qint64 micros : {1LL, 1LL, 1LL, 100'000LL, 200'000LL})
        metrics.requestFinished(withTokens(record("ok", 200, micros), 1, 1));
    QVERIFY(lines(metrics.render())
                .contains(
                    R"(gatehouse_cost_usd_total{provider="openai",model="gpt-4o-mini"} 0.300003)"));
}

void TestGatewayMetrics::unpricedIsNotZeroDollars()
{
    GatewayMetrics metrics;
    metrics.requestFinished(withTokens(record("ok", 200, std::nullopt), 100, 10));
    metrics.requestFinished(withTokens(record("ok", 200, std::nullopt), 100, 10));
    const QByteArray text = metrics.render();
    QVERIFY(lines(text).contains(
        R"(gatehouse_unpriced_requests_total{provider="openai",model="gpt-4o-mini"} 2)"));
    QVERIFY(!text.contains("gatehouse_cost_usd_total{"));
    // Tokens still count.
    QVERIFY(lines(text).contains(
        R"(gatehouse_tokens_total{provider="openai",model="gpt-4o-mini",kind="prompt"} 200)"));
}

void TestGatewayMetrics::denialsAndUpstreamErrors()
{
    GatewayMetrics metrics;
    for (const char *outcome :
         {"denied_budget", "denied_budget", "denied_model", "denied_rate_limit", "unauthorized",
          "ok", "upstream_error", "upstream_timeout", "upstream_error", "client_disconnected"})
        metrics.requestFinished(record(outcome, 400));
    UsageRecord other = record("upstream_error", 502);
    other.provider = u"anthropic"_s;
    metrics.requestFinished(other);
    const QByteArray text = metrics.render();
    const QByteArrayList all = lines(text);
    QVERIFY(all.contains(R"(gatehouse_denials_total{reason="denied_budget"} 2)"));
    QVERIFY(all.contains(R"(gatehouse_denials_total{reason="denied_model"} 1)"));
    QVERIFY(all.contains(R"(gatehouse_denials_total{reason="denied_rate_limit"} 1)"));
    QVERIFY(all.contains(R"(gatehouse_denials_total{reason="unauthorized"} 1)"));
    QVERIFY(!text.contains(R"(gatehouse_denials_total{reason="ok"})"));
    QVERIFY(!text.contains(R"(reason="client_disconnected")"));
    QVERIFY(all.contains(
        R"(gatehouse_upstream_errors_total{provider="openai",outcome="upstream_error"} 2)"));
    QVERIFY(all.contains(
        R"(gatehouse_upstream_errors_total{provider="openai",outcome="upstream_timeout"} 1)"));
    QVERIFY(all.contains(
        R"(gatehouse_upstream_errors_total{provider="anthropic",outcome="upstream_error"} 1)"));
    QVERIFY(!text.contains(R"(outcome="client_disconnected"} )"));
}

void TestGatewayMetrics::labelEscaping()
{
    GatewayMetrics metrics;
    UsageRecord odd = record();
    odd.upstreamModel = u"we\"ird\\model\nname é"_s;
    metrics.requestFinished(odd);
    const QByteArray text = metrics.render();
    QVERIFY(text.contains(u"model=\"we\\\"ird\\\\model\\nname é\""_s.toUtf8()));
    QList<Sample> samples;
    QCOMPARE(parseExposition(text, &samples), QString());
    QVERIFY(!samples.isEmpty());
    QCOMPARE(samples.first().label("model"), u"we\"ird\\model\nname é"_s.toUtf8());
}

void TestGatewayMetrics::histogramBuckets()
{
    GatewayMetrics metrics;
    // 0.5 ms, exactly 1 ms (le is inclusive), just above 1 ms, 7 s, 20 min (beyond every bucket).
    for (qint64 us : {500LL, 1'000LL, 1'001LL, 7'000'000LL, 1'200'000'000LL}) {
        UsageRecord r = record();
        r.durationUs = us;
        metrics.requestFinished(r);
    }
    QList<Sample> samples;
    QCOMPARE(parseExposition(metrics.render(), &samples), QString());
    QHash<QByteArray, QByteArray> buckets;
    QByteArray sum;
    QByteArray count;
    for (const Sample &sample : samples) {
        if (sample.name == "gatehouse_request_duration_seconds_bucket")
            buckets.insert(sample.label("le"), sample.value);
        else if (sample.name == "gatehouse_request_duration_seconds_sum")
            sum = sample.value;
        else if (sample.name == "gatehouse_request_duration_seconds_count")
            count = sample.value;
    }
    QCOMPARE(buckets.value("0.001"), QByteArray("2"));
    QCOMPARE(buckets.value("0.005"), QByteArray("3"));
    QCOMPARE(buckets.value("5"), QByteArray("3"));
    QCOMPARE(buckets.value("10"), QByteArray("4"));
    QCOMPARE(buckets.value("600"), QByteArray("4"));
    QCOMPARE(buckets.value("+Inf"), QByteArray("5"));
    QCOMPARE(sum, QByteArray("1207.002501"));
    QCOMPARE(count, QByteArray("5"));
}

void TestGatewayMetrics::noFirstByteNoObservation()
{
    GatewayMetrics metrics;
    UsageRecord cut = record("client_disconnected", 499);
    cut.firstByteUs = -1;
    metrics.requestFinished(cut);
    const QByteArray text = metrics.render();
    QVERIFY(!text.contains("gatehouse_time_to_first_byte_seconds_count{"));
    QVERIFY(text.contains("gatehouse_request_duration_seconds_count{"));
}

void TestGatewayMetrics::modelCardinalityCap()
{
    GatewayMetrics metrics(3);
    for (const QString &model : {u"m1"_s, u"m2"_s, u"m3"_s, u"m4"_s, u"m5"_s, u"m1"_s}) {
        UsageRecord r = withTokens(record("ok", 200, 1), 1, 0);
        r.upstreamModel = model;
        metrics.requestFinished(r);
    }
    const QByteArray text = metrics.render();
    const QByteArrayList all = lines(text);
    QVERIFY(all.contains(R"(gatehouse_cost_usd_total{provider="openai",model="m1"} 0.000002)"));
    QVERIFY(all.contains(R"(gatehouse_cost_usd_total{provider="openai",model="other"} 0.000002)"));
    QVERIFY(!text.contains(R"(model="m4")"));
    QVERIFY(!text.contains(R"(model="m5")"));
    QSet<QByteArray> models;
    QList<Sample> samples;
    QCOMPARE(parseExposition(text, &samples), QString());
    for (const Sample &sample : samples) {
        if (!sample.label("model").isEmpty())
            models.insert(sample.label("model"));
    }
    QCOMPARE(models, (QSet<QByteArray>{"m1", "m2", "m3", "other"}));
}

void TestGatewayMetrics::countsExactPastTheSeriesCache()
{
    // More distinct models than the hot path remembers, each seen twice: every request is
    // still counted once, under its model or "other".
    GatewayMetrics metrics(3);
    constexpr int Models = 5'000;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < Models; ++i) {
            UsageRecord r = withTokens(record("ok", 200, 1), 1, 0);
            r.upstreamModel = u"m"_s + QString::number(i);
            metrics.requestFinished(r);
        }
    }
    QList<Sample> samples;
    QCOMPARE(parseExposition(metrics.render(), &samples), QString());
    QHash<QByteArray, qint64> requests;
    for (const Sample &sample : samples) {
        if (sample.name == "gatehouse_requests_total")
            requests[sample.label("model")] += sample.value.toLongLong();
    }
    QCOMPARE(requests.size(), 4);
    QCOMPARE(requests.value("m0"), 2);
    QCOMPARE(requests.value("m1"), 2);
    QCOMPARE(requests.value("m2"), 2);
    QCOMPARE(requests.value("other"), 2 * Models - 6);
}

void TestGatewayMetrics::endpointCardinalityCap()
{
    // Unknown routes are recorded under their path: a scan of random paths must stay bounded.
    GatewayMetrics metrics;
    for (int i = 0; i < 500; ++i) {
        const QByteArray path = "/openai/v1/probe-" + QByteArray::number(i);
        metrics.requestStarted(path);
        UsageRecord r = record("not_found", 404);
        r.endpoint = path;
        metrics.requestFinished(r);
        metrics.requestEnded(path);
    }
    QList<Sample> samples;
    QCOMPARE(parseExposition(metrics.render(), &samples), QString());
    QSet<QByteArray> endpoints;
    for (const Sample &sample : samples) {
        if (sample.name == "gatehouse_requests_in_flight") {
            endpoints.insert(sample.label("endpoint"));
            QCOMPARE(sample.value, QByteArray("0"));
        }
    }
    QVERIFY(endpoints.contains("other"));
    QVERIFY(endpoints.size() <= 33);
}

void TestGatewayMetrics::deterministicOrder()
{
    const auto feed = [](GatewayMetrics &metrics, bool reversed) {
        QList<UsageRecord> records;
        for (const QString &model : {u"b"_s, u"a"_s, u"c"_s}) {
            UsageRecord r = withTokens(record("ok", 200, 5), 3, 2);
            r.upstreamModel = model;
            records.append(r);
        }
        if (reversed)
            std::reverse(records.begin(), records.end());
        for (const UsageRecord &r : records)
            metrics.requestFinished(r);
    };
    GatewayMetrics forward;
    GatewayMetrics backward;
    feed(forward, false);
    feed(backward, true);
    QCOMPARE(forward.render(), backward.render());
    const QByteArray text = forward.render();
    QVERIFY(text.indexOf(R"(model="a")") < text.indexOf(R"(model="b")"));
}

void TestGatewayMetrics::wholeRenderParses()
{
    GatewayMetrics metrics;
    for (const char *outcome : {"ok", "denied_budget", "unauthorized", "upstream_timeout"}) {
        UsageRecord r = withTokens(record(outcome, 200, 7), 5, 5);
        metrics.requestStarted(r.endpoint);
        metrics.requestFinished(r);
        metrics.requestEnded(r.endpoint);
    }
    UsageRecord denied = record("denied_model", 403);
    denied.provider.clear();
    denied.upstreamModel.clear(); // no route: the requested alias names the model
    metrics.requestFinished(denied);
    QList<Sample> samples;
    const QByteArray text = metrics.render();
    QCOMPARE(parseExposition(text, &samples), QString());
    QVERIFY(lines(text).contains(
        R"(gatehouse_requests_total{endpoint="openai.chat_completions",provider="",model="fast",outcome="denied_model",status="403"} 1)"));
    // The validator itself refuses what the format forbids.
    for (const char *bad : {"metric{a=\"x\"} \n", "metric{a=x} 1\n", "# TYPE m counter\nm 1",
                            "# TYPE m counter\nm{a=\"\\q\"} 1\n", "n 1\n",
                            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n",
                            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n"}) {
        QList<Sample> ignored;
        QVERIFY2(!parseExposition(bad, &ignored).isEmpty(), bad);
    }
}

QTEST_GUILESS_MAIN(TestGatewayMetrics)
#include "tst_gatewaymetrics.moc"
