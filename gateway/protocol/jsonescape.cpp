#include "protocol/jsonescape.h"

#include <QString>

#include <algorithm>
#include <cstring>

namespace {

bool needsEscape(char c)
{
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

// Whether one of the eight bytes at `bytes` is a quote, a backslash or a control byte (SWAR: a
// byte below 0x20, or one that XOR the character leaves zero, borrows into its high bit).
bool anyNeedsEscape(const char *bytes)
{
    constexpr quint64 ones = 0x0101'0101'0101'0101ULL;
    constexpr quint64 highs = 0x8080'8080'8080'8080ULL;
    quint64 word;
    std::memcpy(&word, bytes, sizeof word);
    const auto below = [](quint64 v, quint64 n) { return (v - ones * n) & ~v & highs; };
    return (below(word, 0x20) | below(word ^ (ones * '"'), 1) | below(word ^ (ones * '\\'), 1)) !=
           0;
}

void appendEscaped(QByteArray &out, char c)
{
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        out.append("\\\"");
        return;
    case '\\':
        out.append("\\\\");
        return;
    case '\n':
        out.append("\\n");
        return;
    case '\r':
        out.append("\\r");
        return;
    case '\t':
        out.append("\\t");
        return;
    case '\b':
        out.append("\\b");
        return;
    case '\f':
        out.append("\\f");
        return;
    default: {
        const auto byte = static_cast<unsigned char>(c);
        const char escaped[] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 0xf]};
        out.append(escaped, sizeof escaped);
    }
    }
}

} // namespace

QByteArray jsonString(QStringView text)
{
    return jsonStringFromUtf8(text.toUtf8());
}

QByteArray jsonStringFromUtf8(QByteArrayView utf8)
{
    QByteArray quoted;
    quoted.reserve(utf8.size() + 2);
    appendJsonString(quoted, utf8);
    return quoted;
}

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    out.append('"');
    const char *bytes = utf8.data();
    const qsizetype size = utf8.size();
    // Runs of bytes that need no escape are copied in one go; they are found eight bytes at a
    // time (previews and bodies are mostly plain text).
    qsizetype runStart = 0;
    qsizetype i = 0;
    while (i < size) {
        while (i + 8 <= size && !anyNeedsEscape(bytes + i))
            i += 8;
        for (const qsizetype blockEnd = std::min(size, i + 8); i < blockEnd; ++i) {
            if (!needsEscape(bytes[i]))
                continue;
            out.append(utf8.sliced(runStart, i - runStart));
            appendEscaped(out, bytes[i]);
            runStart = i + 1;
        }
    }
    out.append(utf8.sliced(runStart));
    out.append('"');
}

bool opensJsonEscape(QByteArrayView text, qsizetype offset)
{
    qsizetype before = 0;
    while (offset - before > 0 && text[offset - before - 1] == '\\')
        ++before;
    return before % 2 == 0;
}
