#include "policy/runtimeenvironment.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

namespace {

QString singleQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', QLatin1String("'\\''"));
    return u'\'' + quoted + u'\'';
}

// OpenCode reads no base-URL or model variable of its own that fits an alias; an inline config
// (merged over the user's files) declares Gatehouse as an OpenAI-compatible provider serving the
// alias and makes it the default model.
QString openCodeConfig(const MintedCredential &credential)
{
    QJsonObject models;
    models.insert(credential.modelAlias, QJsonObject());
    QJsonObject options;
    options.insert(QStringLiteral("baseURL"), credential.openaiBaseUrl);
    options.insert(QStringLiteral("apiKey"), credential.token);
    QJsonObject provider;
    provider.insert(QStringLiteral("npm"), QStringLiteral("@ai-sdk/openai-compatible"));
    provider.insert(QStringLiteral("name"), QStringLiteral("Gatehouse"));
    provider.insert(QStringLiteral("options"), options);
    provider.insert(QStringLiteral("models"), models);
    QJsonObject providers;
    providers.insert(QStringLiteral("gatehouse"), provider);
    QJsonObject config;
    config.insert(QStringLiteral("provider"), providers);
    config.insert(QStringLiteral("model"),
                  QString(QStringLiteral("gatehouse/") + credential.modelAlias));
    return QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Compact));
}

} // namespace

namespace RuntimeEnvironment {

QList<EnvironmentEntry> forCredential(const MintedCredential &credential)
{
    QList<EnvironmentEntry> entries;
    auto setIfAny = [&](const QString &name, const QString &value) {
        if (!value.isEmpty())
            entries.append(EnvironmentEntry::set(name, value));
    };
    auto setOrRemove = [&](const QString &name, const QString &value) {
        entries.append(value.isEmpty() ? EnvironmentEntry::removed(name)
                                       : EnvironmentEntry::set(name, value));
    };
    if (credential.governed) {
        entries.append(
            EnvironmentEntry::set(QStringLiteral("OPENAI_BASE_URL"), credential.openaiBaseUrl));
        entries.append(EnvironmentEntry::set(QStringLiteral("OPENAI_API_KEY"), credential.token));
        // Codex's built-in provider reads this one, not OPENAI_API_KEY.
        entries.append(EnvironmentEntry::set(QStringLiteral("CODEX_API_KEY"), credential.token));
        entries.append(EnvironmentEntry::set(QStringLiteral("ANTHROPIC_BASE_URL"),
                                             credential.anthropicBaseUrl));
        entries.append(
            EnvironmentEntry::set(QStringLiteral("ANTHROPIC_AUTH_TOKEN"), credential.token));
        entries.append(EnvironmentEntry::removed(QStringLiteral("ANTHROPIC_API_KEY")));
    } else {
        setIfAny(QStringLiteral("OPENAI_BASE_URL"), credential.openaiBaseUrl);
        setIfAny(QStringLiteral("ANTHROPIC_BASE_URL"), credential.anthropicBaseUrl);
    }

    // A direct alias means nothing to the provider: the runtime asks for the provider's name.
    const QString model = credential.governed || credential.upstreamModel.isEmpty()
                              ? credential.modelAlias
                              : credential.upstreamModel;
    const QString &principal = credential.principalType;
    if (principal == QLatin1String("claude-code") || principal == QLatin1String("sdk"))
        setIfAny(QStringLiteral("ANTHROPIC_MODEL"), model);
    if (principal == QLatin1String("opencode") && credential.governed && !model.isEmpty())
        entries.append(EnvironmentEntry::set(QStringLiteral("OPENCODE_CONFIG_CONTENT"),
                                             openCodeConfig(credential)));

    entries.append(
        EnvironmentEntry::set(QStringLiteral("GATEHOUSE_GOVERNED"),
                              credential.governed ? QStringLiteral("1") : QStringLiteral("0")));
    entries.append(EnvironmentEntry::set(QStringLiteral("GATEHOUSE_CREDENTIAL_ID"), credential.id));
    entries.append(EnvironmentEntry::set(
        QStringLiteral("GATEHOUSE_EXPIRES_AT"),
        QDateTime::fromMSecsSinceEpoch(credential.expiresAtMs, Qt::UTC).toString(Qt::ISODate)));
    setOrRemove(QStringLiteral("GATEHOUSE_EXECUTION_ID"), credential.executionId);
    setOrRemove(QStringLiteral("GATEHOUSE_MODEL"), model);
    return entries;
}

QString shellExports(const QList<EnvironmentEntry> &entries)
{
    QString text;
    for (const EnvironmentEntry &entry : entries) {
        if (entry.unset)
            text += QLatin1String("unset ") + entry.name + u'\n';
        else
            text +=
                QLatin1String("export ") + entry.name + u'=' + singleQuoted(entry.value) + u'\n';
    }
    return text;
}

QString shellQuoted(const QString &text)
{
    if (text.isEmpty())
        return QStringLiteral("''");
    for (const QChar c : text) {
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                           (c >= u'0' && c <= u'9') || QStringView(u"_@%+=:,./-").contains(c);
        if (!plain)
            return singleQuoted(text);
    }
    return text;
}

void applyTo(const QList<EnvironmentEntry> &entries, QProcessEnvironment *environment)
{
    for (const EnvironmentEntry &entry : entries) {
        if (entry.unset)
            environment->remove(entry.name);
        else
            environment->insert(entry.name, entry.value);
    }
}

} // namespace RuntimeEnvironment
