#include "testenv.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace TestEnv {

QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(GATEHOUSE_SOURCE_DIR) : fromEnv;
}

QString gatehouseBinary()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_BINARY");
    return fromEnv.isEmpty()
               ? QCoreApplication::applicationDirPath() + QStringLiteral("/../app/gatehouse")
               : fromEnv;
}

quint16 startGatehouse(QProcess &process, const QStringList &arguments, int timeoutMs,
                       QByteArray *firstOutput)
{
    process.setProgram(gatehouseBinary());
    process.setArguments(arguments);
    process.start();
    if (!process.waitForStarted())
        return 0;
    QByteArray out;
    const bool ready = QTest::qWaitFor(
        [&] {
            out += process.readAllStandardOutput();
            return out.contains('\n') || process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (firstOutput)
        *firstOutput = out;
    const auto match =
        QRegularExpression(QStringLiteral("gatehouse listening on http://127\\.0\\.0\\.1:(\\d+)"))
            .match(QString::fromLatin1(out));
    if (!ready || !match.hasMatch()) {
        qWarning("gatehouse did not start: %s / %s", out.constData(),
                 process.readAllStandardError().constData());
        return 0;
    }
    return quint16(match.captured(1).toUInt());
}

} // namespace TestEnv
