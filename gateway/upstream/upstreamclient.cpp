#include "upstreamclient.h"

#include "plainupstream.h"
#include "upstreamclient_p.h"

#include "server/httpsyntax.h"

#include <QSocketNotifier>
#include <QThread>

#include <algorithm>
#include <climits>

namespace {

// Easy handles kept for reuse; more than this many idle ones are freed.
constexpr qsizetype SpareTransfers = 64;

void initialiseCurl()
{
    // curl_global_init is not thread-safe; a function-local static runs it exactly once.
    static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
    Q_ASSERT(result == CURLE_OK);
}

void arm(UpstreamTransfer *t, int ms)
{
    armUpstreamDeadline(t->deadline, ms);
}

// "HTTP/1.1 200 OK" or "HTTP/2 200" -> 200; 0 if there is no code.
int statusCode(QByteArrayView statusLine)
{
    const qsizetype space = statusLine.indexOf(' ');
    if (space < 0)
        return 0;
    const QByteArrayView rest = statusLine.sliced(space + 1);
    return rest.first(std::min<qsizetype>(3, rest.size())).toInt();
}

int onSocketChange(CURL *, curl_socket_t fd, int what, void *clientp, void *socketp)
{
    auto *d = static_cast<UpstreamClientPrivate *>(clientp);
    auto *watch = static_cast<UpstreamSocketWatch *>(socketp);
    if (what == CURL_POLL_REMOVE) {
        if (watch)
            d->releaseWatch(watch);
        return 0;
    }
    if (!watch) {
        watch = d->watchSocket(fd);
        curl_multi_assign(d->multi, fd, watch);
    }
    watch->read->setEnabled(what & CURL_POLL_IN);
    watch->write->setEnabled(what & CURL_POLL_OUT);
    return 0;
}

int onTimerChange(CURLM *, long timeoutMs, void *userp)
{
    // curl forbids calling back into it from here: the timer fires from the event loop.
    auto *d = static_cast<UpstreamClientPrivate *>(userp);
    if (timeoutMs < 0)
        d->curlTimer.stop();
    else
        d->curlTimer.start(int(std::min<long>(timeoutMs, INT_MAX)));
    return 0;
}

int onRequestReady(void *clientp, char *, char *, int, int)
{
    // The connection (with any proxy tunnel and TLS) is up and the request goes out now:
    // the first-byte clock starts here, not when the call started.
    auto *t = static_cast<UpstreamTransfer *>(clientp);
    if (!t->call)
        return CURL_PREREQFUNC_ABORT; // deleted meanwhile, waiting for its handle's removal
    t->requestSent = true;
    arm(t, t->timeouts.firstByteMs);
    return CURL_PREREQFUNC_OK;
}

size_t onHeaderLine(char *data, size_t size, size_t count, void *userdata)
{
    auto *t = static_cast<UpstreamTransfer *>(userdata);
    const size_t length = size * count;
    UpstreamCallPrivate *call = t->call;
    if (!call)
        return 0; // the call is gone: fail the transfer so that curl drops the connection
    if (t->headersDone)
        return length; // trailers

    QByteArrayView line(data, qsizetype(length));
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);

    if (line.isEmpty()) {
        if (call->status >= 100 && call->status < 200) {
            // An interim response (100 Continue, 103 Early Hints): the real one follows.
            call->status = 0;
            call->responseHeaders.clear();
            return length;
        }
        t->headersDone = true;
        t->lastActivity = UpstreamClock::now();
        arm(t, t->timeouts.idleMs);
        Q_EMIT call->q->responseStarted(call->status);
        return t->call ? length : 0;
    }

    if (line.startsWith("HTTP/")) {
        call->status = statusCode(line);
        call->responseHeaders.clear();
    } else if ((line.front() == ' ' || line.front() == '\t') && !call->responseHeaders.isEmpty()) {
        // obs-fold: a continuation of the previous field's value
        QByteArray &value = call->responseHeaders.last().second;
        value += ' ';
        value += line.trimmed();
    } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
        call->responseHeaders.append({httpLowerName(line.first(colon)),
                                      line.sliced(colon + 1).trimmed().toByteArray()});
    }
    return length;
}

size_t onBody(char *data, size_t size, size_t count, void *userdata)
{
    auto *t = static_cast<UpstreamTransfer *>(userdata);
    const size_t length = size * count;
    UpstreamCallPrivate *call = t->call;
    if (!call)
        return 0;
    if (call->paused) {
        // curl keeps these bytes and hands them over again after CURLPAUSE_CONT.
        t->curlPaused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    t->lastActivity = UpstreamClock::now();
    Q_EMIT call->q->dataReceived(QByteArray(data, qsizetype(length)));
    return t->call ? length : 0;
}

QString curlDetail(const UpstreamTransfer *t, CURLcode result)
{
    return QString::fromUtf8(t->errorBuffer[0] ? t->errorBuffer : curl_easy_strerror(result));
}

} // namespace

