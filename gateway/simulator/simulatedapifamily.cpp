#include "simulatedapifamily.h"

#include "server/httpexchange.h"
#include "simulatedanthropicerror.h"
#include "simulatederror.h"

#include <QRandomGenerator>

namespace {

QByteArray newRequestId()
{
    QByteArray id = QByteArrayLiteral("req_");
    for (int i = 0; i < 4; ++i)
        id += QByteArray::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, '0');
    return id;
}

} // namespace

SimulatedApiFamily::SimulatedApiFamily(Api api)
    : m_api(api)
    , m_requestId(newRequestId())
{}

SimulatedApiFamily SimulatedApiFamily::of(const HttpRequest &request)
{
    const bool anthropic =
        !request.header("anthropic-version").isNull() || request.path.startsWith("/v1/messages");
    return SimulatedApiFamily(anthropic ? Anthropic : OpenAI);
}

HttpHeaders SimulatedApiFamily::headers(const QByteArray &contentType, int processingMs) const
{
    if (m_api == Anthropic)
        return {{"content-type", contentType}, {"request-id", m_requestId}};
    return {{"content-type", contentType},
            {"openai-version", "2020-10-01"},
            {"openai-processing-ms", QByteArray::number(processingMs)},
            {"x-request-id", m_requestId}};
}

QByteArray SimulatedApiFamily::errorBody(int status, const QString &message) const
{
    if (m_api == Anthropic) {
        SimulatedAnthropicError error = SimulatedAnthropicError::forStatus(status);
        if (!message.isEmpty())
            error.message = message;
        return error.json(m_requestId);
    }
    SimulatedError error = SimulatedError::forStatus(status);
    if (!message.isEmpty())
        error.message = message;
    return error.json();
}

void SimulatedApiFamily::respondError(HttpExchange *exchange, int status,
                                      const QByteArray &body) const
{
    exchange->respond(status, headers(QByteArrayLiteral("application/json")), body);
}
