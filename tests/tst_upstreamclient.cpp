#include "scriptedhttpserver.h"
#include "upstream/upstreamcall.h"
#include "upstream/upstreamclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QByteArray Secret = QByteArrayLiteral("Bearer sk-do-not-leak-0123456789");

// What one call emitted, in order.
struct CallRecord
{
    int started = 0;
    int startedStatus = 0;
    bool dataBeforeStart = false;
    QByteArray body;
    int pieces = 0;
    int finished = 0;
    UpstreamError error = UpstreamError::None;
    QString message;

    void watch(UpstreamCall *call)
    {
        QObject::connect(call, &UpstreamCall::responseStarted, call, [this](int status) {
            ++started;
            startedStatus = status;
        });
        QObject::connect(call, &UpstreamCall::dataReceived, call, [this](const QByteArray &bytes) {
            dataBeforeStart = dataBeforeStart || started == 0;
            body += bytes;
            ++pieces;
        });
        QObject::connect(call, &UpstreamCall::finished, call,
                         [this](UpstreamError e, const QString &text) {
                             ++finished;
                             error = e;
                             message = text;
                         });
    }
};

UpstreamRequest requestTo(const QByteArray &url, const QByteArray &body = "{\"model\":\"m\"}")
{
    UpstreamRequest request;
    request.url = url;
    request.body = body;
    request.headers = {{"content-type", "application/json"}, {"authorization", Secret}};
    request.timeouts = {2'000, 10'000, 10'000};
    return request;
}

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : data) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void appendLittleEndian(QByteArray &out, quint32 value)
{
    for (int i = 0; i < 4; ++i)
        out += char((value >> (8 * i)) & 0xff);
}

// A gzip member around the raw deflate stream inside qCompress's zlib output
// (4-byte length prefix, 2-byte zlib header, deflate data, 4-byte Adler-32).
QByteArray gzip(const QByteArray &data)
{
    const QByteArray zlib = qCompress(data, 9);
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    out += zlib.sliced(6, zlib.size() - 6 - 4);
    appendLittleEndian(out, crc32(data));
    appendLittleEndian(out, quint32(data.size()));
    return out;
}

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 7 + i / 65'521) & 0xff);
    return bytes;
}

// Sets environment variables for one test and unsets them again.
class EnvironmentScope
{
public:
    EnvironmentScope(const QList<QPair<const char *, QByteArray>> &variables)
    {
        for (const auto &[name, value] : variables) {
            qputenv(name, value);
            m_names.append(name);
        }
    }
    ~EnvironmentScope()
    {
        for (const char *name : std::as_const(m_names))
            qunsetenv(name);
    }

private:
    QList<const char *> m_names;
};

constexpr const char *ProxyVariables[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                          "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};

} // namespace

// Found by QCOMPARE through argument-dependent lookup: failures name the error.
static char *toString(UpstreamError error)
{
    return qstrdup(upstreamErrorName(error));
}

// Every case runs against both engines: the plain HTTP/1.1 one that serves these loopback
// URLs by default, and curl, which serves https://, host names and proxies.
class TestUpstreamClient : public QObject
{
    Q_OBJECT
public:
    explicit TestUpstreamClient(UpstreamClient::Transport transport)
        : m_transport(transport)
    {}

private:
    const UpstreamClient::Transport m_transport;

private Q_SLOTS:
    void initTestCase();
    void response_data();
    void response();
    void requestOnTheWire_data();
    void requestOnTheWire();
    void connectionRefused();
    void connectTimeout();
    void firstByteTimeout();
    void idle_data();
    void idle();
    void keepAliveReuse();
    void staleKeptConnection();
    void localhost();
    void aReusedHandleCarriesNothingOver();
    void concurrentCalls();
    void pauseAndResume_data();
    void pauseAndResume();
    void deleteFromHandler_data();
    void deleteFromHandler();
    void deleteParentMidTransfer();
    void deleteWhileResumePending();
    void startFromHandler_data();
    void startFromHandler();
    void deleteClient_data();
    void deleteClient();
    void proxy_data();
    void proxy();
};

void TestUpstreamClient::initTestCase()
{
    // The machine's own proxy settings must not reroute the loopback fakes.
    for (const char *name : ProxyVariables)
        qunsetenv(name);
}

