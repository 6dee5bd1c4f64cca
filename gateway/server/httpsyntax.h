#pragma once

#include <QByteArrayView>

#include <optional>

// Pieces of HTTP/1.1 syntax that requests and responses share (the server's request parser
// and the plain upstream client's response parser).

// Without the spaces, tabs and carriage returns around it.
QByteArrayView httpTrimmed(QByteArrayView text);
// Whether a comma-separated header value (Connection, say) holds `token`, case ignored.
bool hasHttpToken(QByteArrayView list, QByteArrayView token);
// A chunk-size line without its line feed: the size, or nothing when it is not 1 to 15 hex
// digits (chunk extensions after ';' are ignored).
std::optional<qint64> parseChunkSize(QByteArrayView line);
