#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class QProcess;

// Paths the tests need, handed in by CTest's environment.
namespace TestEnv {
QString sourceDir();       // the project's root
QString gatehouseBinary(); // the built gatehouse executable
// Starts the built gatehouse with these arguments and waits, at most timeoutMs, for its first
// line, "gatehouse listening on http://127.0.0.1:PORT". The port, or 0 (with a warning that
// shows both outputs); *firstOutput gets what it had printed by then.
quint16 startGatehouse(QProcess &process, const QStringList &arguments, int timeoutMs,
                       QByteArray *firstOutput = nullptr);
} // namespace TestEnv
