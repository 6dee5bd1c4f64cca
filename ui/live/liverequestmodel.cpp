#include "liverequestmodel.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Rows changed in one batch are announced as ranges; nearby rows share one, since a range
// costs the filter and the view about as much as the rows in it.
constexpr int kMergeGap = 16;

const QSet<QByteArray> &denialOutcomes()
{
    static const QSet<QByteArray> outcomes{
        "unauthorized",      "denied_model",       "model_not_found", "denied_rate_limit",
        "denied_budget",     "denied_kill_switch", "killed",          "host_not_allowed",
        "request_too_large", "headers_too_large"};
    return outcomes;
}

QString outcomeText(const QByteArray &outcome)
{
    struct Label
    {
        const char *outcome;
        const char *text;
    };
    static const Label labels[] = {
        {"ok", QT_TRANSLATE_NOOP("LiveRequestModel", "ok")},
        {"ungoverned", QT_TRANSLATE_NOOP("LiveRequestModel", "direct")},
        {"upstream_error", QT_TRANSLATE_NOOP("LiveRequestModel", "upstream error")},
        {"upstream_timeout", QT_TRANSLATE_NOOP("LiveRequestModel", "upstream timeout")},
        {"upstream_unreachable", QT_TRANSLATE_NOOP("LiveRequestModel", "upstream unreachable")},
        {"provider_unavailable", QT_TRANSLATE_NOOP("LiveRequestModel", "provider unavailable")},
        {"client_disconnected", QT_TRANSLATE_NOOP("LiveRequestModel", "client left")},
        {"shutdown", QT_TRANSLATE_NOOP("LiveRequestModel", "gateway stopped")},
        {"invalid_request", QT_TRANSLATE_NOOP("LiveRequestModel", "invalid request")},
        {"unauthorized", QT_TRANSLATE_NOOP("LiveRequestModel", "unauthorized")},
        {"denied_model", QT_TRANSLATE_NOOP("LiveRequestModel", "model not allowed")},
        {"model_not_found", QT_TRANSLATE_NOOP("LiveRequestModel", "unknown model")},
        {"denied_rate_limit", QT_TRANSLATE_NOOP("LiveRequestModel", "rate limited")},
        {"denied_budget", QT_TRANSLATE_NOOP("LiveRequestModel", "over budget")},
        {"denied_kill_switch", QT_TRANSLATE_NOOP("LiveRequestModel", "stopped")},
        {"killed", QT_TRANSLATE_NOOP("LiveRequestModel", "stopped")},
    };
    for (const Label &label : labels) {
        if (outcome == label.outcome)
            return QCoreApplication::translate("LiveRequestModel", label.text);
    }
    return QString::fromLatin1(outcome).replace(u'_', u' ');
}

QString joined(const QString &first, const QString &second)
{
    if (first.isEmpty())
        return second;
    if (second.isEmpty())
        return first;
    return first + u" / "_s + second;
}

} // namespace

LiveRequestModel::LiveRequestModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int LiveRequestModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LiveRequestModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveRequestModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || index.column() >= ColumnCount)
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return text(row, column);
    case Qt::TextAlignmentRole:
        return int(column >= TokensColumn ? Qt::AlignRight | Qt::AlignVCenter
                                          : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column == TimeColumn)
            return ConsoleStyle::muted();
        if (column == StatusColumn && row.state == State::Live)
            return ConsoleStyle::live();
        if (column == StatusColumn && row.state != State::Ok)
            return ConsoleStyle::failure();
        if (column == CostColumn && row.request.finished && !row.request.costMicros)
            return ConsoleStyle::muted();
        return {};
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case RequestIdRole:
        return QString::fromLatin1(row.request.requestId);
    case StateRole:
        return int(row.state);
    case AccountRole:
        return row.request.account;
    case FlowRole:
        return row.request.flow;
    case SessionRole:
        return row.request.runtimeSession;
    case ModelRole:
        return row.request.model();
    case SearchRole:
        return searchText(row);
    default:
        return {};
    }
}

