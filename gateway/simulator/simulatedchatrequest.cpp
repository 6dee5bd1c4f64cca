#include "simulatedchatrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

SimulatedPrompt::Message message(const QJsonObject &object)
{
    SimulatedPrompt::Message message;
    message.role = object.value("role"_L1).toString();
    message.text = openAIContentText(object.value("content"_L1));
    for (const QJsonValue call : object.value("tool_calls"_L1).toArray()) {
        const QJsonObject function = call.toObject().value("function"_L1).toObject();
        message.text +=
            function.value("name"_L1).toString() + function.value("arguments"_L1).toString();
    }
    return message;
}

} // namespace

std::variant<SimulatedChatRequest, SimulatedError>
SimulatedChatRequest::parse(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return SimulatedError::badRequest(
            u"We could not parse the JSON body of your request. (HINT: This likely means you "
            u"aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
            u"but what was sent was not valid JSON.)"_s);
    }
    const QJsonObject root = document.object();

    SimulatedChatRequest request;
    request.model = root.value("model"_L1).toString();
    if (request.model.isEmpty())
        return SimulatedError::badRequest(u"you must provide a model parameter"_s);
    const QJsonValue messages = root.value("messages"_L1);
    if (!messages.isArray()) {
        return SimulatedError::badRequest(u"Missing required parameter: 'messages'."_s, "messages",
                                          "missing_required_parameter");
    }
    for (const QJsonValue item : messages.toArray())
        request.prompt.messages.append(message(item.toObject()));

    request.stream = root.value("stream"_L1).toBool();
    request.includeUsage =
        root.value("stream_options"_L1).toObject().value("include_usage"_L1).toBool();
    for (const auto key : {"max_completion_tokens"_L1, "max_tokens"_L1}) {
        const QJsonValue limit = root.value(key);
        if (limit.isDouble()) {
            if (limit.toInteger(-1) < 1) {
                return SimulatedError::badRequest(
                    u"Invalid '%1': integer below minimum value. Expected a value "
                    u">= 1, but got %2 instead."_s.arg(key)
                        .arg(limit.toDouble()),
                    QByteArray(key.data(), key.size()), "integer_below_min_value");
            }
            request.prompt.maxTokens =
                int(std::min<qint64>(limit.toInteger(), std::numeric_limits<int>::max()));
            break;
        }
    }

    for (const QJsonValue item : root.value("tools"_L1).toArray()) {
        const QJsonObject function = item.toObject().value("function"_L1).toObject();
        request.prompt.tools.append({function.value("name"_L1).toString(),
                                     function.value("description"_L1).toString(),
                                     function.value("parameters"_L1).toObject()});
    }
    const QJsonValue choice = root.value("tool_choice"_L1);
    if (choice.toString() == "none"_L1)
        request.prompt.toolsAllowed = false;
    const QString forced =
        choice.toObject().value("function"_L1).toObject().value("name"_L1).toString();
    if (!forced.isEmpty()) {
        const bool known = std::any_of(request.prompt.tools.cbegin(), request.prompt.tools.cend(),
                                       [&](const auto &tool) { return tool.name == forced; });
        if (!known) {
            return SimulatedError::badRequest(
                u"Invalid value for 'tool_choice': no function named '%1' was "
                u"specified in the 'tools' parameter."_s.arg(forced),
                "tool_choice");
        }
        request.prompt.forcedTool = forced;
    }
    return request;
}
