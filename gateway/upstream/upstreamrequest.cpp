#include "upstreamrequest.h"

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
