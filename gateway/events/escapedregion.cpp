#include "escapedregion.h"

#include "protocol/jsonescape.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

namespace {

// Room for the key or scheme before a secret ("\"client_secret\": \"", "Bearer "), and after an
// escaped key for its value.
constexpr qsizetype kContext = 64;

// The bytes secrets and escapes are made of. A region spans whole runs of them: all of a secret
// that an escape sits in.
constexpr std::array<bool, 256> kTokenByte = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c)
        table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    for (const char c : std::string_view("_-.~+/=%\\"))
        table[uchar(c)] = true;
    return table;
}();

qsizetype tokenStart(QByteArrayView text, qsizetype offset)
{
    while (offset > 0 && kTokenByte[uchar(text[offset - 1])])
        --offset;
    return offset;
}

qsizetype tokenEnd(QByteArrayView text, qsizetype offset)
{
    while (offset < text.size() && kTokenByte[uchar(text[offset])])
        ++offset;
    return offset;
}

// The value of hex digits in either case, or -1.
int hexValue(QByteArrayView digits)
{
    int value = 0;
    for (const char c : digits) {
        const char lower = char(c | 0x20);
        if (c >= '0' && c <= '9')
            value = value * 16 + (c - '0');
        else if (lower >= 'a' && lower <= 'f')
            value = value * 16 + (lower - 'a' + 10);
        else
            return -1;
    }
    return value;
}

// A JSON \uXXXX escape or a URL %XX escape (or, from decodedAt(), whatever decodes as one unit):
// where it ends, and what a decoder reads it as, the character's UTF-8 bytes or the byte.
struct Escape
{
    using Bytes = std::array<char, 4>;
    qsizetype end;
    Bytes bytes;
    qsizetype size;
};

// The value of the JSON "\uXXXX" at offset (backslash included), or -1.
int jsonEscapeValue(QByteArrayView text, qsizetype offset)
{
    if (offset + 6 > text.size() || text[offset] != '\\' || text[offset + 1] != 'u')
        return -1;
    return hexValue(text.sliced(offset + 2, 4));
}

bool isHighSurrogate(int value)
{
    return value >= 0xd800 && value < 0xdc00;
}

bool isLowSurrogate(int value)
{
    return value >= 0xdc00 && value < 0xe000;
}

// The escape that the backslash or percent sign at offset opens, if it opens one (for a
// backslash, whether a backslash escapes it is the caller's to know). A character past the BMP
// is a pair of escapes, a high surrogate then a low one (an emoji as json.dumps writes it), and
// decodes as one.
std::optional<Escape> escapeAt(QByteArrayView text, qsizetype offset)
{
    const bool percent = text[offset] == '%';
    const qsizetype end = offset + (percent ? 3 : 6);
    if (end > text.size() || (!percent && text[offset + 1] != 'u'))
        return std::nullopt;
    const int value = hexValue(text.sliced(offset + (percent ? 1 : 2), percent ? 2 : 4));
    if (value < 0)
        return std::nullopt;
    // A surrogate half alone is no character: a JSON reader makes it U+FFFD (or keeps it, as
    // JavaScript does), which is no letter either.
    constexpr Escape::Bytes replacement{char(0xef), char(0xbf), char(0xbd)};
    if (!percent && isHighSurrogate(value)) {
        const int low = jsonEscapeValue(text, end);
        if (!isLowSurrogate(low))
            return Escape{end, replacement, 3};
        const int code = 0x10000 + ((value - 0xd800) << 10) + (low - 0xdc00);
        return Escape{end + 6,
                      {char(0xf0 | code >> 18), char(0x80 | (code >> 12 & 0x3f)),
                       char(0x80 | (code >> 6 & 0x3f)), char(0x80 | (code & 0x3f))},
                      4};
    }
    if (!percent && isLowSurrogate(value))
        return Escape{end, replacement, 3};
    if (percent || value < 0x80)
        return Escape{end, {char(value)}, 1};
    if (value < 0x800)
        return Escape{end, {char(0xc0 | value >> 6), char(0x80 | (value & 0x3f))}, 2};
    return Escape{
        end,
        {char(0xe0 | value >> 12), char(0x80 | (value >> 6 & 0x3f)), char(0x80 | (value & 0x3f))},
        3};
}

