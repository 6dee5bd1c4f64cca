#include "policy/directory.h"

#include "policy/namelist.h"
#include "policy/optionaltext.h"
#include "policy/secrettoken.h"
#include "policy/sha256.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

template<typename T> QList<T> sortedByName(const QHash<QString, T> &items)
{
    QList<T> all = items.values();
    std::sort(all.begin(), all.end(), [](const T &a, const T &b) { return a.name < b.name; });
    return all;
}

} // namespace

QJsonObject Flow::toJson() const
{
    return {{u"name"_s, name},
            {u"account"_s, account},
            {u"allowedModels"_s, QJsonArray::fromStringList(allowedModels)}};
}

QJsonObject RuntimePrincipal::toJson() const
{
    return {{u"name"_s, name},
            {u"type"_s, type},
            {u"account"_s, account},
            {u"allowedModels"_s, QJsonArray::fromStringList(allowedModels)}};
}

Directory::Directory(const Configuration &configuration, StoreSink store, PolicyClock clock)
    : m_store(std::move(store))
    , m_clock(std::move(clock))
    , m_keys(configuration.apiKeys)
{
    m_configuredAccounts.insert(u"default"_s);
    for (const ApiKeyEntry &key : configuration.apiKeys)
        m_configuredAccounts.insert(key.account);
    m_accounts = m_configuredAccounts;
}

QList<StoreStatement> Directory::loadQueries()
{
    return {{u"SELECT name FROM accounts"_s, {}},
            {u"SELECT name, account FROM users"_s, {}},
            {u"SELECT name, account, allowed_models FROM flows"_s, {}},
            {u"SELECT name, type, account, allowed_models FROM runtime_principals"_s, {}},
            {u"SELECT name, account, user_name, sha256, allowed_models FROM api_keys "
             "WHERE revoked_at_ms IS NULL"_s,
             {}}};
}

void Directory::load(const QList<QList<QVariantList>> &results)
{
    m_accounts.clear();
    for (const QVariantList &row : results.value(0))
        m_accounts.insert(row.at(0).toString());
    // Accounts named only in the configuration file are stored too: what refers to them does.
    for (const QString &account : std::as_const(m_configuredAccounts))
        ensureAccount(account);
    m_users.clear();
    for (const QVariantList &row : results.value(1))
        m_users.insert(row.at(0).toString(), User{row.at(0).toString(), row.at(1).toString()});
    m_flows.clear();
    for (const QVariantList &row : results.value(2)) {
        m_flows.insert(row.at(0).toString(), Flow{row.at(0).toString(), row.at(1).toString(),
                                                  NameList::fromJsonText(row.at(2).toString())});
    }
    m_principals.clear();
    for (const QVariantList &row : results.value(3)) {
        m_principals.insert(row.at(0).toString(),
                            RuntimePrincipal{row.at(0).toString(), row.at(1).toString(),
                                             row.at(2).toString(),
                                             NameList::fromJsonText(row.at(3).toString())});
    }
    QList<ApiKeyEntry> keys;
    for (const QVariantList &row : results.value(4)) {
        ApiKeyEntry key;
        key.name = row.at(0).toString();
        key.account = row.at(1).toString();
        key.user = row.at(2).toString();
        key.sha256 = QByteArray::fromHex(row.at(3).toString().toLatin1());
        key.allowedModels = NameList::fromJsonText(row.at(4).toString());
        key.fromConfiguration = false;
        keys.append(std::move(key));
    }
    m_keys.setStored(keys);
}

QStringList Directory::accounts() const
{
    QStringList all(m_accounts.cbegin(), m_accounts.cend());
    all.sort();
    return all;
}

void Directory::ensureAccount(const QString &name)
{
    if (m_accounts.contains(name))
        return;
    m_accounts.insert(name);
    m_store({u"INSERT INTO accounts (name, created_at_ms) VALUES (?, ?) "
             "ON CONFLICT (name) DO NOTHING"_s,
             {name, m_clock()}});
}

