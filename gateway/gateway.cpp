#include "gateway.h"

#include "admin/admintoken.h"
#include "budget/teambudgets.h"
#include "ingress/gatewaycontext.h"
#include "ingress/gatewayrouter.h"
#include "ingress/teamsync.h"
#include "ledger/ledgerqueries.h"
#include "ledger/ledgerstore.h"
#include "policy/secrettoken.h"
#include "server/httpserver.h"
#include "simulator/simulatedprovider.h"
#include "upstream/upstreamclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QHostInfo>
#include <QSaveFile>
#include <QThread>
#include <QTimer>
#include <QUuid>

namespace {

// Runs `work` on `thread` and waits for it.
template<typename Work> void runOn(QObject *anchor, Work work)
{
    QMetaObject::invokeMethod(anchor, std::move(work), Qt::BlockingQueuedConnection);
}

// Objects that live on the gateway thread, created and destroyed there.
struct GatewayWorker
{
    std::unique_ptr<UpstreamClient> upstream;
    std::unique_ptr<GatewayContext> context;
    std::unique_ptr<GatewayRouter> router;
    std::unique_ptr<HttpServer> server;
    std::unique_ptr<QTimer> sessionSaves; // the runtime sessions' counts go to the store
    std::unique_ptr<QTimer> teamTotals;   // team mode: the shared budget totals are read
    bool teamTotalsAsked = false;         // one read at a time, however slow the database
    std::unique_ptr<TeamSync> teamSync;   // team mode: other gateways' changes apply here
};

// Team mode: how often the shared budget totals are read back for the budgets' status, the
// console and the threshold alerts (every gateway on the database spends from them).
constexpr int kTeamTotalsMs = 250;

// One built-in simulated provider on the simulator thread.
struct SimulatorWorker
{
    std::unique_ptr<SimulatedProvider> provider;
    std::unique_ptr<HttpServer> server;
};

QString listenUrlFile(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("listen-url"));
}

QByteArray hostForUrl(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return '[' + address.toString().toLatin1() + ']';
    return address.toString().toLatin1();
}

} // namespace

struct Gateway::Threads
{
    Configuration configuration;
    LedgerStore ledger;
    std::unique_ptr<LedgerQueries> ledgerQueries; // reads on its own thread and connection
    std::unique_ptr<TeamBudgets> teamBudgets;     // team mode: the shared budget totals
    QThread gatewayThread;
    QThread simulatorThread;
    QObject *gatewayAnchor = nullptr;
    QObject *simulatorAnchor = nullptr;
    GatewayWorker worker;
    QList<SimulatorWorker *> simulators;
    QString url;
    quint16 port = 0;
    bool stopped = false;
};

Gateway::Gateway(Configuration configuration, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Threads>())
{
    d->configuration = std::move(configuration);
    d->gatewayThread.setObjectName(QStringLiteral("gateway"));
    d->simulatorThread.setObjectName(QStringLiteral("simulator"));
}

Gateway::~Gateway()
{
    shutdown(0);
}

const Configuration &Gateway::configuration() const
{
    return d->configuration;
}

LedgerStore *Gateway::ledger() const
{
    return &d->ledger;
}

LedgerQueries *Gateway::queries() const
{
    return d->ledgerQueries.get();
}

void Gateway::post(std::function<void(GatewayContext &)> work)
{
    if (!d->gatewayAnchor || !d->worker.context)
        return;
    GatewayContext *context = d->worker.context.get();
    QMetaObject::invokeMethod(
        d->gatewayAnchor, [context, work = std::move(work)] { work(*context); },
        Qt::QueuedConnection);
}

void Gateway::run(const std::function<void(GatewayContext &)> &work)
{
    if (!d->gatewayAnchor || !d->worker.context)
        return;
    GatewayContext *context = d->worker.context.get();
    runOn(d->gatewayAnchor, [&] { work(*context); });
}

QString Gateway::url() const
{
    return d->url;
}

quint16 Gateway::port() const
{
    return d->port;
}

