#include "httpsyntax.h"

#include <array>
#include <string_view>

QByteArray httpLowerName(QByteArrayView name)
{
    QByteArray lower(name.size(), Qt::Uninitialized);
    char *out = lower.data();
    for (const char c : name)
        *out++ = c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c;
    return lower;
}

bool isHttpTokenChar(char c)
{
    static constexpr auto table = [] {
        std::array<bool, 256> is{};
        for (int c = '0'; c <= '9'; ++c)
            is[c] = true;
        for (int c = 'a'; c <= 'z'; ++c)
            is[c] = is[c - 'a' + 'A'] = true;
        for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
            is[static_cast<unsigned char>(c)] = true;
        return is;
    }();
    return table[static_cast<unsigned char>(c)];
}

QByteArrayView httpTrimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
        v.chop(1);
    return v;
}

bool hasHttpToken(QByteArrayView list, QByteArrayView token)
{
    while (!list.isEmpty()) {
        const qsizetype comma = list.indexOf(',');
        const QByteArrayView item = httpTrimmed(comma < 0 ? list : list.first(comma));
        if (item.compare(token, Qt::CaseInsensitive) == 0)
            return true;
        if (comma < 0)
            break;
        list = list.sliced(comma + 1);
    }
    return false;
}

std::optional<qint64> parseChunkSize(QByteArrayView line)
{
    if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0)
        line = line.first(semicolon);
    line = httpTrimmed(line);
    if (line.isEmpty() || line.size() > 15)
        return std::nullopt;
    qint64 size = 0;
    for (const char c : line) {
        const int digit = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (digit < 0)
            return std::nullopt;
        size = size * 16 + digit;
    }
    return size;
}
