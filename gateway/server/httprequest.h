#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>

// Header fields as they travel: names are stored lower-case, values verbatim.
using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// First value of a header (name compared case-insensitively), or a null QByteArray.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);

// One parsed HTTP request, a value that owns all of its bytes.
struct HttpRequest
{
    QByteArray method;
    QByteArray path;  // percent-encoded, without the query
    QByteArray query; // without the '?'
    HttpHeaders headers;
    QByteArray body; // de-chunked; capacity leaves room for simdjson's padding
    int versionMinor = 1;
    bool keepAlive = true;
    QHostAddress peer;

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};
