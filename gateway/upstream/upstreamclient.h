#pragma once

#include "upstreamrequest.h"

#include <QObject>

class UpstreamCall;
struct UpstreamClientPrivate;

// Pooled asynchronous HTTP client to providers, driven by the event loop of the thread that
// owns this object (QSocketNotifier + QTimer). Keep-alive connections are reused, there is no
// per-host cap below 256 concurrent calls, and the response body is handed over decoded
// whatever Content-Encoding the provider chose.
//
// Two engines behind one interface: plain http:// calls to an IP literal or localhost (local
// model servers, the simulator) go over the client's own HTTP/1.1 connections; everything
// else (TLS, HTTP/2 where the server offers it, host names, HTTPS_PROXY / NO_PROXY) goes
// through libcurl's multi-socket interface. With http_proxy or ALL_PROXY set, curl carries all.
class UpstreamClient : public QObject
{
    Q_OBJECT
public:
    enum class Transport
    {
        Automatic, // plain HTTP/1.1 where it applies, curl for the rest
        CurlOnly,  // every call through curl (tests hold both engines to the same behaviour)
    };

    explicit UpstreamClient(QObject *parent = nullptr, Transport transport = Transport::Automatic);
    ~UpstreamClient() override;

    // Starts a call; the call is a child of parent (parent's death aborts it).
    UpstreamCall *start(const UpstreamRequest &request, QObject *parent);

private:
    friend class UpstreamCall;
    friend struct UpstreamCallPrivate;
    UpstreamClientPrivate *d = nullptr;
};