bool Gateway::start(QString *error)
{
    const Configuration &config = d->configuration;
    if (!QDir().mkpath(config.dataDir)) {
        *error = QStringLiteral("cannot create the data directory %1").arg(config.dataDir);
        return false;
    }
    const auto adminToken = AdminToken::ensure(config.dataDir, error);
    if (!adminToken)
        return false;
    d->ledger.setEventSettings(config.events);
    const DatabaseLocation database = config.database.resolved(config.dataDir);
    if (!d->ledger.open(database, error))
        return false;
    d->ledgerQueries = std::make_unique<LedgerQueries>(database);
    if (database.isPostgres()) {
        // Names this process's reservations, so a lease sweep can tell whose they are.
        const QString gatewayId = QStringLiteral("%1:%2:%3")
                                      .arg(QHostInfo::localHostName(),
                                           QString::number(QCoreApplication::applicationPid()),
                                           QUuid::createUuid().toString(QUuid::Id128).left(8));
        d->teamBudgets = std::make_unique<TeamBudgets>(database, gatewayId, config.team.leaseMs);
    }

    // Simulated providers are real HTTP servers on loopback, so their traffic takes exactly
    // the path a real provider's does.
    QHash<QString, ProviderEndpoint> endpoints;
    bool anySimulated = false;
    for (const ProviderConfig &provider : config.providers)
        anySimulated |= provider.protocol == ProviderProtocol::Simulated;
    if (anySimulated) {
        d->simulatorThread.start();
        d->simulatorAnchor = new QObject;
        d->simulatorAnchor->moveToThread(&d->simulatorThread);
    }
    for (const ProviderConfig &provider : config.providers) {
        ProviderEndpoint endpoint;
        endpoint.name = provider.name;
        endpoint.timeouts = provider.timeouts;
        endpoint.apiKeyEnv = provider.apiKeyEnv;
        if (provider.protocol == ProviderProtocol::Simulated) {
            auto *simulator = new SimulatorWorker;
            quint16 port = 0;
            runOn(d->simulatorAnchor, [&] {
                simulator->provider = std::make_unique<SimulatedProvider>(provider.simulation);
                simulator->server =
                    std::make_unique<HttpServer>(simulator->provider.get(), ServerLimits());
                if (simulator->server->listen(QHostAddress::LocalHost, 0))
                    port = simulator->server->serverPort();
            });
            d->simulators.append(simulator);
            if (port == 0) {
                *error =
                    QStringLiteral("cannot start the simulated provider %1").arg(provider.name);
                return false;
            }
            // The simulator speaks every protocol at its root.
            const QByteArray root = "http://127.0.0.1:" + QByteArray::number(port);
            endpoint.protocol = ProviderProtocol::Simulated;
            endpoint.openaiBase = root + "/v1";
            endpoint.anthropicBase = root;
            endpoint.apiKey = QByteArrayLiteral("simulated");
        } else {
            endpoint.protocol = provider.protocol;
            QByteArray base = provider.baseUrl;
            while (base.endsWith('/'))
                base.chop(1);
            (provider.protocol == ProviderProtocol::Anthropic ? endpoint.anthropicBase
                                                              : endpoint.openaiBase) = base;
            endpoint.apiKey = qgetenv(provider.apiKeyEnv.toLatin1().constData());
        }
        endpoints.insert(provider.name, endpoint);
    }

    d->gatewayThread.start();
    d->gatewayAnchor = new QObject;
    d->gatewayAnchor->moveToThread(&d->gatewayThread);
    const QHostAddress address(config.listenHost == QLatin1String("localhost")
                                   ? QStringLiteral("127.0.0.1")
                                   : config.listenHost);
    bool listening = false;
    QString listenError;
    QString loadError;
    runOn(d->gatewayAnchor, [&] {
        GatewayWorker &w = d->worker;
        w.upstream = std::make_unique<UpstreamClient>();
        w.context =
            std::make_unique<GatewayContext>(config, endpoints, w.upstream.get(), &d->ledger);
        w.context->adminTokenHash = SecretToken::digestHex(*adminToken);
        w.context->ledgerQueries = d->ledgerQueries.get();
        w.context->teamBudgets = d->teamBudgets.get();
        w.context->budgets.setTeam(d->teamBudgets.get());
        w.context->teamFailOpen = config.team.failOpen;
        if (!w.context->load(&loadError))
            return;
        if (database.isPostgres())
            w.teamSync = std::make_unique<TeamSync>(w.context.get());
        w.sessionSaves = std::make_unique<QTimer>();
        w.sessionSaves->setInterval(SessionBook::saveEveryMs);
        QObject::connect(w.sessionSaves.get(), &QTimer::timeout,
                         [context = w.context.get()] { context->access.sessions().save(); });
        w.sessionSaves->start();
        if (TeamBudgets *team = d->teamBudgets.get()) {
            // Read on the budgets' own thread: this one never waits for the database.
            w.teamTotals = std::make_unique<QTimer>();
            w.teamTotals->setInterval(kTeamTotalsMs);
            QObject::connect(w.teamTotals.get(), &QTimer::timeout,
                             [&w, team, anchor = d->gatewayAnchor] {
                                 if (std::exchange(w.teamTotalsAsked, true))
                                     return;
                                 BudgetBook *budgets = &w.context->budgets;
                                 LiveFeed *live = &w.context->live;
                                 team->readTotals(budgets->periodStarts(), anchor,
                                                  [&w, budgets, live](const auto &rows) {
                                                      w.teamTotalsAsked = false;
                                                      if (rows && budgets->applyShared(*rows))
                                                          live->stateChanged();
                                                  });
                             });
            w.teamTotals->start();
        }
        w.router = std::make_unique<GatewayRouter>(w.context.get());
        w.server = std::make_unique<HttpServer>(w.router.get(), config.limits);
        listening = w.server->listen(address, config.listenPort);
        if (!listening) {
            listenError = w.server->errorString();
            return;
        }
        w.server->setAllowedHosts(config.allowedHosts);
        d->port = w.server->serverPort();
        d->url = QStringLiteral("http://%1:%2")
                     .arg(QString::fromLatin1(hostForUrl(address)))
                     .arg(d->port);
        w.context->publicUrl = d->url;
    });
    if (listening && database.isPostgres()) {
        GatewayContext *context = d->worker.context.get();
        LedgerStore *ledger = &d->ledger;
        QObject *anchor = d->gatewayAnchor;
        // Another instance's requests appear in this one's live view as they are written.
        connect(ledger, &LedgerStore::usageElsewhere, anchor,
                [context](const QList<UsageRecord> &records) {
                    for (const UsageRecord &record : records)
                        context->live.finished(record);
                });
        // Shared state changed on another instance applies here at once; the rows are read on
        // the store thread, so this thread never waits for them.
        connect(ledger, &LedgerStore::changedElsewhere, anchor,
                [context, ledger, anchor, sync = d->worker.teamSync.get()](const QString &table) {
                    if (table == u"budgets") {
                        ledger->selectLater(BudgetBook::definitionsQuery(), anchor,
                                            [context](const QList<QVariantList> &rows) {
                                                context->budgets.replace(rows);
                                                context->live.stateChanged();
                                            });
                    } else {
                        sync->changed(table); // the other tables: TeamSync
                    }
                });
    }
    if (!listening) {
        *error = !loadError.isEmpty() ? QStringLiteral("reading the store: ") + loadError
                                      : QStringLiteral("cannot listen on %1:%2: %3")
                                            .arg(config.listenHost)
                                            .arg(config.listenPort)
                                            .arg(listenError);
        return false;
    }
    // Where `gatehouse exec` and scripts find the running gateway.
    QSaveFile urlFile(listenUrlFile(config.dataDir));
    if (!urlFile.open(QIODevice::WriteOnly) || urlFile.write(d->url.toUtf8() + '\n') < 0 ||
        !urlFile.commit()) {
        *error =
            QStringLiteral("cannot write %1: %2").arg(urlFile.fileName(), urlFile.errorString());
        return false;
    }
    return true;
}

