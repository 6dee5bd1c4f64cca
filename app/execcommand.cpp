#include "execcommand.h"

#include "adminclient.h"
#include "credentialoptions.h"
#include "policy/runtimeenvironment.h"
#include "signalforwarder.h"

#include <QCommandLineParser>
#include <QProcess>
#include <QProcessEnvironment>

#include <cstdio>

namespace {

// As env(1) and timeout(1): gatehouse exec itself failed, whatever the command would have said.
constexpr int kOwnFailure = 125;
constexpr int kCannotStart = 127; // as a shell says for a command it cannot run

void warn(const QString &message)
{
    std::fprintf(stderr, "gatehouse exec: %s\n", qPrintable(message));
}

int fail(const QString &message, int status)
{
    warn(message);
    return status;
}

QString commandLine(const QStringList &command)
{
    QStringList words;
    for (const QString &word : command)
        words.append(RuntimeEnvironment::shellQuoted(word));
    return words.join(u' ');
}

// Runs the command with the credential's environment; its status as a shell reports it.
int runChild(const QStringList &command, const MintedCredential &credential,
             SignalForwarder *signals)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    RuntimeEnvironment::applyTo(RuntimeEnvironment::forCredential(credential), &environment);
    QProcess child;
    child.setProcessEnvironment(environment);
    // The child reads and writes gatehouse's own terminal: an interactive runtime just works.
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.setInputChannelMode(QProcess::ForwardedInputChannel);
    child.start(command.first(), command.mid(1));
    if (!child.waitForStarted(-1)) {
        warn(QStringLiteral("cannot run %1: %2").arg(command.first(), child.errorString()));
        return kCannotStart;
    }
    signals->forwardTo(child.processId());
    child.waitForFinished(-1);
    signals->forwardTo(0);
    if (child.exitStatus() == QProcess::CrashExit)
        return 128 + child.exitCode(); // Qt reports the signal's number as the exit code
    return child.exitCode();
}

} // namespace

namespace ExecCommand {

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs CMD as an execution of a flow on the running Gatehouse, with a short-lived "
        "credential in its environment (OPENAI_BASE_URL, OPENAI_API_KEY, CODEX_API_KEY, "
        "ANTHROPIC_BASE_URL, ANTHROPIC_AUTH_TOKEN, a model variable, GATEHOUSE_*). Exits with "
        "CMD's status (128+N when a signal N ended it, 127 when it cannot be run, 125 when "
        "gatehouse exec itself fails); the credential is revoked and the execution closed."));
    parser.addHelpOption();
    CredentialOptions::addTo(&parser);
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("The command and its arguments."),
                                 QStringLiteral("-- CMD [ARGS...]"));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (!parser.parse(arguments))
        return fail(parser.errorText(), kOwnFailure);
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    const QStringList command = parser.positionalArguments();
    if (command.isEmpty())
        return fail(QStringLiteral("no command (usage: gatehouse exec [options] -- CMD ARGS...)"),
                    kOwnFailure);
    QString error;
    const auto options = CredentialOptions::read(parser, &error);
    if (!options)
        return fail(error, kOwnFailure);
    const auto endpoint = AdminEndpoint::locate(options->dataDir, options->url, &error);
    if (!endpoint)
        return fail(error, kOwnFailure);

    // From here on a signal must not end gatehouse before the execution is closed.
    SignalForwarder signals;
    AdminClient admin(*endpoint);
    const auto executionId =
        admin.openExecution(options->flow, options->principal, commandLine(command), &error);
    if (!executionId)
        return fail(error, kOwnFailure);
    int status = kOwnFailure;
    const auto credential = admin.mintCredential(options->mintRequest(*executionId), &error);
    if (!credential) {
        warn(error);
    } else if (signals.pendingSignal() != 0) {
        status = 128 + signals.pendingSignal();
    } else {
        if (!credential->governed)
            warn(credential->notice.isEmpty()
                     ? QStringLiteral("model %1 is direct: this traffic is not governed")
                           .arg(credential->modelAlias)
                     : credential->notice);
        status = runChild(command, *credential, &signals);
    }
    if (credential && !admin.revokeCredential(credential->id, &error))
        warn(QStringLiteral("could not revoke credential %1: %2").arg(credential->id, error));
    if (!admin.closeExecution(*executionId, status, &error))
        warn(QStringLiteral("could not close execution %1: %2").arg(*executionId, error));
    return status;
}

} // namespace ExecCommand
