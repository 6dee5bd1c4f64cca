// `gatehouse exec` and `gatehouse env` as a user runs them: a real Gatehouse process, a real
// child (sh and curl) calling it with the injected environment, and what the admin API says after.
#include "rawhttpclient.h"
#include "testenv.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

struct Finished
{
    int status = -1; // -1: did not finish in time or crashed
    QByteArray out;
    QByteArray err;
};

// The environment gatehouse exec starts from: the caller's own Anthropic key (which a governed
// child must not see), and nothing that would point it away from the data directory.
QProcessEnvironment callerEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("GATEHOUSE_URL"));
    environment.remove(QStringLiteral("GATEHOUSE_ADMIN_TOKEN"));
    for (const char *name : {"OPENAI_BASE_URL", "OPENAI_API_KEY", "CODEX_API_KEY",
                             "ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_MODEL"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("sk-ant-callers-own"));
    return environment;
}

Finished runGatehouse(const QStringList &arguments)
{
    QProcess process;
    process.setProcessEnvironment(callerEnvironment());
    process.start(TestEnv::gatehouseBinary(), arguments);
    Finished finished;
    if (process.waitForFinished(60'000) && process.exitStatus() == QProcess::NormalExit)
        finished.status = process.exitCode();
    finished.out = process.readAllStandardOutput();
    finished.err = process.readAllStandardError();
    return finished;
}

QString readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The child's two calls, one per API family, each with the variables that family's clients read.
const QString kCallBothFamilies = QStringLiteral(R"sh(
body='{"model":"'"$GATEHOUSE_MODEL"'","max_tokens":32,"messages":[{"role":"user","content":"hi"}]}'
curl -sS -f -o "$1" -H "Authorization: Bearer $OPENAI_API_KEY" -H 'Content-Type: application/json' \
    -d "$body" "$OPENAI_BASE_URL/chat/completions" || exit 90
curl -sS -f -o "$2" -H "Authorization: Bearer $ANTHROPIC_AUTH_TOKEN" \
    -H 'anthropic-version: 2023-06-01' -H 'Content-Type: application/json' \
    -d "$body" "$ANTHROPIC_BASE_URL/v1/messages" || exit 91
printf '%s\n' "$OPENAI_API_KEY" "$CODEX_API_KEY" "$GATEHOUSE_CREDENTIAL_ID" \
    "$GATEHOUSE_EXECUTION_ID" "${ANTHROPIC_API_KEY-unset}" "$ANTHROPIC_MODEL" \
    "$GATEHOUSE_GOVERNED" > "$3"
exit 7
)sh");

} // namespace

class tst_GatehouseExec : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dataDir;
    QProcess m_gatehouse;
    quint16 m_port = 0;

    QStringList execArguments(const QStringList &options, const QStringList &command) const
    {
        return QStringList{QStringLiteral("exec"), QStringLiteral("--data-dir"), m_dataDir.path()} +
               options + QStringList{QStringLiteral("--")} + command;
    }

    std::optional<RawHttpResponse> call(const QByteArray &method, const QByteArray &path,
                                        const QByteArray &token, const QByteArray &body = {})
    {
        RawHttpClient client;
        if (!client.connectTo(m_port))
            return std::nullopt;
        client.send(rawRequest(
            method, path, body,
            "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n", m_port));
        return client.readResponse(30'000);
    }

    QJsonValue admin(const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
    {
        QFile tokenFile(m_dataDir.filePath(QStringLiteral("admin-token")));
        if (!tokenFile.open(QIODevice::ReadOnly))
            return {};
        const auto response = call(method, path, tokenFile.readAll().trimmed(), body);
        if (!response || response->status / 100 != 2)
            return {};
        const QJsonDocument document = QJsonDocument::fromJson(response->body);
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }

    QJsonObject execution(const QString &id)
    {
        return admin("GET", "/admin/v1/executions/" + id.toUtf8()).toObject();
    }

    // The credential minted for an execution (gatehouse exec mints exactly one).
    QJsonObject credentialOf(const QString &executionId)
    {
        for (const QJsonValue &credential : admin("GET", "/admin/v1/credentials").toArray()) {
            if (credential[QStringLiteral("execution")].toString() == executionId)
                return credential.toObject();
        }
        return {};
    }

    // The execution whose command line holds this marker (each test's command has its own).
    QJsonObject executionRunning(const QString &marker)
    {
        for (const QJsonValue &execution : admin("GET", "/admin/v1/executions").toArray()) {
            if (execution[QStringLiteral("command")].toString().contains(marker))
                return execution.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty(),
                 "curl is needed (installed by .ci/setup-debian)");
        QVERIFY(m_dataDir.isValid());
        m_gatehouse.setProgram(TestEnv::gatehouseBinary());
        m_gatehouse.setArguments({QStringLiteral("--headless"), QStringLiteral("--listen"),
                                  QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                                  m_dataDir.path()});
        m_gatehouse.start();
        QVERIFY(m_gatehouse.waitForStarted());
        QByteArray out;
        QVERIFY(QTest::qWaitFor(
            [&] {
                out += m_gatehouse.readAllStandardOutput();
                return out.contains('\n') || m_gatehouse.state() == QProcess::NotRunning;
            },
            20'000));
        const auto match =
            QRegularExpression(
                QStringLiteral("^gatehouse listening on http://127\\.0\\.0\\.1:(\\d+)"))
                .match(QString::fromLatin1(out));
        QVERIFY2(match.hasMatch(), out.constData());
        m_port = quint16(match.captured(1).toUInt());
        QVERIFY(QFile::exists(m_dataDir.filePath(QStringLiteral("listen-url"))));
    }

    void cleanupTestCase()
    {
        if (m_gatehouse.state() == QProcess::NotRunning)
            return;
        m_gatehouse.terminate();
        if (!m_gatehouse.waitForFinished(30'000))
            m_gatehouse.kill();
    }

    void childCallsTheGatewayAndItsStatusComesBack()
    {
        QTemporaryDir scratch;
        const QString chat = scratch.filePath(QStringLiteral("chat.json"));
        const QString messages = scratch.filePath(QStringLiteral("messages.json"));
        const QString seen = scratch.filePath(QStringLiteral("environment.txt"));
        const Finished run = runGatehouse(execArguments(
            {QStringLiteral("--principal"), QStringLiteral("sdk"), QStringLiteral("--model"),
             QStringLiteral("gpt-4o-mini"), QStringLiteral("--flow"), QStringLiteral("nightly")},
            {QStringLiteral("sh"), QStringLiteral("-c"), kCallBothFamilies, QStringLiteral("sh"),
             chat, messages, seen}));
        QVERIFY2(run.status == 7, run.err.constData()); // 90/91: a call failed
        QVERIFY2(readFile(chat).contains(QLatin1String("\"chat.completion\"")),
                 qPrintable(readFile(chat)));
        QVERIFY2(readFile(messages).contains(QLatin1String("\"type\":\"message\"")),
                 qPrintable(readFile(messages)));

        const QStringList environment = readFile(seen).split(u'\n');
        QCOMPARE(environment.size(), 8);
        const QString token = environment.at(0);
        QVERIFY(!token.isEmpty());
        QCOMPARE(environment.at(1), token); // CODEX_API_KEY
        const QString credentialId = environment.at(2);
        const QString executionId = environment.at(3);
        QVERIFY(credentialId.startsWith(QLatin1String("cr_")));
        QVERIFY(executionId.startsWith(QLatin1String("ex_")));
        QCOMPARE(environment.at(4), QStringLiteral("unset")); // only one credential for Claude Code
        QCOMPARE(environment.at(5), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(environment.at(6), QStringLiteral("1"));

        const QJsonObject closed = execution(executionId);
        QCOMPARE(closed[QStringLiteral("status")].toString(), QStringLiteral("failed"));
        QCOMPARE(closed[QStringLiteral("exitStatus")].toInt(-1), 7);
        QCOMPARE(closed[QStringLiteral("flow")].toString(), QStringLiteral("nightly"));
        QVERIFY(closed[QStringLiteral("command")].toString().startsWith(QLatin1String("sh -c ")));
        const QJsonObject credential = credentialOf(executionId);
        QCOMPARE(credential[QStringLiteral("id")].toString(), credentialId);
        QCOMPARE(credential[QStringLiteral("state")].toString(), QStringLiteral("revoked"));

        const auto refused =
            call("POST", "/openai/v1/chat/completions", token.toUtf8(),
                 R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"again"}]})");
        QVERIFY(refused);
        QCOMPARE(refused->status, 401);
    }

    void directAliasRunsUngovernedWithTheCallersOwnKey()
    {
        QVERIFY(
            admin("PUT", "/admin/v1/aliases/fast-direct",
                  R"({"provider":"simulator","model":"sim-upstream-1","direct":["claude-code"]})")
                .isObject());
        const Finished run = runGatehouse(execArguments(
            {QStringLiteral("--principal"), QStringLiteral("claude-code"),
             QStringLiteral("--model"), QStringLiteral("fast-direct")},
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("printf '%s\\n' \"$GATEHOUSE_GOVERNED\" \"$ANTHROPIC_API_KEY\" "
                            "\"${ANTHROPIC_AUTH_TOKEN-unset}\" \"$ANTHROPIC_MODEL\" "
                            "\"$GATEHOUSE_MODEL\"; exit 5")}));
        QCOMPARE(run.status, 5);
        QVERIFY2(run.err.contains("not govern"), run.err.constData()); // the notice, to stderr
        QCOMPARE(QString::fromUtf8(run.out).split(u'\n'),
                 (QStringList{QStringLiteral("0"), QStringLiteral("sk-ant-callers-own"),
                              QStringLiteral("unset"), QStringLiteral("sim-upstream-1"),
                              QStringLiteral("sim-upstream-1"), QString()}));
    }

    void exitStatusLikeAShell_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("executionStatus");

        QTest::newRow("success") << QStringLiteral("exit 0") << 0 << QStringLiteral("succeeded");
        QTest::newRow("failure") << QStringLiteral("exit 3") << 3 << QStringLiteral("failed");
        QTest::newRow("killed by SIGTERM")
            << QStringLiteral("kill -TERM $$") << 128 + SIGTERM << QStringLiteral("failed");
        QTest::newRow("killed by SIGKILL")
            << QStringLiteral("kill -KILL $$") << 128 + SIGKILL << QStringLiteral("failed");
    }

    void exitStatusLikeAShell()
    {
        QFETCH(QString, script);
        QFETCH(int, expected);
        QFETCH(QString, executionStatus);
        const QString marker =
            QStringLiteral("# status-%1").arg(QString::fromLatin1(QTest::currentDataTag()));
        const Finished run = runGatehouse(execArguments(
            {}, {QStringLiteral("sh"), QStringLiteral("-c"), script + u'\n' + marker}));
        QCOMPARE(run.status, expected);
        const QJsonObject closed = executionRunning(marker);
        QCOMPARE(closed[QStringLiteral("status")].toString(), executionStatus);
        QCOMPARE(closed[QStringLiteral("exitStatus")].toInt(-1), expected);
        QCOMPARE(credentialOf(closed[QStringLiteral("id")].toString())[QStringLiteral("state")]
                     .toString(),
                 QStringLiteral("revoked"));
    }

    void signalsReachTheChild_data()
    {
        QTest::addColumn<int>("signalNumber");

        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGHUP") << int(SIGHUP);
    }

    void signalsReachTheChild()
    {
        QFETCH(int, signalNumber);
        const QString marker = QStringLiteral("# signal-%1").arg(signalNumber);
        QProcess exec;
        exec.setProcessEnvironment(callerEnvironment());
        exec.start(TestEnv::gatehouseBinary(),
                   execArguments({}, {QStringLiteral("sh"), QStringLiteral("-c"),
                                      QStringLiteral("echo ready; exec sleep 60\n") + marker}));
        QVERIFY(QTest::qWaitFor([&] { return exec.canReadLine(); }, 30'000));
        QCOMPARE(exec.readLine(), QByteArray("ready\n"));
        ::kill(pid_t(exec.processId()), signalNumber); // to gatehouse exec, not to the child
        QVERIFY(exec.waitForFinished(30'000));
        QCOMPARE(exec.exitStatus(), QProcess::NormalExit); // gatehouse itself survived to clean up
        QCOMPARE(exec.exitCode(), 128 + signalNumber);
        const QJsonObject closed = executionRunning(marker);
        QCOMPARE(closed[QStringLiteral("exitStatus")].toInt(-1), 128 + signalNumber);
        QCOMPARE(credentialOf(closed[QStringLiteral("id")].toString())[QStringLiteral("state")]
                     .toString(),
                 QStringLiteral("revoked"));
    }

    void commandNotFoundIs127()
    {
        const QString missing = m_dataDir.filePath(QStringLiteral("no-such-command"));
        const Finished run = runGatehouse(execArguments({}, {missing, QStringLiteral("--flag")}));
        QCOMPARE(run.status, 127);
        QVERIFY2(run.err.contains(missing.toUtf8()), run.err.constData());
        const QJsonObject closed = executionRunning(missing);
        QCOMPARE(closed[QStringLiteral("status")].toString(), QStringLiteral("failed"));
        QCOMPARE(closed[QStringLiteral("exitStatus")].toInt(-1), 127);
        QCOMPARE(credentialOf(closed[QStringLiteral("id")].toString())[QStringLiteral("state")]
                     .toString(),
                 QStringLiteral("revoked"));
    }

    void envOutputWorksUnderEval()
    {
        const QString script = QStringLiteral(R"sh(
exports=$("$1" env --data-dir "$2" --principal codex --model gpt-4o-mini --ttl 90s) || exit 90
eval "$exports"
printf '%s\n' "$exports" | head -n 1
curl -sS -f -o /dev/null -H "Authorization: Bearer $CODEX_API_KEY" \
    -H 'Content-Type: application/json' -d '{"model":"'"$GATEHOUSE_MODEL"'","input":"hi"}' \
    "$OPENAI_BASE_URL/responses" || exit 91
printf '%s\n' "$GATEHOUSE_EXPIRES_AT" "${GATEHOUSE_EXECUTION_ID-none}"
)sh");
        QProcess sh;
        sh.setProcessEnvironment(callerEnvironment());
        sh.start(QStringLiteral("sh"), {QStringLiteral("-c"), script, QStringLiteral("sh"),
                                        TestEnv::gatehouseBinary(), m_dataDir.path()});
        QVERIFY(sh.waitForFinished(60'000));
        const QByteArray error = sh.readAllStandardError();
        QVERIFY2(sh.exitCode() == 0, error.constData());
        const QStringList lines = QString::fromUtf8(sh.readAllStandardOutput()).split(u'\n');
        QCOMPARE(lines.size(), 4);
        const auto comment =
            QRegularExpression(QStringLiteral("^# gatehouse credential (cr_\\S+), expires (\\S+)$"))
                .match(lines.at(0));
        QVERIFY2(comment.hasMatch(), qPrintable(lines.at(0)));
        QCOMPARE(comment.captured(2), lines.at(1));
        const qint64 expiresIn =
            QDateTime::currentDateTimeUtc().secsTo(QDateTime::fromString(lines.at(1), Qt::ISODate));
        QVERIFY2(expiresIn > 60 && expiresIn <= 90, qPrintable(QString::number(expiresIn)));
        QCOMPARE(lines.at(2), QStringLiteral("none")); // no execution: removed, not left stale
        const QJsonObject credential =
            admin("GET", "/admin/v1/credentials/" + comment.captured(1).toUtf8()).toObject();
        QCOMPARE(credential[QStringLiteral("state")].toString(), QStringLiteral("active"));
        QCOMPARE(credential[QStringLiteral("principalType")].toString(), QStringLiteral("codex"));
    }

    void refusesClearlyWhenGatehouseIsNotThere_data()
    {
        QTest::addColumn<QString>("subcommand");
        QTest::addColumn<bool>("staleUrl"); // a listen-url left by a Gatehouse that is gone

        QTest::newRow("exec, never started") << QStringLiteral("exec") << false;
        QTest::newRow("exec, gone") << QStringLiteral("exec") << true;
        QTest::newRow("env, never started") << QStringLiteral("env") << false;
        QTest::newRow("env, gone") << QStringLiteral("env") << true;
    }

    void refusesClearlyWhenGatehouseIsNotThere()
    {
        QFETCH(QString, subcommand);
        QFETCH(bool, staleUrl);
        QTemporaryDir dir;
        QString deadUrl;
        if (staleUrl) {
            QTcpServer closed; // a port that was free a moment ago
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            deadUrl = QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort());
            closed.close();
            QFile url(dir.filePath(QStringLiteral("listen-url")));
            QVERIFY(url.open(QIODevice::WriteOnly));
            url.write(deadUrl.toUtf8() + '\n');
            QFile token(dir.filePath(QStringLiteral("admin-token")));
            QVERIFY(token.open(QIODevice::WriteOnly));
            token.write("left-behind\n");
        }
        QStringList arguments{subcommand, QStringLiteral("--data-dir"), dir.path()};
        if (subcommand == QLatin1String("exec"))
            arguments += {QStringLiteral("--"), QStringLiteral("true")};
        const Finished run = runGatehouse(arguments);
        QCOMPARE(run.status, 125);
        QVERIFY(run.out.isEmpty());
        QCOMPARE(run.err.count('\n'), 1);
        if (staleUrl) {
            QVERIFY2(run.err.contains(QByteArray("not reachable at " + deadUrl.toUtf8())),
                     run.err.constData());
        } else {
            QVERIFY2(run.err.contains("not running") &&
                         run.err.contains(dir.filePath(QStringLiteral("listen-url")).toUtf8()),
                     run.err.constData());
        }
    }

    void refusesBadOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("complaint");

        QTest::newRow("ttl without a unit")
            << QStringList{QStringLiteral("env"), QStringLiteral("--ttl"), QStringLiteral("30")}
            << QByteArray("--ttl");
        QTest::newRow("ttl of zero")
            << QStringList{QStringLiteral("env"), QStringLiteral("--ttl"), QStringLiteral("0s")}
            << QByteArray("--ttl");
        QTest::newRow("exec without a command")
            << QStringList{QStringLiteral("exec"), QStringLiteral("--flow"), QStringLiteral("x")}
            << QByteArray("no command");
        QTest::newRow("env with a command")
            << QStringList{QStringLiteral("env"), QStringLiteral("ls")}
            << QByteArray("gatehouse exec");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("exec"), QStringLiteral("--bogus"), QStringLiteral("--"),
                           QStringLiteral("true")}
            << QByteArray("bogus");
    }

    void refusesBadOptions()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, complaint);
        const Finished run =
            runGatehouse(arguments + QStringList{QStringLiteral("--data-dir"), m_dataDir.path()});
        QCOMPARE(run.status, 125);
        QVERIFY2(run.err.contains(complaint), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_GatehouseExec)
#include "tst_gatehouseexec.moc"
