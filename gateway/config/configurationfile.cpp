#include "config/configurationfile.h"

#include "events/redactor.h"

#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// Thrown by the readers below and caught in ConfigurationFile::parse(): validation stops at
// the first problem, and unwinding keeps every reader free of error plumbing.
struct Invalid
{
    QString path;
    QString problem;
};

[[noreturn]] void fail(const QString &path, const QString &problem)
{
    throw Invalid{path, problem};
}

QString quoted(QStringView text)
{
    QString out = u"\""_s;
    for (const QChar c : text) {
        if (c == u'"' || c == u'\\')
            out += u'\\';
        out += c;
    }
    return out + u'"';
}

QString memberPath(const QString &path, QStringView key)
{
    static const QRegularExpression identifier(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (identifier.match(key.toString()).hasMatch())
        return path % u'.' % key;
    return path % u'[' % quoted(key) % u']';
}

QString indexPath(const QString &path, qsizetype index)
{
    return path % u'[' % QString::number(index) % u']';
}

// The offending value as the message shows it; long strings are cut so the error stays one line.
QString shown(const QJsonValue &value)
{
    constexpr qsizetype maxShown = 60;
    switch (value.type()) {
    case QJsonValue::String: {
        const QString text = value.toString();
        return text.size() > maxShown ? quoted(QStringView(text).left(maxShown)) % u"..."_s
                                      : quoted(text);
    }
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

QString got(const QJsonValue &value)
{
    return u" (got "_s % shown(value) % u')';
}

QJsonObject toObject(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        fail(path, u"must be an object"_s % got(value));
    return value.toObject();
}

QJsonArray toArray(const QJsonValue &value, const QString &path)
{
    if (!value.isArray())
        fail(path, u"must be an array"_s % got(value));
    return value.toArray();
}

QString toString(const QJsonValue &value, const QString &path)
{
    if (!value.isString())
        fail(path, u"must be a string"_s % got(value));
    return value.toString();
}

QString toNonEmptyString(const QJsonValue &value, const QString &path)
{
    const QString text = toString(value, path);
    if (text.isEmpty())
        fail(path, u"must not be empty"_s);
    return text;
}

double toNumber(const QJsonValue &value, const QString &path, double min, double max)
{
    if (!value.isDouble())
        fail(path, u"must be a number"_s % got(value));
    const double number = value.toDouble();
    if (number < min)
        fail(path, (min == 0 ? u"must not be negative"_s
                             : u"must be at least "_s % QString::number(min, 'g', 15)) %
                       got(value));
    if (number > max)
        fail(path, u"must be at most "_s % QString::number(max, 'g', 15) % got(value));
    return number;
}

qint64 toInteger(const QJsonValue &value, const QString &path, qint64 min, qint64 max)
{
    if (!value.isDouble() || value.toDouble() != std::trunc(value.toDouble()))
        fail(path, u"must be an integer"_s % got(value));
    const double number = value.toDouble();
    if (number < double(min))
        fail(path, (min == 1   ? u"must be positive"_s
                    : min == 0 ? u"must not be negative"_s
                               : u"must be at least "_s % QString::number(min)) %
                       got(value));
    if (number > double(max))
        fail(path, u"must be at most "_s % QString::number(max) % got(value));
    return qint64(number);
}

int toInt(const QJsonValue &value, const QString &path, int min)
{
    return int(toInteger(value, path, min, std::numeric_limits<int>::max()));
}

QStringList toStringList(const QJsonValue &value, const QString &path)
{
    const QJsonArray array = toArray(value, path);
    QStringList list;
    for (qsizetype i = 0; i < array.size(); ++i)
        list += toNonEmptyString(array.at(i), indexPath(path, i));
    return list;
}

void rejectUnknownKeys(const QJsonObject &object, const QString &path,
                       std::initializer_list<QStringView> known)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) != known.end())
            continue;
        QStringList expected;
        for (QStringView key : known)
            expected += key.toString();
        fail(memberPath(path, it.key()),
             u"unknown key (expected one of: "_s % expected.join(u", "_s) % u')');
    }
}

QJsonValue required(const QJsonObject &object, const QString &path, const QString &key)
{
    if (!object.contains(key))
        fail(memberPath(path, key), u"is required"_s);
    return object.value(key);
}

