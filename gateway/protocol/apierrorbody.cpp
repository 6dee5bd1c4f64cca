#include "protocol/apierrorbody.h"

#include "protocol/jsonescape.h"

#include <QStringBuilder>

namespace {

QByteArray stringOrNull(QByteArrayView utf8)
{
    return utf8.isEmpty() ? QByteArrayLiteral("null") : jsonStringFromUtf8(utf8);
}

} // namespace

QByteArray OpenAIError::body(QByteArrayView message, QByteArrayView type, QByteArrayView code)
{
    return "{\"error\":{\"message\":" + jsonStringFromUtf8(message) +
           ",\"type\":" + jsonStringFromUtf8(type) +
           ",\"param\":null,\"code\":" + stringOrNull(code) + "}}";
}

QByteArray AnthropicError::body(QByteArrayView type, QByteArrayView message,
                                QByteArrayView requestId)
{
    return "{\"type\":\"error\",\"error\":{\"type\":" + jsonStringFromUtf8(type) +
           ",\"message\":" + jsonStringFromUtf8(message) +
           "},\"request_id\":" + stringOrNull(requestId) + '}';
}
