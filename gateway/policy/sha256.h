#pragma once

#include <QByteArray>
#include <QByteArrayView>

// SHA-256 of the secrets callers present (API keys, runtime tokens), checked on every request:
// OpenSSL's implementation (SHA extensions where the CPU has them) takes a third of the
// instructions of QCryptographicHash's portable one.
QByteArray sha256(QByteArrayView bytes);
