#pragma once

#include "server/httprequest.h"

#include <QByteArray>

struct UpstreamTimeouts
{
    int connectMs = 10'000;    // TCP + TLS handshake
    int firstByteMs = 120'000; // request sent -> first response byte (headers)
    int idleMs = 120'000;      // longest silence between two pieces of the response body
};

// What the gateway sends to a provider. The body is sent as is (never re-serialised).
struct UpstreamRequest
{
    QByteArray method = QByteArrayLiteral("POST");
    QByteArray url;
    HttpHeaders headers;
    QByteArray body;
    UpstreamTimeouts timeouts;
};

enum class UpstreamError
{
    None,
    ConnectFailed, // refused, unreachable, DNS, TLS
    ConnectTimeout,
    FirstByteTimeout,
    IdleTimeout,
    ConnectionLost, // cut mid-response, or a garbled response
    Aborted,        // cancelled by the gateway
};

const char *upstreamErrorName(UpstreamError error);

// Whether a caller's header field goes to the provider as is: not hop-by-hop, not one the
// client writes itself (Host, framing, Accept-Encoding), and no line breaks or NULs.
bool forwardsUpstreamHeader(QByteArrayView name, QByteArrayView value);

// The message of a FirstByteTimeout or IdleTimeout, the same whichever client engine ran.
QString upstreamTimeoutMessage(UpstreamError error, const UpstreamTimeouts &timeouts);
