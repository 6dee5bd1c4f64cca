#include "protocol/chatrequestview.h"

#include "protocol/paddedjson.h"

#include <simdjson.h>

using namespace simdjson;

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

QString describe(ondemand::json_type type)
{
    switch (type) {
    case ondemand::json_type::object:
        return QStringLiteral("an object");
    case ondemand::json_type::array:
        return QStringLiteral("an array");
    case ondemand::json_type::string:
        return QStringLiteral("a string");
    case ondemand::json_type::number:
        return QStringLiteral("a number");
    case ondemand::json_type::boolean:
        return QStringLiteral("a boolean");
    case ondemand::json_type::null:
        return QStringLiteral("null");
    }
    return {};
}

// Reads one request body; each step leaves a message in m_error when it fails.
class RequestReader
{
public:
    RequestReader(const char *base, ChatRequestView &view)
        : m_base(base)
        , m_view(view)
    {}

    bool readTopLevel(ondemand::document &document);
    QString error() const { return m_error; }

private:
    bool readField(std::string_view key, ondemand::value &value);
    bool readStreamOptions(ondemand::value &value);
    bool readCount(std::string_view key, ondemand::value &value, std::optional<qint64> &out);
    bool typeOf(ondemand::value &value, ondemand::json_type &type);
    bool once(std::string_view key, bool &seen);
    bool invalidJson(error_code code);
    bool wrongType(std::string_view key, const char *expected, ondemand::json_type got);
    ByteRange rangeOf(std::string_view token) const;

    const char *m_base;
    ChatRequestView &m_view;
    QString m_error;
    bool m_seenModel = false;
    bool m_seenStream = false;
    bool m_seenStreamOptions = false;
};

bool RequestReader::readTopLevel(ondemand::document &document)
{
    ondemand::json_type type;
    if (const error_code code = document.type().get(type))
        return invalidJson(code);
    if (type != ondemand::json_type::object) {
        m_error =
            QStringLiteral("The request body must be a JSON object, not %1.").arg(describe(type));
        return false;
    }
    ondemand::object object;
    if (const error_code code = document.get_object().get(object))
        return invalidJson(code);
    for (auto member : object) {
        ondemand::field field;
        if (const error_code code = std::move(member).get(field))
            return invalidJson(code);
        std::string_view key;
        // Keys are compared unescaped: "mod\u0065l" is "model" to the provider too.
        if (const error_code code = field.unescaped_key().get(key))
            return invalidJson(code);
        if (!readField(key, field.value()))
            return false;
    }
    const char *trailing = nullptr;
    if (document.current_location().get(trailing) == SUCCESS) {
        m_error = QStringLiteral("The request body is not valid JSON: there is more after the "
                                 "top-level object.");
        return false;
    }
    if (!m_seenModel) {
        m_error = QStringLiteral("Missing required parameter: 'model'.");
        return false;
    }
    return true;
}

bool RequestReader::readField(std::string_view key, ondemand::value &value)
{
    if (key == "model") {
        if (!once(key, m_seenModel))
            return false;
        ondemand::json_type type;
        if (!typeOf(value, type))
            return false;
        if (type != ondemand::json_type::string)
            return wrongType(key, "a string", type);
        m_view.modelToken = rangeOf(value.raw_json_token());
        std::string_view model;
        if (const error_code code = value.get_string().get(model))
            return invalidJson(code);
        m_view.model = QString::fromUtf8(model.data(), qsizetype(model.size()));
        return true;
    }
    if (key == "stream") {
        if (!once(key, m_seenStream))
            return false;
        ondemand::json_type type;
        if (!typeOf(value, type))
            return false;
        if (type == ondemand::json_type::null)
            return true;
        if (type != ondemand::json_type::boolean)
            return wrongType(key, "a boolean", type);
        if (const error_code code = value.get_bool().get(m_view.stream))
            return invalidJson(code);
        return true;
    }
    if (key == "stream_options") {
        if (!once(key, m_seenStreamOptions))
            return false;
        return readStreamOptions(value);
    }
    if (key == "max_tokens")
        return readCount(key, value, m_view.maxTokens);
    if (key == "max_completion_tokens")
        return readCount(key, value, m_view.maxCompletionTokens);
    return true; // skipped without being parsed
}

