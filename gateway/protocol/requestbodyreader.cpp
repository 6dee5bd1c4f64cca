#include "protocol/requestbodyreader.h"

#include <algorithm>

using namespace simdjson;
using namespace OnDemandJson;

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

QString describe(od::json_type type)
{
    switch (type) {
    case od::json_type::object:
        return QStringLiteral("an object");
    case od::json_type::array:
        return QStringLiteral("an array");
    case od::json_type::string:
        return QStringLiteral("a string");
    case od::json_type::number:
        return QStringLiteral("a number");
    case od::json_type::boolean:
        return QStringLiteral("a boolean");
    case od::json_type::null:
        return QStringLiteral("null");
    }
    return {};
}

QLatin1StringView latin1(std::string_view text)
{
    return QLatin1StringView(text.data(), qsizetype(text.size()));
}

} // namespace

RequestBodyReader::RequestBodyReader(const QByteArray &body)
    : m_json(body)
{}

bool RequestBodyReader::begin(od::object &object)
{
    if (const error_code code = OnDemandJson::iterate(m_json, m_document))
        return invalidJson(code);
    od::json_type type;
    if (const error_code code = m_document.type().get(type))
        return invalidJson(code);
    if (type != od::json_type::object) {
        m_error =
            QStringLiteral("The request body must be a JSON object, not %1.").arg(describe(type));
        return false;
    }
    if (const error_code code = m_document.get_object().get(object))
        return invalidJson(code);
    return true;
}

bool RequestBodyReader::end()
{
    const char *trailing = nullptr;
    if (m_document.current_location().get(trailing) == SUCCESS) {
        m_error = QStringLiteral("The request body is not valid JSON: there is more after the "
                                 "top-level object.");
        return false;
    }
    if (std::find(m_seen.cbegin(), m_seen.cend(), "model") == m_seen.cend()) {
        m_error = QStringLiteral("Missing required parameter: 'model'.");
        return false;
    }
    return true;
}

bool RequestBodyReader::readModel(Value &value, QString &model, ByteRange &token)
{
    if (!once("model"))
        return false;
    od::json_type type;
    if (!typeOf(value, type))
        return false;
    if (type != od::json_type::string)
        return wrongType("model", "a string", type);
    token = rangeOf(value.raw_json_token());
    std::string_view text;
    if (const error_code code = value.get_string().get(text))
        return invalidJson(code);
    model = QString::fromUtf8(text.data(), qsizetype(text.size()));
    return true;
}

bool RequestBodyReader::readStream(Value &value, bool &stream)
{
    if (!once("stream"))
        return false;
    od::json_type type;
    if (!typeOf(value, type))
        return false;
    if (type == od::json_type::null)
        return true;
    if (type != od::json_type::boolean)
        return wrongType("stream", "a boolean", type);
    if (const error_code code = value.get_bool().get(stream))
        return invalidJson(code);
    return true;
}

bool RequestBodyReader::readCount(std::string_view key, Value &value, std::optional<qint64> &count)
{
    if (!once(key))
        return false;
    od::json_type type;
    if (!typeOf(value, type))
        return false;
    if (type == od::json_type::null)
        return true;
    int64_t number = 0;
    if (type != od::json_type::number || value.get_int64().get(number) != SUCCESS || number < 0) {
        m_error = QStringLiteral("Invalid value for '%1': expected a non-negative integer.")
                      .arg(latin1(key));
        return false;
    }
    count = number;
    return true;
}

bool RequestBodyReader::readHint(Value &value, QString &text, bool &seen)
{
    constexpr size_t maxHintBytes = 1024;
    const bool first = !seen;
    seen = true;
    text.clear();
    od::json_type type;
    std::string_view raw;
    if (!first || value.type().get(type) != SUCCESS || type != od::json_type::string ||
        value.get_string().get(raw) != SUCCESS || raw.size() > maxHintBytes)
        return true;
    text = QString::fromUtf8(raw.data(), qsizetype(raw.size()));
    return true;
}

bool RequestBodyReader::once(std::string_view key)
{
    if (std::find(m_seen.cbegin(), m_seen.cend(), key) != m_seen.cend()) {
        m_error = QStringLiteral("Duplicate parameter '%1' in the request body.").arg(latin1(key));
        return false;
    }
    m_seen.append(key);
    return true;
}

bool RequestBodyReader::typeOf(Value &value, od::json_type &type)
{
    if (const error_code code = value.type().get(type))
        return invalidJson(code);
    return true;
}

bool RequestBodyReader::invalidJson(error_code code)
{
    m_error = QStringLiteral("The request body is not valid JSON: %1")
                  .arg(QString::fromUtf8(error_message(code)));
    return false;
}

bool RequestBodyReader::wrongType(std::string_view key, const char *expected, od::json_type got)
{
    m_error = QStringLiteral("Invalid type for '%1': expected %2, but got %3 instead.")
                  .arg(latin1(key), QLatin1StringView(expected), describe(got));
    return false;
}

ByteRange RequestBodyReader::rangeOf(std::string_view token) const
{
    qsizetype length = qsizetype(token.size());
    while (length > 0 && isJsonSpace(token[length - 1]))
        --length;
    return {token.data() - m_json.data(), length};
}

qsizetype RequestBodyReader::objectStart() const
{
    qsizetype brace = 0;
    while (brace < m_json.size() && isJsonSpace(m_json.data()[brace]))
        ++brace;
    return brace + 1;
}
