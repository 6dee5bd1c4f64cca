#pragma once

#include <QStringList>

// `gatehouse env [options]`: mints a credential on the running Gatehouse and prints it as sh
// exports, for eval "$(gatehouse env ...)".
namespace EnvCommand {
int run(const QStringList &arguments); // arguments without "gatehouse env"'s "env"
}
