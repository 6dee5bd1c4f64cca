#include "events/redactor.h"
#include "secretcorpus.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cctype>

using namespace Qt::StringLiterals;

namespace {

QByteArray jsonOf(const QByteArray &text)
{
    return QJsonDocument(QJsonObject{{u"content"_s, QString::fromUtf8(text)}})
        .toJson(QJsonDocument::Compact);
}

// Whether every backslash starts a valid JSON escape: Qt's parser takes "\[" as "[".
bool validEscapes(const QByteArray &json)
{
    static const QByteArray simple = "\"\\/bfnrt";
    for (qsizetype i = 0; i < json.size(); ++i) {
        if (json[i] != '\\')
            continue;
        if (i + 1 >= json.size())
            return false;
        const char next = json[++i];
        if (next == 'u') {
            if (i + 4 >= json.size())
                return false;
            for (int k = 1; k <= 4; ++k) {
                if (!isxdigit(uchar(json[i + k])))
                    return false;
            }
            i += 4;
        } else if (!simple.contains(next)) {
            return false;
        }
    }
    return true;
}

// The "content" string of a JSON object, or a null QByteArray when the text is not valid JSON.
QByteArray contentOf(const QByteArray &json)
{
    if (!validEscapes(json))
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return {};
    return document.object().value(u"content"_s).toString().toUtf8();
}

// The ways a secret reaches the redactor: as it is, inside a JSON string (escaped), inside a
// JSON string that itself holds JSON (tool-call arguments: escaped twice), and quoted.
enum class Wrapping
{
    Plain,
    Json,
    JsonInJson,
    QuotedInJson
};

QByteArray wrap(const QByteArray &text, Wrapping wrapping)
{
    switch (wrapping) {
    case Wrapping::Plain:
        return text;
    case Wrapping::Json:
        return jsonOf(text);
    case Wrapping::JsonInJson:
        return jsonOf(jsonOf(text));
    case Wrapping::QuotedInJson:
        return jsonOf('"' + text + '"');
    }
    return {};
}

// Every byte as a JSON \u escape, or as a URL %XX escape: what decoders read as the bytes.
QByteArray unicodeEscaped(const QByteArray &bytes)
{
    QByteArray escaped;
    for (const char c : bytes)
        escaped += "\\u" + QByteArray::number(uchar(c), 16).rightJustified(4, '0');
    return escaped;
}

QByteArray percentEscaped(const QByteArray &bytes)
{
    QByteArray escaped;
    for (const char c : bytes)
        escaped += '%' + QByteArray::number(uchar(c), 16).toUpper().rightJustified(2, '0');
    return escaped;
}

// The byte at the middle of a secret (or the first letter or digit after it) written as escape:
// it cuts the secret short where it stands.
QByteArray middleEscaped(const QByteArray &secret, QByteArray (*escape)(const QByteArray &))
{
    qsizetype at = secret.size() / 2;
    while (!isalnum(uchar(secret[at])))
        ++at;
    return secret.first(at) + escape(secret.sliced(at, 1)) + secret.sliced(at + 1);
}

// The 8-byte pieces of the secret's letters and digits still in text. A key redacted only up to an
// escape leaves its tail, which SecretCorpus::leaks() (whole runs) does not see.
QList<QByteArray> pieceLeaks(const QByteArray &text, const QByteArray &secret)
{
    QList<QByteArray> found;
    for (qsizetype at = 0; at + 8 <= secret.size(); ++at) {
        const QByteArray piece = secret.sliced(at, 8);
        if (std::all_of(piece.begin(), piece.end(), [](char c) { return isalnum(uchar(c)); }) &&
            text.contains(piece))
            found.append(piece);
    }
    return found;
}

QByteArray randomBase64(int bytes)
{
    QRandomGenerator random(7);
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(random.bounded(256));
    return raw.toBase64();
}

} // namespace

class TestRedactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtInsAreValid();
    void corpus_data();
    void corpus();
    void evidentSecretsAnywhere_data();
    void evidentSecretsAnywhere();
    void headersOfCorpus();
    void ordinaryTextUnchanged_data();
    void ordinaryTextUnchanged();
    void contextStaysReadable_data();
    void contextStaysReadable();
    void truncatedPrivateKey();
    void candidateFloodFailsClosed();
    void secretHeaders_data();
    void secretHeaders();
    void operatorPatternsAdd();
    void invalidPatterns_data();
    void invalidPatterns();
    void invalidPatternIsReported();
    void operatorMatchInsideEscapeKeepsJsonValid_data();
    void operatorMatchInsideEscapeKeepsJsonValid();
    void nonAsciiAndInvalidUtf8();
    void sharedAcrossThreads();
    void escapedSecrets_data();
    void escapedSecrets();
    void escapedCorpus_data();
    void escapedCorpus();
    void escapedCandidateFloodFailsClosed();
    void escapesWithoutSecretStayShared();
};

void TestRedactor::builtInsAreValid()
{
    const QList<RedactionPattern> patterns = Redactor::builtInPatterns();
    QVERIFY(patterns.size() >= 15);
    for (const RedactionPattern &pattern : patterns) {
        QString error;
        QVERIFY2(Redactor::validate(pattern, &error), qPrintable(error));
    }
    QVERIFY(Redactor().errors().isEmpty());
}

void TestRedactor::corpus_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("wrapping");
    const QList<SecretSample> samples = SecretCorpus::samples();
    const QList<std::pair<const char *, Wrapping>> wrappings{
        {"plain", Wrapping::Plain},
        {"json", Wrapping::Json},
        {"json in json", Wrapping::JsonInJson},
        {"quoted in json", Wrapping::QuotedInJson}};
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const SecretSample &sample = samples[i];
        for (const auto &[name, wrapping] : wrappings) {
            QTest::addRow("%lld %s %s", qlonglong(i), sample.pattern.constData(), name)
                << sample.pattern << sample.secret << sample.text << int(wrapping);
        }
    }
}

void TestRedactor::corpus()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, text);
    QFETCH(int, wrapping);
    const Redactor redactor;
    const QByteArray redacted = redactor.redact(wrap(text, Wrapping(wrapping)));
    QCOMPARE(SecretCorpus::leaks(redacted, secret), QList<QByteArray>());
    QVERIFY2(redacted.contains(QByteArray("[REDACTED:" + pattern + ']')), redacted.constData());
    // JSON stays valid, and its content is what redacting the content itself gives.
    switch (Wrapping(wrapping)) {
    case Wrapping::Plain:
        break;
    case Wrapping::Json:
        QCOMPARE(contentOf(redacted), redactor.redact(text));
        break;
    case Wrapping::JsonInJson:
        QCOMPARE(contentOf(contentOf(redacted)), redactor.redact(text));
        break;
    case Wrapping::QuotedInJson:
        QCOMPARE(contentOf(redacted), redactor.redact(QByteArray('"' + text + '"')));
        break;
    }
}

void TestRedactor::evidentSecretsAnywhere_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("text");
    const QList<SecretSample> samples = SecretCorpus::samples();
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const SecretSample &sample = samples[i];
        if (!sample.selfEvident)
            continue;
        const QByteArray &secret = sample.secret;
        QTest::addRow("%lld %s alone", qlonglong(i), sample.pattern.constData())
            << secret << secret;
        QTest::addRow("%lld %s in prose", qlonglong(i), sample.pattern.constData())
            << secret << "Use (" + secret + ") then.";
        if (secret.contains('\n'))
            continue;
        QTest::addRow("%lld %s in a query", qlonglong(i), sample.pattern.constData())
            << secret << "https://example.com/cb?code=" + secret + "&state=1";
        QTest::addRow("%lld %s as a url user", qlonglong(i), sample.pattern.constData())
            << secret << "https://" + secret + "@example.com/";
        QTest::addRow("%lld %s in a json key", qlonglong(i), sample.pattern.constData())
            << secret << R"({")" + secret + R"(": 1})";
    }
}

void TestRedactor::evidentSecretsAnywhere()
{
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, text);
    const QByteArray redacted = Redactor().redact(text);
    QCOMPARE(SecretCorpus::leaks(redacted, secret), QList<QByteArray>());
}

