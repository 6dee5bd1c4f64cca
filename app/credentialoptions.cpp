#include "credentialoptions.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <QStandardPaths>

void CredentialOptions::addTo(QCommandLineParser *parser)
{
    parser->addOption({QStringLiteral("flow"),
                       QStringLiteral("Flow the work belongs to (created when new)."),
                       QStringLiteral("NAME")});
    parser->addOption(
        {QStringLiteral("principal"),
         QStringLiteral("Runtime principal: a type (claude-code, codex, opencode, sdk, "
                        "custom) or the name of one made on the admin API."),
         QStringLiteral("TYPE")});
    parser->addOption({QStringLiteral("model"),
                       QStringLiteral("Model alias the runtime should use."),
                       QStringLiteral("ALIAS")});
    parser->addOption({QStringLiteral("ttl"),
                       QStringLiteral("Credential lifetime: 90s, 30m, 2h, 1d (default 30m)."),
                       QStringLiteral("DURATION"), QStringLiteral("30m")});
    parser->addOption(
        {QStringLiteral("data-dir"),
         QStringLiteral("Data directory of the running Gatehouse (default: the platform's "
                        "application data directory)."),
         QStringLiteral("DIR")});
    parser->addOption({QStringLiteral("url"),
                       QStringLiteral("Gatehouse's URL (default: $GATEHOUSE_URL, else the "
                                      "data directory's listen-url)."),
                       QStringLiteral("URL")});
}

std::optional<CredentialOptions> CredentialOptions::read(const QCommandLineParser &parser,
                                                         QString *error)
{
    CredentialOptions options;
    options.flow = parser.value(QStringLiteral("flow"));
    options.principal = parser.value(QStringLiteral("principal"));
    options.model = parser.value(QStringLiteral("model"));
    options.url = parser.value(QStringLiteral("url"));
    options.dataDir = parser.isSet(QStringLiteral("data-dir"))
                          ? parser.value(QStringLiteral("data-dir"))
                          : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const auto ttl = parseTtl(parser.value(QStringLiteral("ttl")));
    if (!ttl) {
        *error = QStringLiteral("--ttl: expected a duration like 90s, 30m, 2h or 1d, got \"%1\"")
                     .arg(parser.value(QStringLiteral("ttl")));
        return std::nullopt;
    }
    options.ttlSeconds = *ttl;
    return options;
}

std::optional<qint64> CredentialOptions::parseTtl(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{1,9})([smhd])$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 count = match.captured(1).toLongLong();
    const QChar unit = match.captured(2).at(0);
    const qint64 seconds = count * (unit == u's'   ? 1
                                    : unit == u'm' ? 60
                                    : unit == u'h' ? 3600
                                                   : 86400);
    if (seconds <= 0)
        return std::nullopt;
    return seconds;
}

QJsonObject CredentialOptions::mintRequest(const QString &executionId) const
{
    QJsonObject request;
    request.insert(QStringLiteral("ttlSeconds"), ttlSeconds);
    if (!flow.isEmpty())
        request.insert(QStringLiteral("flow"), flow);
    if (!executionId.isEmpty())
        request.insert(QStringLiteral("execution"), executionId);
    if (!principal.isEmpty())
        request.insert(QStringLiteral("principal"), principal);
    if (!model.isEmpty())
        request.insert(QStringLiteral("model"), model);
    return request;
}
