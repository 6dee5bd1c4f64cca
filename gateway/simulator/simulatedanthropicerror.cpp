#include "simulatedanthropicerror.h"

#include "protocol/jsonescape.h"

using namespace Qt::StringLiterals;

SimulatedAnthropicError SimulatedAnthropicError::forStatus(int status)
{
    SimulatedAnthropicError error;
    error.status = status;
    const auto set = [&error](const char *type, const QString &message) {
        error.type = type;
        error.message = message;
    };
    switch (status) {
    case 400:
        set("invalid_request_error", u"Invalid request (simulated)."_s);
        break;
    case 401:
        set("authentication_error", u"invalid x-api-key (simulated)"_s);
        break;
    case 402:
        set("billing_error", u"Your credit balance is too low to access the Anthropic API "
                             u"(simulated)."_s);
        break;
    case 403:
        set("permission_error",
            u"Your API key does not have permission to use the specified resource (simulated)."_s);
        break;
    case 404:
        set("not_found_error", u"The requested resource could not be found (simulated)."_s);
        break;
    case 413:
        set("request_too_large",
            u"Request exceeds the maximum allowed number of bytes (simulated)."_s);
        break;
    case 429:
        set("rate_limit_error", u"Number of request tokens has exceeded your per-minute rate "
                                u"limit (simulated)."_s);
        break;
    case 504:
        set("timeout_error", u"Request timed out (simulated)."_s);
        break;
    case 529:
        // The exact text clients see from an overloaded API.
        set("overloaded_error", u"Overloaded"_s);
        break;
    default:
        if (status >= 500) {
            set("api_error", u"Internal server error (simulated)."_s);
        } else {
            set("invalid_request_error",
                u"The request was rejected with status %1 (simulated)."_s.arg(status));
        }
    }
    return error;
}

QByteArray SimulatedAnthropicError::json(const QByteArray &requestId) const
{
    QByteArray body = "{\"type\":\"error\",\"error\":{\"type\":" + jsonStringFromUtf8(type) +
                      ",\"message\":" + jsonString(message) + '}';
    if (!requestId.isEmpty())
        body += ",\"request_id\":" + jsonStringFromUtf8(requestId);
    body += '}';
    return body;
}
