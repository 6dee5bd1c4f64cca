// The gatehouse executable as a user runs it: a real process, its command line, its one
// "listening" line, signals, exit status, and what it leaves in the data directory.
#include "ledgerreader.h"
#include "rawhttpclient.h"
#include "testenv.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kExampleKey = "gh-example-key-change-me";

QByteArray streamRequest(const QByteArray &prompt, quint16 port)
{
    return rawRequest(
        "POST", "/openai/v1/chat/completions",
        R"({"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":")" + prompt +
            R"("}]})",
        "Authorization: Bearer " + kExampleKey + "\r\nContent-Type: application/json\r\n", port);
}

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

class tst_GatehouseProcess : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dirHolder;
    QTemporaryDir &dir() { return *m_dirHolder; }
    QProcess m_process;
    quint16 m_port = 0;

    // Headless unless extra asks otherwise; the console opens only with a display.
    bool startGatehouse(const QStringList &extra = {}, bool headless = true)
    {
        QByteArray out;
        m_port = TestEnv::startGatehouse(
            m_process,
            QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                        QStringLiteral("--data-dir"), dir().path()} +
                (headless ? QStringList{QStringLiteral("--headless")} : QStringList()) + extra,
            20'000, &out);
        // Exactly the one line, nothing before or after it.
        if (m_port == 0 ||
            !QRegularExpression(
                 QStringLiteral("^gatehouse listening on http://127\\.0\\.0\\.1:\\d+\\n$"))
                 .match(QString::fromLatin1(out))
                 .hasMatch()) {
            qWarning("unexpected output: %s", out.constData());
            return false;
        }
        return true;
    }
    // `gatehouse simulate` in `process`; its port, 0 if it did not start.
    static quint16 startSimulator(QProcess &process)
    {
        process.start(TestEnv::gatehouseBinary(),
                      {QStringLiteral("simulate"), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0")});
        QByteArray out;
        if (!QTest::qWaitFor(
                [&] { return (out += process.readAllStandardOutput()).contains('\n'); }, 20'000))
            return 0;
        const auto match =
            QRegularExpression(
                QStringLiteral(
                    "^gatehouse simulator listening on http://127\\.0\\.0\\.1:(\\d+)\\n$"))
                .match(QString::fromLatin1(out));
        if (!match.hasMatch())
            qWarning("unexpected output: %s", out.constData());
        return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
    }
    int stopWith(int signalNumber)
    {
        ::kill(pid_t(m_process.processId()), signalNumber);
        if (!m_process.waitForFinished(30'000))
            return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }

private Q_SLOTS:
    void init()
    {
        m_dirHolder = std::make_unique<QTemporaryDir>(); // each test its own data directory
        QVERIFY(dir().isValid());
    }
    void cleanup()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
        m_process.setChildProcessModifier({});
    }

    void servesTheExampleKeyAndRecordsIt()
    {
        QVERIFY(startGatehouse());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(streamRequest("hello", m_port));
        const auto response = client.readResponse(30'000);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(response->body.endsWith("data: [DONE]\n\n"));
        QCOMPARE(stopWith(SIGTERM), 0);
        LedgerReader ledger(
            DatabaseLocation::sqliteFile(dir().filePath(QStringLiteral("ledger.sqlite"))));
        const QVariantMap row = ledger.row(response->header("x-request-id"));
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
        QVERIFY(row.value(QStringLiteral("completion_tokens")).toInt() > 0);
        QVERIFY(row.value(QStringLiteral("cost_micros")).toLongLong() > 0);
    }

    void servesWithTheConsoleOpen()
    {
        // The same process with a display (offscreen here): the window over the gateway.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           dir().filePath(QStringLiteral("config")));
        m_process.setProcessEnvironment(environment);
        QVERIFY(startGatehouse({}, false));
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(streamRequest("hello", m_port));
        const auto response = client.readResponse(30'000);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(stopWith(SIGTERM), 0);
        m_process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        // The window saved its state on the way out, and the ledger has the call.
        QVERIFY(QFile::exists(dir().filePath(QStringLiteral("config/Gatehouse/Gatehouse.conf"))));
        LedgerReader ledger(
            DatabaseLocation::sqliteFile(dir().filePath(QStringLiteral("ledger.sqlite"))));
        QCOMPARE(ledger.row(response->header("x-request-id")).value(QStringLiteral("outcome")),
                 QStringLiteral("ok"));
    }

    void aCrashLeavesNoReservationBehind()
    {
        QVERIFY(startGatehouse());
        QFile tokenFile(dir().filePath(QStringLiteral("admin-token")));
        QVERIFY(tokenFile.open(QIODevice::ReadOnly));
        const QByteArray admin = "Authorization: Bearer " + tokenFile.readAll().trimmed() + "\r\n";
        const auto adminCall = [&](const QByteArray &method, const QByteArray &path,
                                   const QByteArray &body = {}) {
            RawHttpClient client;
            client.connectTo(m_port);
            client.send(rawRequest(method, path, body, admin, m_port));
            const auto response = client.readResponse(10'000);
            return response ? QJsonDocument::fromJson(response->body).object() : QJsonObject();
        };
        const QString id =
            adminCall("POST", "/admin/v1/budgets",
                      R"({"layer":"account","subject":"default","limitUsd":10,"period":"none"})")
                .value(QStringLiteral("id"))
                .toString();
        QVERIFY(!id.isEmpty());
        const QByteArray budgetPath = "/admin/v1/budgets/" + id.toLatin1();
        LedgerReader ledger(
            DatabaseLocation::sqliteFile(dir().filePath(QStringLiteral("ledger.sqlite"))));
        {
            RawHttpClient done;
            QVERIFY(done.connectTo(m_port));
            done.send(streamRequest("[[sim tps=0 tokens=12]] one", m_port));
            const auto answer = done.readResponse(30'000);
            QVERIFY(answer);
            QCOMPARE(answer->status, 200);
            // Written before the crash (the store writes in batches, after the answer).
            QTRY_VERIFY(!ledger.row(answer->header("x-request-id")).isEmpty());
        }
        std::vector<std::unique_ptr<RawHttpClient>> open;
        for (int i = 0; i < 3; ++i) {
            auto client = std::make_unique<RawHttpClient>();
            QVERIFY(client->connectTo(m_port));
            client->send(streamRequest("[[sim tps=20 tokens=2000]] long", m_port));
            QVERIFY(client->waitForBytes(200));
            open.push_back(std::move(client));
        }
        const QJsonObject before = adminCall("GET", budgetPath);
        QVERIFY(before.value(QStringLiteral("reservedMicros")).toInteger() > 0);
        const qint64 spentBefore = before.value(QStringLiteral("spentMicros")).toInteger();
        QVERIFY(spentBefore > 0);

        m_process.kill(); // SIGKILL: nothing is settled, nothing is flushed
        QVERIFY(m_process.waitForFinished());
        open.clear();
        QVERIFY(startGatehouse());
        const QJsonObject after = adminCall("GET", budgetPath);
        QCOMPARE(after.value(QStringLiteral("reservedMicros")).toInteger(), 0);
        qint64 recorded = 0;
        for (const QVariantMap &row : ledger.rows())
            recorded += row.value(QStringLiteral("cost_micros")).toLongLong();
        QCOMPARE(after.value(QStringLiteral("spentMicros")).toInteger(), recorded);
        QCOMPARE(recorded, spentBefore); // the cut streams left no row: the crash lost them
    }

    void finishesRunningRequestsOnSigint()
    {
        QVERIFY(startGatehouse());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(streamRequest("[[sim tps=20 tokens=20]] slow", m_port)); // about a second
        QVERIFY(client.waitForBytes(200));
        ::kill(pid_t(m_process.processId()), SIGINT);
        const auto response = client.readResponse(30'000);
        QVERIFY(response);
        QVERIFY(response->body.endsWith("data: [DONE]\n\n")); // finished, not cut
        QVERIFY(m_process.waitForFinished(30'000));
        QCOMPARE(m_process.exitCode(), 0);
        LedgerReader ledger(
            DatabaseLocation::sqliteFile(dir().filePath(QStringLiteral("ledger.sqlite"))));
        QCOMPARE(ledger.row(response->header("x-request-id"))
                     .value(QStringLiteral("outcome"))
                     .toString(),
                 QStringLiteral("ok"));
    }

    void cutsWhatOutlivesTheGracePeriodAndRecordsIt()
    {
        QFile config(dir().filePath(QStringLiteral("short-grace.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        QFile example(TestEnv::sourceDir() + QStringLiteral("/resources/gatehouse.example.json"));
        QVERIFY(example.open(QIODevice::ReadOnly));
        QByteArray json = example.readAll();
        json.replace(json.indexOf('{'), 1, "{\"shutdownGraceMs\":300,");
        config.write(json);
        config.close();
        QVERIFY(startGatehouse({QStringLiteral("--config"), config.fileName()}));
        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(streamRequest("[[sim tps=10 tokens=1000]] endless", m_port));
        QVERIFY(client.waitForBytes(200));
        QCOMPARE(stopWith(SIGTERM), 0);
        QVERIFY(client.waitForDisconnected());
        LedgerReader ledger(
            DatabaseLocation::sqliteFile(dir().filePath(QStringLiteral("ledger.sqlite"))));
        const QList<QVariantMap> rows = ledger.rows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("shutdown"));
        QVERIFY(rows.first().value(QStringLiteral("completion_tokens")).toInt() > 0);
    }

    void holdsMemoryBoundedForAClientThatDoesNotRead()
    {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer's quarantine keeps freed memory resident: RSS says nothing here");
#endif
        QVERIFY(startGatehouse());
        const qint64 idle = residentKiB(m_process.processId());
        RawHttpClient client;
        client.socket().setReadBufferSize(64 * 1024); // this client reads slowly
        QVERIFY(client.connectTo(m_port));
        // About 400 MB of events if nothing held the provider back.
        client.send(streamRequest("[[sim tps=0 first_token_ms=0 tokens=2000000]] flood", m_port));
        QTest::qWait(1500);
        const qint64 held = residentKiB(m_process.processId());
        QVERIFY2(held - idle < 64 * 1024,
                 qPrintable(QStringLiteral("%1 KiB -> %2 KiB").arg(idle).arg(held)));
        QCOMPARE(stopWith(SIGTERM), 0);
    }

    void raisesItsOpenFileLimit()
    {
        // Two sockets per relayed call: the common soft limit of 1024 would refuse upstream
        // connections at ~500 concurrent streams.
        rlimit mine{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &mine), 0);
        if (mine.rlim_max <= 1024)
            QSKIP("the hard limit leaves no room above 1024 descriptors");
        m_process.setChildProcessModifier([] {
            rlimit files{};
            getrlimit(RLIMIT_NOFILE, &files);
            files.rlim_cur = 1024;
            setrlimit(RLIMIT_NOFILE, &files);
        });
        QVERIFY(startGatehouse());
        rlimit theirs{};
        QCOMPARE(prlimit(pid_t(m_process.processId()), RLIMIT_NOFILE, nullptr, &theirs), 0);
        QCOMPARE(theirs.rlim_cur, std::min<rlim_t>(mine.rlim_max, 65536));
        QCOMPARE(stopWith(SIGTERM), 0);
    }

    void allocatesWithMimalloc()
    {
#ifdef __SANITIZE_ADDRESS__
        QSKIP("the sanitizers' allocator replaces malloc in this build");
#endif
        // The hot path's figures in bench/RESULTS.md are measured with it.
        QVERIFY(startGatehouse());
        QFile maps(QStringLiteral("/proc/%1/maps").arg(m_process.processId()));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        QVERIFY(maps.readAll().contains("/libmimalloc.so"));
        QCOMPARE(stopWith(SIGTERM), 0);
    }

    void refusesAnInvalidConfigurationWithStatus2()
    {
        QFile config(dir().filePath(QStringLiteral("broken.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"providers":[{"name":"x","protocol":"gemini"}]})");
        config.close();
        m_process.start(TestEnv::gatehouseBinary(),
                        {QStringLiteral("--config"), config.fileName()});
        QVERIFY(m_process.waitForFinished(20'000));
        QCOMPARE(m_process.exitCode(), 2);
        const QByteArray error = m_process.readAllStandardError();
        QVERIFY2(error.contains("broken.json") && error.contains("$.providers[0].protocol"),
                 error.constData());
    }

    void runsTheSimulatorOnItsOwn()
    {
        const quint16 port = startSimulator(m_process);
        QVERIFY(port != 0);
        RawHttpClient client;
        QVERIFY(client.connectTo(port));
        client.send(rawRequest(
            "POST", "/v1/chat/completions",
            R"({"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]})", {},
            port));
        const auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(response->body.endsWith("data: [DONE]\n\n"));
        QCOMPARE(stopWith(SIGTERM), 0);
    }

    void relaysAProviderOverPlainHttp()
    {
        // The provider is another process on loopback (as a local model server would be): the
        // plain HTTP/1.1 upstream engine carries the calls, a held-back stream included.
        QProcess simulator;
        const quint16 simulatorPort = startSimulator(simulator);
        QVERIFY(simulatorPort != 0);
        QFile config(dir().filePath(QStringLiteral("local.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(
            QJsonDocument(
                QJsonObject{{u"providers"_s,
                             QJsonArray{QJsonObject{
                                 {u"name"_s, u"local"_s},
                                 {u"protocol"_s, u"openai"_s},
                                 {u"baseUrl"_s, u"http://127.0.0.1:%1/v1"_s.arg(simulatorPort)},
                                 {u"apiKeyEnv"_s, u"GH_TEST_LOCAL_KEY"_s}}}},
                            {u"models"_s, QJsonArray{QJsonObject{{u"alias"_s, u"*"_s},
                                                                 {u"provider"_s, u"local"_s}}}},
                            {u"apiKeys"_s,
                             QJsonArray{QJsonObject{
                                 {u"name"_s, u"example"_s},
                                 {u"account"_s, u"local"_s},
                                 {u"sha256"_s,
                                  QString::fromLatin1(QCryptographicHash::hash(
                                                          kExampleKey, QCryptographicHash::Sha256)
                                                          .toHex())}}}}})
                .toJson());
        config.close();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"GH_TEST_LOCAL_KEY"_s, u"sk-local-not-a-secret"_s);
        for (const char *proxy : {"http_proxy", "ALL_PROXY", "all_proxy"})
            environment.remove(QString::fromLatin1(proxy));
        m_process.setProcessEnvironment(environment);
        QVERIFY(startGatehouse({QStringLiteral("--config"), config.fileName()}));

        RawHttpClient client;
        QVERIFY(client.connectTo(m_port));
        client.send(rawRequest(
            "POST", "/openai/v1/chat/completions",
            R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"[[sim tokens=5]] hi"}]})",
            "Authorization: Bearer " + kExampleKey + "\r\nContent-Type: application/json\r\n",
            m_port));
        const auto answer = client.readResponse(30'000);
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
        QCOMPARE(QJsonDocument::fromJson(answer->body)
                     .object()
                     .value(u"usage"_s)
                     .toObject()
                     .value(u"completion_tokens"_s)
                     .toInt(),
                 5);
        client.send(streamRequest("[[sim tokens=20]] stream", m_port));
        const auto stream = client.readResponse(30'000);
        QVERIFY(stream);
        QCOMPARE(stream->status, 200);
        QVERIFY(stream->body.endsWith("data: [DONE]\n\n"));

        // A client that does not read: the upstream connection is paused, memory stays flat.
#if !defined(__SANITIZE_ADDRESS__)
        const qint64 idle = residentKiB(m_process.processId());
        RawHttpClient slow;
        slow.socket().setReadBufferSize(64 * 1024);
        QVERIFY(slow.connectTo(m_port));
        slow.send(streamRequest("[[sim tps=0 first_token_ms=0 tokens=2000000]] flood", m_port));
        QVERIFY(slow.waitForBytes(1));
        QTest::qWait(1500);
        const qint64 held = residentKiB(m_process.processId());
        QVERIFY2(held - idle < 64 * 1024,
                 qPrintable(QStringLiteral("%1 KiB -> %2 KiB").arg(idle).arg(held)));
#endif
        QCOMPARE(stopWith(SIGTERM), 0);
        simulator.terminate();
        QVERIFY(simulator.waitForFinished(10'000));

        LedgerReader ledger(
            DatabaseLocation::sqliteFile(dir().filePath(QStringLiteral("ledger.sqlite"))));
        const QVariantMap row = ledger.row(stream->header("x-request-id"));
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
        QCOMPARE(row.value(QStringLiteral("provider")).toString(), QStringLiteral("local"));
        QCOMPARE(row.value(QStringLiteral("completion_tokens")).toInt(), 20);
    }

    void theDatabaseFlagWinsOverSettings()
    {
        // Both name a server that is not there, so the start fails naming the database it used.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           dir().filePath(QStringLiteral("config")));
        m_process.setProcessEnvironment(environment);
        {
            QSettings settings(dir().filePath(QStringLiteral("config/Gatehouse/Gatehouse.conf")),
                               QSettings::IniFormat);
            settings.setValue(QStringLiteral("storage/database"),
                              QStringLiteral("postgresql://gh@127.0.0.1:1/from_settings"));
        }
        const QStringList common{QStringLiteral("--headless"), QStringLiteral("--listen"),
                                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                                 dir().path()};
        m_process.start(TestEnv::gatehouseBinary(), common);
        QVERIFY(m_process.waitForFinished(30'000));
        QCOMPARE(m_process.exitCode(), 1);
        const QByteArray fromSettings = m_process.readAllStandardError();
        QVERIFY2(fromSettings.contains("/from_settings"), fromSettings.constData());

        m_process.start(TestEnv::gatehouseBinary(),
                        common +
                            QStringList{QStringLiteral("--database"),
                                        QStringLiteral("postgresql://gh@127.0.0.1:1/from_flag")});
        QVERIFY(m_process.waitForFinished(30'000));
        QCOMPARE(m_process.exitCode(), 1);
        const QByteArray fromFlag = m_process.readAllStandardError();
        QVERIFY2(fromFlag.contains("/from_flag") && !fromFlag.contains("from_settings"),
                 fromFlag.constData());
        m_process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    }

    void refusesABadListenAddress()
    {
        m_process.start(
            TestEnv::gatehouseBinary(),
            {QStringLiteral("--headless"), QStringLiteral("--listen"), QStringLiteral("nowhere")});
        QVERIFY(m_process.waitForFinished(20'000));
        QCOMPARE(m_process.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_GatehouseProcess)
#include "tst_gatehouseprocess.moc"