void Gateway::shutdown(int graceMs)
{
    if (d->stopped)
        return;
    d->stopped = true;
    if (d->gatewayAnchor) {
        HttpServer *server = d->worker.server.get();
        bool busy = false;
        if (server) {
            runOn(d->gatewayAnchor, [&] {
                server->stopAccepting();
                busy = server->activeExchanges() > 0;
            });
        }
        if (busy && graceMs > 0) {
            // Wait here for the running requests, at most graceMs.
            QEventLoop loop;
            QTimer::singleShot(graceMs, &loop, &QEventLoop::quit);
            connect(server, &HttpServer::drained, &loop, &QEventLoop::quit, Qt::QueuedConnection);
            runOn(d->gatewayAnchor, [&] {
                if (server->activeExchanges() == 0)
                    QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
            });
            loop.exec();
        }
        runOn(d->gatewayAnchor, [&] {
            GatewayWorker &w = d->worker;
            if (w.server)
                w.server->abortAll(); // what is still running is cut and recorded
            w.server.reset();
            w.router.reset();
            w.sessionSaves.reset();
            w.teamTotals.reset();
            w.teamSync.reset();
            if (w.context)
                w.context->access.sessions().save();
            w.context.reset();
            w.upstream.reset();
            delete d->gatewayAnchor;
        });
        d->gatewayAnchor = nullptr;
    }
    d->gatewayThread.quit();
    d->gatewayThread.wait();
    d->ledgerQueries.reset(); // no one is left to ask it
    d->teamBudgets.reset();   // the relays that settle through it are gone
    if (!d->url.isEmpty())
        QFile::remove(listenUrlFile(d->configuration.dataDir));
    if (d->simulatorAnchor) {
        runOn(d->simulatorAnchor, [&] {
            qDeleteAll(d->simulators);
            d->simulators.clear();
            delete d->simulatorAnchor;
        });
        d->simulatorAnchor = nullptr;
    }
    d->simulatorThread.quit();
    d->simulatorThread.wait();
    // Bounded, so a dead disk cannot hang the exit; what could not be written is said.
    d->ledger.close(QDeadlineTimer(30'000));
    if (const qsizetype unwritten = d->ledger.pending(); unwritten > 0)
        qWarning("gatehouse: %lld usage records could not be written to the ledger",
                 qlonglong(unwritten));
}
