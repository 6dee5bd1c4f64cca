#include "events/compactjsonwriter.h"

#include "protocol/jsonescape.h"

#include <algorithm>
#include <charconv>
#include <iterator>

CompactJsonWriter::CompactJsonWriter(qsizetype expectedBytes)
{
    m_text.reserve(std::min<qsizetype>(expectedBytes, 4096));
}

void CompactJsonWriter::separate()
{
    if (m_needsComma)
        m_text.append(',');
    m_needsComma = true;
}

void CompactJsonWriter::beginObject()
{
    separate();
    m_text.append('{');
    m_needsComma = false;
}

void CompactJsonWriter::endObject()
{
    m_text.append('}');
    m_needsComma = true;
}

void CompactJsonWriter::beginArray()
{
    separate();
    m_text.append('[');
    m_needsComma = false;
}

void CompactJsonWriter::endArray()
{
    m_text.append(']');
    m_needsComma = true;
}

CompactJsonWriter &CompactJsonWriter::key(QByteArrayView name)
{
    // One append: this runs for every member.
    const qsizetype at = m_text.size();
    m_text.resize(at + (m_needsComma ? 1 : 0) + name.size() + 3);
    char *out = m_text.data() + at;
    if (m_needsComma)
        *out++ = ',';
    *out++ = '"';
    out = std::copy(name.begin(), name.end(), out);
    *out++ = '"';
    *out = ':';
    m_needsComma = false;
    return *this;
}

void CompactJsonWriter::string(QByteArrayView utf8)
{
    separate();
    appendJsonString(m_text, utf8);
}

void CompactJsonWriter::optionalString(QByteArrayView utf8)
{
    if (utf8.isEmpty())
        null();
    else
        string(utf8);
}

void CompactJsonWriter::number(qint64 value)
{
    separate();
    // Formatted in place: QByteArray::number allocates, and a preview holds a dozen numbers.
    char digits[24];
    const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
    m_text.append(digits, end - digits);
}

void CompactJsonWriter::boolean(bool value)
{
    separate();
    m_text.append(value ? QByteArrayView("true") : QByteArrayView("false"));
}

void CompactJsonWriter::null()
{
    separate();
    m_text.append("null");
}

void CompactJsonWriter::raw(QByteArrayView json)
{
    separate();
    m_text.append(json);
}
