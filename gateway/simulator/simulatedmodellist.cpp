#include "simulatedmodellist.h"

#include "protocol/jsonescape.h"

#include <array>

namespace {

struct AnthropicModel
{
    const char *id;
    const char *displayName;
    const char *createdAt;
};

constexpr std::array<AnthropicModel, 5> anthropicModels = {{
    {"claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z"},
    {"claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"},
    {"claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"},
    {"claude-opus-4-20250514", "Claude Opus 4", "2025-05-22T00:00:00Z"},
    {"claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z"},
}};

} // namespace

QList<QByteArray> SimulatedModelList::openAIIds()
{
    return {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini"};
}

QList<QByteArray> SimulatedModelList::anthropicIds()
{
    QList<QByteArray> ids;
    for (const AnthropicModel &model : anthropicModels)
        ids.append(model.id);
    return ids;
}

QByteArray SimulatedModelList::openAIBody()
{
    QByteArray body = QByteArrayLiteral("{\"object\":\"list\",\"data\":[");
    const QList<QByteArray> ids = openAIIds();
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i > 0)
            body += ',';
        body += "{\"id\":" + jsonStringFromUtf8(ids.at(i)) +
                ",\"object\":\"model\",\"created\":1715367049,\"owned_by\":\"system\"}";
    }
    body += "]}";
    return body;
}

QByteArray SimulatedModelList::anthropicBody()
{
    QByteArray body = QByteArrayLiteral("{\"data\":[");
    for (std::size_t i = 0; i < anthropicModels.size(); ++i) {
        const AnthropicModel &model = anthropicModels[i];
        if (i > 0)
            body += ',';
        body += "{\"type\":\"model\",\"id\":" + jsonStringFromUtf8(model.id) +
                ",\"display_name\":" + jsonStringFromUtf8(model.displayName) +
                ",\"created_at\":" + jsonStringFromUtf8(model.createdAt) + '}';
    }
    body += "],\"has_more\":false,\"first_id\":" + jsonStringFromUtf8(anthropicModels.front().id) +
            ",\"last_id\":" + jsonStringFromUtf8(anthropicModels.back().id) + '}';
    return body;
}
