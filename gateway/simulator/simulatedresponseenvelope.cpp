#include "simulatedresponseenvelope.h"

#include "protocol/jsonescape.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <initializer_list>
#include <utility>

namespace {

QByteArray responseId()
{
    static constexpr char hex[] = "0123456789abcdef";
    QByteArray id = QByteArrayLiteral("resp_");
    for (int i = 0; i < 48; ++i)
        id.append(hex[QRandomGenerator::global()->bounded(16)]);
    return id;
}

QByteArray compact(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}

// `,"key":value` for each key in order: the request's value, or the default when it sent none.
QByteArray echo(const QJsonObject &request,
                std::initializer_list<std::pair<const char *, const char *>> members)
{
    QByteArray bytes;
    for (const auto &[key, fallback] : members) {
        const QJsonValue value = request.value(QLatin1StringView(key));
        bytes += ",\"";
        bytes += key;
        bytes += "\":";
        bytes += value.isUndefined() || value.isNull() ? QByteArray(fallback) : compact(value);
    }
    return bytes;
}

} // namespace

SimulatedResponseEnvelope::SimulatedResponseEnvelope(const QJsonObject &request,
                                                     const QString &model)
    : m_id(responseId())
{
    m_head = "{\"id\":\"" + m_id + "\",\"object\":\"response\",\"created_at\":" +
             QByteArray::number(QDateTime::currentSecsSinceEpoch());
    m_beforeOutput = echo(request, {{"instructions", "null"},
                                    {"max_output_tokens", "null"},
                                    {"max_tool_calls", "null"}}) +
                     ",\"model\":" + jsonString(model);
    m_beforeUsage = echo(request, {{"parallel_tool_calls", "true"},
                                   {"previous_response_id", "null"},
                                   {"prompt_cache_key", "null"},
                                   {"reasoning", "{\"effort\":null,\"summary\":null}"},
                                   {"safety_identifier", "null"}}) +
                    ",\"service_tier\":\"default\"" +
                    echo(request, {{"store", "true"},
                                   {"temperature", "1.0"},
                                   {"text", "{\"format\":{\"type\":\"text\"},\"verbosity\":"
                                            "\"medium\"}"},
                                   {"tool_choice", "\"auto\""},
                                   {"tools", "[]"},
                                   {"top_logprobs", "0"},
                                   {"top_p", "1.0"},
                                   {"truncation", "\"disabled\""}});
    m_tail = echo(request, {{"user", "null"}, {"metadata", "{}"}}) + '}';
}

QByteArray SimulatedResponseEnvelope::object(QByteArrayView status, QByteArrayView error,
                                             QByteArrayView incomplete, QByteArrayView output,
                                             QByteArrayView usage) const
{
    QByteArray bytes;
    bytes.reserve(m_head.size() + m_beforeOutput.size() + m_beforeUsage.size() + m_tail.size() +
                  output.size() + usage.size() + error.size() + 128);
    bytes += m_head;
    bytes += ",\"status\":\"";
    bytes += status;
    bytes += "\",\"background\":false,\"error\":";
    bytes += error;
    bytes += ",\"incomplete_details\":";
    bytes += incomplete;
    bytes += m_beforeOutput;
    bytes += ",\"output\":";
    bytes += output;
    bytes += m_beforeUsage;
    bytes += ",\"usage\":";
    bytes += usage;
    bytes += m_tail;
    return bytes;
}