void TestUpstreamClient::response_data()
{
    QTest::addColumn<QList<QByteArray>>("pieces");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<UpstreamError>("error");
    QTest::addColumn<QByteArray>("headerName");
    QTest::addColumn<QByteArray>("expectedValue");

    QTest::newRow("200 with content-length")
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "X-Request-ID: req-7\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"}
        << false << 200 << QByteArray("{\"ok\":true}") << UpstreamError::None
        << QByteArray("x-request-id") << QByteArray("req-7");
    QTest::newRow("chunked in pieces")
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                             "Content-Type: text/event-stream\r\n\r\n",
                             "7\r\ndata: 1\r\n", "8\r\n\ndata: 2\r\n", "2\r\n\n\n\r\n", "0\r\n\r\n"}
        << false << 200 << QByteArray("data: 1\ndata: 2\n\n") << UpstreamError::None
        << QByteArray("content-type") << QByteArray("text/event-stream");
    const QByteArray text = QByteArray("{\"usage\":{\"prompt_tokens\":12}}").repeated(200);
    const QByteArray compressed = gzip(text);
    QTest::newRow("gzip decoded")
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
                                 QByteArray::number(compressed.size()) + "\r\n\r\n",
                             compressed.first(compressed.size() / 2),
                             compressed.sliced(compressed.size() / 2)}
        << false << 200 << text << UpstreamError::None << QByteArray("content-encoding")
        << QByteArray("gzip");
    QTest::newRow("500 relayed")
        << QList<QByteArray>{"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 19\r\n\r\n"
                             "{\"error\":\"broken\"}\n"}
        << false << 500 << QByteArray("{\"error\":\"broken\"}\n") << UpstreamError::None
        << QByteArray("content-length") << QByteArray("19");
    QTest::newRow("interim 100 and 103 skipped")
        << QList<QByteArray>{"HTTP/1.1 100 Continue\r\n\r\n",
                             "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
                             "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"}
        << false << 201 << QByteArray("ok") << UpstreamError::None << QByteArray("link")
        << QByteArray();
    QTest::newRow("cut before content-length reached")
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "partial"} << true
        << 200 << QByteArray("partial") << UpstreamError::ConnectionLost << QByteArray()
        << QByteArray();
    QTest::newRow("cut inside a chunk")
        << QList<QByteArray>{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "10\r\nhalf"}
        << true << 200 << QByteArray("half") << UpstreamError::ConnectionLost << QByteArray()
        << QByteArray();
    QTest::newRow("garbled reply")
        << QList<QByteArray>{"NONSENSE\r\n\r\n"} << true << 0 << QByteArray()
        << UpstreamError::ConnectionLost << QByteArray() << QByteArray();
    QTest::newRow("closed without reply")
        << QList<QByteArray>{} << true << 0 << QByteArray() << UpstreamError::ConnectionLost
        << QByteArray() << QByteArray();
}

void TestUpstreamClient::response()
{
    QFETCH(QList<QByteArray>, pieces);
    QFETCH(bool, closeAfter);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(UpstreamError, error);
    QFETCH(QByteArray, headerName);
    QFETCH(QByteArray, expectedValue);

    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([&](const ScriptedHttpServer::Request &request) {
        ScriptedHttpServer::writeSpaced(request.socket, pieces, 20, closeAfter);
    });

    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    UpstreamCall *call = client.start(requestTo(server.url("/v1/chat/completions")), &owner);
    CallRecord record;
    record.watch(call);

    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 10'000);
    QCOMPARE(record.error, error);
    QCOMPARE(record.body, body);
    QVERIFY(!record.dataBeforeStart);
    QCOMPARE(record.started, status ? 1 : 0);
    QCOMPARE(record.startedStatus, status);
    QCOMPARE(call->status(), status);
    if (!headerName.isEmpty())
        QCOMPARE(headerValue(call->responseHeaders(), headerName), expectedValue);
    if (error == UpstreamError::None) {
        QVERIFY(record.message.isEmpty());
    } else {
        QVERIFY(!record.message.isEmpty());
        QVERIFY(!record.message.contains(QString::fromLatin1(Secret)));
    }
    // Nothing after finished.
    QSignalSpy later(call, &UpstreamCall::finished);
    QVERIFY(!later.wait(50));
    QCOMPARE(record.started, status ? 1 : 0);
    QCOMPARE(record.body, body);
}

