#pragma once

// Private state behind UpstreamClient and UpstreamCall: the curl handles, the plain HTTP/1.1
// connections, and the bookkeeping that keeps them safe against re-entrancy (signals are
// emitted from inside curl callbacks and socket handlers).

#include "server/lazytimer.h"
#include "upstreamcall.h"
#include "upstreamclient.h"

#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <curl/curl.h>
#include <memory>

class PlainUpstream;
class QSocketNotifier;
struct UpstreamClientPrivate;

using UpstreamClock = std::chrono::steady_clock;

// The deadline timer of a call, for both engines: a limit of 0 or less means "no limit".
void armUpstreamDeadline(LazyTimer &deadline, int ms);
// When an idle deadline fires: the milliseconds of idleMs still left after the last activity
// (body pieces only record their time), 0 when the silence reached it.
int upstreamIdleLeftMs(UpstreamClock::time_point lastActivity, int idleMs);

// The engine side of one call (a curl transfer or a plain HTTP/1.1 exchange): what the call
// asks of it.
class UpstreamCallDriver
{
public:
    virtual ~UpstreamCallDriver() = default;
    virtual void abandon() = 0; // the call is being deleted: stop, emit nothing more
    virtual void hold() = 0;    // the call paused
    virtual void release() = 0; // the call resumed
};

struct UpstreamCallPrivate
{
    static UpstreamCallPrivate *get(UpstreamCall *call) { return call->d; }

    UpstreamCall *q = nullptr;
    UpstreamCallDriver *driver = nullptr; // null once the call finished or the client is gone
    int status = 0;
    HttpHeaders responseHeaders;
    bool paused = false;
};

// The curl side of one call. Pooled with its easy handle, and it outlives a call deleted from
// inside a curl callback until curl has let go of it.
struct UpstreamTransfer final : UpstreamCallDriver
{
    void abandon() override;
    void hold() override;
    void release() override;

    UpstreamClientPrivate *client = nullptr;
    CURL *easy = nullptr;
    curl_slist *headerList = nullptr;
    QByteArray body;                     // CURLOPT_POSTFIELDS points into it
    UpstreamCallPrivate *call = nullptr; // null once the call is gone or finished
    UpstreamTimeouts timeouts;
    LazyTimer deadline; // first-byte timeout, then idle timeout
    UpstreamClock::time_point lastActivity;
    bool attached = false; // added to the multi handle
    bool requestSent = false;
    bool headersDone = false;
    bool curlPaused = false; // curl holds the receive side (CURLPAUSE_RECV or WRITEFUNC_PAUSE)
    char errorBuffer[CURL_ERROR_SIZE] = {};
};

// Read and write notifiers for one socket curl asked us to watch; kept for reuse.
struct UpstreamSocketWatch
{
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

struct UpstreamClientPrivate
{
    explicit UpstreamClientPrivate(bool plainHttp);
    ~UpstreamClientPrivate();

    // The client is going away: detaches every call and returns them so the caller can tell
    // them. Frees everything now, or at the end of the current dispatch if inside one.
    QList<QPointer<UpstreamCall>> shutDown();

    UpstreamTransfer *acquire();
    void setUp(UpstreamTransfer *t);
    void configure(UpstreamTransfer *t, const UpstreamRequest &request);
    void attach(UpstreamTransfer *t);
    void retire(UpstreamTransfer *t);
    void detach(UpstreamTransfer *t);
    void recycle(UpstreamTransfer *t);
    void destroyTransfer(UpstreamTransfer *t);
    void finish(UpstreamTransfer *t, UpstreamError error, const QString &message);
    void complete(UpstreamTransfer *t, CURLcode result);
    void hold(UpstreamTransfer *t);
    void release(UpstreamTransfer *t);

    // Every entry from the event loop runs between enter() and leave(); leave() at the outer
    // level does what was unsafe inside (handle removal, adds, client destruction).
    void enter() { ++depth; }
    void leave();
    void settle();
    void destroy();

    void onSocketActivated(curl_socket_t fd, int event);
    void onCurlTimer();
    void onDeadline(UpstreamTransfer *t);
    void onUnpause();

    UpstreamSocketWatch *watchSocket(curl_socket_t fd);
    void releaseWatch(UpstreamSocketWatch *watch);

    std::unique_ptr<PlainUpstream> plain; // null: every call goes through curl
    CURLM *multi = nullptr;
    QTimer curlTimer;
    QTimer unpauseTimer;
    QSet<UpstreamTransfer *> live;
    QList<UpstreamTransfer *> spareTransfers;
    QList<UpstreamTransfer *> toAttach;
    QList<UpstreamTransfer *> toRetire;
    QList<UpstreamTransfer *> toUnpause;
    QList<UpstreamSocketWatch *> watches;
    QList<UpstreamSocketWatch *> spareWatches;
    int depth = 0;
    bool orphaned = false;
};
