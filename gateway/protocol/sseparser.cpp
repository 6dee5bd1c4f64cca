#include "protocol/sseparser.h"

#include "protocol/paddedjson.h"

#include <cstring>
#include <utility>

namespace {

const char *findByte(const char *from, char byte, qsizetype length)
{
    return static_cast<const char *>(std::memchr(from, byte, size_t(length)));
}

} // namespace

SseParser::SseParser(qsizetype maxEventSize)
    : m_maxEventSize(maxEventSize)
{}

void SseParser::setEventHandler(EventHandler handler)
{
    m_handler = std::move(handler);
}

void SseParser::feed(QByteArrayView bytes)
{
    if (hasError() || bytes.isEmpty())
        return;
    m_buffer.append(bytes);
    if (!m_startChecked) {
        const QByteArrayView bom("\xEF\xBB\xBF");
        if (m_buffer.size() < bom.size() && bom.startsWith(m_buffer))
            return; // may still turn out to be a BOM
        if (m_buffer.startsWith(bom))
            m_buffer.remove(0, bom.size());
        m_startChecked = true;
    }
    parse();
}

void SseParser::finish()
{
    if (hasError() || !m_crPending)
        return;
    m_crPending = false;
    if (!m_endPending)
        return;
    m_endPending = false;
    endEvent(0, m_buffer.size());
    m_buffer.clear();
    m_lineStart = 0;
    m_scanned = 0;
}

QList<SseEvent> SseParser::takeEvents()
{
    return std::exchange(m_events, {});
}

void SseParser::parse()
{
    const char *begin = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype pos = m_lineStart;
    qsizetype eventStart = 0;

    if (m_crPending && pos < size) {
        m_crPending = false;
        if (begin[pos] == '\n')
            ++pos;
        if (m_endPending) {
            m_endPending = false;
            endEvent(0, pos);
            eventStart = pos;
        } else if (pos == 1 && m_lineStart == 0) {
            eventStart = pos; // the '\n' of a blank line that ended no event
        }
        m_scanned = pos;
    }

    while (pos < size && !hasError()) {
        // Line ends are searched with memchr; bytes already searched are not searched again.
        const qsizetype from = qMax(pos, m_scanned);
        const char *lf = findByte(begin + from, '\n', size - from);
        const qsizetype searchEnd = lf ? lf - begin : size;
        const char *cr = findByte(begin + from, '\r', searchEnd - from);
        qsizetype lineEnd;
        qsizetype next;
        if (cr) {
            lineEnd = cr - begin;
            next = lineEnd + 1;
            if (next == size)
                m_crPending = true;
            else if (begin[next] == '\n')
                ++next;
        } else if (lf) {
            lineEnd = lf - begin;
            next = lineEnd + 1;
        } else {
            m_scanned = size;
            break;
        }

        if (lineEnd > pos) {
            takeLine(begin + pos, lineEnd - pos);
        } else if (!m_eventHasLines) {
            eventStart = next; // a blank line that ends no event carries nothing
        } else if (m_crPending) {
            m_endPending = true; // the raw bytes end after a '\n' that may still come
        } else {
            endEvent(eventStart, next);
            eventStart = next;
        }
        pos = next;
        m_scanned = next;
    }
    if (hasError())
        return;

    m_buffer.remove(0, eventStart);
    m_lineStart = pos - eventStart;
    m_scanned -= eventStart;
    if (m_buffer.size() > m_maxEventSize)
        fail();
}

void SseParser::takeLine(const char *line, qsizetype length)
{
    m_eventHasLines = true;
    if (line[0] == ':')
        return; // a comment
    const char *colon = findByte(line, ':', length);
    const QByteArrayView name(line, colon ? colon - line : length);
    QByteArrayView value;
    if (colon) {
        value = QByteArrayView(colon + 1, line + length - colon - 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (name == "data") {
        if (m_eventHasData)
            m_data.append('\n');
        else
            m_data.reserve(value.size() + JsonPadding);
        m_data.append(value);
        m_eventHasData = true;
    } else if (name == "event") {
        m_eventName = value.toByteArray();
    }
}

void SseParser::endEvent(qsizetype start, qsizetype end)
{
    if (end - start > m_maxEventSize) {
        fail();
        return;
    }
    SseEvent event{std::exchange(m_eventName, {}), std::exchange(m_data, {}),
                   m_buffer.sliced(start, end - start)};
    if (m_eventHasData)
        ensureJsonPadding(event.data);
    m_eventHasLines = false;
    m_eventHasData = false;
    if (m_handler)
        m_handler(event);
    else
        m_events.append(std::move(event));
}

void SseParser::fail()
{
    m_error = QStringLiteral("garbled event stream: an event is larger than %1 bytes")
                  .arg(m_maxEventSize);
    m_buffer.clear();
    m_data.clear();
    m_eventName.clear();
    m_lineStart = 0;
    m_scanned = 0;
    m_crPending = false;
    m_endPending = false;
}