void TestUpstreamClient::requestOnTheWire_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("POST large body") << QByteArray("POST") << pattern(300'000);
    QTest::newRow("POST empty body") << QByteArray("POST") << QByteArray();
    QTest::newRow("GET") << QByteArray("GET") << QByteArray();
    QTest::newRow("PUT") << QByteArray("PUT") << QByteArray("{\"a\":1}");
}

void TestUpstreamClient::requestOnTheWire()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);

    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 204 No Content\r\n\r\n");
    });

    UpstreamRequest request = requestTo(server.url("/v1/messages?beta=true"), body);
    request.method = method;
    request.headers += {{"x-empty", ""},
                        {"anthropic-version", "2023-06-01"},
                        {"host", "attacker.example"},
                        {"connection", "close"},
                        {"x-injected", "a\r\nx-evil: 1"},
                        {"accept-encoding", "identity"},
                        // Past the head's first guess at its size (it grows).
                        {"x-long", QByteArray(5000, 'L')}};
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    CallRecord record;
    record.watch(client.start(request, &owner));
    // No 100-continue stall: well under curl's one-second Expect wait.
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 900);
    QCOMPARE(record.error, UpstreamError::None);
    QCOMPARE(record.startedStatus, 204);

    QCOMPARE(server.requests().size(), 1);
    const ScriptedHttpServer::Request &seen = server.requests().first();
    QCOMPARE(seen.method, method);
    QCOMPARE(seen.target, QByteArray("/v1/messages?beta=true"));
    QCOMPARE(seen.body, body);
    if (method != "GET")
        QCOMPARE(seen.header("content-length"), QByteArray::number(body.size()));
    QCOMPARE(seen.header("authorization"), Secret);
    QCOMPARE(seen.header("anthropic-version"), QByteArray("2023-06-01"));
    QCOMPARE(seen.header("x-long"), QByteArray(5000, 'L'));
    QVERIFY(!seen.header("x-empty").isNull());
    QCOMPARE(seen.header("x-empty"), QByteArray());
    QCOMPARE(seen.header("host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QVERIFY(seen.header("expect").isNull());
    QVERIFY(seen.header("connection").isNull());
    QVERIFY(seen.header("x-injected").isNull());
    QVERIFY(seen.header("x-evil").isNull());
    QVERIFY(seen.header("accept-encoding").contains("gzip"));
}

void TestUpstreamClient::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        port = closed.serverPort();
    }
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    CallRecord record;
    record.watch(
        client.start(requestTo("http://127.0.0.1:" + QByteArray::number(port) + "/v1/x"), &owner));
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
    QCOMPARE(record.error, UpstreamError::ConnectFailed);
    QCOMPARE(record.started, 0);
    QVERIFY2(record.message.contains(u"127.0.0.1"_s), qPrintable(record.message));
    QVERIFY(!record.message.contains(QString::fromLatin1(Secret)));
}

void TestUpstreamClient::connectTimeout()
{
    // A listener that never accepts and whose accept queue is full: the kernel drops
    // further SYNs, so a connect neither succeeds nor fails.
    QTcpServer listener;
    listener.setListenBacklogSize(0);
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    listener.pauseAccepting();
    std::vector<std::unique_ptr<QTcpSocket>> fillers;
    for (int i = 0; i < 4; ++i) {
        fillers.push_back(std::make_unique<QTcpSocket>());
        fillers.back()->connectToHost(QHostAddress::LocalHost, listener.serverPort());
    }
    QTRY_VERIFY(fillers.front()->state() == QAbstractSocket::ConnectedState);

    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    UpstreamRequest request =
        requestTo("http://127.0.0.1:" + QByteArray::number(listener.serverPort()) + "/v1/x");
    request.timeouts.connectMs = 300;
    CallRecord record;
    QElapsedTimer elapsed;
    elapsed.start();
    record.watch(client.start(request, &owner));
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
    QCOMPARE(record.error, UpstreamError::ConnectTimeout);
    QVERIFY(elapsed.elapsed() >= 250);
    QVERIFY(!record.message.isEmpty());
}

