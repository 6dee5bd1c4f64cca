#include "rawhttpclient.h"
#include "server/httpexchange.h"
#include "server/httphandler.h"
#include "server/httpserver.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

namespace {

// Answers by path: /echo, /slow?ms=N, /stream?n=N, /hold (never answers).
class ScriptedHandler : public HttpHandler
{
public:
    void handle(HttpExchange *exchange) override
    {
        const HttpRequest &request = exchange->request();
        const QUrlQuery query(QString::fromLatin1(request.query));
        if (request.path == "/echo") {
            exchange->respond(200, {{"content-type", "text/plain"}},
                              request.method + ' ' + request.path + '\n' + request.body);
        } else if (request.path == "/slow") {
            const int ms = query.queryItemValue(QStringLiteral("ms")).toInt();
            QTimer::singleShot(ms, exchange, [exchange] {
                exchange->respond(200, {}, "slow " + exchange->request().query);
            });
        } else if (request.path == "/stream") {
            exchange->beginStream(200, {{"content-type", "text/event-stream"}});
            const int n = query.queryItemValue(QStringLiteral("n")).toInt();
            for (int i = 0; i < n; ++i)
                exchange->writeChunk(QByteArray("data: " + QByteArray::number(i) + "\n\n"));
            exchange->endStream();
        } else if (request.path == "/hold") {
            ++held;
            QObject::connect(exchange, &HttpExchange::aborted,
                             [this, exchange] { abortReasons.append(exchange->abortReason()); });
        } else {
            exchange->respond(404, {}, "no");
        }
    }
    void reject(HttpExchange *exchange, int status, const QByteArray &reason) override
    {
        rejected.append({status, exchange->request().path});
        HttpHandler::reject(exchange, status, reason);
    }

    int held = 0;
    QList<HttpExchange::AbortReason> abortReasons;
    QList<QPair<int, QByteArray>> rejected;
};

} // namespace

class tst_HttpServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ScriptedHandler> m_handler;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;

    void startServer(ServerLimits limits = {})
    {
        m_handler = std::make_unique<ScriptedHandler>();
        m_server = std::make_unique<HttpServer>(m_handler.get(), limits);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_port = m_server->serverPort();
    }
    QByteArray get(const QByteArray &path, const QByteArray &headers = {})
    {
        return rawRequest("GET", path, {}, headers, m_port);
    }

