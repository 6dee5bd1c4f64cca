#include "ingress/teamsync.h"

#include "ledger/ledgerstore.h"

#include <QLoggingCategory>

#include <algorithm>

namespace {
Q_LOGGING_CATEGORY(lcTeamSync, "gatehouse.team.sync")
}

TeamSync::TeamSync(GatewayContext *context)
    : m_context(context)
{
    for (StoredState &state : context->storedState()) {
        auto part = std::make_unique<Part>();
        part->state = std::move(state);
        part->due.setSingleShot(true);
        connect(&part->due, &QTimer::timeout, this, [this, part = part.get()] { read(*part); });
        m_parts.push_back(std::move(part));
    }
}

void TeamSync::changed(const QString &table)
{
    for (const auto &part : m_parts) {
        if (!part->state.tables.contains(table))
            continue;
        part->stale = true;
        if (!part->reading && !part->due.isActive())
            part->due.start(gatherMs);
    }
}

void TeamSync::read(Part &part)
{
    part.stale = false;
    part.reading = true;
    m_context->ledger->readLater(
        part.state.queries(), this,
        [this, part = &part](const StoreReading &reading) { take(*part, reading); });
}

void TeamSync::take(Part &part, const StoreReading &reading)
{
    part.reading = false;
    const QString tables = part.state.tables.join(u", ");
    if (!reading.results) {
        qCWarning(lcTeamSync).noquote()
            << "reading" << tables
            << "changed by another gateway failed, retrying:" << reading.error;
        part.due.start(failedMs);
        return;
    }
    const bool behind = std::any_of(
        part.state.tables.cbegin(), part.state.tables.cend(), [&](const QString &table) {
            return m_context->latestWrites.value(table) > reading.writtenBefore;
        });
    if (behind) {
        part.due.start(unwrittenMs);
        return;
    }
    QString error;
    if (!part.state.load(*reading.results, &error))
        qCWarning(lcTeamSync).noquote()
            << "cannot take" << tables << "as another gateway left them:" << error;
    if (part.stale)
        part.due.start(gatherMs);
}