void readListen(const QJsonValue &value, const QString &path, Configuration &configuration)
{
    const QString text = toString(value, path);
    const QString expected =
        u"must be host:port with an IPv4 address, [IPv6] address or localhost and a port "
        "0..65535"_s %
        got(value);
    QString host;
    QStringView port;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u"]:"_s);
        if (close < 0)
            fail(path, expected);
        host = text.mid(1, close - 1);
        if (QHostAddress(host).protocol() != QAbstractSocket::IPv6Protocol)
            fail(path, expected);
        port = QStringView(text).mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon < 0)
            fail(path, expected);
        host = text.left(colon);
        static const QRegularExpression ipv4(u"^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
                                             "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$"_s);
        if (host != u"localhost"_s && !ipv4.match(host).hasMatch())
            fail(path, expected);
        port = QStringView(text).mid(colon + 1);
    }
    static const QRegularExpression digits(u"^\\d{1,5}$"_s);
    if (!digits.match(port.toString()).hasMatch() || port.toInt() > 65535)
        fail(path, expected);
    configuration.listenHost = host;
    configuration.listenPort = quint16(port.toInt());
}

void readAllowedHosts(const QJsonValue &value, const QString &path, Configuration &configuration)
{
    static const QRegularExpression hostValue(u"^[A-Za-z0-9._\\-\\[\\]:]+$"_s);
    const QJsonArray hosts = toArray(value, path);
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        const QString host = toNonEmptyString(hosts.at(i), itemPath);
        if (!hostValue.match(host).hasMatch())
            fail(itemPath, u"must be a Host header value such as gatehouse.local or "
                           "gatehouse.local:8787"_s %
                               got(hosts.at(i)));
        configuration.allowedHosts += host;
    }
}

void readLimits(const QJsonValue &value, const QString &path, ServerLimits &limits)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(object, path,
                      {u"maxBodyBytes", u"maxHeaderBytes", u"maxHeaderCount", u"keepAliveTimeoutMs",
                       u"headerTimeoutMs", u"maxConnections", u"maxLedgerBacklog"});
    const auto read = [&](const QString &key, auto &target) {
        if (!object.contains(key))
            return;
        using Target = std::remove_reference_t<decltype(target)>;
        // 2^53: the largest count a JSON number (a double) still holds exactly.
        constexpr qint64 max = std::min<qint64>(std::numeric_limits<Target>::max(), 1LL << 53);
        target = Target(toInteger(object.value(key), memberPath(path, key), 1, max));
    };
    read(u"maxBodyBytes"_s, limits.maxBodyBytes);
    read(u"maxHeaderBytes"_s, limits.maxHeaderBytes);
    read(u"maxHeaderCount"_s, limits.maxHeaderCount);
    read(u"keepAliveTimeoutMs"_s, limits.keepAliveTimeoutMs);
    read(u"headerTimeoutMs"_s, limits.headerTimeoutMs);
    read(u"maxConnections"_s, limits.maxConnections);
    read(u"maxLedgerBacklog"_s, limits.maxLedgerBacklog);
}

ProviderProtocol readProtocol(const QJsonValue &value, const QString &path)
{
    const QString name = toString(value, path);
    if (name == u"openai"_s)
        return ProviderProtocol::OpenAI;
    if (name == u"anthropic"_s)
        return ProviderProtocol::Anthropic;
    if (name == u"simulated"_s)
        return ProviderProtocol::Simulated;
    fail(path, u"must be one of openai, anthropic, simulated"_s % got(value));
}

QByteArray readBaseUrl(const QJsonValue &value, const QString &path)
{
    const QString text = toNonEmptyString(value, path);
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http"_s && scheme != u"https"_s) || url.host().isEmpty())
        fail(path, u"must be an http:// or https:// URL such as https://api.openai.com/v1"_s %
                       got(value));
    if (url.hasQuery() || url.hasFragment())
        fail(path, u"must not have a query or fragment"_s % got(value));
    // Credentials in the URL would end up in logs; the key belongs in apiKeyEnv.
    if (!url.userInfo().isEmpty())
        fail(path, u"must not contain user:password@ (name the key's variable in apiKeyEnv)"_s);
    // Clients append "/chat/completions" etc.: a trailing slash would double it.
    return url.toEncoded(QUrl::StripTrailingSlash);
}

