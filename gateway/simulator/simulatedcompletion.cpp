#include "simulatedcompletion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// Each entry is a word with its leading space; the first token of a text drops the space.
constexpr std::array<QByteArrayView, 64> vocabulary = {
    " the",      " gateway", " token",  " model",   " budget",  " stream", " request", " answer",
    " simple",   " quiet",   " river",  " stone",   " light",   " window", " careful", " green",
    " measured", " signal",  " packet", " ledger",  " house",   " garden", " morning", " bright",
    " steady",   " number",  " record", " value",   " open",    " close",  " north",   " south",
    " paper",    " pencil",  " circle", " square",  " little",  " large",  " rapid",   " gentle",
    " summer",   " winter",  " table",  " chair",   " forest",  " meadow", " harbor",  " engine",
    " bridge",   " tower",   " market", " letter",  " orange",  " silver", " copper",  " marble",
    " thunder",  " cloud",   " coffee", " lantern", " compass", " anchor", " basket",  " candle",
};

// SplitMix64: a good 64-bit mixer, so neighbouring indices give unrelated words.
quint64 splitMix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

QByteArrayView word(quint64 seed, quint64 index)
{
    return vocabulary[splitMix(seed ^ splitMix(index)) % vocabulary.size()];
}

// Token `index` of a text: the first drops its leading space.
QByteArrayView wordToken(quint64 seed, int index)
{
    const QByteArrayView token = word(seed, quint64(index));
    return index == 0 ? token.sliced(1) : token;
}

// Separates the reasoning's words and length from the answer's.
constexpr quint64 reasoningSalt = 0x7468696e6b696e67ULL;

// Fills a JSON Schema with deterministic values of the right types: required properties only,
// the first alternative of anyOf/oneOf, enum and const honoured; $ref is not followed.
class ArgumentWriter
{
public:
    explicit ArgumentWriter(quint64 seed)
        : m_seed(seed)
    {}

    QJsonValue value(const QJsonObject &schema, int depth)
    {
        if (schema.contains("const"_L1))
            return schema.value("const"_L1);
        const QJsonArray choices = schema.value("enum"_L1).toArray();
        if (!choices.isEmpty())
            return choices.at(int(next() % choices.size()));
        for (const auto alternatives : {"anyOf"_L1, "oneOf"_L1}) {
            const QJsonArray options = schema.value(alternatives).toArray();
            if (!options.isEmpty())
                return value(options.first().toObject(), depth);
        }
        const QString type = typeOf(schema);
        if (type == "object"_L1)
            return depth < 8 ? QJsonValue(object(schema, depth + 1)) : QJsonValue(QJsonObject());
        if (type == "array"_L1) {
            QJsonArray items;
            const int count = std::max(1, schema.value("minItems"_L1).toInt());
            for (int i = 0; i < count && depth < 8; ++i)
                items.append(value(schema.value("items"_L1).toObject(), depth + 1));
            return items;
        }
        if (type == "integer"_L1)
            return qint64(bounded(schema, double(next() % 100)));
        if (type == "number"_L1)
            return bounded(schema, double(next() % 1000) / 10);
        if (type == "boolean"_L1)
            return next() % 2 == 0;
        if (type == "null"_L1)
            return QJsonValue::Null;
        QByteArray text = word(m_seed, next()).sliced(1).toByteArray();
        text.append(word(m_seed, next()));
        return QString::fromUtf8(text);
    }

    QJsonObject object(const QJsonObject &schema, int depth)
    {
        const QJsonObject properties = schema.value("properties"_L1).toObject();
        QJsonObject filled;
        for (const QJsonValue name : schema.value("required"_L1).toArray()) {
            const QString key = name.toString();
            if (!key.isEmpty())
                filled.insert(key, value(properties.value(key).toObject(), depth));
        }
        return filled;
    }

private:
    static QString typeOf(const QJsonObject &schema)
    {
        const QJsonValue type = schema.value("type"_L1);
        if (type.isArray()) {
            for (const QJsonValue option : type.toArray()) {
                if (option.toString() != "null"_L1)
                    return option.toString();
            }
            return u"null"_s;
        }
        if (type.isString())
            return type.toString();
        if (schema.contains("properties"_L1))
            return u"object"_s;
        if (schema.contains("items"_L1))
            return u"array"_s;
        return u"string"_s;
    }

    static double bounded(const QJsonObject &schema, double candidate)
    {
        const QJsonValue minimum = schema.value("minimum"_L1);
        const QJsonValue maximum = schema.value("maximum"_L1);
        if (minimum.isDouble())
            candidate += minimum.toDouble();
        if (maximum.isDouble())
            candidate = std::min(candidate, maximum.toDouble());
        return candidate;
    }

