#pragma once

#include "config/configuration.h"
#include "events/eventrow.h"
#include "events/redactor.h"
#include "ledger/usagerecord.h"

#include <QJsonObject>

// Turns a usage record and its captured bodies into a provider-neutral event: attribution,
// status, timings, sizes, usage, a preview of the request (model, head of the system prompt
// and of the last user message, tool names, key parameters) and of the response (head of the
// text, tool calls, stop reason), whatever the wire shape, streamed or not. Every string is
// redacted before it is placed; the preview is bounded. Runs on the store thread, never on a
// request's path.
class EventBuilder
{
public:
    EventBuilder(const EventSettings &settings, const Redactor *redactor);

    EventRow build(const UsageRecord &record) const;

    QJsonObject requestPreview(const QByteArray &endpoint, const QByteArray &body) const;
    QJsonObject responsePreview(const QByteArray &endpoint, const RequestCapture &capture) const;

private:
    QString head(const QString &text, qsizetype limit) const;

    EventSettings m_settings;
    const Redactor *m_redactor;
};
