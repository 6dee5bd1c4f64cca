#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

// Text as a quoted JSON string literal, ready to splice into wire bytes.
QByteArray jsonString(QStringView text);
// The same from UTF-8 bytes, which are taken as valid UTF-8 and copied as they are.
QByteArray jsonStringFromUtf8(QByteArrayView utf8);
// The same appended to out, without a temporary.
void appendJsonString(QByteArray &out, QByteArrayView utf8);
// Whether the backslash at `offset` of JSON text opens an escape: it is not itself escaped by
// an odd run of backslashes before it.
bool opensJsonEscape(QByteArrayView text, qsizetype offset);
