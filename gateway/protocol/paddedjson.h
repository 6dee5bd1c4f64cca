#pragma once

#include <QByteArray>

// simdjson reads up to this many bytes past the end of a JSON text (SIMDJSON_PADDING); they
// must be readable, their content does not matter.
inline constexpr qsizetype JsonPadding = 64;

// Makes sure the array's allocation holds JsonPadding bytes past its end, reallocating only
// when it does not, so a request body can be parsed in place.
void ensureJsonPadding(QByteArray &json);

// A JSON text ready for simdjson: the array's own bytes when its allocation already has the
// padding, otherwise a padded copy.
class PaddedJson
{
public:
    explicit PaddedJson(const QByteArray &json);

    const char *data() const { return m_data; }
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return m_capacity; } // readable bytes from data()

private:
    QByteArray m_copy;
    const char *m_data = nullptr;
    qsizetype m_size = 0;
    qsizetype m_capacity = 0;
};
