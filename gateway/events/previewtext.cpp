#include "events/previewtext.h"

void PreviewText::append(QByteArrayView utf8)
{
    if (m_full)
        return;
    const qsizetype room = m_bound - m_text.size();
    if (utf8.size() <= room) {
        m_text.append(utf8);
        return;
    }
    qsizetype cut = room;
    while (cut > 0 && (uchar(utf8[cut]) & 0xc0) == 0x80)
        --cut; // not inside a character
    m_text.append(utf8.first(cut));
    m_full = true;
}

void PreviewText::separate()
{
    if (!m_text.isEmpty())
        append("\n");
}
