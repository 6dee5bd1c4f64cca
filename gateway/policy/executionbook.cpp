#include "policy/executionbook.h"

#include "policy/optionaltext.h"
#include "policy/secrettoken.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kForgetAfterMs = 24LL * 3600 * 1000;

} // namespace

ExecutionBook::ExecutionBook(StoreSink store, PolicyClock clock)
    : m_store(std::move(store))
    , m_clock(std::move(clock))
{}

StoreStatement ExecutionBook::loadQuery(qint64 nowMs)
{
    return {u"SELECT id, flow, account, principal, command, status, exit_status, started_at_ms, "
            "ended_at_ms FROM flow_executions WHERE ended_at_ms IS NULL OR ended_at_ms > ?"_s,
            {nowMs - kForgetAfterMs}};
}

void ExecutionBook::load(const QList<QVariantList> &rows)
{
    m_executions.clear();
    for (const QVariantList &row : rows) {
        FlowExecution e;
        e.id = row.at(0).toString();
        e.flow = row.at(1).toString();
        e.account = row.at(2).toString();
        e.principal = row.at(3).toString();
        e.command = row.at(4).toString();
        e.status = row.at(5).toString();
        if (!row.at(6).isNull())
            e.exitStatus = row.at(6).toInt();
        e.startedAtMs = row.at(7).toLongLong();
        if (!row.at(8).isNull())
            e.endedAtMs = row.at(8).toLongLong();
        m_executions.insert(e.id, e);
    }
}

FlowExecution ExecutionBook::open(FlowExecution execution)
{
    forgetOld();
    do
        execution.id = u"ex_"_s + SecretToken::generate().id;
    while (m_executions.contains(execution.id));
    execution.status = u"running"_s;
    execution.exitStatus.reset();
    execution.endedAtMs.reset();
    execution.startedAtMs = m_clock();
    m_executions.insert(execution.id, execution);
    m_store({u"INSERT INTO flow_executions (id, flow, account, principal, command, status, "
             "started_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
             {execution.id, OptionalText::sql(execution.flow), execution.account,
              OptionalText::sql(execution.principal), OptionalText::sql(execution.command),
              execution.status, execution.startedAtMs}});
    return execution;
}

std::optional<FlowExecution> ExecutionBook::close(const QString &id, int exitStatus)
{
    const auto found = m_executions.find(id);
    if (found == m_executions.end())
        return std::nullopt;
    if (found->endedAtMs)
        return *found;
    found->endedAtMs = m_clock();
    found->exitStatus = exitStatus;
    found->status = exitStatus == 0 ? u"succeeded"_s : u"failed"_s;
    m_store({u"UPDATE flow_executions SET status = ?, exit_status = ?, ended_at_ms = ? "
             "WHERE id = ?"_s,
             {found->status, exitStatus, *found->endedAtMs, id}});
    return *found;
}

const FlowExecution *ExecutionBook::find(const QString &id) const
{
    const auto found = m_executions.constFind(id);
    return found == m_executions.constEnd() ? nullptr : &*found;
}

QList<FlowExecution> ExecutionBook::list() const
{
    QList<FlowExecution> all = m_executions.values();
    std::sort(all.begin(), all.end(), [](const FlowExecution &a, const FlowExecution &b) {
        return a.startedAtMs != b.startedAtMs ? a.startedAtMs > b.startedAtMs : a.id < b.id;
    });
    return all;
}

void ExecutionBook::forgetOld()
{
    const qint64 horizon = m_clock() - kForgetAfterMs;
    m_executions.removeIf([horizon](const QHash<QString, FlowExecution>::iterator &it) {
        return it->endedAtMs && *it->endedAtMs < horizon;
    });
}