private Q_SLOTS:
    void init() { startServer(); }
    void cleanup()
    {
        m_server.reset();
        m_handler.reset();
    }

    void answersSimpleRequests()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(rawRequest("POST", "/echo", "hello"));
        client.socket().close();
        QVERIFY(client.connectTo(m_port));
        client.send(rawRequest("POST", "/echo", "hello body", {}, m_port));
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, QByteArray("POST /echo\nhello body"));
        QCOMPARE(response->header("content-length"), QByteArray("21"));
    }

    void keepsTheConnectionAlive()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        for (int i = 0; i < 3; ++i) {
            client.send(get("/echo"));
            const auto response = client.readResponse();
            QVERIFY(response);
            QCOMPARE(response->status, 200);
        }
        QCOMPARE(m_server->connectionCount(), 1);
    }

    void answersPipelinedRequestsInOrder()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        // One write: the first answer is slow, the later ones are immediate, yet order holds.
        client.send(get("/slow?ms=150") + rawRequest("POST", "/echo", "second", {}, m_port) +
                    get("/slow?ms=0") + get("/echo"));
        QList<QByteArray> bodies;
        for (int i = 0; i < 4; ++i) {
            const auto response = client.readResponse();
            QVERIFY(response);
            bodies.append(response->body);
        }
        QCOMPARE(bodies, (QList<QByteArray>{"slow ms=150", "POST /echo\nsecond", "slow ms=0",
                                            "GET /echo\n"}));
    }

    void splitsRequestsArrivingByteByByte()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        const QByteArray bytes = rawRequest("POST", "/echo", "trickled", {}, m_port);
        for (char c : bytes) {
            client.send(QByteArray(1, c));
            QTest::qWait(0);
        }
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray("POST /echo\ntrickled"));
    }

    void decodesChunkedRequestBodies()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(rawRequest("POST", "/echo", {}, "Transfer-Encoding: chunked\r\n", m_port) +
                    "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n");
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->body, QByteArray("POST /echo\nhello, world"));
    }

    void streamsChunkedResponses()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(get("/stream?n=3"));
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->header("transfer-encoding"), QByteArray("chunked"));
        QCOMPARE(response->body, QByteArray("data: 0\n\ndata: 1\n\ndata: 2\n\n"));
    }

    void refusesOversizeBodiesBeforeReadingThem()
    {
        cleanup();
        ServerLimits limits;
        limits.maxBodyBytes = 1000;
        startServer(limits);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        // Only the head is sent: the answer must not wait for the 10 GB body.
        client.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                    "\r\nContent-Length: 10000000000\r\n\r\n");
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(m_handler->rejected.value(0), qMakePair(413, QByteArray("/echo")));
    }

    void refusesOversizeChunkedBodies()
    {
        cleanup();
        ServerLimits limits;
        limits.maxBodyBytes = 10;
        startServer(limits);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(rawRequest("POST", "/echo", {}, "Transfer-Encoding: chunked\r\n", m_port) +
                    "8\r\n12345678\r\n8\r\n12345678\r\n");
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
    }

    void refusesOversizeHeaders_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::newRow("bytes") << "X-Big: " + QByteArray(70'000, 'a') + "\r\n";
        QByteArray many;
        for (int i = 0; i < 101; ++i)
            many += "X-H" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("count") << many;
    }
    void refusesOversizeHeaders()
    {
        QFETCH(QByteArray, headers);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(get("/echo", headers));
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 431);
        QVERIFY(client.waitForDisconnected());
    }

    void refusesMalformedAndSmuggledRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("no host") << QByteArray("GET /echo HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("bad version") << QByteArray("GET /echo HTTP/2.0\r\nHost: x\r\n\r\n") << 505;
        QTest::newRow("cl and te")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            << 400;
        QTest::newRow("two lengths")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                          "Content-Length: 4\r\n\r\nabcd")
            << 400;
        QTest::newRow("folded header")
            << QByteArray("GET /echo HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n") << 400;
        QTest::newRow("space before colon")
            << QByteArray("GET /echo HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("separator in name")
            << QByteArray("GET /echo HTTP/1.1\r\nHost: x\r\nX(y): 1\r\n\r\n") << 400;
        QTest::newRow("nul in name")
            << QByteArray("GET /echo HTTP/1.1\r\nHost: x\r\nX\0y: 1\r\n\r\n", 39) << 400;
        QTest::newRow("8-bit name")
            << QByteArray("GET /echo HTTP/1.1\r\nHost: x\r\nX\xe9: 1\r\n\r\n") << 400;
        QTest::newRow("bad method") << QByteArray("G(T /echo HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("gzip te") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\n"
                                               "Transfer-Encoding: gzip\r\n\r\n")
                                 << 501;
        QTest::newRow("bad chunk") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\n"
                                                 "Transfer-Encoding: chunked\r\n\r\nzz\r\n")
                                   << 400;
    }
    void refusesMalformedAndSmuggledRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(request);
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        QVERIFY(client.waitForDisconnected());
    }

    void answersExpectContinue()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                    "\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        const auto interim = client.readResponse();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        client.send("body");
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, QByteArray("POST /echo\nbody"));
    }

    void honoursConnectionClose()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(get("/echo", "Connection: close\r\n") + get("/echo"));
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->header("connection"), QByteArray("close"));
        QVERIFY(client.waitForDisconnected());
        QVERIFY(client.buffer().isEmpty()); // the pipelined second request was not served
    }

    void speaksHttp10()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send("GET /stream?n=2 HTTP/1.0\r\n\r\n");
        QVERIFY(client.waitForDisconnected());
        const auto response = client.readResponse();
        QVERIFY(response);
        QVERIFY(response->header("transfer-encoding").isEmpty());
        QCOMPARE(response->body, QByteArray("data: 0\n\ndata: 1\n\n"));

        RawHttpClient keepAlive;
        QVERIFY(keepAlive.connectTo(m_port));
        keepAlive.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const auto first = keepAlive.readResponse();
        QVERIFY(first);
        QCOMPARE(first->header("connection"), QByteArray("keep-alive"));
        keepAlive.send("GET /echo HTTP/1.0\r\n\r\n");
        QVERIFY(keepAlive.readResponse());
        QVERIFY(keepAlive.waitForDisconnected());
    }

    void closesIdleConnections_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("answered at once") << QByteArray("/echo");
        QTest::newRow("answered later") << QByteArray("/slow?ms=20"); // as a relay answers
    }
    void closesIdleConnections()
    {
        QFETCH(QByteArray, path);
        cleanup();
        ServerLimits limits;
        limits.keepAliveTimeoutMs = 100;
        startServer(limits);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(get(path));
        QVERIFY(client.readResponse());
        QVERIFY(client.waitForDisconnected(5000));
        QTRY_COMPARE(m_server->connectionCount(), 0);
    }

    void timesOutSlowRequests()
    {
        cleanup();
        ServerLimits limits;
        limits.headerTimeoutMs = 100;
        startServer(limits);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send("GET /echo HTTP/1.1\r\nHo");
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 408);
        QVERIFY(client.waitForDisconnected());
    }

    void checksTheHostHeader_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("status");
        QTest::newRow("loopback") << QByteArray("127.0.0.1:PORT") << 200;
        QTest::newRow("localhost") << QByteArray("localhost:PORT") << 200;
        QTest::newRow("upper case") << QByteArray("LOCALHOST:PORT") << 200;
        QTest::newRow("rebinding") << QByteArray("attacker.example:PORT") << 421;
        QTest::newRow("wrong port") << QByteArray("127.0.0.1:1") << 421;
        QTest::newRow("configured") << QByteArray("gatehouse.local:PORT") << 200;
    }
    void checksTheHostHeader()
    {
        QFETCH(QByteArray, host);
        QFETCH(int, status);
        m_server->setAllowedHosts({QStringLiteral("gatehouse.local")});
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send("GET /echo HTTP/1.1\r\nHost: " +
                    host.replace("PORT", QByteArray::number(m_port)) + "\r\n\r\n");
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, status);
    }

    void tellsTheHandlerWhenTheClientLeaves()
    {
        {
            RawHttpClient client;
            QVERIFY(client.connectTo(m_port));
            client.send(get("/hold"));
            QTRY_COMPARE(m_handler->held, 1);
            QCOMPARE(m_server->activeExchanges(), 1);
        }
        QTRY_COMPARE(m_handler->abortReasons.size(), 1);
        QCOMPARE(m_handler->abortReasons.first(), HttpExchange::AbortReason::ClientGone);
        QTRY_COMPARE(m_server->connectionCount(), 0);
        QCOMPARE(m_server->activeExchanges(), 0);
    }

    void shutsDownInTwoSteps()
    {
        RawHttpClient idle;
        QVERIFY(idle.connectTo(m_port));
        RawHttpClient busy;
        QVERIFY(busy.connectTo(m_port));
        busy.send(get("/hold"));
        QTRY_COMPARE(m_handler->held, 1);
        QTRY_COMPARE(m_server->connectionCount(), 2);
        m_server->stopAccepting();
        QVERIFY(idle.waitForDisconnected());
        QCOMPARE(m_server->activeExchanges(), 1);
        QSignalSpy drained(m_server.get(), &HttpServer::drained);
        m_server->abortAll();
        QCOMPARE(drained.size(), 1);
        QCOMPARE(m_handler->abortReasons, QList{HttpExchange::AbortReason::ServerShutdown});
        QVERIFY(busy.waitForDisconnected());
    }
};

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
