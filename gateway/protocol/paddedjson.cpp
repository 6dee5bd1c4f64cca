#include "protocol/paddedjson.h"

#include <simdjson.h>

static_assert(size_t(JsonPadding) >= simdjson::SIMDJSON_PADDING);

namespace {

// Bytes readable from constData(): Qt 6 may keep free space in front of the data (after a
// remove() at the start), so capacity() alone would overstate what follows it.
qsizetype readableBytes(const QByteArray &json)
{
    return json.size() + const_cast<QByteArray &>(json).data_ptr().freeSpaceAtEnd();
}

} // namespace

void ensureJsonPadding(QByteArray &json)
{
    if (readableBytes(json) < json.size() + JsonPadding)
        json.reserve(json.size() + JsonPadding);
}

PaddedJson::PaddedJson(const QByteArray &json)
    : m_data(json.constData())
    , m_size(json.size())
    , m_capacity(readableBytes(json))
{
    if (m_capacity >= m_size + JsonPadding)
        return;
    m_copy.reserve(m_size + JsonPadding);
    m_copy.append(json);
    m_data = m_copy.constData();
    m_capacity = readableBytes(m_copy);
}
