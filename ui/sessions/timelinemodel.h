#pragma once

#include "keyedtablemodel.h"

#include <QJsonObject>

#include <functional>
#include <optional>

// One request of a timeline: a ledger row.
struct TimelineRow
{
    QString requestId;
    qint64 startedAtMs = 0;
    QString session;
    QString model;
    QString provider;
    int httpStatus = 0;
    QString outcome;
    QString error;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;
    std::optional<qint64> costMicros; // empty: unpriced
    qint64 durationUs = 0;
    qint64 firstByteUs = -1;

    // A row of LedgerReport::rows.
    static TimelineRow fromJson(const QJsonObject &row);
    bool operator==(const TimelineRow &other) const = default;
};

// The requests of a session (with its sub-agents) or of a flow execution, newest first, as
// ledger rows: when, which session, model, outcome, tokens, cost and duration. Refreshing keeps
// the rows already shown in place, so the selection and the scroll position stay.
class TimelineModel : public KeyedTableModel<TimelineRow>
{
    Q_OBJECT
public:
    enum Column
    {
        Time,
        Session,
        Model,
        Status,
        InputTokens,
        OutputTokens,
        Cost,
        Duration,
        ColumnCount
    };
    static constexpr int RequestIdRole = Qt::UserRole;

    using Entry = TimelineRow;
    // How a session id reads in the Session column.
    using SessionName = std::function<QString(const QString &sessionId)>;

    explicit TimelineModel(QObject *parent = nullptr);

    void setSessionName(SessionName name);
    void setEntries(const QList<Entry> &entries); // newest first

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    SessionName m_sessionName;
};