void armUpstreamDeadline(LazyTimer &deadline, int ms)
{
    if (ms > 0)
        deadline.start(ms);
    else
        deadline.stop();
}

int upstreamIdleLeftMs(UpstreamClock::time_point lastActivity, int idleMs)
{
    const auto silent =
        std::chrono::duration_cast<std::chrono::milliseconds>(UpstreamClock::now() - lastActivity)
            .count();
    return silent >= idleMs ? 0 : int(idleMs - silent);
}

UpstreamClientPrivate::UpstreamClientPrivate(bool plainHttp)
{
    if (plainHttp && PlainUpstream::usable())
        plain = std::make_unique<PlainUpstream>(this);
    initialiseCurl();
    multi = curl_multi_init();
    Q_CHECK_PTR(multi);
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, onSocketChange);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, onTimerChange);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    // No per-host or total cap: agents hold long streams, and a cap turns into queueing.
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 512L);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));

    curlTimer.setSingleShot(true);
    curlTimer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&curlTimer, &QTimer::timeout, [this] { onCurlTimer(); });
    unpauseTimer.setSingleShot(true);
    unpauseTimer.setInterval(0);
    QObject::connect(&unpauseTimer, &QTimer::timeout, [this] { onUnpause(); });
}

UpstreamClientPrivate::~UpstreamClientPrivate() = default;

QList<QPointer<UpstreamCall>> UpstreamClientPrivate::shutDown()
{
    QList<QPointer<UpstreamCall>> calls;
    for (UpstreamTransfer *t : std::as_const(live)) {
        calls.append(t->call->q);
        t->call->driver = nullptr;
        t->call = nullptr;
        t->deadline.stop();
    }
    if (plain)
        plain->detachCalls(&calls);
    toUnpause.clear();
    if (depth > 0) {
        // Inside a curl callback or a signal we emitted: curl cannot be torn down yet.
        orphaned = true;
    } else {
        destroy();
        delete this;
    }
    return calls;
}

UpstreamTransfer *UpstreamClientPrivate::acquire()
{
    if (!spareTransfers.isEmpty())
        return spareTransfers.takeLast();
    auto *t = new UpstreamTransfer;
    t->client = this;
    t->easy = curl_easy_init();
    Q_CHECK_PTR(t->easy);
    t->deadline.setOnDue([this, t] { onDeadline(t); });
    setUp(t);
    return t;
}

void UpstreamClientPrivate::setUp(UpstreamTransfer *t)
{
    // What every call shares, set once per handle: the handle is reused without
    // curl_easy_reset, which (with these options set again) cost ~7k instructions per call.
    CURL *easy = t->easy;
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    // No CURLOPT_PIPEWAIT: curl learns that an HTTP/1.1 connection cannot multiplex only from
    // its first response, so a burst would queue behind the first call's time to first token.
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""); // all curl can decode; hand out decoded
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 15L);
    curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    // No CURLOPT_PROXY: curl then honours https_proxy, http_proxy and no_proxy itself.
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->errorBuffer);
    curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, onRequestReady);
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, onHeaderLine);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
}

void UpstreamClientPrivate::configure(UpstreamTransfer *t, const UpstreamRequest &request)
{
    CURL *easy = t->easy;
    t->timeouts = request.timeouts;
    t->body = request.body; // shared, not copied; POSTFIELDS points into it
    t->errorBuffer[0] = '\0';

    curl_easy_setopt(easy, CURLOPT_URL, request.url.constData());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     long(std::max(0, request.timeouts.connectMs)));
    // The method is set whole each time: the previous call's may still be on the handle.
    const QByteArray &method = request.method;
    const char *customMethod = nullptr;
    if (method == "GET" && t->body.isEmpty()) {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->body.constData());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->body.size()));
        if (method != "POST")
            customMethod = method.constData();
    }
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, customMethod);

    for (const auto &[name, value] : request.headers) {
        if (!forwardsUpstreamHeader(name, value))
            continue;
        // "name:" would make curl drop the field; "name;" sends it with an empty value.
        QByteArray line = name;
        line += value.isEmpty() ? QByteArrayView(";") : QByteArrayView(": ");
        line += value;
        t->headerList = curl_slist_append(t->headerList, line.constData());
    }
    // An empty Expect: stops curl from waiting for 100-continue before sending large bodies.
    t->headerList = curl_slist_append(t->headerList, "Expect:");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headerList);
}

void UpstreamClientPrivate::attach(UpstreamTransfer *t)
{
    if (curl_multi_add_handle(multi, t->easy) == CURLM_OK)
        t->attached = true;
    else
        t->deadline.start(0); // reported from the event loop: start() never emits
}

