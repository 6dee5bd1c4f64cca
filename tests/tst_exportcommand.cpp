// `gatehouse export` as a user runs it: the real executable reading the ledger a gateway wrote,
// while that gateway runs and after it stopped, to standard output and to a file.
#include "gatewayfixture.h"
#include "requestbodies.h"
#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Finished
{
    int status = -1; // -1: did not finish in time or crashed
    QByteArray out;
    QByteArray err;
};

Finished gatehouseExport(const QStringList &arguments)
{
    QProcess process;
    process.start(TestEnv::gatehouseBinary(), QStringList{u"export"_s} + arguments);
    Finished finished;
    if (process.waitForFinished(60'000) && process.exitStatus() == QProcess::NormalExit)
        finished.status = process.exitCode();
    finished.out = process.readAllStandardOutput();
    finished.err = process.readAllStandardError();
    return finished;
}

// The first field of each CSV row after the header.
QStringList csvRequestIds(const QByteArray &csv)
{
    QStringList ids;
    QByteArrayList lines = csv.split('\n');
    lines.removeFirst();
    for (const QByteArray &line : lines) {
        if (!line.isEmpty())
            ids += QString::fromUtf8(line.left(line.indexOf(',')));
    }
    return ids;
}

} // namespace

class tst_ExportCommand : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    QStringList m_requests; // fast, fast, mystery

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        for (const QString &model : {u"fast"_s, u"fast"_s, u"mystery"_s}) {
            const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                                 RequestBodies::chat(model, u"hi"_s));
            QVERIFY(response && response->status == 200);
            const QVariantMap row = m_fixture.ledgerRow(*response);
            QVERIFY(!row.isEmpty());
            m_requests += row.value(u"request_id"_s).toString();
        }
    }

    void csvWhileGatehouseRuns()
    {
        const Finished run = gatehouseExport({u"usage"_s, u"--data-dir"_s, m_fixture.dataDir()});
        QCOMPARE(run.status, 0);
        QVERIFY(run.out.startsWith("request_id,started_at_ms,"));
        QCOMPARE(csvRequestIds(run.out), m_requests);
        QVERIFY2(run.err.contains("3 usage rows"), run.err.constData());
    }

    void filtersAndJsonLinesToAFile()
    {
        const QString file = QDir(m_fixture.dataDir()).filePath(u"mystery.jsonl"_s);
        const Finished run = gatehouseExport({u"usage"_s, u"--format"_s, u"jsonl"_s, u"--model"_s,
                                              u"mystery"_s, u"--from"_s, u"1h"_s, u"--data-dir"_s,
                                              m_fixture.dataDir(), u"--out"_s, file});
        QCOMPARE(run.status, 0);
        QVERIFY(run.out.isEmpty());
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArrayList lines = written.readAll().split('\n');
        QCOMPARE(lines.size(), 2); // one row and the final newline
        const QJsonObject row = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(row.value(u"request_id"_s).toString(), m_requests[2]);
        // Unpriced: null, never 0.
        QVERIFY(row.value(u"cost_micros"_s).isNull());
    }

    void limitAndOrder()
    {
        const Finished run = gatehouseExport({u"usage"_s, u"--order"_s, u"desc"_s, u"--limit"_s,
                                              u"2"_s, u"--data-dir"_s, m_fixture.dataDir()});
        QCOMPARE(run.status, 0);
        QCOMPARE(csvRequestIds(run.out), QStringList({m_requests[2], m_requests[1]}));
        QVERIFY2(run.err.contains("more match"), run.err.constData());
    }

    void afterGatehouseStopped()
    {
        m_fixture.stop();
        const Finished run = gatehouseExport(
            {u"events"_s, u"--format"_s, u"jsonl"_s, u"--data-dir"_s, m_fixture.dataDir()});
        QCOMPARE(run.status, 0);
        QByteArrayList lines = run.out.split('\n');
        lines.removeLast();
        QCOMPARE(lines.size(), m_requests.size()); // every request has its event
        for (const QByteArray &line : lines) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            QVERIFY(m_requests.contains(event.value(u"request_id"_s).toString()));
        }
        const Finished usage = gatehouseExport({u"usage"_s, u"--data-dir"_s, m_fixture.dataDir()});
        QCOMPARE(usage.status, 0);
        QCOMPARE(csvRequestIds(usage.out), m_requests);
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("nothing to export") << QStringList{} << 2 << QByteArray("usage or events");
        QTest::newRow("unknown table")
            << QStringList{u"secrets"_s} << 2 << QByteArray("usage or events");
        QTest::newRow("bad format")
            << QStringList{u"usage"_s, u"--format"_s, u"xml"_s} << 2 << QByteArray("--format");
        QTest::newRow("bad time") << QStringList{u"usage"_s, u"--from"_s, u"soon"_s} << 2
                                  << QByteArray("--from");
        QTest::newRow("bad limit")
            << QStringList{u"usage"_s, u"--limit"_s, u"0"_s} << 2 << QByteArray("--limit");
    }
    void refusals()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, status);
        QFETCH(QByteArray, message);
        const Finished run =
            gatehouseExport(arguments + QStringList{u"--data-dir"_s, m_fixture.dataDir()});
        QCOMPARE(run.status, status);
        QVERIFY2(run.err.contains(message), run.err.constData());
    }

    void noLedger()
    {
        const QString empty = QDir(m_fixture.dataDir()).filePath(u"empty"_s);
        QVERIFY(QDir().mkpath(empty));
        const Finished run = gatehouseExport({u"usage"_s, u"--data-dir"_s, empty});
        QCOMPARE(run.status, 1);
        QVERIFY2(run.err.contains("no ledger at"), run.err.constData());
        // Nothing was created where there was nothing.
        QVERIFY(!QFile::exists(QDir(empty).filePath(u"ledger.sqlite"_s)));
    }
};

QTEST_GUILESS_MAIN(tst_ExportCommand)
#include "tst_exportcommand.moc"