bool RequestReader::readStreamOptions(ondemand::value &value)
{
    ondemand::json_type type;
    if (!typeOf(value, type))
        return false;
    const std::string_view start = value.raw_json_token();
    if (type == ondemand::json_type::null) {
        m_view.streamOptions = rangeOf(start);
        return true;
    }
    if (type != ondemand::json_type::object)
        return wrongType("stream_options", "an object", type);
    ondemand::object object;
    if (const error_code code = value.get_object().get(object))
        return invalidJson(code);
    bool seenIncludeUsage = false;
    for (auto member : object) {
        ondemand::field field;
        if (const error_code code = std::move(member).get(field))
            return invalidJson(code);
        std::string_view key;
        if (const error_code code = field.unescaped_key().get(key))
            return invalidJson(code);
        if (key != "include_usage")
            continue;
        if (!once("stream_options.include_usage", seenIncludeUsage))
            return false;
        ondemand::value &includeUsage = field.value();
        if (!typeOf(includeUsage, type))
            return false;
        m_view.includeUsageToken = rangeOf(includeUsage.raw_json_token());
        if (type == ondemand::json_type::null)
            continue;
        if (type != ondemand::json_type::boolean)
            return wrongType("stream_options.include_usage", "a boolean", type);
        bool flag = false;
        if (const error_code code = includeUsage.get_bool().get(flag))
            return invalidJson(code);
        m_view.includeUsage = flag;
    }
    // Once the object is consumed the parser stands on the token after its '}'.
    const char *after = nullptr;
    if (const error_code code = value.current_location().get(after))
        return invalidJson(code);
    while (after > start.data() && isJsonSpace(after[-1]))
        --after;
    m_view.streamOptions = {start.data() - m_base, after - start.data()};
    return true;
}

bool RequestReader::readCount(std::string_view key, ondemand::value &value,
                              std::optional<qint64> &out)
{
    ondemand::json_type type;
    if (!typeOf(value, type))
        return false;
    if (type == ondemand::json_type::null)
        return true;
    int64_t count = 0;
    if (type != ondemand::json_type::number || value.get_int64().get(count) != SUCCESS ||
        count < 0) {
        m_error = QStringLiteral("Invalid value for '%1': expected a non-negative integer.")
                      .arg(QLatin1StringView(key.data(), qsizetype(key.size())));
        return false;
    }
    out = count;
    return true;
}

bool RequestReader::typeOf(ondemand::value &value, ondemand::json_type &type)
{
    if (const error_code code = value.type().get(type))
        return invalidJson(code);
    return true;
}

bool RequestReader::once(std::string_view key, bool &seen)
{
    // A second copy would let the gateway check one value while the provider uses the other.
    if (seen) {
        m_error = QStringLiteral("Duplicate parameter '%1' in the request body.")
                      .arg(QLatin1StringView(key.data(), qsizetype(key.size())));
        return false;
    }
    seen = true;
    return true;
}

bool RequestReader::invalidJson(error_code code)
{
    m_error = QStringLiteral("The request body is not valid JSON: %1")
                  .arg(QString::fromUtf8(error_message(code)));
    return false;
}

bool RequestReader::wrongType(std::string_view key, const char *expected, ondemand::json_type got)
{
    m_error = QStringLiteral("Invalid type for '%1': expected %2, but got %3 instead.")
                  .arg(QLatin1StringView(key.data(), qsizetype(key.size())),
                       QLatin1StringView(expected), describe(got));
    return false;
}

ByteRange RequestReader::rangeOf(std::string_view token) const
{
    qsizetype length = qsizetype(token.size());
    while (length > 0 && isJsonSpace(token[length - 1]))
        --length;
    return {token.data() - m_base, length};
}

} // namespace

std::optional<ChatRequestView> ChatRequestView::parse(const QByteArray &body, QString *error)
{
    thread_local ondemand::parser parser;
    const PaddedJson json(body);
    ChatRequestView view;
    RequestReader reader(json.data(), view);
    ondemand::document document;
    const error_code code =
        parser
            .iterate(padded_string_view(json.data(), size_t(json.size()), size_t(json.capacity())))
            .get(document);
    const bool ok = code == SUCCESS ? reader.readTopLevel(document) : false;
    if (!ok) {
        if (error) {
            *error = code == SUCCESS ? reader.error()
                                     : QStringLiteral("The request body is not valid JSON: %1")
                                           .arg(QString::fromUtf8(error_message(code)));
        }
        return std::nullopt;
    }
    const char *begin = json.data();
    qsizetype brace = 0;
    while (isJsonSpace(begin[brace]))
        ++brace;
    view.objectStart = brace + 1;
    return view;
}
