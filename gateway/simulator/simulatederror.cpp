#include "simulatederror.h"

#include "protocol/jsonescape.h"

using namespace Qt::StringLiterals;

SimulatedError SimulatedError::forStatus(int status)
{
    SimulatedError error;
    error.status = status;
    switch (status) {
    case 400:
        error.message = u"Invalid request (simulated)."_s;
        break;
    case 401:
        error.message = u"Incorrect API key provided (simulated). You can find your API key at "
                        u"https://platform.openai.com/account/api-keys."_s;
        error.code = QByteArrayLiteral("invalid_api_key");
        break;
    case 403:
        error.message = u"Country, region, or territory not supported (simulated)."_s;
        error.type = QByteArrayLiteral("request_forbidden");
        error.code = QByteArrayLiteral("unsupported_country_region_territory");
        break;
    case 404:
        error.message = u"The model does not exist or you do not have access to it (simulated)."_s;
        error.code = QByteArrayLiteral("model_not_found");
        break;
    case 429:
        error.message = u"Rate limit reached for requests (simulated). Please try again in 1s."_s;
        error.type = QByteArrayLiteral("requests");
        error.code = QByteArrayLiteral("rate_limit_exceeded");
        break;
    case 503:
        error.message =
            u"The engine is currently overloaded, please try again later (simulated)."_s;
        error.type = QByteArrayLiteral("server_error");
        break;
    default:
        if (status >= 500) {
            error.message = u"The server had an error while processing your request (simulated)."_s;
            error.type = QByteArrayLiteral("server_error");
        } else {
            error.message = u"The request was rejected with status %1 (simulated)."_s.arg(status);
        }
    }
    return error;
}

SimulatedError SimulatedError::badRequest(const QString &message, const QByteArray &param,
                                          const QByteArray &code)
{
    SimulatedError error;
    error.message = message;
    error.param = param;
    error.code = code;
    return error;
}

QByteArray SimulatedError::json() const
{
    const auto orNull = [](const QByteArray &value) {
        return value.isEmpty() ? QByteArrayLiteral("null") : jsonStringFromUtf8(value);
    };
    return "{\"error\":{\"message\":" + jsonString(message) +
           ",\"type\":" + jsonStringFromUtf8(type) + ",\"param\":" + orNull(param) +
           ",\"code\":" + orNull(code) + "}}";
}