void TestUpstreamClient::firstByteTimeout()
{
    ScriptedHttpServer server; // reads the request, never answers
    QVERIFY(server.listen());
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    UpstreamRequest request = requestTo(server.url("/v1/x"));
    request.timeouts.firstByteMs = 300;
    CallRecord record;
    QElapsedTimer elapsed;
    elapsed.start();
    record.watch(client.start(request, &owner));
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
    QCOMPARE(record.error, UpstreamError::FirstByteTimeout);
    QVERIFY(elapsed.elapsed() >= 250);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(record.started, 0);
    QVERIFY(record.message.contains(u"300"_s));
    // The half-used connection is dropped, not pooled.
    QTRY_COMPARE(server.closedCount(), 1);
}

void TestUpstreamClient::idle_data()
{
    QTest::addColumn<QList<QByteArray>>("pieces");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<UpstreamError>("error");
    QTest::addColumn<QByteArray>("body");

    const QByteArray head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    QTest::newRow("headers then stall") << QList<QByteArray>{head, "5\r\nfirst\r\n"} << 20
                                        << UpstreamError::IdleTimeout << QByteArray("first");
    // Six pieces 100 ms apart take longer than the 300 ms idle limit in total, but no single
    // silence reaches it.
    QTest::newRow("steady trickle completes")
        << QList<QByteArray>{head,         "1\r\na\r\n", "1\r\nb\r\n", "1\r\nc\r\n",
                             "1\r\nd\r\n", "1\r\ne\r\n", "0\r\n\r\n"}
        << 100 << UpstreamError::None << QByteArray("abcde");
}

void TestUpstreamClient::idle()
{
    QFETCH(QList<QByteArray>, pieces);
    QFETCH(int, intervalMs);
    QFETCH(UpstreamError, error);
    QFETCH(QByteArray, body);

    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([&](const ScriptedHttpServer::Request &request) {
        ScriptedHttpServer::writeSpaced(request.socket, pieces, intervalMs, false);
    });
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    UpstreamRequest request = requestTo(server.url("/v1/x"));
    request.timeouts.idleMs = 300;
    CallRecord record;
    record.watch(client.start(request, &owner));
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
    QCOMPARE(record.error, error);
    QCOMPARE(record.started, 1);
    QCOMPARE(record.body, body);
}

void TestUpstreamClient::keepAliveReuse()
{
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong");
    });
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    for (int i = 0; i < 3; ++i) {
        CallRecord record;
        std::unique_ptr<UpstreamCall> call(client.start(requestTo(server.url("/ping")), nullptr));
        record.watch(call.get());
        QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
        QCOMPARE(record.error, UpstreamError::None);
        QCOMPARE(record.body, QByteArray("pong"));
    }
    QCOMPARE(server.requests().size(), 3);
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(server.closedCount(), 0);
}

void TestUpstreamClient::staleKeptConnection()
{
    // The server drops a kept connection just as the next request arrives on it (the race of
    // a keep-alive timeout): the request goes out again, once, on a new connection.
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    int onFirstConnection = 0;
    server.setResponder([&](const ScriptedHttpServer::Request &request) {
        if (request.connection == 0 && ++onFirstConnection == 2) {
            request.socket->abort();
            return;
        }
        request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    UpstreamClient client(nullptr, m_transport);
    for (int i = 0; i < 2; ++i) {
        CallRecord record;
        std::unique_ptr<UpstreamCall> call(client.start(requestTo(server.url("/again")), nullptr));
        record.watch(call.get());
        QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
        QCOMPARE(record.error, UpstreamError::None);
        QCOMPARE(record.body, QByteArray("ok"));
    }
    QCOMPARE(server.requests().size(), 3);
    QCOMPARE(server.connectionCount(), 2);
}

void TestUpstreamClient::localhost()
{
    ScriptedHttpServer server; // on 127.0.0.1; localhost may name ::1 first
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    CallRecord record;
    record.watch(client.start(
        requestTo("http://localhost:" + QByteArray::number(server.port()) + "/v1/x"), &owner));
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
    QCOMPARE(record.error, UpstreamError::None);
    QCOMPARE(record.body, QByteArray("ok"));
    QCOMPARE(server.requests().first().header("host"),
             "localhost:" + QByteArray::number(server.port()));
}

void TestUpstreamClient::aReusedHandleCarriesNothingOver()
{
    // Calls one after another take the same pooled curl handle, which is not reset between
    // them: each must go out with its own method, body and headers only.
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 204 No Content\r\n\r\n");
    });
    const struct
    {
        QByteArray method;
        QByteArray body;
    } calls[] = {{"PUT", "{\"put\":1}"},  {"GET", {}}, {"HEAD", {}}, {"POST", "{\"post\":2}"},
                 {"DELETE", "{\"d\":3}"}, {"GET", {}}};
    UpstreamClient client(nullptr, m_transport);
    for (qsizetype i = 0; i < std::ssize(calls); ++i) {
        UpstreamRequest request = requestTo(server.url("/v1/call"), calls[i].body);
        request.method = calls[i].method;
        const auto name = [](qsizetype call) {
            return QByteArray("x-call-" + QByteArray::number(call));
        };
        request.headers += {{name(i), "yes"}};
        CallRecord record;
        std::unique_ptr<UpstreamCall> call(client.start(request, nullptr));
        record.watch(call.get());
        QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
        QCOMPARE(record.error, UpstreamError::None);

        QCOMPARE(server.requests().size(), i + 1);
        const ScriptedHttpServer::Request &seen = server.requests().last();
        QCOMPARE(seen.method, calls[i].method);
        QCOMPARE(seen.body, calls[i].body);
        QCOMPARE(seen.header(name(i)), QByteArray("yes"));
        for (qsizetype before = 0; before < i; ++before)
            QVERIFY(seen.header(name(before)).isNull());
    }
    QCOMPARE(server.connectionCount(), 1);
}

