#include "testenv.h"

#include <QCoreApplication>
#include <QDir>

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

} // namespace TestEnv
