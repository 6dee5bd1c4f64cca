#pragma once

#include "config/configuration.h"
#include "ledger/storestatement.h"
#include "policy/apikeybook.h"
#include "policy/policyclock.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

// A flow: a named kind of automated work (a nightly job, a review bot) with its own models.
struct Flow
{
    QString name;
    QString account;
    QStringList allowedModels;
    QJsonObject toJson() const;
};

// A runtime identity (a Claude Code on this laptop, a Codex in CI) of one of the known types.
struct RuntimePrincipal
{
    QString name;
    QString type;
    QString account;
    QStringList allowedModels;
    QJsonObject toJson() const;
};

struct User
{
    QString name;
    QString account;
};

// The subjects requests are attributed to (accounts, users, API keys, flows, runtime
// principals), read at start from the configuration and the store and changed through the
// admin API. Lives on the gateway thread; changes go to the store, reads never do.
class Directory
{
public:
    Directory(const Configuration &configuration, StoreSink store, PolicyClock clock);

    // The queries that read what the admin API made, in load()'s order.
    static QList<StoreStatement> loadQueries();
    // Replaces what was made through the admin API by these rows (at start, and in team mode
    // when another gateway changed it); what the configuration file defines stays.
    void load(const QList<QList<QVariantList>> &results);

    ApiKeyBook &keys() { return m_keys; }
    const ApiKeyBook &keys() const { return m_keys; }

    QStringList accounts() const;
    bool hasAccount(const QString &name) const { return m_accounts.contains(name); }
    void ensureAccount(const QString &name);

    const User *user(const QString &name) const;
    QList<User> users() const;
    void putUser(const User &user);

    const Flow *flow(const QString &name) const;
    QList<Flow> flows() const;
    void putFlow(const Flow &flow);
    bool removeFlow(const QString &name);

    const RuntimePrincipal *principal(const QString &name) const;
    QList<RuntimePrincipal> principals() const;
    void putPrincipal(const RuntimePrincipal &principal);

    // A new key made here: returns its text, shown once ("ghk_..."); only its digest is kept.
    QByteArray createKey(ApiKeyEntry entry);
    // Keys from the configuration file cannot be changed here: false with *error.
    bool setKeyModels(const QString &name, const QStringList &allowedModels, QString *error);
    bool revokeKey(const QString &name, QString *error);

private:
    StoreSink m_store;
    PolicyClock m_clock;
    ApiKeyBook m_keys;
    QSet<QString> m_configuredAccounts; // "default" and those of the file's keys
    QSet<QString> m_accounts;
    QHash<QString, User> m_users;
    QHash<QString, Flow> m_flows;
    QHash<QString, RuntimePrincipal> m_principals;
};