void TestRedactor::headersOfCorpus()
{
    const Redactor redactor;
    for (const SecretSample &sample : SecretCorpus::samples()) {
        const HttpHeaders redacted =
            redactor.redactHeaders({{"x-debug-note", sample.text}, {"authorization", sample.text}});
        QCOMPARE(redacted.size(), 2);
        QCOMPARE(redacted[0].first, QByteArray("x-debug-note"));
        QCOMPARE(SecretCorpus::leaks(redacted[0].second, sample.secret), QList<QByteArray>());
        QCOMPARE(redacted[1].second, QByteArray("[REDACTED:header]"));
    }
}

void TestRedactor::ordinaryTextUnchanged_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("prose") << QByteArray(
        "This is a risk-free, ask-anything session. Our task-force in Asia met the desk-team; "
        "Bearer tokens go in the Authorization header and the token count is 1024.");
    QTest::newRow("model names") << QByteArray(
        "claude-sonnet-4-5, claude-opus-4-1-20250805, gpt-4o-mini, gpt-5-codex, o3-mini, "
        "gemini-2.5-pro, sk-learn, scikit-learn, llama-3.1-70b-instruct");
    QTest::newRow("python") << QByteArray(
        "import os, requests\n\ndef risk_free_rate(task):\n"
        "    api_key = os.environ[\"OPENAI_API_KEY\"]\n"
        "    headers = {\"Authorization\": f\"Bearer {api_key}\"}\n"
        "    token = tokenizer.encode(task)\n    password = getpass.getpass()\n"
        "    return requests.post(url, headers=headers, json={\"max_tokens\": 1024})\n");
    QTest::newRow("typescript") << QByteArray(
        "const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n"
        "const secretName = 'prod-db';\nexport function tokenize(s: string) { return s; }\n");
    QTest::newRow("shell") << QByteArray(
        "export PATH=$HOME/bin:$PATH\nTOKEN_LIMIT=100000\nMAX_TOKENS=4096\n"
        "git clone ssh://git@github.com/org/repo.git && cd repo\n"
        "curl -s https://api.openai.com/v1/models -H \"Authorization: Bearer $OPENAI_API_KEY\"\n");
    QTest::newRow("usage json") << QByteArray(
        R"({"model":"claude-sonnet-4-5","usage":{"input_tokens":12,"output_tokens":40,)"
        R"("cache_creation_input_tokens":0},"stop_reason":"end_turn"})");
    QTest::newRow("tool schema") << QByteArray(
        R"({"name":"login","input_schema":{"type":"object","properties":{"password":)"
        R"({"type":"string"},"api_key":{"type":"string"},"token":{"type":"string"}}}})");
    QTest::newRow("hashes and ids") << QByteArray(
        "commit 3f786850e387550fdab836ed7e6dc881de23001b\n"
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "request 550e8400-e29b-41d4-a716-446655440000 id gh-0123456789abcdef01234567\n"
        "msg_01XFDUDYJgAACzvnptvVoYEL chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz123\n");
    QTest::newRow("base64 image") << "data:image/png;base64," + randomBase64(6000);
    QTest::newRow("urls") << QByteArray(
        "https://api.anthropic.com/v1/messages http://[::1]:8080/a@b "
        "http://127.0.0.1:8787/openai/v1 mailto:alice@example.com alice@example.com");
    QTest::newRow("public pem") << QByteArray(
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n"
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC "
        "KEY-----");
    QTest::newRow("short jwt-like") << QByteArray("eyJ is how base64 of {\" starts; eyJhbGci.x.y");
    QTest::newRow("aws words") << QByteArray("AKIA is the prefix; ASIA too; AKIAIOSFODNN7EXAMPLEX");
    QTest::newRow("empty") << QByteArray();
    // Dense but natural: no candidate budget runs out on these.
    QByteArray usage;
    QByteArray links;
    for (int i = 0; usage.size() < 32 * 1024; ++i) {
        usage += R"({"input_tokens":)" + QByteArray::number(i) + R"(,"output_tokens":40},)";
        links += R"(<a href="https://example.com/docs/page-)" + QByteArray::number(i) + R"(">)" +
                 QByteArray::number(i) + "</a>\n";
    }
    QTest::newRow("32 KiB of usage objects") << usage;
    QTest::newRow("32 KiB of links") << links.left(32 * 1024);
}