// The control character that a JSON escape such as "\n" stands for, or 0.
char controlEscapedBy(char c)
{
    switch (c) {
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    }
    return 0;
}

// An escape that decodes to printable ASCII or whitespace can be a character of a secret, of
// its key, or the space after "Bearer": such an escape alone makes a region worth decoding.
bool decodesToText(const Escape &escape)
{
    const uchar c = escape.bytes[0];
    return escape.size == 1 && ((c >= ' ' && c < 0x7f) || (c >= '\t' && c <= '\r'));
}

// The first escape at or after an offset, asked for offsets that only grow (hints, in offset
// order), so that each byte is searched once. An offset is a hint's start: it cuts no backslash
// pair.
class NextEscape
{
public:
    explicit NextEscape(QByteArrayView text)
        : m_text(text)
    {}
    // The escape's start, or the text's size when none follows.
    qsizetype after(qsizetype offset)
    {
        return std::min(search(&m_percent, '%', offset), search(&m_backslash, '\\', offset));
    }

private:
    qsizetype search(qsizetype *found, char opener, qsizetype offset)
    {
        if (*found >= offset)
            return *found;
        // A backslash that opens no escape escapes the byte after it.
        const qsizetype step = opener == '\\' ? 2 : 1;
        qsizetype at = m_text.indexOf(opener, offset);
        while (at >= 0 && !escapeAt(m_text, at))
            at = m_text.indexOf(opener, at + step);
        *found = at >= 0 ? at : m_text.size();
        return *found;
    }

    QByteArrayView m_text;
    qsizetype m_percent = -1;
    qsizetype m_backslash = -1;
};

// Where a secret may hide behind an escape: an escape that decodes to text, or a hint with an
// escape after it (a password with its non-ASCII letters escaped, a key cut short by an escaped
// character), and that escape.
struct Candidate
{
    qsizetype start;
    qsizetype end;    // the escape's end, or just past the hint's first byte
    qsizetype escape; // the escape itself, or the first one after the hint
};

// The candidates in offset order. Most texts have none, and finding that costs a memchr() pass
// for '%' and, after the first hint, one for each of '%' and '\\'.
QList<Candidate> escapeCandidates(QByteArrayView text, const QList<HintScanner::Hit> &hits,
                                  int escapeHint)
{
    QList<Candidate> candidates;
    NextEscape nextEscape(text);
    for (const HintScanner::Hit &hit : hits) {
        if (hit.tag != escapeHint && hit.escapeBefore >= 0) {
            // Right after "\n", "\u300c", "%8C" and the like: a regex's \b only sees whether a
            // word opens there once the escape is decoded.
            candidates.append({hit.escapeBefore, hit.offset + 1, hit.escapeBefore});
            continue;
        }
        if (hit.tag != escapeHint) {
            const qsizetype escape = nextEscape.after(hit.offset);
            if (escape < text.size())
                candidates.append({hit.offset, hit.offset + 1, escape});
            continue;
        }
        const std::optional<Escape> escape = escapeAt(text, hit.offset);
        if (escape && decodesToText(*escape) && opensJsonEscape(text, hit.offset))
            candidates.append({hit.offset, escape->end, hit.offset});
    }
    const qsizetype fromHits = candidates.size();
    for (qsizetype at = text.indexOf('%'); at >= 0; at = text.indexOf('%', at + 1)) {
        const std::optional<Escape> escape = escapeAt(text, at);
        if (escape && decodesToText(*escape))
            candidates.append({at, escape->end, at});
    }
    if (fromHits > 0 && fromHits < candidates.size()) {
        std::inplace_merge(
            candidates.begin(), candidates.begin() + fromHits, candidates.end(),
            [](const Candidate &a, const Candidate &b) { return a.start < b.start; });
    }
    return candidates;
}