    quint64 next() { return splitMix(m_seed + ++m_counter); }

    quint64 m_seed;
    quint64 m_counter = 0;
};

// Cuts compact JSON into token-like pieces: runs of punctuation, and words (a space joins the
// word after it). Bytes of multi-byte UTF-8 count as word bytes, so no piece splits a character.
QList<QByteArray> pieces(const QByteArray &json)
{
    const auto isWord = [&json](qsizetype i) {
        const auto byte = static_cast<unsigned char>(json.at(i));
        if (byte == ' ')
            return i + 1 < json.size() && static_cast<unsigned char>(json.at(i + 1)) != ' ';
        return byte >= 0x80 || std::isalnum(byte) || byte == '_' || byte == '-' || byte == '.';
    };
    QList<QByteArray> result;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= json.size(); ++i) {
        const bool boundary =
            i == json.size() || isWord(i) != isWord(i - 1) || (json.at(i) == ' ' && isWord(i));
        if (boundary) {
            result.append(json.sliced(start, i - start));
            start = i;
        }
    }
    return result;
}

QByteArray callId(quint64 seed)
{
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray id = QByteArrayLiteral("call_");
    for (int i = 0; i < 24; ++i)
        id.append(alphabet[splitMix(seed ^ (0xca11ULL + i)) % 62]);
    return id;
}

} // namespace

SimulatedCompletion::SimulatedCompletion(const SimulatedPrompt &prompt)
    : m_seed(prompt.fingerprint())
    , m_promptTokens(prompt.promptTokens())
{
    const SimulationDirective directive = prompt.directive();
    m_cachedTokens = std::min(directive.cached.value_or(0), m_promptTokens);
    m_cacheWriteTokens =
        std::min(directive.cacheWrite.value_or(0), m_promptTokens - m_cachedTokens);
    const int limit = prompt.maxTokens.value_or(std::numeric_limits<int>::max());
    const int reasoning = directive.reasoning.value_or(
        prompt.reasoningRequested ? 8 + int(splitMix(m_seed ^ reasoningSalt) % 25) : 0);
    m_reasoningTokens = std::min(reasoning, limit);
    const int room = limit - m_reasoningTokens;
    const int wantedText = directive.tokens.value_or(12 + int(splitMix(m_seed) % 49));

    if (!prompt.tools.isEmpty() && prompt.toolsAllowed && !prompt.answersToolResult()) {
        const auto named = std::find_if(
            prompt.tools.cbegin(), prompt.tools.cend(),
            [&](const SimulatedPrompt::Tool &tool) { return tool.name == prompt.forcedTool; });
        const SimulatedPrompt::Tool &tool =
            named != prompt.tools.cend() ? *named
                                         : prompt.tools.at(int(m_seed % prompt.tools.size()));
        ToolCall call{callId(m_seed), tool.name, tool.freeform, {}};
        if (tool.freeform) {
            for (int i = 0; i < wantedText; ++i)
                call.argumentPieces.append(textToken(i).toByteArray());
        } else {
            ArgumentWriter writer(m_seed);
            call.argumentPieces = pieces(
                QJsonDocument(writer.object(tool.parameters, 0)).toJson(QJsonDocument::Compact));
        }
        m_finishReason = FinishReason::ToolCalls;
        if (call.argumentPieces.size() > room || reasoning > limit) {
            call.argumentPieces.resize(std::min<qsizetype>(room, call.argumentPieces.size()));
            m_finishReason = FinishReason::Length;
        }
        m_toolCall = std::move(call);
        return;
    }

    m_textTokens = std::min(wantedText, room);
    if (m_textTokens < wantedText || reasoning > limit)
        m_finishReason = FinishReason::Length;
}

int SimulatedCompletion::outputTokenCount() const
{
    return m_toolCall ? int(m_toolCall->argumentPieces.size()) : m_textTokens;
}

QByteArrayView SimulatedCompletion::textToken(int index) const
{
    return wordToken(m_seed, index);
}

QByteArray SimulatedCompletion::text() const
{
    QByteArray text;
    text.reserve(m_textTokens * 8);
    for (int i = 0; i < m_textTokens; ++i)
        text.append(textToken(i));
    return text;
}

QByteArrayView SimulatedCompletion::reasoningToken(int index) const
{
    return wordToken(m_seed ^ reasoningSalt, index);
}

QByteArray SimulatedCompletion::reasoningText() const
{
    QByteArray text;
    text.reserve(m_reasoningTokens * 8);
    for (int i = 0; i < m_reasoningTokens; ++i)
        text.append(reasoningToken(i));
    return text;
}