void TestRedactor::ordinaryTextUnchanged()
{
    QFETCH(QByteArray, text);
    const Redactor redactor;
    const QByteArray redacted = redactor.redact(text);
    QCOMPARE(redacted, text);
    // Handed back shared, not copied (previews redact a dozen texts per request).
    QCOMPARE(redacted.constData(), text.constData());
    QCOMPARE(redactor.redact(jsonOf(text)), jsonOf(text));
    QCOMPARE(redactor.redactHeaders({{"user-agent", text}}).value(0).second, text);
}

void TestRedactor::contextStaysReadable_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("url keeps scheme and host")
        << QByteArray("postgres://app:hunter2hunter2@db.internal:5432/prod")
        << QByteArray("postgres://[REDACTED:url_credentials]@db.internal:5432/prod");
    QTest::newRow("escaped url") << QByteArray(R"("https:\/\/bob:pa55word@example.com\/x")")
                                 << QByteArray(
                                        R"("https:\/\/[REDACTED:url_credentials]@example.com\/x")");
    QTest::newRow("bearer keeps scheme")
        << QByteArray("Authorization: Bearer abcdefghijklmnop0123456789")
        << QByteArray("Authorization: Bearer [REDACTED:bearer_token]");
    QTest::newRow("aws key name stays")
        << QByteArray("aws_secret_access_key=abcdefghijklmnopqrstuvwxyz0123456789ABCD\n")
        << QByteArray("aws_secret_access_key=[REDACTED:aws_secret]\n");
    QTest::newRow("json value followed by escaped quote")
        << QByteArray(R"({"c":"key=\"sk-abcdefghij0123456789abcd\" ok"})")
        << QByteArray(R"({"c":"key=\"[REDACTED:openai_key]\" ok"})");
    QTest::newRow("several secrets")
        << QByteArray("a ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1 b AKIAAAAAAAAAAAAAAAA1 c")
        << QByteArray("a [REDACTED:github_token] b [REDACTED:aws_access_key_id] c");
    QTest::newRow("pem inside json")
        << QByteArray(R"({"k":"-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA )"
                      R"(PRIVATE KEY-----\n","n":1})")
        << QByteArray(R"({"k":"[REDACTED:private_key]\n","n":1})");
}

void TestRedactor::contextStaysReadable()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    QCOMPARE(Redactor().redact(text), expected);
}

void TestRedactor::truncatedPrivateKey()
{
    // A preview cut inside a key block: everything from BEGIN to the cut (or the string's end).
    const QByteArray raw =
        "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQUJD";
    QCOMPARE(Redactor().redact(raw), QByteArray("key:\n[REDACTED:private_key]"));
    const QByteArray json =
        R"(["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF", "next"])";
    const QByteArray redacted = Redactor().redact(json);
    QCOMPARE(redacted, QByteArray(R"(["[REDACTED:private_key]", "next"])"));
}

void TestRedactor::candidateFloodFailsClosed()
{
    // Text built to make every few bytes a candidate: past the budget each further candidate is
    // redacted unexamined to the end of its JSON string, so the time stays bounded, the secret
    // behind the flood does not survive and the JSON stays valid.
    const QByteArray secret = "ghp_" + QByteArray(36, 'Z');
    const QByteArray flood = QByteArray("sk-").repeated(20'000);
    const QByteArray raw = "head " + flood + ' ' + secret;
    const QByteArray redacted = Redactor().redact(raw);
    QVERIFY(redacted.startsWith("head sk-"));
    QVERIFY(redacted.endsWith("[REDACTED:unexamined]"));
    QVERIFY(!redacted.contains(secret));

    const QByteArray json =
        R"({"a":"head )" + flood + ' ' + secret + R"(","b":"kept )" + flood + R"("})";
    const QByteArray redactedJson = Redactor().redact(json);
    QVERIFY(!redactedJson.contains(secret));
    QVERIFY(validEscapes(redactedJson));
    const QJsonObject object = QJsonDocument::fromJson(redactedJson).object();
    QVERIFY(object.value(u"a"_s).toString().endsWith(u"[REDACTED:unexamined]"_s));
    QVERIFY(object.value(u"b"_s).toString().startsWith(u"kept "_s));
}

void TestRedactor::secretHeaders_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("secret");
    for (const char *name :
         {"authorization", "Proxy-Authorization", "x-api-key", "api-key", "cookie", "set-cookie",
          "x-goog-api-key", "x-amz-security-token", "x-csrf-token", "x-client-secret",
          "idempotency-key", "anthropic-api-key"})
        QTest::newRow(name) << QByteArray(name) << true;
    for (const char *name : {"content-type", "user-agent", "anthropic-version", "x-request-id",
                             "accept", "host", "keep-alive", "openai-organization"})
        QTest::newRow(name) << QByteArray(name) << false;
}

