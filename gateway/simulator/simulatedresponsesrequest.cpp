#include "simulatedresponsesrequest.h"

#include <functional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

// One input item as a prompt message, or nothing for items that carry no conversation.
std::optional<SimulatedPrompt::Message> message(const QJsonObject &item)
{
    const QString type = item.value("type"_L1).toString(u"message"_s);
    if (type == "message"_L1)
        return SimulatedPrompt::Message{item.value("role"_L1).toString(),
                                        openAIContentText(item.value("content"_L1))};
    if (type.endsWith("_output"_L1))
        return SimulatedPrompt::Message{u"tool"_s, openAIContentText(item.value("output"_L1))};
    if (type.endsWith("_call"_L1)) {
        const QJsonValue arguments = item.value("arguments"_L1);
        return SimulatedPrompt::Message{
            u"assistant"_s,
            item.value("name"_L1).toString() +
                (arguments.isString() ? arguments.toString() : item.value("input"_L1).toString())};
    }
    return std::nullopt;
}

} // namespace

std::variant<SimulatedResponsesRequest, SimulatedError>
SimulatedResponsesRequest::parse(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return SimulatedError::badRequest(
            u"We could not parse the JSON body of your request. (HINT: This likely means you "
            u"aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
            u"but what was sent was not valid JSON.)"_s);
    }
    SimulatedResponsesRequest request;
    request.body = document.object();
    const QJsonObject &root = request.body;
    request.model = root.value("model"_L1).toString();
    if (request.model.isEmpty()) {
        return SimulatedError::badRequest(u"Missing required parameter: 'model'."_s, "model",
                                          "missing_required_parameter");
    }
    request.stream = root.value("stream"_L1).toBool();
    const QJsonValue limit = root.value("max_output_tokens"_L1);
    if (limit.isDouble()) {
        if (limit.toInteger(-1) < 16) {
            return SimulatedError::badRequest(
                u"Invalid 'max_output_tokens': integer below minimum value. "
                u"Expected a value >= 16, but got %1 instead."_s.arg(limit.toDouble()),
                "max_output_tokens", "integer_below_min_value");
        }
        request.prompt.maxTokens =
            int(std::min<qint64>(limit.toInteger(), std::numeric_limits<int>::max()));
    }
    const QJsonValue reasoning = root.value("reasoning"_L1);
    request.prompt.reasoningRequested =
        reasoning.isObject() && reasoning.toObject().value("effort"_L1).toString() != "none"_L1;
    request.includeEncryptedReasoning =
        root.value("include"_L1).toArray().contains(u"reasoning.encrypted_content"_s);

    const QJsonValue instructions = root.value("instructions"_L1);
    if (instructions.isString())
        request.prompt.messages.append({u"system"_s, instructions.toString()});
    const QJsonValue input = root.value("input"_L1);
    if (input.isString())
        request.prompt.messages.append({u"user"_s, input.toString()});
    for (const QJsonValue item : input.toArray()) {
        if (auto parsed = message(item.toObject()))
            request.prompt.messages.append(std::move(*parsed));
    }

    // Tools come in "tools", inside "namespace" tools, and (Codex 0.169 with its newest models)
    // in an "additional_tools" input item; only function and custom tools can be called.
    const std::function<void(const QJsonArray &)> addTools = [&](const QJsonArray &tools) {
        for (const QJsonValue item : tools) {
            const QJsonObject tool = item.toObject();
            const QString type = tool.value("type"_L1).toString();
            if (type == "namespace"_L1) {
                addTools(tool.value("tools"_L1).toArray());
                continue;
            }
            const bool freeform = type == "custom"_L1;
            if (type != "function"_L1 && !freeform)
                continue;
            request.prompt.tools.append(
                {tool.value("name"_L1).toString(), tool.value("description"_L1).toString(),
                 tool.value(freeform ? "format"_L1 : "parameters"_L1).toObject(), freeform});
        }
    };
    addTools(root.value("tools"_L1).toArray());
    for (const QJsonValue item : input.toArray()) {
        if (item.toObject().value("type"_L1).toString() == "additional_tools"_L1)
            addTools(item.toObject().value("tools"_L1).toArray());
    }
    const QJsonValue choice = root.value("tool_choice"_L1);
    if (choice.toString() == "none"_L1)
        request.prompt.toolsAllowed = false;
    const QString choiceType = choice.toObject().value("type"_L1).toString();
    if (choiceType == "function"_L1 || choiceType == "custom"_L1) {
        const QString forced = choice.toObject().value("name"_L1).toString();
        const bool known = std::any_of(request.prompt.tools.cbegin(), request.prompt.tools.cend(),
                                       [&](const auto &tool) { return tool.name == forced; });
        if (!known) {
            return SimulatedError::badRequest(
                u"Tool choice '%1' not found in 'tools' parameter."_s.arg(forced), "tool_choice");
        }
        request.prompt.forcedTool = forced;
    }
    return request;
}
