#include "testenv.h"

#include <QCoreApplication>
#include <QDir>

namespace TestEnv {

QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
    return fromEnv.isEmpty() ? QDir::currentPath() : fromEnv;
}

QString gatehouseBinary()
{
    return qEnvironmentVariable("GATEHOUSE_BINARY");
}

} // namespace TestEnv