void TestRedactor::secretHeaders()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, secret);
    QCOMPARE(Redactor::isSecretHeader(name), secret);
    const QByteArray value = "plain value 42";
    const HttpHeaders redacted = Redactor().redactHeaders({{name, value}});
    QCOMPARE(redacted.value(0).first, name);
    QCOMPARE(redacted.value(0).second, secret ? QByteArray("[REDACTED:header]") : value);
}

void TestRedactor::operatorPatternsAdd()
{
    const Redactor redactor({{u"employee_id"_s, u"\\bEMP-[0-9]{6}\\b"_s},
                             {u"ticket"_s, u"ticket=(?<secret>[a-z]{10})"_s}});
    QVERIFY(redactor.errors().isEmpty());
    const QByteArray text =
        "EMP-123456 opened ticket=abcdefghij with ghp_" + QByteArray(36, 'x') + " and EMP-12345";
    QCOMPARE(redactor.redact(text),
             QByteArray("[REDACTED:employee_id] opened ticket=[REDACTED:ticket] with "
                        "[REDACTED:github_token] and EMP-12345"));
    // The built-ins alone leave what only the operator's patterns know.
    QCOMPARE(Redactor().redact("EMP-123456"), QByteArray("EMP-123456"));
}

void TestRedactor::invalidPatterns_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("regex");
    QTest::addColumn<QString>("problem");
    QTest::newRow("unbalanced") << u"x"_s << u"([a-z]+"_s << u"offset"_s;
    QTest::newRow("bad class") << u"x"_s << u"[z-a]"_s << u"offset"_s;
    QTest::newRow("matches empty") << u"x"_s << u"a*"_s << u"empty"_s;
    QTest::newRow("quote in name") << u"a\"b"_s << u"abc"_s << u"name"_s;
    QTest::newRow("backslash in name") << u"a\\b"_s << u"abc"_s << u"name"_s;
    QTest::newRow("empty name") << QString() << u"abc"_s << u"name"_s;
}

void TestRedactor::invalidPatterns()
{
    QFETCH(QString, name);
    QFETCH(QString, regex);
    QFETCH(QString, problem);
    QString error;
    QVERIFY(!Redactor::validate({name, regex}, &error));
    QVERIFY2(error.contains(problem), qPrintable(error));
}

void TestRedactor::invalidPatternIsReported()
{
    const Redactor redactor({{u"broken"_s, u"(abc"_s}, {u"fine"_s, u"xyz[0-9]{3}"_s}});
    QCOMPARE(redactor.errors().size(), 1);
    QVERIFY(redactor.errors().first().contains(u"broken"_s));
    QCOMPARE(redactor.redact("abc xyz123"), QByteArray("abc [REDACTED:fine]"));
}

void TestRedactor::operatorMatchInsideEscapeKeepsJsonValid_data()
{
    QTest::addColumn<QString>("regex");
    QTest::addColumn<QString>("text");
    QTest::newRow("unicode escape digits") << u"[0-9a-f]{4}"_s << u"x\x01y 0123"_s;
    QTest::newRow("ends on a backslash") << u"x\\\\"_s << u"ax\"b and ax\\b"_s;
    QTest::newRow("starts after a backslash") << u"n[a-z]{3}"_s << u"line\nabcd tail"_s;
    QTest::newRow("escaped quote") << u"\"hi"_s << u"say \"hi\" now"_s;
}

void TestRedactor::operatorMatchInsideEscapeKeepsJsonValid()
{
    QFETCH(QString, regex);
    QFETCH(QString, text);
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    const QByteArray redacted = Redactor({{u"probe"_s, regex}}).redact(json);
    QVERIFY2(redacted.contains("[REDACTED:probe]"), redacted.constData());
    QJsonParseError error;
    QJsonDocument::fromJson(redacted, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, redacted.constData());
    QVERIFY2(validEscapes(redacted), redacted.constData());
}

