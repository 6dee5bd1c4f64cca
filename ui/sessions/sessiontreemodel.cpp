#include "sessiontreemodel.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "keyedrows.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Sub-agents nest; hostile data must not make the tree endless.
constexpr int kMaxDepth = 32;

// A session as its row shows it: its own data, and the figures of its whole subtree.
struct Row
{
    SessionTreeModel::Session session;
    UsageTotals totals;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    Activity::State state = Activity::Closed;

    bool operator==(const Row &other) const = default;
};

QString runtimeText(const SessionTreeModel::Session &session)
{
    const QString &type = session.principalType;
    const QString &name = session.principal;
    if (!type.isEmpty() && !name.isEmpty() && type != name)
        return u"%1 · %2"_s.arg(type, name);
    if (!type.isEmpty())
        return type;
    if (!name.isEmpty())
        return name;
    return SessionTreeModel::tr("account %1").arg(session.account);
}

} // namespace

struct SessionTreeModel::Node
{
    Row row;
    Node *parent = nullptr;
    int position = 0; // among its parent's children
    std::vector<std::unique_ptr<Node>> children;

    void renumber()
    {
        for (size_t i = 0; i < children.size(); ++i)
            children[i]->position = int(i);
    }
};

struct SessionTreeModel::Shape
{
    QHash<QString, Row> rows;
    QHash<QString, QStringList> children; // by parent id; "" holds the top level

    explicit Shape(const QList<Session> &sessions)
    {
        for (const Session &session : sessions) {
            rows.insert(session.id, Row{session, session.own, session.firstSeenMs,
                                        session.lastSeenMs, session.state});
        }
        for (const Session &session : sessions)
            children[parentOf(session)] += session.id;
        for (auto it = children.begin(); it != children.end(); ++it) {
            const bool top = it.key().isEmpty();
            std::sort(it->begin(), it->end(), [&](const QString &a, const QString &b) {
                const qint64 first = rows.value(a).session.firstSeenMs;
                const qint64 second = rows.value(b).session.firstSeenMs;
                if (first != second)
                    return top ? first > second : first < second;
                return a < b;
            });
        }
        for (const QString &id : children.value(QString()))
            rollUp(id, 0);
    }

    // The parent a session hangs under: "" when it is unknown or the chain loops.
    QString parentOf(const Session &session) const
    {
        QString parent = session.parentId;
        if (parent.isEmpty() || !rows.contains(parent))
            return {};
        QString at = parent;
        for (int depth = 0; depth < kMaxDepth && !at.isEmpty(); ++depth) {
            if (at == session.id)
                return {};
            at = rows.value(at).session.parentId;
            if (!rows.contains(at))
                return parent;
        }
        return at.isEmpty() ? parent : QString();
    }

    void rollUp(const QString &id, int depth)
    {
        if (depth >= kMaxDepth)
            return;
        for (const QString &child : children.value(id)) {
            rollUp(child, depth + 1);
            const Row below = rows.value(child);
            Row &self = rows[id];
            self.totals.add(below.totals);
            self.firstSeenMs = std::min(self.firstSeenMs, below.firstSeenMs);
            self.lastSeenMs = std::max(self.lastSeenMs, below.lastSeenMs);
            self.state = Activity::livelier(self.state, below.state);
        }
    }
};

SessionTreeModel::Session SessionTreeModel::Session::fromJson(const QJsonObject &session)
{
    Session s;
    s.id = session.value(u"id"_s).toString();
    s.parentId = session.value(u"parent"_s).toString();
    s.externalId = session.value(u"externalId"_s).toString();
    s.source = session.value(u"source"_s).toString();
    s.account = session.value(u"account"_s).toString();
    s.principal = session.value(u"principal"_s).toString();
    s.principalType = session.value(u"principalType"_s).toString();
    s.flow = session.value(u"flow"_s).toString();
    s.execution = session.value(u"execution"_s).toString();
    s.firstSeenMs = session.value(u"firstSeenMs"_s).toInteger();
    s.lastSeenMs = session.value(u"lastSeenMs"_s).toInteger();
    return s;
}

SessionTreeModel::SessionTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{}

SessionTreeModel::~SessionTreeModel() = default;

void SessionTreeModel::setSessions(const QList<Session> &sessions)
{
    const Shape shape(sessions);
    sync(m_root.get(), {}, shape);
}

