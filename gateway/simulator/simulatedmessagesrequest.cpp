#include "simulatedmessagesrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

SimulatedAnthropicError badRequest(const QString &message)
{
    SimulatedAnthropicError error;
    error.message = message;
    return error;
}

// The text blocks of a content value (a string, or an array of blocks).
QStringList texts(const QJsonValue &content)
{
    if (content.isString())
        return {content.toString()};
    QStringList texts;
    for (const QJsonValue item : content.toArray()) {
        const QJsonObject block = item.toObject();
        if (block.value("type"_L1).toString() == "text"_L1)
            texts.append(block.value("text"_L1).toString());
    }
    return texts;
}

// One API message as prompt messages: its own text (tool calls as name + input), then one
// "tool" message per tool result, so that a turn answering tool results ends with them.
void appendMessage(QList<SimulatedPrompt::Message> &messages, const QJsonObject &object)
{
    const QString role = object.value("role"_L1).toString();
    const QJsonValue content = object.value("content"_L1);
    if (content.isString()) {
        messages.append({role, content.toString()});
        return;
    }
    QStringList parts;
    QList<SimulatedPrompt::Message> results;
    for (const QJsonValue item : content.toArray()) {
        const QJsonObject block = item.toObject();
        const QString type = block.value("type"_L1).toString();
        if (type == "text"_L1) {
            parts.append(block.value("text"_L1).toString());
        } else if (type == "tool_use"_L1) {
            parts.append(block.value("name"_L1).toString() +
                         QString::fromUtf8(QJsonDocument(block.value("input"_L1).toObject())
                                               .toJson(QJsonDocument::Compact)));
        } else if (type == "tool_result"_L1) {
            results.append({u"tool"_s, texts(block.value("content"_L1)).join(u'\n')});
        }
    }
    if (!parts.isEmpty() || results.isEmpty())
        messages.append({role, parts.join(u'\n')});
    messages.append(results);
}

} // namespace

std::variant<SimulatedMessagesRequest, SimulatedAnthropicError>
SimulatedMessagesRequest::parse(const QByteArray &body, Purpose purpose)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return badRequest(
            u"invalid request: the body is not valid JSON: %1"_s.arg(parseError.errorString()));
    if (!document.isObject())
        return badRequest(u"invalid request: the body must be a JSON object"_s);
    const QJsonObject root = document.object();

    SimulatedMessagesRequest request;
    request.model = root.value("model"_L1).toString();
    if (request.model.isEmpty())
        return badRequest(u"model: Field required"_s);
    const QJsonValue messages = root.value("messages"_L1);
    if (!messages.isArray())
        return badRequest(u"messages: Field required"_s);

    const QJsonObject thinking = root.value("thinking"_L1).toObject();
    const QString thinkingType = thinking.value("type"_L1).toString();
    request.prompt.reasoningRequested =
        thinkingType == "enabled"_L1 || thinkingType == "adaptive"_L1;
    if (purpose == Purpose::Create) {
        const QJsonValue maxTokens = root.value("max_tokens"_L1);
        if (!maxTokens.isDouble())
            return badRequest(u"max_tokens: Field required"_s);
        if (maxTokens.toInteger(0) < 1)
            return badRequest(u"max_tokens: Input should be greater than or equal to 1"_s);
        request.prompt.maxTokens =
            int(std::min<qint64>(maxTokens.toInteger(), std::numeric_limits<int>::max()));
        if (thinkingType == "enabled"_L1) {
            const qint64 budget = thinking.value("budget_tokens"_L1).toInteger(0);
            if (budget < 1024) {
                return badRequest(u"thinking.enabled.budget_tokens: Input should be greater "
                                  u"than or equal to 1024"_s);
            }
            if (maxTokens.toInteger() <= budget) {
                return badRequest(u"`max_tokens` must be greater than "
                                  u"`thinking.budget_tokens`. Please consult our documentation "
                                  u"at https://docs.claude.com/en/docs/build-with-claude/"
                                  u"extended-thinking#max-tokens-and-context-window-size"_s);
            }
        }
        request.stream = root.value("stream"_L1).toBool();
    }

    const QJsonValue system = root.value("system"_L1);
    if (system.isString() || system.isArray())
        request.prompt.messages.append({u"system"_s, texts(system).join(u'\n')});
    for (const QJsonValue item : messages.toArray())
        appendMessage(request.prompt.messages, item.toObject());

    for (const QJsonValue item : root.value("tools"_L1).toArray()) {
        const QJsonObject tool = item.toObject();
        const QString type = tool.value("type"_L1).toString(u"custom"_s);
        if (type != "custom"_L1)
            continue;
        request.prompt.tools.append({tool.value("name"_L1).toString(),
                                     tool.value("description"_L1).toString(),
                                     tool.value("input_schema"_L1).toObject()});
    }
    const QJsonObject choice = root.value("tool_choice"_L1).toObject();
    const QString choiceType = choice.value("type"_L1).toString();
    if (choiceType == "none"_L1)
        request.prompt.toolsAllowed = false;
    if (choiceType == "tool"_L1) {
        const QString forced = choice.value("name"_L1).toString();
        const bool known = std::any_of(request.prompt.tools.cbegin(), request.prompt.tools.cend(),
                                       [&](const auto &tool) { return tool.name == forced; });
        if (!known)
            return badRequest(u"tool_choice: tool '%1' not found in tools"_s.arg(forced));
        request.prompt.forcedTool = forced;
    }
    return request;
}