void TestRedactor::nonAsciiAndInvalidUtf8()
{
    // Non-ASCII literals in an operator pattern match their UTF-8 bytes.
    const Redactor redactor({{u"kennwort"_s, u"Kennwort für (?<secret>\\S+)"_s}});
    QCOMPARE(redactor.redact(u"Kennwort für Müller: geheim1"_s.toUtf8()),
             u"Kennwort für [REDACTED:kennwort] geheim1"_s.toUtf8());
    // Bytes that are not UTF-8 pass through untouched around a redaction.
    const QByteArray bytes = "\xff\xfe ghp_" + QByteArray(36, 'Q') + " \xc3\x28 \xe2\x82";
    QCOMPARE(Redactor().redact(bytes),
             QByteArray("\xff\xfe [REDACTED:github_token] \xc3\x28 \xe2\x82"));
}

void TestRedactor::sharedAcrossThreads()
{
    const Redactor redactor;
    const QList<SecretSample> samples = SecretCorpus::samples();
    std::atomic<int> leaks = 0;
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.append(QThread::create([&] {
            for (int round = 0; round < 20; ++round) {
                for (const SecretSample &sample : samples) {
                    if (!SecretCorpus::leaks(redactor.redact(sample.text), sample.secret).isEmpty())
                        ++leaks;
                }
            }
        }));
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(60'000));
        delete thread;
    }
    QCOMPARE(leaks.load(), 0);
}

