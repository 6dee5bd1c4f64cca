#include "simulatedprompt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

QString openAIContentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList texts;
    for (const QJsonValue item : content.toArray()) {
        const QJsonObject part = item.toObject();
        for (const auto key : {QLatin1StringView("text"), QLatin1StringView("refusal")}) {
            if (part.value(key).isString())
                texts.append(part.value(key).toString());
        }
    }
    return texts.join(u'\n');
}

namespace {

int quarterRoundedUp(qsizetype bytes)
{
    return int((bytes + 3) / 4);
}

// FNV-1a: unlike qHash it is not seeded per process, so answers repeat across runs.
void mix(quint64 &hash, QByteArrayView bytes)
{
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
}

} // namespace

int SimulatedPrompt::promptTokens() const
{
    int tokens = 3;
    for (const Message &message : messages)
        tokens += 3 + quarterRoundedUp(message.text.toUtf8().size());
    for (const Tool &tool : tools) {
        const qsizetype bytes =
            tool.name.toUtf8().size() + tool.description.toUtf8().size() +
            QJsonDocument(tool.parameters).toJson(QJsonDocument::Compact).size();
        tokens += 3 + quarterRoundedUp(bytes);
    }
    return tokens;
}

quint64 SimulatedPrompt::fingerprint() const
{
    quint64 hash = 0xcbf29ce484222325ULL;
    for (const Message &message : messages) {
        mix(hash, message.role.toUtf8());
        mix(hash, "\x1f");
        mix(hash, message.text.toUtf8());
        mix(hash, "\x1e");
    }
    return hash;
}

SimulationDirective SimulatedPrompt::directive() const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->role == u"user")
            return SimulationDirective::parse(it->text);
    }
    return {};
}

bool SimulatedPrompt::answersToolResult() const
{
    return !messages.isEmpty() && messages.constLast().role == u"tool";
}