void UpstreamClientPrivate::retire(UpstreamTransfer *t)
{
    t->call = nullptr;
    t->deadline.stop();
    toUnpause.removeOne(t);
    live.remove(t);
    if (!t->attached) {
        toAttach.removeOne(t);
        recycle(t);
    } else if (depth > 0) {
        toRetire.append(t); // curl may be on the stack: removing its handle now is forbidden
    } else {
        detach(t);
    }
}

void UpstreamClientPrivate::detach(UpstreamTransfer *t)
{
    // Removing an unfinished transfer makes curl close its HTTP/1 connection (or reset the
    // HTTP/2 stream): a half-read response never goes back into the pool.
    curl_multi_remove_handle(multi, t->easy);
    t->attached = false;
    recycle(t);
}

void UpstreamClientPrivate::recycle(UpstreamTransfer *t)
{
    t->deadline.stop();
    // Nothing on the handle may point into what is freed here; the rest is set again by the
    // next call's configure().
    curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, nullptr);
    curl_easy_setopt(t->easy, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_slist_free_all(t->headerList);
    t->headerList = nullptr;
    t->body = QByteArray();
    t->requestSent = false;
    t->headersDone = false;
    t->curlPaused = false;
    if (spareTransfers.size() < SpareTransfers)
        spareTransfers.append(t);
    else
        destroyTransfer(t);
}

void UpstreamClientPrivate::destroyTransfer(UpstreamTransfer *t)
{
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headerList);
    delete t;
}

void UpstreamClientPrivate::finish(UpstreamTransfer *t, UpstreamError error, const QString &message)
{
    UpstreamCallPrivate *call = t->call;
    call->driver = nullptr;
    retire(t);
    Q_EMIT call->q->finished(error, message);
}

void UpstreamClientPrivate::complete(UpstreamTransfer *t, CURLcode result)
{
    if (result == CURLE_OK) {
        finish(t, UpstreamError::None, QString());
    } else if (t->requestSent) {
        finish(t, UpstreamError::ConnectionLost,
               QStringLiteral("upstream connection lost: ") + curlDetail(t, result));
    } else if (result == CURLE_OPERATION_TIMEDOUT) {
        finish(t, UpstreamError::ConnectTimeout,
               QStringLiteral("upstream connect timed out: ") + curlDetail(t, result));
    } else {
        finish(t, UpstreamError::ConnectFailed,
               QStringLiteral("could not connect to upstream: ") + curlDetail(t, result));
    }
}

void UpstreamClientPrivate::hold(UpstreamTransfer *t)
{
    if (toUnpause.removeOne(t))
        return; // the resume never reached curl
    // Inside a callback the next body write answers CURL_WRITEFUNC_PAUSE instead.
    if (depth == 0 && t->attached && !t->curlPaused &&
        curl_easy_pause(t->easy, CURLPAUSE_RECV) == CURLE_OK)
        t->curlPaused = true;
}

void UpstreamClientPrivate::release(UpstreamTransfer *t)
{
    t->lastActivity = UpstreamClock::now(); // our own pause is not the upstream's silence
    if (t->curlPaused) {
        // curl may deliver held bytes synchronously on CURLPAUSE_CONT: never from inside a
        // callback or from the resume() call itself.
        toUnpause.append(t);
        unpauseTimer.start();
    }
}

void UpstreamClientPrivate::leave()
{
    if (--depth == 0)
        settle();
}

void UpstreamClientPrivate::settle()
{
    ++depth;
    if (plain && !orphaned)
        plain->settle();
    while (!orphaned) {
        // Removals first: a removed handle's pending completion message goes with it.
        while (!toRetire.isEmpty())
            detach(toRetire.takeFirst());
        while (!toAttach.isEmpty())
            attach(toAttach.takeFirst());
        int queued = 0;
        CURLMsg *message = curl_multi_info_read(multi, &queued);
        if (!message)
            break;
        if (message->msg != CURLMSG_DONE)
            continue;
        UpstreamTransfer *t = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
        complete(t, message->data.result);
    }
    --depth;
    if (orphaned) {
        destroy();
        delete this;
    }
}

void UpstreamClientPrivate::destroy()
{
    plain.reset();
    // Order required by curl: remove every easy handle, then clean them up, then the multi.
    QList<UpstreamTransfer *> transfers = live.values();
    transfers += toRetire;
    for (UpstreamTransfer *t : std::as_const(transfers)) {
        if (t->attached)
            curl_multi_remove_handle(multi, t->easy);
    }
    transfers += spareTransfers;
    for (UpstreamTransfer *t : std::as_const(transfers))
        destroyTransfer(t);
    curl_multi_cleanup(multi);
    for (UpstreamSocketWatch *watch : std::as_const(watches)) {
        watch->read->setEnabled(false);
        watch->write->setEnabled(false);
        if (orphaned) {
            // We may be inside one of these notifiers' own activation.
            watch->read->deleteLater();
            watch->write->deleteLater();
        } else {
            delete watch->read;
            delete watch->write;
        }
        delete watch;
    }
}

