#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Text gathered for an event preview (a prompt, a reply), kept up to a bound: the preview shows
// a head of a quarter of that bound, redacted before it is cut, so what lies past the bound can
// never reach it and is not copied. Cuts fall between UTF-8 characters.
class PreviewText
{
public:
    explicit PreviewText(qsizetype bound)
        : m_bound(bound)
    {}

    void append(QByteArrayView utf8);
    // The '\n' between two parts, once there is text before them.
    void separate();
    void clear()
    {
        m_text.clear();
        m_full = false;
    }

    bool isEmpty() const { return m_text.isEmpty(); }
    bool isFull() const { return m_full; }
    qsizetype bound() const { return m_bound; }
    const QByteArray &text() const { return m_text; }

private:
    QByteArray m_text;
    qsizetype m_bound;
    bool m_full = false; // cut at the bound: nothing more is taken
};