QString readApiKeyEnv(const QJsonValue &value, const QString &path)
{
    const QString name = toNonEmptyString(value, path);
    // A pasted key must not be echoed back into a log, so this message never shows the value.
    const bool looksLikeKey = name.startsWith(u"sk-"_s, Qt::CaseInsensitive) ||
                              name.startsWith(u"sk_"_s, Qt::CaseInsensitive) ||
                              (name.size() >= 32 && !name.contains(u'_'));
    if (looksLikeKey)
        fail(path, u"looks like an API key: put the key in an environment variable and give its "
                   "NAME here, e.g. OPENAI_API_KEY"_s);
    static const QRegularExpression variable(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (!variable.match(name).hasMatch())
        fail(path, u"must be an environment variable name (letters, digits, underscore), "
                   "e.g. OPENAI_API_KEY"_s);
    return name;
}

UpstreamTimeouts readTimeouts(const QJsonValue &value, const QString &path)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(object, path, {u"connectMs", u"firstByteMs", u"idleMs"});
    UpstreamTimeouts timeouts;
    const auto read = [&](const QString &key, int &target) {
        if (object.contains(key))
            target = toInt(object.value(key), memberPath(path, key), 1);
    };
    read(u"connectMs"_s, timeouts.connectMs);
    read(u"firstByteMs"_s, timeouts.firstByteMs);
    read(u"idleMs"_s, timeouts.idleMs);
    return timeouts;
}

SimulationSettings readSimulation(const QJsonValue &value, const QString &path)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(object, path, {u"tokensPerSecond", u"firstTokenMs"});
    SimulationSettings simulation;
    if (object.contains(u"tokensPerSecond"_s))
        simulation.tokensPerSecond = toNumber(object.value(u"tokensPerSecond"_s),
                                              memberPath(path, u"tokensPerSecond"), 0, 1e9);
    if (object.contains(u"firstTokenMs"_s))
        simulation.firstTokenMs =
            toInt(object.value(u"firstTokenMs"_s), memberPath(path, u"firstTokenMs"), 0);
    return simulation;
}

ProviderConfig readProvider(const QJsonValue &value, const QString &path)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(object, path,
                      {u"name", u"protocol", u"baseUrl", u"apiKeyEnv", u"timeouts", u"simulation"});
    ProviderConfig provider;
    provider.name = toNonEmptyString(required(object, path, u"name"_s), memberPath(path, u"name"));
    provider.protocol =
        readProtocol(required(object, path, u"protocol"_s), memberPath(path, u"protocol"));
    const bool simulated = provider.protocol == ProviderProtocol::Simulated;
    // Settings that a protocol ignores are refused, like unknown keys: they signal a mistake.
    if (simulated) {
        for (const QString &key : {u"baseUrl"_s, u"apiKeyEnv"_s}) {
            if (object.contains(key))
                fail(memberPath(path, key), u"is not used by a simulated provider"_s);
        }
        if (object.contains(u"simulation"_s))
            provider.simulation =
                readSimulation(object.value(u"simulation"_s), memberPath(path, u"simulation"));
    } else {
        if (object.contains(u"simulation"_s))
            fail(memberPath(path, u"simulation"), u"is only for protocol \"simulated\""_s);
        provider.baseUrl =
            readBaseUrl(required(object, path, u"baseUrl"_s), memberPath(path, u"baseUrl"));
        if (object.contains(u"apiKeyEnv"_s))
            provider.apiKeyEnv =
                readApiKeyEnv(object.value(u"apiKeyEnv"_s), memberPath(path, u"apiKeyEnv"));
    }
    if (object.contains(u"timeouts"_s))
        provider.timeouts =
            readTimeouts(object.value(u"timeouts"_s), memberPath(path, u"timeouts"));
    return provider;
}

void readProviders(const QJsonValue &value, const QString &path, Configuration &configuration)
{
    const QJsonArray providers = toArray(value, path);
    QHash<QString, QString> firstSeen; // name -> path of its first definition
    for (qsizetype i = 0; i < providers.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        ProviderConfig provider = readProvider(providers.at(i), itemPath);
        if (firstSeen.contains(provider.name))
            fail(memberPath(itemPath, u"name"), u"duplicate provider name "_s %
                                                    quoted(provider.name) % u" (first at "_s %
                                                    firstSeen.value(provider.name) % u')');
        firstSeen.insert(provider.name, itemPath);
        configuration.providers += std::move(provider);
    }
}

bool isPattern(const QString &alias)
{
    return alias.contains(u'*') || alias.contains(u'?');
}