QVariant LiveRequestModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole) {
        return int(section >= TokensColumn ? Qt::AlignRight | Qt::AlignVCenter
                                           : Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && section == LatencyColumn)
        return tr("Time to the first byte / total time");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case PrincipalColumn:
        return tr("Principal");
    case ScopeColumn:
        return tr("Flow / session");
    case ModelColumn:
        return tr("Model");
    case StatusColumn:
        return tr("Status");
    case TokensColumn:
        return tr("Tokens in / out");
    case CostColumn:
        return tr("Cost");
    case LatencyColumn:
        return tr("Latency");
    default:
        return {};
    }
}

QString LiveRequestModel::toolTip(const Row &row, int column) const
{
    const LiveRequest &r = row.request;
    switch (column) {
    case PrincipalColumn: {
        QStringList lines;
        if (!r.principal.isEmpty())
            lines += r.principalType.isEmpty()
                         ? tr("Principal: %1").arg(r.principal)
                         : tr("Principal: %1 (%2)").arg(r.principal, r.principalType);
        if (!r.apiKey.isEmpty())
            lines += tr("Key: %1").arg(r.apiKey);
        if (!r.account.isEmpty())
            lines += tr("Account: %1").arg(r.account);
        return lines.join(u'\n');
    }
    case ScopeColumn: {
        QStringList lines;
        if (!r.flow.isEmpty())
            lines += r.executionId.isEmpty() ? tr("Flow: %1").arg(r.flow)
                                             : tr("Flow: %1 (%2)").arg(r.flow, r.executionId);
        if (!r.runtimeSession.isEmpty())
            lines += tr("Session: %1").arg(r.runtimeSession);
        return lines.join(u'\n');
    }
    case ModelColumn:
        if (r.upstreamModel.isEmpty())
            return {};
        return tr("%1 → %2 at %3").arg(r.model(), r.upstreamModel, r.provider);
    case StatusColumn:
        return r.error;
    case LatencyColumn:
        if (!r.finished)
            return {};
        return tr("First byte %1, total %2")
            .arg(DisplayText::duration(r.firstByteUs), DisplayText::duration(r.durationUs));
    default:
        return text(row, column);
    }
}

LiveRequestModel::State LiveRequestModel::stateOf(const LiveRequest &request)
{
    if (!request.finished)
        return State::Live;
    if (request.outcome == "ok" || request.outcome == "ungoverned")
        return State::Ok;
    if (denialOutcomes().contains(request.outcome))
        return State::Denied;
    return State::Error;
}

QString LiveRequestModel::statusText(const LiveRequest &request)
{
    if (!request.finished)
        return request.stream ? tr("streaming…") : tr("waiting…");
    const QString outcome = outcomeText(request.outcome);
    if (request.httpStatus <= 0)
        return outcome;
    return tr("%1 %2", "HTTP status, then what happened").arg(request.httpStatus).arg(outcome);
}

LiveRequestModel::Row LiveRequestModel::makeRow(const LiveRequest &request) const
{
    Row row;
    row.request = request;
    row.state = stateOf(request);
    return row;
}

