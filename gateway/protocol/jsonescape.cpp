#include "protocol/jsonescape.h"

#include <QString>

namespace {

bool needsEscape(char c)
{
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
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
    // Runs of bytes that need no escape are copied in one go.
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if (!needsEscape(utf8[i]))
            continue;
        out.append(utf8.sliced(runStart, i - runStart));
        appendEscaped(out, utf8[i]);
        runStart = i + 1;
    }
    out.append(utf8.sliced(runStart));
    out.append('"');
}
