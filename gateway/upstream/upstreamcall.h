#pragma once

#include "upstreamrequest.h"

#include <QObject>

class UpstreamClient;
struct UpstreamCallPrivate;

// One call to a provider, driven by the UpstreamClient's event loop integration.
// Deleting the call (or its parent) aborts it at once; no signal is emitted after that.
class UpstreamCall : public QObject
{
    Q_OBJECT
public:
    ~UpstreamCall() override;

    // Stop taking response bytes (back-pressure). Safe to call from a dataReceived() handler:
    // the bytes already delivered are consumed, and no more arrive until resume().
    void pause();
    void resume();
    bool isPaused() const;

    int status() const; // 0 until the response headers arrived
    const HttpHeaders &responseHeaders() const;

Q_SIGNALS:
    // Status line and headers of the final response (1xx are skipped).
    void responseStarted(int status);
    // Decoded response body bytes, in order, as they arrive.
    void dataReceived(const QByteArray &bytes);
    // Emitted once; error None means the response completed. The call may be deleted from
    // a slot connected to this signal.
    void finished(UpstreamError error, const QString &message);

private:
    friend class UpstreamClient;
    friend struct UpstreamCallPrivate;
    explicit UpstreamCall(QObject *parent);
    UpstreamCallPrivate *d = nullptr;
};
