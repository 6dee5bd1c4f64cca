#include "apierror.h"

#include "protocol/apierrorbody.h"
#include "server/httpexchange.h"

namespace {

QByteArray openAIType(int status)
{
    switch (status) {
    case 401:
        return QByteArrayLiteral("authentication_error");
    case 402:
        return QByteArrayLiteral("insufficient_quota");
    case 403:
        return QByteArrayLiteral("permission_error");
    case 429:
        return QByteArrayLiteral("rate_limit_exceeded");
    case 502:
    case 503:
    case 504:
        return QByteArrayLiteral("upstream_error");
    default:
        return status >= 500 ? QByteArrayLiteral("server_error")
                             : QByteArrayLiteral("invalid_request_error");
    }
}

QByteArray anthropicType(int status)
{
    switch (status) {
    case 401:
        return QByteArrayLiteral("authentication_error");
    case 402:
        return QByteArrayLiteral("billing_error");
    case 403:
        return QByteArrayLiteral("permission_error");
    case 404:
        return QByteArrayLiteral("not_found_error");
    case 413:
        return QByteArrayLiteral("request_too_large");
    case 429:
        return QByteArrayLiteral("rate_limit_error");
    case 504:
        return QByteArrayLiteral("timeout_error");
    case 529:
        return QByteArrayLiteral("overloaded_error");
    default:
        return status >= 500 ? QByteArrayLiteral("api_error")
                             : QByteArrayLiteral("invalid_request_error");
    }
}

} // namespace

ApiFamily apiFamilyOf(QByteArrayView path)
{
    if (path.startsWith("/anthropic/"))
        return ApiFamily::Anthropic;
    if (path.startsWith("/openai/"))
        return ApiFamily::OpenAI;
    return ApiFamily::Gateway;
}

QByteArray ApiError::body(ApiFamily family, QByteArrayView requestId) const
{
    const QByteArray utf8 = message.toUtf8();
    if (family == ApiFamily::Anthropic)
        return AnthropicError::body(type.isEmpty() ? anthropicType(status) : type, utf8, requestId);
    return OpenAIError::body(utf8, type.isEmpty() ? openAIType(status) : type, code);
}

void ApiError::send(HttpExchange *exchange, ApiFamily family, QByteArrayView requestId,
                    const HttpHeaders &extraHeaders) const
{
    HttpHeaders headers{{QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")}};
    headers += extraHeaders;
    if (!requestId.isEmpty())
        headers.append({family == ApiFamily::Anthropic ? QByteArrayLiteral("request-id")
                                                       : QByteArrayLiteral("x-request-id"),
                        requestId.toByteArray()});
    exchange->respond(status, headers, body(family, requestId));
}
