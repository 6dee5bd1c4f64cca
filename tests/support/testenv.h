#pragma once

#include <QString>

// Paths the tests need, handed in by CTest's environment.
namespace TestEnv {
QString sourceDir();       // the project's root
QString gatehouseBinary(); // the built gatehouse executable
} // namespace TestEnv
