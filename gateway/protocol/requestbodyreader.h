#pragma once

#include "protocol/byterange.h"
#include "protocol/ondemandjson.h"
#include "protocol/paddedjson.h"

#include <QByteArray>
#include <QString>
#include <QVarLengthArray>

#include <optional>
#include <string_view>

// Reads the top-level members of a JSON request body in place, saying in words fit for a 400
// invalid_request_error what is wrong: what every request view shares. It pulls in simdjson:
// include it from .cpp files only.
class RequestBodyReader
{
public:
    using Value = OnDemandJson::od::value;

    // The body is read in place when its allocation has room for simdjson's padding (see
    // ensureJsonPadding()), from a padded copy otherwise; offsets are the body's either way.
    explicit RequestBodyReader(const QByteArray &body);
    RequestBodyReader(const RequestBodyReader &) = delete;
    RequestBodyReader &operator=(const RequestBodyReader &) = delete;

    // Hands each top-level member to readField(key, value), which returns false, after one of
    // the failing readers below said why, to stop. Keys are compared unescaped:
    // "mod\u0065l" is "model" to the provider too. A body without 'model' fails.
    template<typename ReadField> bool read(ReadField readField);
    // The same for a nested value that must be an object (the caller checked its type).
    template<typename ReadField> bool readMembers(Value &value, ReadField readField);

    // The readers of common fields; each accepts its key once.
    bool readModel(Value &value, QString &model, ByteRange &token);
    bool readStream(Value &value, bool &stream); // null: false
    bool readCount(std::string_view key, Value &value,
                   std::optional<qint64> &count); // null: absent
    // A string the gateway only uses as a hint (a session key): anything else, an oversize
    // value or a second copy leaves it empty, and is never an error (the provider judges it).
    bool readHint(Value &value, QString &text, bool &seen);

    // Failing checks: each returns false with error() set.
    bool once(std::string_view key);
    bool typeOf(Value &value, OnDemandJson::od::json_type &type);
    bool invalidJson(simdjson::error_code code);
    bool wrongType(std::string_view key, const char *expected, OnDemandJson::od::json_type got);

    // A value's bytes in the body, trailing whitespace excluded.
    ByteRange rangeOf(std::string_view token) const;
    // Just after the top-level '{', once read() succeeded.
    qsizetype objectStart() const;

    QString error() const { return m_error; }

private:
    template<typename ReadField>
    bool readObject(OnDemandJson::od::object &object, ReadField readField);
    bool begin(OnDemandJson::od::object &object);
    bool end();

    PaddedJson m_json;
    OnDemandJson::od::document m_document;
    QString m_error;
    // The keys taken so far: a second copy would let the gateway check one value while the
    // provider uses the other.
    QVarLengthArray<std::string_view, 8> m_seen;
};

template<typename ReadField>
bool RequestBodyReader::readObject(OnDemandJson::od::object &object, ReadField readField)
{
    for (auto member : object) {
        OnDemandJson::od::field field;
        if (const simdjson::error_code code = std::move(member).get(field))
            return invalidJson(code);
        std::string_view key;
        if (const simdjson::error_code code = field.unescaped_key().get(key))
            return invalidJson(code);
        if (!readField(key, field.value()))
            return false;
    }
    return true;
}

template<typename ReadField> bool RequestBodyReader::read(ReadField readField)
{
    OnDemandJson::od::object object;
    return begin(object) && readObject(object, readField) && end();
}

template<typename ReadField> bool RequestBodyReader::readMembers(Value &value, ReadField readField)
{
    OnDemandJson::od::object object;
    if (const simdjson::error_code code = value.get_object().get(object))
        return invalidJson(code);
    return readObject(object, readField);
}
