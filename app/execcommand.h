#pragma once

#include <QStringList>

// `gatehouse exec [options] -- CMD ARGS...`: runs a command as a flow execution of the running
// Gatehouse, with a credential minted for it in its environment; passes its exit status through.
namespace ExecCommand {
int run(const QStringList &arguments); // arguments without "gatehouse exec"'s "exec"
}