void TestUpstreamClient::concurrentCalls()
{
    // The fake answers only once every call is in flight: any cap below 300 deadlocks.
    constexpr int Calls = 300;
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    QList<ScriptedHttpServer::Request> waiting;
    server.setResponder([&](const ScriptedHttpServer::Request &request) {
        waiting.append(request);
        if (waiting.size() < Calls)
            return;
        for (const ScriptedHttpServer::Request &held : std::as_const(waiting)) {
            const QByteArray body = "answer to " + held.target;
            held.socket->write("HTTP/1.1 200 OK\r\nContent-Length: " +
                               QByteArray::number(body.size()) + "\r\n\r\n" + body);
        }
    });
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    std::vector<std::unique_ptr<CallRecord>> records;
    for (int i = 0; i < Calls; ++i) {
        records.push_back(std::make_unique<CallRecord>());
        records.back()->watch(client.start(
            requestTo(server.url(QByteArray("/call/" + QByteArray::number(i)))), &owner));
    }
    const auto allFinished = [&] {
        return std::all_of(records.begin(), records.end(),
                           [](const auto &record) { return record->finished == 1; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allFinished(), 30'000);
    QCOMPARE(server.connectionCount(), Calls);
    for (int i = 0; i < Calls; ++i) {
        QCOMPARE(records[i]->error, UpstreamError::None);
        QCOMPARE(records[i]->body, "answer to /call/" + QByteArray::number(i));
    }
}

void TestUpstreamClient::pauseAndResume_data()
{
    QTest::addColumn<bool>("fromEventLoop");
    // Inside the handler only a flag can be set; from the event loop curl is told directly.
    QTest::newRow("pause inside dataReceived") << false;
    QTest::newRow("pause from the event loop") << true;
}

void TestUpstreamClient::pauseAndResume()
{
    QFETCH(bool, fromEventLoop);
    constexpr qsizetype Total = 50 * 1024 * 1024;
    const QByteArray payload = pattern(Total);
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    QPointer<QTcpSocket> serverSocket;
    server.setResponder([&](const ScriptedHttpServer::Request &request) {
        serverSocket = request.socket;
        request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(Total) +
                              "\r\n\r\n");
        request.socket->write(payload);
    });

    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    UpstreamCall *call = client.start(requestTo(server.url("/big")), &owner);
    CallRecord record;
    record.watch(call);
    // Pause at the first piece, then twice more 10 MB apart.
    constexpr int Rounds = 3;
    int pausesLeft = Rounds;
    qsizetype pauseAt = 1;
    int deliveredWhilePaused = 0;
    connect(call, &UpstreamCall::dataReceived, call, [&](const QByteArray &) {
        if (call->isPaused())
            ++deliveredWhilePaused;
        if (pausesLeft > 0 && record.body.size() >= pauseAt) {
            if (fromEventLoop)
                QMetaObject::invokeMethod(call, &UpstreamCall::pause, Qt::QueuedConnection);
            else
                call->pause();
            --pausesLeft;
            pauseAt += 10 * 1024 * 1024;
        }
    });

    for (int round = 0; round < Rounds; ++round) {
        QTRY_VERIFY_WITH_TIMEOUT(call->isPaused(), 10'000);
        QVERIFY(serverSocket);
        const qsizetype receivedAtPause = record.body.size();
        QSignalSpy spy(call, &UpstreamCall::dataReceived);
        QVERIFY(!spy.wait(400));
        QCOMPARE(record.body.size(), receivedAtPause);
        // The upstream cannot get rid of its bytes: only the kernel buffers took some.
        QVERIFY2(serverSocket->bytesToWrite() > 8 * 1024 * 1024,
                 QByteArray::number(serverSocket->bytesToWrite()).constData());
        QCOMPARE(record.finished, 0);
        call->resume();
        QVERIFY(!call->isPaused());
    }
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 30'000);
    QCOMPARE(record.error, UpstreamError::None);
    QCOMPARE(deliveredWhilePaused, 0);
    QCOMPARE(record.body.size(), Total);
    QVERIFY(record.body == payload);
}

void TestUpstreamClient::deleteFromHandler_data()
{
    QTest::addColumn<QString>("signal");
    QTest::addColumn<bool>("connectionDropped");

    QTest::newRow("responseStarted") << u"responseStarted"_s << true;
    QTest::newRow("dataReceived") << u"dataReceived"_s << true;
    QTest::newRow("finished") << u"finished"_s << false;
}

void TestUpstreamClient::deleteFromHandler()
{
    QFETCH(QString, signal);
    QFETCH(bool, connectionDropped);

    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        // Headers and the first piece in one write, more later.
        ScriptedHttpServer::writeSpaced(
            request.socket, {"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nfirst-", "second"}, 30,
            false);
    });
    UpstreamClient client(nullptr, m_transport);
    auto *call = client.start(requestTo(server.url("/v1/x")), nullptr);
    QPointer<UpstreamCall> alive(call);
    int started = 0;
    QByteArray body;
    int finished = 0;
    connect(call, &UpstreamCall::responseStarted, [&] {
        ++started;
        if (signal == u"responseStarted")
            delete call;
    });
    connect(call, &UpstreamCall::dataReceived, [&](const QByteArray &bytes) {
        body += bytes;
        if (signal == u"dataReceived")
            delete call;
    });
    connect(call, &UpstreamCall::finished, [&] {
        ++finished;
        if (signal == u"finished")
            delete call;
    });
    QTRY_VERIFY_WITH_TIMEOUT(!alive, 5'000);
    if (connectionDropped)
        QTRY_COMPARE(server.closedCount(), 1);
    QTest::qWait(100); // a window for stray signals from the deleted call
    QCOMPARE(started, 1);
    QCOMPARE(body, signal == u"responseStarted" ? QByteArray()
                   : signal == u"dataReceived"  ? QByteArray("first-")
                                                : QByteArray("first-second"));
    QCOMPARE(finished, signal == u"finished" ? 1 : 0);

    // The client is still sound: the next call works (over the kept connection if any).
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    QObject owner;
    CallRecord record;
    record.watch(client.start(requestTo(server.url("/again")), &owner));
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 5'000);
    QCOMPARE(record.error, UpstreamError::None);
    QCOMPARE(record.body, QByteArray("ok"));
    QCOMPARE(server.connectionCount(), connectionDropped ? 2 : 1);
}

void TestUpstreamClient::deleteParentMidTransfer()
{
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "6\r\nhello \r\n");
    });
    UpstreamClient client(nullptr, m_transport);
    auto owner = std::make_unique<QObject>();
    UpstreamCall *call = client.start(requestTo(server.url("/v1/x")), owner.get());
    QPointer<UpstreamCall> alive(call);
    int finished = 0;
    QByteArray body;
    connect(call, &UpstreamCall::dataReceived, [&](const QByteArray &bytes) { body += bytes; });
    connect(call, &UpstreamCall::finished, [&] { ++finished; });
    QTRY_COMPARE_WITH_TIMEOUT(body, QByteArray("hello "), 5'000);

    owner.reset();
    QVERIFY(!alive);
    QTRY_COMPARE_WITH_TIMEOUT(server.closedCount(), 1, 5'000);
    QCOMPARE(finished, 0);
}

void TestUpstreamClient::deleteWhileResumePending()
{
    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: 4000000\r\n\r\n");
        request.socket->write(pattern(4'000'000));
    });
    UpstreamClient client(nullptr, m_transport);
    auto *call = client.start(requestTo(server.url("/v1/x")), nullptr);
    QPointer<UpstreamCall> alive(call);
    CallRecord record;
    record.watch(call);
    connect(call, &UpstreamCall::dataReceived, call, [call] { call->pause(); });
    QTRY_VERIFY_WITH_TIMEOUT(!record.body.isEmpty(), 5'000);
    QSignalSpy spy(call, &UpstreamCall::dataReceived);
    QVERIFY(!spy.wait(100)); // curl now holds the receive side
    call->resume();          // queued for the event loop...
    delete call;             // ...and the call is gone before it runs
    QTRY_COMPARE_WITH_TIMEOUT(server.closedCount(), 1, 5'000);
    QVERIFY(!alive);
    QCOMPARE(record.finished, 0);
}

void TestUpstreamClient::startFromHandler_data()
{
    QTest::addColumn<QString>("signal");
    QTest::newRow("responseStarted") << u"responseStarted"_s;
    QTest::newRow("dataReceived") << u"dataReceived"_s;
    QTest::newRow("finished") << u"finished"_s;
}

void TestUpstreamClient::startFromHandler()
{
    QFETCH(QString, signal);

    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n" +
                              request.target.last(3));
    });
    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    UpstreamCall *first = client.start(requestTo(server.url("/one")), &owner);
    CallRecord firstRecord;
    firstRecord.watch(first);
    CallRecord secondRecord;
    bool secondStarted = false;
    const auto startSecond = [&] {
        if (std::exchange(secondStarted, true))
            return;
        secondRecord.watch(client.start(requestTo(server.url("/two")), &owner));
    };
    if (signal == u"responseStarted")
        connect(first, &UpstreamCall::responseStarted, &owner, startSecond);
    else if (signal == u"dataReceived")
        connect(first, &UpstreamCall::dataReceived, &owner, startSecond);
    else
        connect(first, &UpstreamCall::finished, &owner, startSecond);
    QTRY_COMPARE_WITH_TIMEOUT(secondRecord.finished, 1, 5'000);
    QCOMPARE(firstRecord.finished, 1);
    QCOMPARE(firstRecord.body, QByteArray("one"));
    QCOMPARE(secondRecord.error, UpstreamError::None);
    QCOMPARE(secondRecord.body, QByteArray("two"));
}

