#include "envcommand.h"

#include "adminclient.h"
#include "credentialoptions.h"
#include "policy/runtimeenvironment.h"

#include <QCommandLineParser>
#include <QDateTime>

#include <cstdio>

namespace {

constexpr int kOwnFailure = 125; // the same status as gatehouse exec's own failures

int fail(const QString &message)
{
    std::fprintf(stderr, "gatehouse env: %s\n", qPrintable(message));
    return kOwnFailure;
}

} // namespace

namespace EnvCommand {

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Mints a credential on the running Gatehouse and prints the environment a runtime needs "
        "as sh exports: eval \"$(gatehouse env --principal codex)\". The credential is not "
        "revoked when the shell ends; it expires after --ttl."));
    parser.addHelpOption();
    CredentialOptions::addTo(&parser);
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument \"%1\" (to run a command: gatehouse exec)")
                        .arg(parser.positionalArguments().first()));
    QString error;
    const auto options = CredentialOptions::read(parser, &error);
    if (!options)
        return fail(error);
    const auto endpoint = AdminEndpoint::locate(options->dataDir, options->url, &error);
    if (!endpoint)
        return fail(error);
    AdminClient admin(*endpoint);
    const auto credential = admin.mintCredential(options->mintRequest(QString()), &error);
    if (!credential)
        return fail(error);
    if (!credential->governed)
        std::fprintf(stderr, "gatehouse env: %s\n",
                     qPrintable(credential->notice.isEmpty()
                                    ? QStringLiteral("model %1 is direct: this traffic is not "
                                                     "governed")
                                          .arg(credential->modelAlias)
                                    : credential->notice));

    const QString expiry =
        QDateTime::fromMSecsSinceEpoch(credential->expiresAtMs, Qt::UTC).toString(Qt::ISODate);
    const QString text =
        QStringLiteral("# gatehouse credential %1, expires %2%3\n")
            .arg(credential->id, expiry,
                 credential->governed ? QString() : QStringLiteral(" (direct: not governed)")) +
        RuntimeEnvironment::shellExports(RuntimeEnvironment::forCredential(*credential));
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    return std::fflush(stdout) == 0 ? 0 : kOwnFailure;
}

} // namespace EnvCommand