void readModels(const QJsonValue &value, const QString &path, Configuration &configuration)
{
    const QJsonArray models = toArray(value, path);
    QHash<QString, QString> firstSeen; // alias -> path of its first definition
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        const QJsonObject object = toObject(models.at(i), itemPath);
        rejectUnknownKeys(object, itemPath, {u"alias", u"provider", u"model", u"direct"});
        ModelAlias model;
        model.alias = toNonEmptyString(required(object, itemPath, u"alias"_s),
                                       memberPath(itemPath, u"alias"));
        if (firstSeen.contains(model.alias))
            fail(memberPath(itemPath, u"alias"), u"duplicate alias "_s % quoted(model.alias) %
                                                     u" (first at "_s %
                                                     firstSeen.value(model.alias) % u')');
        firstSeen.insert(model.alias, itemPath);

        const QString providerPath = memberPath(itemPath, u"provider");
        model.provider = toNonEmptyString(required(object, itemPath, u"provider"_s), providerPath);
        if (!configuration.provider(model.provider)) {
            QStringList known;
            for (const ProviderConfig &provider : std::as_const(configuration.providers))
                known += provider.name;
            fail(providerPath, u"unknown provider "_s % quoted(model.provider) %
                                   u" (configured: "_s % known.join(u", "_s) % u')');
        }
        if (object.contains(u"model"_s)) {
            const QString modelPath = memberPath(itemPath, u"model");
            model.model = toString(object.value(u"model"_s), modelPath);
            if (isPattern(model.alias) && !model.model.isEmpty())
                fail(modelPath, u"must be absent for a pattern alias, which passes the requested "
                                "name through"_s %
                                    got(object.value(u"model"_s)));
        }
        if (object.contains(u"direct"_s)) {
            // true: direct for every runtime; a list: for those principal types only.
            const QString directPath = memberPath(itemPath, u"direct");
            const QJsonValue direct = object.value(u"direct"_s);
            if (direct.isBool()) {
                if (direct.toBool())
                    model.directFor = QStringList{u"*"_s};
            } else {
                model.directFor = toStringList(direct, directPath);
                for (const QString &type : std::as_const(model.directFor)) {
                    if (type != u"*"_s && !principalTypes().contains(type))
                        fail(directPath, u"unknown runtime type "_s % quoted(type) %
                                             u" (known: "_s % principalTypes().join(u", "_s) %
                                             u')');
                }
            }
            if (!model.directFor.isEmpty() && isPattern(model.alias))
                fail(directPath, u"a pattern alias cannot be direct: a runtime needs one model"_s);
        }
        configuration.models += std::move(model);
    }
}

void readBudgetPolicy(const QJsonValue &value, const QString &path, BudgetPolicy &policy)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(object, path, {u"timeZone", u"reservationCapTokens"});
    if (object.contains(u"timeZone"_s)) {
        const QString zonePath = memberPath(path, u"timeZone");
        policy.timeZone = toNonEmptyString(object.value(u"timeZone"_s), zonePath);
        if (!QTimeZone(policy.timeZone.toUtf8()).isValid())
            fail(zonePath, u"unknown time zone "_s % quoted(policy.timeZone) %
                               u" (an IANA name such as Europe/Berlin)"_s);
    }
    if (object.contains(u"reservationCapTokens"_s))
        policy.reservationCapTokens =
            toInteger(object.value(u"reservationCapTokens"_s),
                      memberPath(path, u"reservationCapTokens"), 1, 10'000'000);
}

void readTeam(const QJsonValue &value, const QString &path, TeamSettings &team)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(object, path, {u"failOpen", u"leaseMs"});
    if (object.contains(u"failOpen"_s)) {
        const QJsonValue failOpen = object.value(u"failOpen"_s);
        if (!failOpen.isBool())
            fail(memberPath(path, u"failOpen"), u"must be true or false"_s % got(failOpen));
        team.failOpen = failOpen.toBool();
    }
    if (object.contains(u"leaseMs"_s))
        team.leaseMs = toInteger(object.value(u"leaseMs"_s), memberPath(path, u"leaseMs"), 1000,
                                 24LL * 3600 * 1000);
}

