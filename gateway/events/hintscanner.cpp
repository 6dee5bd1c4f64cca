#include "hintscanner.h"

#include "escapedregion.h"

#include <QtEndian>

#include <algorithm>

namespace {

constexpr std::array<uchar, 256> kLower = [] {
    std::array<uchar, 256> table{};
    for (int c = 0; c < 256; ++c)
        table[c] = uchar(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return table;
}();

uchar upper(uchar c)
{
    return c >= 'a' && c <= 'z' ? uchar(c - 'a' + 'A') : c;
}

bool isWordByte(uchar c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int word(uchar first, uchar second)
{
    return first | (second << 8);
}

} // namespace

void HintScanner::add(QByteArrayView literal, int tag, bool wordStart, QByteArrayView followedBy)
{
    Q_ASSERT(literal.size() >= 3);
    m_literals.append({literal.toByteArray().toLower(), tag, wordStart, followedBy.toByteArray()});
    const QByteArray &lower = m_literals.last().lower;
    for (int at = 0; at < 2; ++at)
        index(lower[at], lower[at + 1], {int(m_literals.size() - 1), at});
}

void HintScanner::index(uchar first, uchar second, Entry entry)
{
    const int lower = word(first, second);
    if (m_bucketOf[lower] == 0) {
        Q_ASSERT(m_buckets.size() < 255);
        m_buckets.emplaceBack();
        m_bucketOf[lower] = quint8(m_buckets.size());
    }
    const quint8 bucket = m_bucketOf[lower];
    m_buckets[bucket - 1].append(entry);
    for (uchar a : {first, upper(first)}) {
        for (uchar b : {second, upper(second)})
            m_bucketOf[word(a, b)] = bucket; // no lower-case pair has an upper-case letter
    }
}

QList<HintScanner::Hit> HintScanner::scan(QByteArrayView text) const
{
    QList<Hit> hits;
    const auto *bytes = reinterpret_cast<const uchar *>(text.data());
    const qsizetype size = text.size();
    for (qsizetype i = 0; i + 1 < size; i += 2) {
        const quint8 bucket = m_bucketOf[qFromLittleEndian<quint16>(bytes + i)];
        if (bucket == 0)
            continue;
        for (const Entry &entry : m_buckets[bucket - 1]) {
            const Literal &candidate = m_literals[entry.literal];
            const QByteArray &literal = candidate.lower;
            const qsizetype start = i - entry.at;
            if (start < 0 || literal.size() > size - start)
                continue;
            qsizetype k = 0;
            while (k < literal.size() && kLower[bytes[start + k]] == uchar(literal[k]))
                ++k;
            if (k < literal.size())
                continue;
            const qsizetype escape = EscapedRegion::escapeEndingAt(text, start);
            if (candidate.wordStart && start > 0 && isWordByte(bytes[start - 1]) && escape < 0)
                continue;
            const qsizetype after = start + literal.size();
            if (!candidate.followedBy.isEmpty() &&
                (after == size || !candidate.followedBy.contains(char(bytes[after]))))
                continue;
            hits.append({start, candidate.tag, escape});
        }
    }
    // Most texts have no hit: begin() on an empty list would allocate one (it detaches).
    if (hits.size() > 1) {
        std::stable_sort(hits.begin(), hits.end(),
                         [](const Hit &a, const Hit &b) { return a.offset < b.offset; });
    }
    return hits;
}