const User *Directory::user(const QString &name) const
{
    const auto found = m_users.constFind(name);
    return found == m_users.constEnd() ? nullptr : &*found;
}

QList<User> Directory::users() const
{
    return sortedByName(m_users);
}

void Directory::putUser(const User &user)
{
    ensureAccount(user.account);
    m_users.insert(user.name, user);
    m_store({u"INSERT INTO users (name, account, created_at_ms) VALUES (?, ?, ?) "
             "ON CONFLICT (name) DO UPDATE SET account = excluded.account"_s,
             {user.name, user.account, m_clock()}});
}

const Flow *Directory::flow(const QString &name) const
{
    const auto found = m_flows.constFind(name);
    return found == m_flows.constEnd() ? nullptr : &*found;
}

QList<Flow> Directory::flows() const
{
    return sortedByName(m_flows);
}

void Directory::putFlow(const Flow &flow)
{
    ensureAccount(flow.account);
    m_flows.insert(flow.name, flow);
    m_store({u"INSERT INTO flows (name, account, allowed_models, created_at_ms) "
             "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET account = excluded.account, "
             "allowed_models = excluded.allowed_models"_s,
             {flow.name, flow.account, NameList::toJsonText(flow.allowedModels), m_clock()}});
}

bool Directory::removeFlow(const QString &name)
{
    if (!m_flows.remove(name))
        return false;
    m_store({u"DELETE FROM flows WHERE name = ?"_s, {name}});
    return true;
}

const RuntimePrincipal *Directory::principal(const QString &name) const
{
    const auto found = m_principals.constFind(name);
    return found == m_principals.constEnd() ? nullptr : &*found;
}

QList<RuntimePrincipal> Directory::principals() const
{
    return sortedByName(m_principals);
}

void Directory::putPrincipal(const RuntimePrincipal &principal)
{
    ensureAccount(principal.account);
    m_principals.insert(principal.name, principal);
    m_store({u"INSERT INTO runtime_principals (name, type, account, allowed_models, "
             "created_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
             "type = excluded.type, account = excluded.account, "
             "allowed_models = excluded.allowed_models"_s,
             {principal.name, principal.type, principal.account,
              NameList::toJsonText(principal.allowedModels), m_clock()}});
}

QByteArray Directory::createKey(ApiKeyEntry entry)
{
    ensureAccount(entry.account);
    const QByteArray text = SecretToken::generate().text("ghk");
    entry.sha256 = sha256(text);
    entry.fromConfiguration = false;
    m_store({u"INSERT INTO api_keys (name, account, user_name, sha256, allowed_models, "
             "created_at_ms) VALUES (?, ?, ?, ?, ?, ?)"_s,
             {entry.name, entry.account, OptionalText::sql(entry.user),
              QString::fromLatin1(entry.sha256.toHex()), NameList::toJsonText(entry.allowedModels),
              m_clock()}});
    m_keys.add(std::move(entry));
    return text;
}

bool Directory::setKeyModels(const QString &name, const QStringList &allowedModels, QString *error)
{
    ApiKeyEntry *key = m_keys.find(name);
    if (!key) {
        *error = u"no API key named '%1'"_s.arg(name);
        return false;
    }
    if (key->fromConfiguration) {
        *error =
            u"the API key '%1' is defined in the configuration file: change it there"_s.arg(name);
        return false;
    }
    key->allowedModels = allowedModels;
    m_store({u"UPDATE api_keys SET allowed_models = ? WHERE name = ?"_s,
             {NameList::toJsonText(allowedModels), name}});
    return true;
}

bool Directory::revokeKey(const QString &name, QString *error)
{
    const ApiKeyEntry *key = m_keys.find(name);
    if (!key) {
        *error = u"no API key named '%1'"_s.arg(name);
        return false;
    }
    if (key->fromConfiguration) {
        *error =
            u"the API key '%1' is defined in the configuration file: remove it there"_s.arg(name);
        return false;
    }
    m_keys.remove(name);
    m_store({u"UPDATE api_keys SET revoked_at_ms = ? WHERE name = ?"_s, {m_clock(), name}});
    return true;
}
