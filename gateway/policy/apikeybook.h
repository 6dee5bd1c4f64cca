#pragma once

#include "config/configuration.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

// The caller keys the gateway accepts, held only as SHA-256 digests and checked in constant time.
class ApiKeyBook
{
public:
    ApiKeyBook() = default;
    explicit ApiKeyBook(const QList<ApiKeyEntry> &entries);

    // The entry whose digest equals SHA-256(presentedKey); an empty key matches nothing.
    std::optional<ApiKeyEntry> authenticate(QByteArrayView presentedKey) const;

    const QList<ApiKeyEntry> &entries() const { return m_entries; }
    ApiKeyEntry *find(const QString &name);
    const ApiKeyEntry *find(const QString &name) const;
    void add(ApiKeyEntry entry);
    bool remove(const QString &name);
    // Replaces the keys made through the admin API by these; the configuration file's stay, and
    // a stored key of a configured key's name is left out (the file wins).
    void setStored(const QList<ApiKeyEntry> &stored);

    // The token of an "Authorization: Bearer <token>" value (scheme case-insensitive), or empty.
    static QByteArrayView bearerToken(QByteArrayView authorization);
    // The key a client presented: the bearer token if there is one, else the x-api-key value.
    static QByteArrayView presentedKey(QByteArrayView authorization, QByteArrayView xApiKey);

private:
    QList<ApiKeyEntry> m_entries;
};