// The regions to decode, in offset order and apart: around each candidate, the run of token
// bytes it is in with kContext bytes either side, widened to whole runs. A hint counts only
// when its escape lies in that region.
QList<std::pair<qsizetype, qsizetype>> decodedRegions(QByteArrayView text,
                                                      const QList<Candidate> &candidates)
{
    QList<std::pair<qsizetype, qsizetype>> regions;
    qsizetype runEnd = -1; // the end of the run the previous candidate is in
    for (const Candidate &candidate : candidates) {
        if (candidate.start < runEnd)
            continue; // the previous candidate's region, or like it none
        runEnd = tokenEnd(text, candidate.end);
        const qsizetype end = tokenEnd(text, std::min(runEnd + kContext, text.size()));
        if (candidate.escape >= end)
            continue;
        const qsizetype contextStart = tokenStart(text, candidate.start) - kContext;
        if (!regions.isEmpty() && contextStart <= regions.last().second)
            regions.last().second = std::max(regions.last().second, end);
        else
            regions.append({tokenStart(text, std::max(contextStart, qsizetype(0))), end});
    }
    return regions;
}

// What the text at offset decodes to: an escape's character; the control character of "\n" and
// the like, so that a key on a new line opens a word; a backslash and the byte it escapes as
// they are ("\\u0070", "\""); or the byte.
Escape decodedAt(QByteArrayView text, qsizetype offset)
{
    const char c = text[offset];
    if (c == '\\' || c == '%') {
        if (const std::optional<Escape> escape = escapeAt(text, offset))
            return *escape;
    }
    if (c != '\\' || offset + 1 == text.size())
        return {offset + 1, {c}, 1};
    if (const char control = controlEscapedBy(text[offset + 1]))
        return {offset + 2, {control}, 1};
    return {offset + 2, {c, text[offset + 1]}, 2};
}

} // namespace

QList<EscapedRegion> EscapedRegion::find(QByteArrayView text, const QList<HintScanner::Hit> &hits,
                                         int escapeHint)
{
    QList<EscapedRegion> found;
    for (const auto &[start, end] : decodedRegions(text, escapeCandidates(text, hits, escapeHint)))
        found.append(decode(text, start, end));
    return found;
}

qsizetype EscapedRegion::escapeEndingAt(QByteArrayView text, qsizetype end)
{
    if (end >= 2 && text[end - 2] == '\\' && controlEscapedBy(text[end - 1]) &&
        opensJsonEscape(text, end - 2))
        return end - 2;
    if (const int value = end >= 6 ? jsonEscapeValue(text, end - 6) : -1;
        value >= 0 && opensJsonEscape(text, end - 6)) {
        // A low surrogate ends the pair that starts with the high one before it.
        if (isLowSurrogate(value) && end >= 12 &&
            isHighSurrogate(jsonEscapeValue(text, end - 12)) && opensJsonEscape(text, end - 12))
            return end - 12;
        return end - 6;
    }
    if (end >= 3 && text[end - 3] == '%' && hexValue(text.sliced(end - 2, 2)) >= 0)
        return end - 3;
    return -1;
}

// A region starts after a byte that is no backslash, so no backslash pair is cut.
EscapedRegion EscapedRegion::decode(QByteArrayView text, qsizetype start, qsizetype end)
{
    text = text.first(end); // no escape reaches past the region
    // Decoding never lengthens: what takes 1 to 12 bytes decodes to at most as many.
    EscapedRegion region{QByteArray(end - start, Qt::Uninitialized),
                         QList<qsizetype>(end - start + 1)};
    char *bytes = region.decoded.data();
    qsizetype *origin = region.origin.data();
    qsizetype size = 0;
    for (qsizetype at = start; at < end;) {
        const Escape unit = decodedAt(text, at);
        for (qsizetype i = 0; i < unit.size; ++i, ++size) {
            bytes[size] = unit.bytes[i];
            origin[size] = at;
        }
        at = unit.end;
    }
    origin[size] = end;
    region.decoded.truncate(size);
    region.origin.resize(size + 1);
    return region;
}

qsizetype EscapedRegion::textEnd(qsizetype end) const
{
    while (origin[end] == origin[end - 1])
        ++end;
    return origin[end];
}
