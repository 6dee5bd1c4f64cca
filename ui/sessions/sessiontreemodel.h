#pragma once

#include "activity.h"
#include "usage/usagetotals.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QJsonObject>

#include <memory>
#include <vector>

// The runtime sessions the gateway saw in the last day as a tree: a session's sub-agents (child
// sessions) under it, newest conversations first and sub-agents in the order they started. A
// row's figures include its children's. Refreshing changes the tree in place, so that views
// keep their expansion and selection.
class SessionTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Runtime,
        Flow,
        Started,
        Duration,
        Requests,
        Tokens,
        Cost,
        Status,
        ColumnCount
    };
    static constexpr int IdRole = Qt::UserRole;

    struct Session
    {
        QString id;
        QString parentId;
        QString externalId;
        QString source;
        QString account;
        QString principal;
        QString principalType;
        QString flow;
        QString execution;
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
        Activity::State state = Activity::Closed;
        UsageTotals own; // this session's own requests in the ledger

        // An item of GET sessions (RuntimeSession::toJson).
        static Session fromJson(const QJsonObject &session);
        bool operator==(const Session &other) const = default;
    };

    explicit SessionTreeModel(QObject *parent = nullptr);
    ~SessionTreeModel() override;

    // Any order; a session whose parent is not in the list shows at the top level.
    void setSessions(const QList<Session> &sessions);

    const Session *session(const QString &id) const;
    // Its figures with every descendant's.
    UsageTotals totals(const QString &id) const;
    QModelIndex indexOf(const QString &id, int column = 0) const;
    // "5f0c6f6e-1111-…", "sub-agent agent-7", "key ci": how a session reads in a list.
    static QString displayName(const Session &session);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node;
    // The wanted tree: each session with its rolled-up figures, and each parent's children.
    struct Shape;

    void sync(Node *node, const QModelIndex &index, const Shape &shape);
    const Node *node(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column) const;

    std::unique_ptr<Node> m_root;
    QHash<QString, Node *> m_nodes;
};
