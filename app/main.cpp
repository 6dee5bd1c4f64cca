// gatehouse: command line, then the gateway, with the operator console when there is a display.
#include "common/consolelanguage.h"
#include "common/consolestyle.h"
#include "settings/consolesettings.h"
#include "config/configurationfile.h"
#include "envcommand.h"
#include "execcommand.h"
#include "exportcommand.h"
#include "gateway.h"
#include "gatewayconsole.h"
#include "ledger/databaselocation.h"
#include "server/httpserver.h"
#include "shell/consolepages.h"
#include "shell/mainwindow.h"
#include "shutdownsignals.h"
#include "simulator/simulatedprovider.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QStandardPaths>

#include <algorithm>
#include <cstdio>

#include <sys/resource.h>

namespace {

constexpr int kUsageError = 2;

int fail(const QString &message, int status = 1)
{
    std::fprintf(stderr, "gatehouse: %s\n", qPrintable(message));
    return status;
}

void announce(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

// "HOST:PORT", "[v6]:PORT" or ":PORT".
bool parseListen(const QString &text, QString *host, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0)
        return false;
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    if (!ok || number > 65535)
        return false;
    QString name = text.left(colon);
    if (name.startsWith(u'[') && name.endsWith(u']'))
        name = name.mid(1, name.size() - 2);
    *host = name.isEmpty() ? QStringLiteral("127.0.0.1") : name;
    *port = quint16(number);
    return *host == QLatin1String("localhost") || !QHostAddress(*host).isNull();
}

int runSimulator(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs the simulated provider on its own (for benchmarks and demos)."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("listen"), QStringLiteral("Address to listen on."),
                      QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8788")});
    parser.addOption({QStringLiteral("tps"),
                      QStringLiteral("Streamed tokens per second (0: no delay)."),
                      QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("first-token-ms"),
                      QStringLiteral("Delay before the first token."), QStringLiteral("MS"),
                      QStringLiteral("0")});
    parser.process(arguments);
    QString host;
    quint16 port = 0;
    if (!parseListen(parser.value(QStringLiteral("listen")), &host, &port))
        return fail(QStringLiteral("--listen: expected HOST:PORT"), kUsageError);
    SimulationSettings settings;
    settings.tokensPerSecond = parser.value(QStringLiteral("tps")).toDouble();
    settings.firstTokenMs = parser.value(QStringLiteral("first-token-ms")).toInt();
    SimulatedProvider provider(settings);
    HttpServer server(&provider, ServerLimits());
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                  : host);
    if (!server.listen(address, port))
        return fail(QStringLiteral("cannot listen on %1: %2")
                        .arg(parser.value(QStringLiteral("listen")), server.errorString()));
    ShutdownSignals signals;
    QObject::connect(&signals, &ShutdownSignals::requested, &app, &QCoreApplication::quit);
    announce(QStringLiteral("gatehouse simulator listening on http://%1:%2")
                 .arg(host)
                 .arg(server.serverPort()));
    return app.exec();
}

int printKeyHash(const QStringList &arguments)
{
    if (arguments.size() != 3)
        return fail(QStringLiteral("usage: gatehouse hash-key KEY"), kUsageError);
    announce(QString::fromLatin1(
        QCryptographicHash::hash(arguments.at(2).toUtf8(), QCryptographicHash::Sha256).toHex()));
    return 0;
}

// The console opens unless told not to, or when there is nothing to show it on.
bool wantsWindow(int argc, char **argv)
{
    static const QList<QByteArrayView> subcommands{"simulate", "hash-key", "exec", "env", "export"};
    if (argc > 1 && subcommands.contains(QByteArrayView(argv[1])))
        return false;
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView argument(argv[i]);
        if (argument == "--headless" || argument == "--help" || argument == "-h" ||
            argument == "--version" || argument == "-v")
            return false;
    }
    return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
           qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

// The window over the running gateway, until the operator quits; then a graceful stop.
int runConsole(QApplication &app, Gateway &gateway, const Configuration &configuration)
{
    ConsoleLanguage::install(app, ConsoleSettings().language());
    ConsoleStyle::apply(app);
    int status = 0;
    {
        GatewayConsole console(&gateway);
        MainWindow window(&console);
        ConsolePages::addAll(&window, &console);
        window.show();
        ShutdownSignals signals;
        QObject::connect(&signals, &ShutdownSignals::requested, &app, &QApplication::quit);
        status = app.exec();
    }
    gateway.shutdown(configuration.shutdownGraceMs);
    return status;
}

