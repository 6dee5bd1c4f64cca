#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

// An HTTP message head written piece by piece into one buffer. A head is one or two dozen
// short pieces; per piece, QByteArray's append (its general insert) cost more than the copy.
class HeadText
{
public:
    // Room for `expected` bytes at first (it grows if the head needs more).
    explicit HeadText(qsizetype expected) { m_text.resize(std::max<qsizetype>(expected, 64)); }

    HeadText &operator<<(QByteArrayView piece)
    {
        if (piece.isEmpty())
            return *this;
        if (m_size + piece.size() > m_text.size())
            m_text.resize(std::max(m_text.size() * 2, m_size + piece.size()));
        std::memcpy(m_text.data() + m_size, piece.data(), size_t(piece.size()));
        m_size += piece.size();
        return *this;
    }
    HeadText &operator<<(char c) { return *this << QByteArrayView(&c, 1); }
    HeadText &number(qint64 value)
    {
        char digits[24];
        const char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        return *this << QByteArrayView(digits, end - digits);
    }

    // The head written; the buffer keeps its room (a body appended next need not reallocate).
    QByteArray take()
    {
        m_text.truncate(m_size);
        m_size = 0;
        return std::exchange(m_text, {});
    }

private:
    QByteArray m_text;
    qsizetype m_size = 0;
};
