#pragma once

#include "upstreamrequest.h"

#include <QObject>

class UpstreamCall;
struct UpstreamClientPrivate;

// Pooled asynchronous HTTP client to providers: libcurl's multi-socket interface driven by the
// event loop of the thread that owns this object (QSocketNotifier + QTimer). Keep-alive
// connections are reused, HTTP/2 is used where the server offers it, there is no per-host cap
// below 256 concurrent calls, HTTPS_PROXY / NO_PROXY are honoured, and the response body is
// handed over decoded whatever Content-Encoding the provider chose.
class UpstreamClient : public QObject
{
    Q_OBJECT
public:
    explicit UpstreamClient(QObject *parent = nullptr);
    ~UpstreamClient() override;

    // Starts a call; the call is a child of parent (parent's death aborts it).
    UpstreamCall *start(const UpstreamRequest &request, QObject *parent);

private:
    friend class UpstreamCall;
    friend struct UpstreamCallPrivate;
    UpstreamClientPrivate *d = nullptr;
};