int runGateway(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Gatehouse: a local gateway for model traffic.\n"
        "Subcommands: simulate (the simulated provider alone), hash-key KEY (a key's sha256 for "
        "the configuration), exec [options] -- CMD (run a runtime with a short-lived credential "
        "of the running Gatehouse), env [options] (the same credential as sh exports), export "
        "usage|events [filters] (the ledger as CSV or JSON Lines); "
        "gatehouse exec --help for their options."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("headless"), QStringLiteral("Run without a window.")});
    parser.addOption(
        {QStringLiteral("listen"),
         QStringLiteral("Address to listen on (default 127.0.0.1:8787; port 0 picks a free port)."),
         QStringLiteral("HOST:PORT")});
    parser.addOption(
        {QStringLiteral("data-dir"),
         QStringLiteral(
             "Where the ledger lives (default: the platform's application data directory)."),
         QStringLiteral("DIR")});
    parser.addOption(
        {QStringLiteral("database"),
         QStringLiteral("Team mode: keep the ledger, budgets and identities in this PostgreSQL "
                        "database, shared with other instances (default: ledger.sqlite in the "
                        "data directory)."),
         QStringLiteral("postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE")});
    parser.addOption({QStringLiteral("config"), QStringLiteral("Configuration file (JSON)."),
                      QStringLiteral("FILE")});
    parser.process(arguments);

    Configuration configuration;
    if (parser.isSet(QStringLiteral("config"))) {
        QString error;
        const auto loaded = ConfigurationFile::load(parser.value(QStringLiteral("config")), &error);
        if (!loaded)
            return fail(error, kUsageError);
        configuration = *loaded;
    } else {
        configuration = ConfigurationFile::defaults();
    }
    // What the operator saved in the console's Settings, over the file, under the flags.
    ConsoleSettings().applyTo(&configuration);
    if (parser.isSet(QStringLiteral("listen")) &&
        !parseListen(parser.value(QStringLiteral("listen")), &configuration.listenHost,
                     &configuration.listenPort)) {
        return fail(QStringLiteral("--listen: expected HOST:PORT, got \"%1\"")
                        .arg(parser.value(QStringLiteral("listen"))),
                    kUsageError);
    }
    if (parser.isSet(QStringLiteral("data-dir")))
        configuration.dataDir = parser.value(QStringLiteral("data-dir"));
    if (configuration.dataDir.isEmpty())
        configuration.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (parser.isSet(QStringLiteral("database"))) {
        QString error;
        const auto location =
            DatabaseLocation::parse(parser.value(QStringLiteral("database")), &error);
        if (!location)
            return fail(QStringLiteral("--database: ") + error, kUsageError);
        configuration.database = *location;
    }

    Gateway gateway(configuration);
    QString error;
    if (!gateway.start(&error))
        return fail(error);
    announce(QStringLiteral("gatehouse listening on %1").arg(gateway.url()));
    if (auto *gui = qobject_cast<QApplication *>(&app))
        return runConsole(*gui, gateway, configuration);
    ShutdownSignals signals;
    QObject::connect(&signals, &ShutdownSignals::requested, &app, [&](int signalNumber) {
        std::fprintf(stderr, "gatehouse: signal %d, finishing running requests\n", signalNumber);
        gateway.shutdown(configuration.shutdownGraceMs);
        app.quit();
    });
    return app.exec();
}

// Every relayed call holds two sockets (client and upstream): the common soft limit of 1024
// descriptors refuses upstream connections at ~500 concurrent streams, far below
// ServerLimits::maxConnections. Raise it to the hard limit (capped: children inherit it).
void raiseOpenFileLimit()
{
    constexpr rlim_t kWanted = 65536;
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur >= kWanted)
        return;
    files.rlim_cur = std::min(files.rlim_max, kWanted);
    setrlimit(RLIMIT_NOFILE, &files);
}

} // namespace

int main(int argc, char **argv)
{
    raiseOpenFileLimit();
    DatabaseLocation::configureSqliteForThreadOwnedConnections();
    // Qt's own event dispatcher on every thread instead of GLib's (read when each thread's
    // dispatcher is made): GLib's writes its eventfd for every posted event and re-registers
    // socket notifiers through its sources; with Qt's the gateway thread makes ~30% fewer
    // syscalls per relayed request (bench/RESULTS.md).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    std::unique_ptr<QCoreApplication> application =
        wantsWindow(argc, argv) ? std::make_unique<QApplication>(argc, argv)
                                : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication &app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("gatehouse"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));
    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    if (command == QLatin1String("simulate"))
        return runSimulator(app, arguments.mid(0, 1) + arguments.mid(2));
    if (command == QLatin1String("hash-key"))
        return printKeyHash(arguments);
    if (command == QLatin1String("exec"))
        return ExecCommand::run(arguments.mid(0, 1) + arguments.mid(2));
    if (command == QLatin1String("env"))
        return EnvCommand::run(arguments.mid(0, 1) + arguments.mid(2));
    if (command == QLatin1String("export"))
        return ExportCommand::run(arguments.mid(0, 1) + arguments.mid(2));
    return runGateway(app, arguments);
}