void UpstreamClientPrivate::onSocketActivated(curl_socket_t fd, int event)
{
    enter();
    int running = 0;
    curl_multi_socket_action(multi, fd, event, &running);
    leave();
}

void UpstreamClientPrivate::onCurlTimer()
{
    enter();
    int running = 0;
    curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    leave();
}

void UpstreamClientPrivate::onDeadline(UpstreamTransfer *t)
{
    enter();
    if (!t->attached) {
        finish(t, UpstreamError::ConnectFailed,
               QStringLiteral("could not start the upstream call"));
    } else if (!t->headersDone) {
        finish(t, UpstreamError::FirstByteTimeout,
               upstreamTimeoutMessage(UpstreamError::FirstByteTimeout, t->timeouts));
    } else if (t->call->paused) {
        arm(t, t->timeouts.idleMs);
    } else if (const int left = upstreamIdleLeftMs(t->lastActivity, t->timeouts.idleMs)) {
        t->deadline.start(left);
    } else {
        finish(t, UpstreamError::IdleTimeout,
               upstreamTimeoutMessage(UpstreamError::IdleTimeout, t->timeouts));
    }
    leave();
}

void UpstreamClientPrivate::onUnpause()
{
    enter();
    while (!toUnpause.isEmpty()) {
        UpstreamTransfer *t = toUnpause.takeFirst();
        t->curlPaused = false;
        // A handler may pause, resume or delete calls while curl flushes what it held.
        const CURLcode result = curl_easy_pause(t->easy, CURLPAUSE_CONT);
        if (result != CURLE_OK && t->call) {
            finish(t, UpstreamError::ConnectionLost,
                   QStringLiteral("upstream connection lost: ") + curlDetail(t, result));
        }
    }
    leave();
}

UpstreamSocketWatch *UpstreamClientPrivate::watchSocket(curl_socket_t fd)
{
    UpstreamSocketWatch *watch = nullptr;
    if (!spareWatches.isEmpty()) {
        watch = spareWatches.takeLast();
    } else {
        watch = new UpstreamSocketWatch;
        watch->read = new QSocketNotifier(QSocketNotifier::Read);
        watch->write = new QSocketNotifier(QSocketNotifier::Write);
        QObject::connect(watch->read, &QSocketNotifier::activated, [this](QSocketDescriptor s) {
            onSocketActivated(curl_socket_t(s), CURL_CSELECT_IN);
        });
        QObject::connect(watch->write, &QSocketNotifier::activated, [this](QSocketDescriptor s) {
            onSocketActivated(curl_socket_t(s), CURL_CSELECT_OUT);
        });
        watches.append(watch);
    }
    watch->read->setSocket(fd);
    watch->write->setSocket(fd);
    return watch;
}

void UpstreamClientPrivate::releaseWatch(UpstreamSocketWatch *watch)
{
    watch->read->setEnabled(false);
    watch->write->setEnabled(false);
    spareWatches.append(watch);
}

UpstreamClient::UpstreamClient(QObject *parent, Transport transport)
    : QObject(parent)
    , d(new UpstreamClientPrivate(transport == Transport::Automatic))
{}

UpstreamClient::~UpstreamClient()
{
    const QList<QPointer<UpstreamCall>> calls = d->shutDown();
    d = nullptr;
    for (const QPointer<UpstreamCall> &call : calls) {
        if (call) {
            Q_EMIT call->finished(UpstreamError::Aborted,
                                  QStringLiteral("the upstream client was shut down"));
        }
    }
}

UpstreamCall *UpstreamClient::start(const UpstreamRequest &request, QObject *parent)
{
    Q_ASSERT(QThread::currentThread() == thread());
    auto *call = new UpstreamCall(parent);
    UpstreamCallPrivate *state = UpstreamCallPrivate::get(call);
    if (d->plain && d->plain->start(state, request))
        return call;
    UpstreamTransfer *t = d->acquire();
    d->configure(t, request);
    t->call = state;
    state->driver = t;
    d->live.insert(t);
    if (d->depth > 0)
        d->toAttach.append(t); // curl refuses new handles from inside its callbacks
    else
        d->attach(t);
    return call;
}

void UpstreamTransfer::abandon()
{
    client->retire(this);
}

void UpstreamTransfer::hold()
{
    client->hold(this);
}

void UpstreamTransfer::release()
{
    client->release(this);
}
