#include "upstreamcall.h"

#include "upstreamclient_p.h"

UpstreamCall::UpstreamCall(QObject *parent)
    : QObject(parent)
    , d(new UpstreamCallPrivate)
{
    d->q = this;
}

UpstreamCall::~UpstreamCall()
{
    if (d->driver)
        d->driver->abandon();
    delete d;
}

void UpstreamCall::pause()
{
    if (d->paused)
        return;
    d->paused = true;
    if (d->driver)
        d->driver->hold();
}

void UpstreamCall::resume()
{
    if (!d->paused)
        return;
    d->paused = false;
    if (d->driver)
        d->driver->release();
}

bool UpstreamCall::isPaused() const
{
    return d->paused;
}

int UpstreamCall::status() const
{
    return d->status;
}

const HttpHeaders &UpstreamCall::responseHeaders() const
{
    return d->responseHeaders;
}