const QString &LiveRequestModel::text(const Row &row, int column) const
{
    if (row.hasText)
        return row.text[size_t(column)];
    const LiveRequest &request = row.request;
    auto &cells = row.text;
    cells[TimeColumn] = DisplayText::time(request.startedAtMs);
    cells[PrincipalColumn] = !request.principal.isEmpty() ? request.principal
                             : !request.apiKey.isEmpty()  ? request.apiKey
                                                          : u"–"_s;
    cells[ScopeColumn] = joined(request.flow, request.runtimeSession);
    cells[ModelColumn] = request.model();
    cells[StatusColumn] = statusText(request);
    if (request.finished) {
        const TokenUsage &usage = request.usage;
        const bool used = usage.totalTokens() > 0 || usage.cacheWriteTokens > 0;
        cells[TokensColumn] = used ? tr("%1 / %2", "tokens in / out")
                                         .arg(DisplayText::tokens(usage.promptTokens),
                                              DisplayText::tokens(usage.completionTokens))
                                   : u"–"_s;
        // A call that used nothing costs nothing: a dash says so more quietly than $0.00.
        cells[CostColumn] = used ? DisplayText::money(request.costMicros) : u"–"_s;
        cells[LatencyColumn] = request.stream && request.firstByteUs >= 0
                                   ? tr("%1 / %2", "first byte / total")
                                         .arg(DisplayText::duration(request.firstByteUs),
                                              DisplayText::duration(request.durationUs))
                                   : DisplayText::duration(request.durationUs);
    }
    row.hasText = true;
    return cells[size_t(column)];
}

const QString &LiveRequestModel::searchText(const Row &row) const
{
    if (!row.search.isNull())
        return row.search;
    const LiveRequest &request = row.request;
    const QChar separator = u'\n';
    row.search =
        (QString::fromLatin1(request.requestId) + separator + request.modelAlias + separator +
         request.upstreamModel + separator + request.provider + separator + request.principal +
         separator + request.apiKey + separator + request.account + separator + request.flow +
         separator + request.executionId + separator + request.runtimeSession + separator +
         request.error + separator + QString::fromLatin1(request.outcome))
            .toLower();
    return row.search;
}

void LiveRequestModel::add(const QList<LiveRequest> &requests)
{
    if (requests.isEmpty())
        return;
    if (m_paused)
        hold(requests);
    else
        apply(requests);
}

void LiveRequestModel::hold(const QList<LiveRequest> &requests)
{
    const int before = heldCount();
    for (const LiveRequest &request : requests) {
        if (const auto held = m_heldSerialOf.constFind(request.requestId);
            held != m_heldSerialOf.cend()) {
            m_heldNew[size_t(*held - m_heldFirstSerial)] = request;
        } else if (m_serialOf.contains(request.requestId)) {
            m_heldUpdates.insert(request.requestId, request);
        } else {
            m_heldSerialOf.insert(request.requestId, m_heldFirstSerial + qint64(m_heldNew.size()));
            m_heldNew.push_back(request);
        }
    }
    trimHeld();
    if (heldCount() != before)
        Q_EMIT heldCountChanged(heldCount());
}

void LiveRequestModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused) {
        QList<LiveRequest> held;
        held.reserve(m_heldUpdates.size() + qsizetype(m_heldNew.size()));
        for (const LiveRequest &request : std::as_const(m_heldUpdates))
            held.append(request);
        held.append(QList<LiveRequest>(m_heldNew.begin(), m_heldNew.end()));
        const bool hadNew = !m_heldNew.empty();
        m_heldUpdates.clear();
        m_heldNew.clear();
        m_heldSerialOf.clear();
        m_heldFirstSerial = 0;
        apply(held);
        if (hadNew)
            Q_EMIT heldCountChanged(0);
    }
    Q_EMIT pausedChanged(paused);
}