void readEvents(const QJsonValue &value, const QString &path, EventSettings &events)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(object, path,
                      {u"previewBytes", u"captureFullBodies", u"retentionDays", u"maxStoredBytes",
                       u"redactionPatterns"});
    if (object.contains(u"previewBytes"_s))
        events.previewBytes = toInteger(object.value(u"previewBytes"_s),
                                        memberPath(path, u"previewBytes"), 1024, 16 << 20);
    if (object.contains(u"captureFullBodies"_s)) {
        const QJsonValue full = object.value(u"captureFullBodies"_s);
        if (!full.isBool())
            fail(memberPath(path, u"captureFullBodies"), u"must be true or false"_s % got(full));
        events.captureFullBodies = full.toBool();
    }
    if (object.contains(u"retentionDays"_s))
        events.retentionDays =
            toInt(object.value(u"retentionDays"_s), memberPath(path, u"retentionDays"), 1);
    if (object.contains(u"maxStoredBytes"_s))
        events.maxStoredBytes =
            toInteger(object.value(u"maxStoredBytes"_s), memberPath(path, u"maxStoredBytes"),
                      1 << 20, std::numeric_limits<qint64>::max() / 2);
    if (object.contains(u"redactionPatterns"_s)) {
        const QString listPath = memberPath(path, u"redactionPatterns");
        const QJsonArray patterns = toArray(object.value(u"redactionPatterns"_s), listPath);
        for (qsizetype i = 0; i < patterns.size(); ++i) {
            const QString itemPath = indexPath(listPath, i);
            const QJsonObject item = toObject(patterns.at(i), itemPath);
            rejectUnknownKeys(item, itemPath, {u"name", u"regex"});
            RedactionPattern pattern{toNonEmptyString(required(item, itemPath, u"name"_s),
                                                      memberPath(itemPath, u"name")),
                                     toNonEmptyString(required(item, itemPath, u"regex"_s),
                                                      memberPath(itemPath, u"regex"))};
            QString why;
            if (!Redactor::validate(pattern, &why))
                fail(itemPath, why);
            events.redactionPatterns.append(pattern);
        }
    }
}

void readRateLimits(const QJsonValue &value, const QString &path, Configuration &configuration)
{
    const QJsonArray rules = toArray(value, path);
    QSet<QString> ids;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        const QJsonObject object = toObject(rules.at(i), itemPath);
        QString why;
        const auto rule = RateLimitRule::fromJson(object, &why);
        if (!rule)
            fail(itemPath, why);
        if (rule->id.isEmpty())
            fail(memberPath(itemPath, u"id"), u"is required"_s);
        if (ids.contains(rule->id))
            fail(memberPath(itemPath, u"id"), u"duplicate id "_s % quoted(rule->id));
        ids.insert(rule->id);
        configuration.rateLimits.append(*rule);
    }
}

void readIdentity(const QJsonValue &value, const QString &path, IdentitySettings &identity)
{
    const QJsonObject object = toObject(value, path);
    rejectUnknownKeys(
        object, path,
        {u"defaultCredentialTtlSeconds", u"maxCredentialTtlSeconds", u"sessionIdleSeconds"});
    constexpr qint64 year = 365LL * 24 * 3600;
    const auto seconds = [&](const QString &key, qint64 &targetMs) {
        if (object.contains(key))
            targetMs = toInteger(object.value(key), memberPath(path, key), 1, year) * 1000;
    };
    seconds(u"defaultCredentialTtlSeconds"_s, identity.defaultCredentialTtlMs);
    seconds(u"maxCredentialTtlSeconds"_s, identity.maxCredentialTtlMs);
    seconds(u"sessionIdleSeconds"_s, identity.sessionIdleMs);
    if (identity.defaultCredentialTtlMs > identity.maxCredentialTtlMs)
        fail(memberPath(path, u"defaultCredentialTtlSeconds"),
             u"must not exceed maxCredentialTtlSeconds"_s);
}

// Price parts are decimal USD per million tokens in the file and integer micro-dollars inside.
void readPrices(const QJsonValue &value, const QString &path, Configuration &configuration)
{
    const QJsonObject prices = toObject(value, path);
    for (auto it = prices.constBegin(); it != prices.constEnd(); ++it) {
        const QString pricePath = memberPath(path, it.key());
        if (it.key().isEmpty())
            fail(pricePath, u"model name must not be empty"_s);
        const QJsonObject object = toObject(it.value(), pricePath);
        rejectUnknownKeys(object, pricePath, {u"input", u"output", u"cacheRead", u"cacheWrite"});
        if (object.isEmpty())
            fail(pricePath, u"must set at least one of input, output, cacheRead, cacheWrite"_s);
        Price price;
        price.source = u"config"_s;
        const auto read = [&](const QString &key, std::optional<qint64> &target) {
            if (object.contains(key))
                target = std::llround(
                    toNumber(object.value(key), memberPath(pricePath, key), 0, 1e6) * 1e6);
        };
        read(u"input"_s, price.input);
        read(u"output"_s, price.output);
        read(u"cacheRead"_s, price.cacheRead);
        read(u"cacheWrite"_s, price.cacheWrite);
        configuration.prices.insert(it.key(), price);
    }
}

