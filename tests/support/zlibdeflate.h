#pragma once

#include <QByteArray>

// `data` compressed by zlib in one go, level 9. windowBits as zlib takes it: 15 zlib-wrapped
// (HTTP's deflate), 31 gzip, -15 raw deflate. Empty on a zlib error.
QByteArray zlibDeflate(const QByteArray &data, int windowBits);
