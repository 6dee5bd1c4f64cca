#include "policy/apikeybook.h"

#include "policy/sha256.h"

#include <algorithm>

ApiKeyBook::ApiKeyBook(const QList<ApiKeyEntry> &entries)
    : m_entries(entries)
{}

std::optional<ApiKeyEntry> ApiKeyBook::authenticate(QByteArrayView presentedKey) const
{
    if (presentedKey.isEmpty())
        return std::nullopt;
    const QByteArray digest = sha256(presentedKey);

    // Every entry is compared in full and the match is selected with masks, so the time taken
    // depends on the number of entries only, never on how many bytes of a digest agree.
    quint32 matched = 0;
    qsizetype matchIndex = 0;
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const QByteArray &expected = m_entries.at(i).sha256;
        if (expected.size() != digest.size())
            continue; // a malformed entry (public data) can never match
        quint32 difference = 0;
        for (qsizetype b = 0; b < digest.size(); ++b)
            difference |= quint8(digest.at(b) ^ expected.at(b));
        const quint32 equal = ((difference - 1) >> 8) & 1; // 1 iff difference == 0
        const qsizetype mask = -qsizetype(equal & ~matched);
        matchIndex = (i & mask) | (matchIndex & ~mask);
        matched |= equal;
    }
    if (!matched)
        return std::nullopt;
    return m_entries.at(matchIndex);
}

QByteArrayView ApiKeyBook::bearerToken(QByteArrayView authorization)
{
    const QByteArrayView value = authorization.trimmed();
    constexpr QByteArrayView scheme("bearer");
    if (value.size() <= scheme.size() ||
        value.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return {};
    const char separator = value.at(scheme.size());
    if (separator != ' ' && separator != '\t')
        return {};
    const QByteArrayView token = value.sliced(scheme.size()).trimmed();
    for (const char c : token) {
        if (c == ' ' || c == '\t')
            return {}; // a bearer token is a single token68 word
    }
    return token;
}

QByteArrayView ApiKeyBook::presentedKey(QByteArrayView authorization, QByteArrayView xApiKey)
{
    const QByteArrayView token = bearerToken(authorization);
    return token.isEmpty() ? xApiKey.trimmed() : token;
}

ApiKeyEntry *ApiKeyBook::find(const QString &name)
{
    return const_cast<ApiKeyEntry *>(std::as_const(*this).find(name));
}

const ApiKeyEntry *ApiKeyBook::find(const QString &name) const
{
    for (const ApiKeyEntry &entry : m_entries) {
        if (entry.name == name)
            return &entry;
    }
    return nullptr;
}

void ApiKeyBook::add(ApiKeyEntry entry)
{
    m_entries.append(std::move(entry));
}

bool ApiKeyBook::remove(const QString &name)
{
    return m_entries.removeIf([&](const ApiKeyEntry &entry) { return entry.name == name; }) > 0;
}

void ApiKeyBook::setStored(const QList<ApiKeyEntry> &stored)
{
    m_entries.removeIf([](const ApiKeyEntry &entry) { return !entry.fromConfiguration; });
    const qsizetype configured = m_entries.size();
    for (const ApiKeyEntry &entry : stored) {
        const auto first = m_entries.cbegin();
        if (std::none_of(first, first + configured,
                         [&](const ApiKeyEntry &c) { return c.name == entry.name; }))
            m_entries.append(entry);
    }
}
