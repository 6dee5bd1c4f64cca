#include "events/compactjsonwriter.h"

#include "protocol/jsonescape.h"

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
    separate();
    m_text.append('"').append(name).append("\":");
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
    m_text.append(QByteArray::number(value));
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
