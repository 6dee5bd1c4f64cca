#pragma once

// The plain side of UpstreamClient: http:// calls to an address it can dial without a
// resolver (an IP literal or localhost) go over its own pooled HTTP/1.1 connections instead
// of libcurl, which spends about as much as the rest of the gateway on each small call. Local
// model servers (Ollama, vLLM, llama.cpp) and the simulator are reached this way; TLS,
// proxies and host names stay with curl.

#include "upstreamclient_p.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QTimer>

#include <sys/socket.h>

class PlainConnection;

// Where plain calls go: one host and port, and its idle keep-alive connections.
struct PlainOrigin
{
    QByteArray authority;              // as in the URL: the Host header
    QList<sockaddr_storage> addresses; // tried in order; none: a host name, so curl's
    QList<PlainConnection *> idle;     // most recently used last
};

class PlainUpstream
{
public:
    explicit PlainUpstream(UpstreamClientPrivate *client);
    ~PlainUpstream();
    PlainUpstream(const PlainUpstream &) = delete;
    PlainUpstream &operator=(const PlainUpstream &) = delete;

    // False when a proxy is configured for http:// (curl applies it, and no_proxy).
    static bool usable();

    // Starts the call if its URL is one this side carries; false: it is curl's.
    bool start(UpstreamCallPrivate *call, const UpstreamRequest &request);
    // The client is going away: every call is detached and appended to *calls.
    void detachCalls(QList<QPointer<UpstreamCall>> *calls);
    // At the end of every entry from the event loop: completed exchanges' connections
    // become idle (not earlier, so a handler of that exchange cannot reuse one on the stack).
    void settle();

    // For PlainConnection:
    UpstreamClientPrivate *client() const { return m_client; }
    void park(PlainConnection *connection);
    void dispose(PlainConnection *connection);
    // The request failed on a reused connection before any answer: the server had closed
    // it. Sends it again once, on a new connection.
    void retry(PlainConnection *stale);
    // A buffer for one read, or null while another read uses it.
    QByteArray *takeScratch();
    void returnScratch() { m_scratchBusy = false; }

private:
    PlainOrigin *origin(QByteArrayView authority);
    PlainConnection *idleConnection(PlainOrigin *origin);
    PlainConnection *open(PlainOrigin *origin);
    // Closes the connections idle for longer than they may be reused, then waits for the next.
    void pruneIdle();

    UpstreamClientPrivate *m_client;
    QHash<QByteArray, PlainOrigin *> m_origins;
    QList<PlainConnection *> m_connections; // every open one
    QList<PlainConnection *> m_toPark;
    QTimer m_prune;
    QByteArray m_scratch;
    bool m_scratchBusy = false;
};