void SessionTreeModel::sync(Node *node, const QModelIndex &index, const Shape &shape)
{
    const QString key = node == m_root.get() ? QString() : node->row.session.id;
    const QStringList next = shape.children.value(key);
    QStringList current;
    for (const auto &child : node->children)
        current += child->row.session.id;
    const auto forget = [this](const auto &self, Node *gone) -> void {
        // A session that moved is already known at its new place: keep that entry.
        const auto found = m_nodes.constFind(gone->row.session.id);
        if (found != m_nodes.constEnd() && *found == gone)
            m_nodes.erase(found);
        for (const auto &child : gone->children)
            self(self, child.get());
    };
    KeyedRows::reconcile(
        current, next,
        [&](int first, int last) {
            beginRemoveRows(index, first, last);
            for (int i = first; i <= last; ++i)
                forget(forget, node->children[size_t(i)].get());
            node->children.erase(node->children.begin() + first, node->children.begin() + last + 1);
            node->renumber();
            endRemoveRows();
        },
        [&](int row, int from) {
            beginInsertRows(index, row, row);
            auto child = std::make_unique<Node>();
            child->row = shape.rows.value(next.at(from));
            child->parent = node;
            m_nodes.insert(child->row.session.id, child.get());
            node->children.insert(node->children.begin() + row, std::move(child));
            node->renumber();
            endInsertRows();
        });
    int first = -1;
    int last = -1;
    for (const auto &child : node->children) {
        const Row wanted = shape.rows.value(child->row.session.id);
        if (child->row == wanted)
            continue;
        child->row = wanted;
        first = first < 0 ? child->position : first;
        last = child->position;
    }
    if (first >= 0)
        Q_EMIT dataChanged(this->index(first, 0, index), this->index(last, ColumnCount - 1, index));
    for (const auto &child : node->children)
        sync(child.get(), indexOf(child.get(), 0), shape);
}

const SessionTreeModel::Session *SessionTreeModel::session(const QString &id) const
{
    const Node *found = m_nodes.value(id);
    return found ? &found->row.session : nullptr;
}

UsageTotals SessionTreeModel::totals(const QString &id) const
{
    const Node *found = m_nodes.value(id);
    return found ? found->row.totals : UsageTotals();
}

QModelIndex SessionTreeModel::indexOf(const QString &id, int column) const
{
    const Node *found = m_nodes.value(id);
    return found ? indexOf(found, column) : QModelIndex();
}

QModelIndex SessionTreeModel::indexOf(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->position, column, const_cast<Node *>(node));
}

const SessionTreeModel::Node *SessionTreeModel::node(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const Node *>(index.internalPointer()) : m_root.get();
}

QString SessionTreeModel::displayName(const Session &session)
{
    const QString &external = session.externalId;
    if (session.source == u"claude-code") {
        static const QString marker = u"/agent/"_s;
        if (const qsizetype at = external.indexOf(marker); at >= 0)
            return tr("sub-agent %1").arg(external.mid(at + marker.size()));
    }
    if (session.source == u"fallback") {
        // "key:ci@1764000000000": the caller sent no session id; its requests are grouped by
        // its key, credential or execution until an idle gap.
        const QString anchor = external.section(u'@', 0, 0);
        const QString kind = anchor.section(u':', 0, 0);
        const QString name = anchor.section(u':', 1);
        if (kind == u"key")
            return tr("key %1").arg(name);
        if (kind == u"credential")
            return tr("credential %1").arg(name);
        if (kind == u"execution")
            return tr("execution %1").arg(name);
    }
    return external;
}

QModelIndex SessionTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node *above = node(parent);
    return createIndex(row, column, above->children[size_t(row)].get());
}

QModelIndex SessionTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(node(child)->parent, 0);
}

int SessionTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(node(parent)->children.size());
}

int SessionTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant SessionTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = node(index)->row;
    const Session &session = row.session;
    const bool anonymous = session.principal.isEmpty() && session.principalType.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return displayName(session);
        case Runtime:
            return runtimeText(session);
        case Flow:
            return session.flow.isEmpty() ? u"–"_s : session.flow;
        case Started:
            return DisplayText::time(row.firstSeenMs);
        case Duration:
            return row.lastSeenMs > row.firstSeenMs
                       ? DisplayText::duration((row.lastSeenMs - row.firstSeenMs) * 1000)
                       : u"–"_s;
        case Requests:
            return QLocale().toString(row.totals.requests);
        case Tokens:
            return DisplayText::tokens(row.totals.totalTokens);
        case Cost:
            return row.totals.costText();
        case Status:
            return Activity::text(row.state);
        }
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(index.column() >= Duration && index.column() <= Cost
                                       ? Qt::AlignRight | Qt::AlignVCenter
                                       : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == Status) {
            const QColor color = Activity::color(row.state);
            return color.isValid() ? QVariant(color) : QVariant();
        }
        if ((index.column() == Runtime && anonymous) ||
            (index.column() == Cost && row.totals.requests > 0 && row.totals.pricedRequests == 0))
            return ConsoleStyle::muted();
        break;
    case Qt::ToolTipRole:
        if (index.column() == Name)
            return tr("%1\nsession %2, identified by %3")
                .arg(session.externalId, session.id, session.source);
        if (index.column() == Flow && !session.execution.isEmpty())
            return tr("execution %1").arg(session.execution);
        break;
    case IdRole:
        return session.id;
    default:
        break;
    }
    return {};
}

QVariant SessionTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(section >= Duration && section <= Cost
                                       ? Qt::AlignRight | Qt::AlignVCenter
                                       : Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Session");
    case Runtime:
        return tr("Runtime / principal");
    case Flow:
        return tr("Flow");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Requests:
        return tr("Requests");
    case Tokens:
        return tr("Tokens");
    case Cost:
        return tr("Cost");
    case Status:
        return tr("Status");
    }
    return {};
}