void LiveRequestModel::apply(const QList<LiveRequest> &requests)
{
    std::vector<std::pair<qint64, const LiveRequest *>> updates;
    QList<const LiveRequest *> fresh;
    QHash<QByteArray, qsizetype> freshIndex;
    bool seenGrew = false;
    for (const LiveRequest &request : requests) {
        seenGrew |= see(request);
        if (const auto it = m_serialOf.constFind(request.requestId); it != m_serialOf.cend()) {
            updates.emplace_back(*it, &request);
        } else if (const auto at = freshIndex.constFind(request.requestId);
                   at != freshIndex.cend()) {
            fresh[*at] = &request; // started and finished in the same batch
        } else {
            freshIndex.insert(request.requestId, fresh.size());
            fresh.append(&request);
        }
    }
    // A batch larger than the table keeps its newest calls.
    const qsizetype keep = std::min<qsizetype>(fresh.size(), m_capacity);
    const qsizetype overflow = qsizetype(m_rows.size()) + keep - m_capacity;
    if (overflow > 0)
        removeOldest(overflow);

    std::vector<int> changed;
    changed.reserve(updates.size());
    for (const auto &[serial, request] : updates) {
        if (serial < m_firstSerial)
            continue; // trimmed just now
        const int row = int(serial - m_firstSerial);
        m_rows[size_t(row)] = makeRow(*request);
        changed.push_back(row);
    }
    emitChanged(std::move(changed));

    if (keep > 0) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(keep) - 1);
        for (qsizetype i = fresh.size() - keep; i < fresh.size(); ++i) {
            m_serialOf.insert(fresh[i]->requestId, m_firstSerial + qint64(m_rows.size()));
            m_rows.push_back(makeRow(*fresh[i]));
        }
        endInsertRows();
    }
    if (seenGrew)
        Q_EMIT seenChanged();
}

void LiveRequestModel::removeOldest(qsizetype count)
{
    count = std::min<qsizetype>(count, qsizetype(m_rows.size()));
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    for (qsizetype i = 0; i < count; ++i) {
        const auto it = m_serialOf.find(m_rows.front().request.requestId);
        if (it != m_serialOf.end() && *it == m_firstSerial)
            m_serialOf.erase(it);
        m_rows.pop_front();
        ++m_firstSerial;
    }
    endRemoveRows();
}

void LiveRequestModel::emitChanged(std::vector<int> rows)
{
    if (rows.empty())
        return;
    std::sort(rows.begin(), rows.end());
    int first = rows.front();
    int last = first;
    for (const int row : rows) {
        if (row - last > kMergeGap) {
            Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
            first = row;
        }
        last = row;
    }
    Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

bool LiveRequestModel::see(const LiveRequest &request)
{
    bool grew = false;
    const auto add = [&](Facet facet, const QString &value) {
        QSet<QString> &values = m_seen[size_t(facet)];
        if (value.isEmpty() || values.size() >= kMaxChoices || values.contains(value))
            return;
        values.insert(value);
        grew = true;
    };
    add(Facet::Account, request.account);
    add(Facet::Flow, request.flow);
    add(Facet::Session, request.runtimeSession);
    add(Facet::Model, request.model());
    return grew;
}

QStringList LiveRequestModel::seen(Facet facet) const
{
    QStringList values(m_seen[size_t(facet)].cbegin(), m_seen[size_t(facet)].cend());
    values.sort(Qt::CaseInsensitive);
    return values;
}

int LiveRequestModel::rowOf(const QByteArray &requestId) const
{
    const auto it = m_serialOf.constFind(requestId);
    return it == m_serialOf.cend() ? -1 : int(*it - m_firstSerial);
}

void LiveRequestModel::setCapacity(int rows)
{
    m_capacity = std::max(1, rows);
    if (qsizetype(m_rows.size()) > m_capacity)
        removeOldest(qsizetype(m_rows.size()) - m_capacity);
    const int held = heldCount();
    trimHeld();
    if (heldCount() != held)
        Q_EMIT heldCountChanged(heldCount());
}

void LiveRequestModel::trimHeld()
{
    // Only the newest calls are kept: more than a table's worth would push out the rest anyway.
    while (qsizetype(m_heldNew.size()) > m_capacity) {
        m_heldSerialOf.remove(m_heldNew.front().requestId);
        m_heldNew.pop_front();
        ++m_heldFirstSerial;
    }
}

void LiveRequestModel::clear()
{
    const bool hadHeld = !m_heldNew.empty();
    beginResetModel();
    m_rows.clear();
    m_serialOf.clear();
    m_firstSerial = 0;
    m_heldUpdates.clear();
    m_heldNew.clear();
    m_heldSerialOf.clear();
    m_heldFirstSerial = 0;
    endResetModel();
    if (hadHeld)
        Q_EMIT heldCountChanged(0);
}
