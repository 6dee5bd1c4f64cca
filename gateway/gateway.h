#pragma once

#include "config/configuration.h"

#include <QObject>

#include <memory>

#include <functional>

class LedgerQueries;
class LedgerStore;
struct GatewayContext;

// The running gateway: the ledger's store thread, a thread for the built-in simulated
// providers, and the gateway thread where the listener, the upstream client and the relays live
// (all created inside their thread). Its own methods are called from the thread that made it.
class Gateway : public QObject
{
    Q_OBJECT
public:
    explicit Gateway(Configuration configuration, QObject *parent = nullptr);
    ~Gateway() override;

    // Opens the ledger, starts the simulated providers and the listener. False with a
    // one-line reason when something cannot start (port taken, data directory unwritable...).
    bool start(QString *error);
    // http://HOST:PORT as bound (port 0 in the configuration becomes the real port).
    QString url() const;
    quint16 port() const;
    const Configuration &configuration() const;
    LedgerStore *ledger() const;
    // The ledger's reader thread (after start()).
    LedgerQueries *queries() const;

    // Runs work on the gateway thread with its state, later (post) or waiting for it (run).
    // For GatewayConsole and tests; nothing runs once the gateway has stopped.
    void post(std::function<void(GatewayContext &)> work);
    void run(const std::function<void(GatewayContext &)> &work);

    // Graceful stop: no new connections, running requests get graceMs to finish, the rest are
    // cut and recorded as such, then the ledger's queue is written. Blocks the caller.
    void shutdown(int graceMs);

private:
    struct Threads;
    std::unique_ptr<Threads> d;
};
