#include "upstreamrequest.h"

#include <QString>

#include <algorithm>

const char *upstreamErrorName(UpstreamError error)
{
    switch (error) {
    case UpstreamError::None:
        return "none";
    case UpstreamError::ConnectFailed:
        return "connect_failed";
    case UpstreamError::ConnectTimeout:
        return "connect_timeout";
    case UpstreamError::FirstByteTimeout:
        return "first_byte_timeout";
    case UpstreamError::IdleTimeout:
        return "idle_timeout";
    case UpstreamError::ConnectionLost:
        return "connection_lost";
    case UpstreamError::Aborted:
        return "aborted";
    }
    return "unknown";
}

bool forwardsUpstreamHeader(QByteArrayView name, QByteArrayView value)
{
    // Hop-by-hop fields, and those the client writes itself from the URL, the body and the
    // negotiated encoding: a copy from the caller would contradict them.
    static constexpr QByteArrayView owned[] = {
        "host",       "content-length",  "transfer-encoding",
        "connection", "keep-alive",      "upgrade",
        "te",         "trailer",         "proxy-connection",
        "expect",     "accept-encoding", "proxy-authorization",
    };
    const auto breaksLine = [](QByteArrayView text) {
        return std::any_of(text.begin(), text.end(),
                           [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
    };
    return std::none_of(std::begin(owned), std::end(owned),
                        [name](QByteArrayView field) {
                            return name.size() == field.size() &&
                                   name.compare(field, Qt::CaseInsensitive) == 0;
                        }) &&
           !breaksLine(name) && !breaksLine(value);
}

QString upstreamTimeoutMessage(UpstreamError error, const UpstreamTimeouts &timeouts)
{
    if (error == UpstreamError::FirstByteTimeout)
        return QStringLiteral("upstream sent no response headers within %1 ms")
            .arg(timeouts.firstByteMs);
    return QStringLiteral("upstream sent nothing for %1 ms").arg(timeouts.idleMs);
}