void TestRedactor::escapedSecrets_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray rest = "roj-abcdefghij0123456789ABCDEFGHIJklmnop";
    const QByteArray key = "sk-p" + rest;
    const QByteArray redactedKey = R"({"k":"[REDACTED:openai_key]"})";
    QTest::newRow("one character escaped")
        << QByteArray(R"({"k":"sk-\u0070)" + rest + R"("})") << redactedKey;
    QTest::newRow("every character escaped")
        << QByteArray(R"({"k":")" + unicodeEscaped(key) + R"("})") << redactedKey;
    QTest::newRow("upper-case hex")
        << QByteArray(R"({"k":"sk\u002Dp)" + rest + R"("})") << redactedKey;
    QTest::newRow("lower-case hex")
        << QByteArray(R"({"k":"sk\u002dp)" + rest + R"("})") << redactedKey;
    // Before the escape, the key is long enough to match as it is: the rest must go too.
    QTest::newRow("escape deep in the key")
        << QByteArray(R"({"k":"sk-proj-abcdefghij0123456789\u0041BCDEFGHIJklmnop"})")
        << redactedKey;
    QTest::newRow("escaped key on a new line")
        << QByteArray(R"({"k":"my key:\n\u0073k-p)" + rest + R"("})")
        << QByteArray(R"({"k":"my key:\n[REDACTED:openai_key]"})");
    // No escape in the key: "\n" alone, as a JSON string writes a new line, opens its word.
    QTest::newRow("key on a new line")
        << QByteArray(R"({"k":"my key:\n)" + key + R"("})")
        << QByteArray(R"({"k":"my key:\n[REDACTED:openai_key]"})");
    QTest::newRow("key after a tab")
        << QByteArray(R"({"k":"key\t)" + key + R"(\r\n"})")
        << QByteArray(R"({"k":"key\t[REDACTED:openai_key]\r\n"})");
    // "\\n" is an escaped backslash and an "n": the key's hint follows a letter, no word opens.
    QTest::newRow("escaped backslash then n")
        << QByteArray(R"({"k":"C:\\n)" + key + R"("})")
        << QByteArray(R"({"k":"C:\\n)" + key + R"("})");
    QTest::newRow("escaped ASCII before the key")
        << QByteArray(R"({"k":"\u003c)" + key + R"(\u003e"})")
        << QByteArray(R"({"k":"\u003c[REDACTED:openai_key]\u003e"})");
    // A non-ASCII character escaped: its last hex digit is a letter or digit, yet decoded no
    // word goes on into the key.
    QTest::newRow("key after an escaped non-ASCII character")
        << QByteArray(R"({"k":"\u300c)" + key + R"(\u300d"})")
        << QByteArray(R"({"k":"\u300c[REDACTED:openai_key]\u300d"})");
    QTest::newRow("key after an escaped non-ASCII character, upper-case hex")
        << QByteArray(R"({"k":"\u00B7)" + key + R"("})")
        << QByteArray(R"({"k":"\u00B7[REDACTED:openai_key]"})");
    QTest::newRow("key after a percent-encoded non-ASCII character")
        << QByteArray("https://example.com/cb?q=%E3%80%8C" + key + "&x=1")
        << QByteArray("https://example.com/cb?q=%E3%80%8C[REDACTED:openai_key]&x=1");
    // A character past the BMP is two escapes, a surrogate pair (json.dumps writes an emoji so):
    // decoded together, no word goes on into the key.
    QTest::newRow("key after an escaped emoji")
        << QByteArray(R"({"k":"\ud83d\ude00)" + key + R"("})")
        << QByteArray(R"({"k":"\ud83d\ude00[REDACTED:openai_key]"})");
    QTest::newRow("key after an escaped emoji, upper-case hex")
        << QByteArray(R"({"k":"done \uD83D\uDE80)" + key + R"(\ud83d\ude80"})")
        << QByteArray(R"({"k":"done \uD83D\uDE80[REDACTED:openai_key]\ud83d\ude80"})");
    // A half alone is no character either (a reader shows U+FFFD): still no letter.
    QTest::newRow("key after a lone low surrogate")
        << QByteArray(R"({"k":"\ude00)" + key + R"("})")
        << QByteArray(R"({"k":"\ude00[REDACTED:openai_key]"})");
    QTest::newRow("key after a lone high surrogate")
        << QByteArray(R"({"k":"\ud83d)" + key + R"("})")
        << QByteArray(R"({"k":"\ud83d[REDACTED:openai_key]"})");
    // The high half's backslash is escaped: "\\ud83d" is text, then a low half alone.
    QTest::newRow("key after an escaped backslash and a low surrogate")
        << QByteArray(R"({"k":"\\ud83d\ude00)" + key + R"("})")
        << QByteArray(R"({"k":"\\ud83d\ude00[REDACTED:openai_key]"})");
    // Decoded, a letter runs into the key: as unescaped ("Ask-proj-..."), no word opens.
    QTest::newRow("escaped letter glued to the key")
        << QByteArray(R"({"k":"\u0041)" + key + R"("})")
        << QByteArray(R"({"k":"\u0041)" + key + R"("})");
    QTest::newRow("password with escaped non-ASCII letters")
        << QByteArray(R"({"c":"password=\"p\u00e4ssw\u00f6rd-2024\""})")
        << QByteArray(R"({"c":"password=\"[REDACTED:secret_assignment]\""})");
    // "\\u0073" is an escaped backslash and "u0073": no escape, and no key.
    QTest::newRow("escaped backslash opens no escape")
        << QByteArray(R"({"a":"\\u0073k-p)" + rest + R"(","k":"sk-\u0070)" + rest + R"("})")
        << QByteArray(R"({"a":"\\u0073k-p)" + rest + R"(","k":"[REDACTED:openai_key]"})");
    QTest::newRow("percent-encoded key in a query")
        << QByteArray(R"({"url":"https://example.com/cb?key=sk%2Dproj%2D)" + rest.sliced(4) +
                      R"(&state=1"})")
        << QByteArray(R"({"url":"https://example.com/cb?key=[REDACTED:openai_key]&state=1"})");
    QTest::newRow("percent-encoded bearer")
        << QByteArray("GET /hook?auth=Bearer%20abcdefghijklmnop0123456789&x=1 HTTP/1.1")
        << QByteArray("GET /hook?auth=Bearer%20[REDACTED:bearer_token]&x=1 HTTP/1.1");
    QTest::newRow("percent-encoded api_key value")
        << QByteArray("https://api.example.com/v1/models?api_key=sk%2D" + key.sliced(3))
        << QByteArray("https://api.example.com/v1/models?api_key=[REDACTED:openai_key]");
}

void TestRedactor::escapedSecrets()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    const QByteArray redacted = Redactor().redact(text);
    QCOMPARE(redacted, expected);
    QJsonParseError error;
    QJsonDocument::fromJson(text, &error);
    if (error.error == QJsonParseError::NoError) {
        QJsonDocument::fromJson(redacted, &error);
        QVERIFY2(error.error == QJsonParseError::NoError && validEscapes(redacted),
                 redacted.constData());
    }
}