void readApiKeys(const QJsonValue &value, const QString &path, Configuration &configuration)
{
    static const QRegularExpression hex64(u"^[0-9A-Fa-f]{64}$"_s);
    const QJsonArray keys = toArray(value, path);
    QHash<QString, QString> nameSeen;
    QHash<QByteArray, QString> digestSeen;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        const QJsonObject object = toObject(keys.at(i), itemPath);
        rejectUnknownKeys(object, itemPath,
                          {u"name", u"account", u"sha256", u"user", u"allowedModels"});
        ApiKeyEntry entry;
        entry.name =
            toNonEmptyString(required(object, itemPath, u"name"_s), memberPath(itemPath, u"name"));
        if (nameSeen.contains(entry.name))
            fail(memberPath(itemPath, u"name"), u"duplicate key name "_s % quoted(entry.name) %
                                                    u" (first at "_s % nameSeen.value(entry.name) %
                                                    u')');
        nameSeen.insert(entry.name, itemPath);
        entry.account =
            object.contains(u"account"_s)
                ? toNonEmptyString(object.value(u"account"_s), memberPath(itemPath, u"account"))
                : u"default"_s;

        const QString digestPath = memberPath(itemPath, u"sha256");
        const QString digest = toString(required(object, itemPath, u"sha256"_s), digestPath);
        // Never echo the value: a key pasted here by mistake must not reach a log.
        if (!hex64.match(digest).hasMatch())
            fail(digestPath,
                 u"must be exactly 64 hexadecimal characters, the SHA-256 of the key "
                 "(got "_s %
                     QString::number(digest.size()) %
                     u" characters; compute it with: printf %s \"$KEY\" | sha256sum)"_s);
        entry.sha256 = QByteArray::fromHex(digest.toLatin1());
        if (digestSeen.contains(entry.sha256))
            fail(digestPath, u"same key as "_s % digestSeen.value(entry.sha256) %
                                 u" (each caller needs its own key)"_s);
        digestSeen.insert(entry.sha256, itemPath);
        if (object.contains(u"user"_s))
            entry.user = toNonEmptyString(object.value(u"user"_s), memberPath(itemPath, u"user"));
        if (object.contains(u"allowedModels"_s))
            entry.allowedModels = toStringList(object.value(u"allowedModels"_s),
                                               memberPath(itemPath, u"allowedModels"));
        configuration.apiKeys += std::move(entry);
    }
}

// So that a fresh install answers at once: every model name goes to a simulated provider.
void addSimulatorIfNoProvider(Configuration &configuration)
{
    if (!configuration.providers.isEmpty())
        return;
    ProviderConfig simulator;
    simulator.name = u"simulator"_s;
    simulator.protocol = ProviderProtocol::Simulated;
    simulator.simulation.tokensPerSecond = 40;
    simulator.simulation.firstTokenMs = 250;
    configuration.providers += simulator;
}

void addCatchAllIfMissing(Configuration &configuration)
{
    for (const ModelAlias &model : std::as_const(configuration.models)) {
        if (model.alias == u"*"_s)
            return;
    }
    configuration.models += ModelAlias{u"*"_s, u"simulator"_s, QString()};
}

