#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// Pieces of HTTP/1.1 syntax that requests and responses share (the server's request parser
// and the plain upstream client's response parser).

// A header name in lower case, in one allocation (field names are ASCII; other bytes stay).
QByteArray httpLowerName(QByteArrayView name);
// Whether c may appear in a token (a method, a header field name): RFC 9110, 5.6.2.
bool isHttpTokenChar(char c);
// Without the spaces, tabs and carriage returns around it.
QByteArrayView httpTrimmed(QByteArrayView text);
// Whether a comma-separated header value (Connection, say) holds `token`, case ignored.
bool hasHttpToken(QByteArrayView list, QByteArrayView token);
// A chunk-size line without its line feed: the size, or nothing when it is not 1 to 15 hex
// digits (chunk extensions after ';' are ignored).
std::optional<qint64> parseChunkSize(QByteArrayView line);