void TestRedactor::escapedCorpus_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("json"); // else a URL: percent-decoded before looking for leaks
    const QList<SecretSample> samples = SecretCorpus::samples();
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const SecretSample &sample = samples[i];
        const char *pattern = sample.pattern.constData();
        // The secret as JSON writes it, written instead with escapes.
        const QByteArray json = jsonOf(sample.text);
        const QByteArray secretInJson = jsonOf(sample.secret).sliced(12).chopped(2);
        const qsizetype at = json.indexOf(secretInJson);
        QVERIFY(at > 0);
        const auto withSecret = [&](const QByteArray &escaped) {
            return QByteArray(json).replace(at, secretInJson.size(), escaped);
        };
        QTest::addRow("%lld %s json, one escaped", qlonglong(i), pattern)
            << sample.secret << withSecret(middleEscaped(secretInJson, unicodeEscaped)) << true;
        QTest::addRow("%lld %s json, all escaped", qlonglong(i), pattern)
            << sample.secret << withSecret(unicodeEscaped(sample.secret)) << true;
        if (!sample.selfEvident || sample.secret.contains('\n'))
            continue;
        const QByteArray query = "https://example.com/cb?code=";
        QTest::addRow("%lld %s url, one encoded", qlonglong(i), pattern)
            << sample.secret << query + middleEscaped(sample.secret, percentEscaped) + "&state=1"
            << false;
        QTest::addRow("%lld %s url, all encoded", qlonglong(i), pattern)
            << sample.secret << query + percentEscaped(sample.secret) + "&state=1" << false;
    }
}

void TestRedactor::escapedCorpus()
{
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, text);
    QFETCH(bool, json);
    const QByteArray redacted = Redactor().redact(text);
    QVERIFY2(redacted.contains("[REDACTED:"), redacted.constData());
    const QByteArray decoded =
        json ? contentOf(redacted) : QByteArray::fromPercentEncoding(redacted);
    QVERIFY2(!decoded.isNull(), redacted.constData()); // still valid JSON
    QCOMPARE(pieceLeaks(decoded, secret), QList<QByteArray>());
}

void TestRedactor::escapedCandidateFloodFailsClosed()
{
    // "sk-" with an escaped hyphen every 8 bytes: decoded, past the budget the rest of the JSON
    // string is redacted unexamined, escaped secret and all, and the JSON stays valid.
    const QByteArray secret = "ghp_" + QByteArray(36, 'Z');
    const QByteArray flood = QByteArray("sk\\u002d").repeated(20'000);
    const QByteArray json =
        R"({"a":"head )" + flood + ' ' + unicodeEscaped(secret) + R"(","b":"kept"})";
    const QByteArray redacted = Redactor().redact(json);
    QVERIFY(validEscapes(redacted));
    const QJsonObject object = QJsonDocument::fromJson(redacted).object();
    const QString a = object.value(u"a"_s).toString();
    QVERIFY(a.startsWith(u"head sk-"_s));
    QVERIFY(a.endsWith(u"[REDACTED:unexamined]"_s));
    QVERIFY(!a.contains(QString::fromLatin1(secret)));
    QCOMPARE(object.value(u"b"_s).toString(), u"kept"_s);
}

void TestRedactor::escapesWithoutSecretStayShared()
{
    // Escapes that decode to text are decoded and examined: a key among them goes...
    const QByteArray head = R"({"q":"50% of caf\u00e9 users","u":"https://example.com/?q=a%20b)"
                            R"(\u0026c=d","p":"C:\\u0073k-proj-abcdefghij0123456789abcd",)"
                            R"("m":"pip install sk\u002dlearn",)";
    const Redactor redactor;
    QCOMPARE(redactor.redact(head + R"("k":"sk-\u0070roj-abcdefghij0123456789abcd"})"),
             head + R"("k":"[REDACTED:openai_key]"})");
    // ... but without one, nothing changes and the text comes back shared, not copied.
    const QByteArray text = head + R"("k":"none"})";
    const QByteArray redacted = redactor.redact(text);
    QCOMPARE(redacted, text);
    QCOMPARE(redacted.constData(), text.constData());
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