Configuration readConfiguration(const QJsonObject &root)
{
    const QString path = u"$"_s;
    rejectUnknownKeys(root, path,
                      {u"listen", u"allowedHosts", u"dataDir", u"database", u"shutdownGraceMs",
                       u"limits", u"providers", u"models", u"prices", u"apiKeys", u"identity",
                       u"rateLimits", u"events", u"budgetPolicy", u"team"});
    Configuration configuration;
    const auto member = [&](QStringView key) -> std::optional<QJsonValue> {
        if (!root.contains(key))
            return std::nullopt;
        return root.value(key);
    };
    if (const auto value = member(u"listen"))
        readListen(*value, memberPath(path, u"listen"), configuration);
    if (const auto value = member(u"allowedHosts"))
        readAllowedHosts(*value, memberPath(path, u"allowedHosts"), configuration);
    if (const auto value = member(u"dataDir"))
        configuration.dataDir = toNonEmptyString(*value, memberPath(path, u"dataDir"));
    if (const auto value = member(u"database")) {
        const QString where = memberPath(path, u"database");
        QString error;
        const auto location = DatabaseLocation::parse(toNonEmptyString(*value, where), &error);
        if (!location)
            fail(where, error);
        configuration.database = *location;
    }
    if (const auto value = member(u"team"))
        readTeam(*value, memberPath(path, u"team"), configuration.team);
    if (const auto value = member(u"shutdownGraceMs"))
        configuration.shutdownGraceMs = toInt(*value, memberPath(path, u"shutdownGraceMs"), 0);
    if (const auto value = member(u"limits"))
        readLimits(*value, memberPath(path, u"limits"), configuration.limits);
    if (const auto value = member(u"providers"))
        readProviders(*value, memberPath(path, u"providers"), configuration);
    const bool providersConfigured = !configuration.providers.isEmpty();
    addSimulatorIfNoProvider(configuration);
    if (const auto value = member(u"models"))
        readModels(*value, memberPath(path, u"models"), configuration);
    if (!providersConfigured)
        addCatchAllIfMissing(configuration);
    if (const auto value = member(u"prices"))
        readPrices(*value, memberPath(path, u"prices"), configuration);
    if (const auto value = member(u"apiKeys"))
        readApiKeys(*value, memberPath(path, u"apiKeys"), configuration);
    if (const auto value = member(u"identity"))
        readIdentity(*value, memberPath(path, u"identity"), configuration.identity);
    if (const auto value = member(u"rateLimits"))
        readRateLimits(*value, memberPath(path, u"rateLimits"), configuration);
    if (const auto value = member(u"events"))
        readEvents(*value, memberPath(path, u"events"), configuration.events);
    if (const auto value = member(u"budgetPolicy"))
        readBudgetPolicy(*value, memberPath(path, u"budgetPolicy"), configuration.budgetPolicy);
    return configuration;
}

// QJsonParseError gives the byte offset just past the character it stumbled on; people fix
// files by the line and column of that character.
QString syntaxErrorLocation(const QByteArray &json, int offset)
{
    // qBound needs min <= max: an empty file has no character to point at.
    qsizetype at = json.isEmpty() ? 0 : qBound(0, offset - 1, int(json.size()) - 1);
    while (at > 0 && (quint8(json.at(at)) & 0xC0) == 0x80)
        --at; // back to the first byte of a multi-byte character
    const QByteArrayView before = QByteArrayView(json).first(at);
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const int line = int(before.count('\n')) + 1;
    const int column = int(QString::fromUtf8(before.sliced(lineStart)).size()) + 1;
    return QString::number(line) % u':' % QString::number(column);
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

std::optional<Configuration> ConfigurationFile::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, path % u": cannot read: "_s % file.errorString());
        return std::nullopt;
    }
    return parse(file.readAll(), path, error);
}

std::optional<Configuration> ConfigurationFile::parse(const QByteArray &json,
                                                      const QString &sourceName, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error, sourceName % u':' % syntaxErrorLocation(json, parseError.offset) %
                            u": invalid JSON: "_s % parseError.errorString());
        return std::nullopt;
    }
    try {
        if (!document.isObject())
            fail(u"$"_s,
                 u"must be an object"_s % (document.isArray() ? u" (got an array)"_s : QString()));
        Configuration configuration = readConfiguration(document.object());
        configuration.sourceFile = sourceName;
        return configuration;
    } catch (const Invalid &invalid) {
        setError(error, sourceName % u": "_s % invalid.path % u": "_s % invalid.problem);
        return std::nullopt;
    }
}

Configuration ConfigurationFile::defaults()
{
    // The resource is compiled into the static gateway library: referencing it keeps the
    // linker from dropping it.
    Q_INIT_RESOURCE(gateway);
    QString error;
    std::optional<Configuration> configuration =
        load(u":/gatehouse/gatehouse.example.json"_s, &error);
    if (!configuration)
        qFatal("The built-in configuration is invalid: %s", qUtf8Printable(error));
    configuration->sourceFile.clear();
    return *std::move(configuration);
}