void TestUpstreamClient::deleteClient_data()
{
    QTest::addColumn<bool>("fromHandler");
    QTest::newRow("from the test") << false;
    QTest::newRow("from a dataReceived handler") << true;
}

void TestUpstreamClient::deleteClient()
{
    QFETCH(bool, fromHandler);

    ScriptedHttpServer server;
    QVERIFY(server.listen());
    server.setResponder([](const ScriptedHttpServer::Request &request) {
        request.socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "4\r\nopen\r\n");
    });
    auto *client = new UpstreamClient(nullptr, m_transport);
    QPointer<UpstreamClient> clientAlive(client);
    QObject owner;
    constexpr int Calls = 3;
    std::vector<std::unique_ptr<CallRecord>> records;
    QList<QPointer<UpstreamCall>> calls;
    for (int i = 0; i < Calls; ++i) {
        records.push_back(std::make_unique<CallRecord>());
        UpstreamCall *call = client->start(requestTo(server.url("/v1/x")), &owner);
        records.back()->watch(call);
        calls.append(call);
    }
    if (fromHandler) {
        connect(calls.first(), &UpstreamCall::dataReceived, calls.first(), [&] { delete client; });
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(records.begin(), records.end(),
                                             [](const auto &r) { return !r->body.isEmpty(); }),
                                 5'000);
        delete client;
    }
    QTRY_VERIFY_WITH_TIMEOUT(!clientAlive, 5'000);
    for (const auto &record : records) {
        QCOMPARE(record->finished, 1);
        QCOMPARE(record->error, UpstreamError::Aborted);
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.closedCount(), server.connectionCount(), 5'000);
    // The orphaned calls stay usable objects and can be deleted later.
    for (const QPointer<UpstreamCall> &call : std::as_const(calls)) {
        QVERIFY(call);
        call->pause();
        call->resume();
        delete call;
    }
    QTest::qWait(50); // a window for stray signals
    for (const auto &record : records)
        QCOMPARE(record->finished, 1);
}

void TestUpstreamClient::proxy_data()
{
    QTest::addColumn<QByteArray>("variable");
    QTest::addColumn<QByteArray>("noProxyVariable");
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QByteArray>("expectedRequestLine"); // empty: the proxy sees nothing
    QTest::addColumn<UpstreamError>("error");

    QTest::newRow("HTTPS_PROXY tunnels https")
        << QByteArray("HTTPS_PROXY") << QByteArray() << QByteArray("https://api.example.test/v1/x")
        << QByteArray("CONNECT api.example.test:443 HTTP/1.1") << UpstreamError::ConnectFailed;
    QTest::newRow("https_proxy tunnels https")
        << QByteArray("https_proxy") << QByteArray() << QByteArray("https://api.example.test/v1/x")
        << QByteArray("CONNECT api.example.test:443 HTTP/1.1") << UpstreamError::ConnectFailed;
    QTest::newRow("NO_PROXY bypasses HTTPS_PROXY")
        << QByteArray("HTTPS_PROXY") << QByteArray("NO_PROXY")
        << QByteArray("https://api.example.test/v1/x") << QByteArray()
        << UpstreamError::ConnectFailed;
    QTest::newRow("http_proxy forwards http")
        << QByteArray("http_proxy") << QByteArray() << QByteArray("http://api.example.test/v1/x")
        << QByteArray("POST http://api.example.test/v1/x HTTP/1.1") << UpstreamError::None;
    QTest::newRow("no_proxy bypasses http_proxy")
        << QByteArray("http_proxy") << QByteArray("no_proxy")
        << QByteArray("http://api.example.test/v1/x") << QByteArray()
        << UpstreamError::ConnectFailed;
}

void TestUpstreamClient::proxy()
{
    QFETCH(QByteArray, variable);
    QFETCH(QByteArray, noProxyVariable);
    QFETCH(QByteArray, url);
    QFETCH(QByteArray, expectedRequestLine);
    QFETCH(UpstreamError, error);

    ScriptedHttpServer proxy;
    QVERIFY(proxy.listen());
    proxy.setResponder([](const ScriptedHttpServer::Request &request) {
        if (request.method == "CONNECT")
            request.socket->abort(); // a tunnel we refuse: the call must fail cleanly
        else
            request.socket->write("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nvia proxy");
    });
    QList<QPair<const char *, QByteArray>> variables{
        {variable.constData(), "http://127.0.0.1:" + QByteArray::number(proxy.port())}};
    if (!noProxyVariable.isEmpty())
        variables.append(qMakePair(noProxyVariable.constData(), QByteArray("api.example.test")));
    EnvironmentScope environment(variables);

    UpstreamClient client(nullptr, m_transport);
    QObject owner;
    CallRecord record;
    record.watch(client.start(requestTo(url), &owner));
    QTRY_COMPARE_WITH_TIMEOUT(record.finished, 1, 10'000);
    QCOMPARE(record.error, error);
    QVERIFY(!record.message.contains(QString::fromLatin1(Secret)));
    if (expectedRequestLine.isEmpty()) {
        QCOMPARE(proxy.connectionCount(), 0);
    } else {
        QCOMPARE(proxy.requests().size(), 1);
        QCOMPARE(proxy.requests().first().requestLine, expectedRequestLine);
        if (error == UpstreamError::None)
            QCOMPARE(record.body, QByteArray("via proxy"));
    }
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int failures = 0;
    for (const auto transport :
         {UpstreamClient::Transport::Automatic, UpstreamClient::Transport::CurlOnly}) {
        qInfo("--- transport: %s", transport == UpstreamClient::Transport::Automatic
                                       ? "automatic (plain HTTP/1.1 for loopback)"
                                       : "curl only");
        TestUpstreamClient test(transport);
        failures += QTest::qExec(&test, argc, argv);
    }
    return failures;
}
#include "tst_upstreamclient.moc"
