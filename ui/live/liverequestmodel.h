#pragma once

#include "console/liverequest.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

#include <array>
#include <deque>

// The live table: the calls the gateway reports, newest at the bottom, bounded to a capacity
// (the ledger keeps the history). A finished call replaces its started row; a batch is one
// insert. While paused, batches are held (bounded) and applied on resume.
class LiveRequestModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeColumn,
        PrincipalColumn,
        ScopeColumn, // flow / session
        ModelColumn,
        StatusColumn,
        TokensColumn,
        CostColumn,
        LatencyColumn,
        ColumnCount
    };
    enum Role
    {
        RequestIdRole = Qt::UserRole + 1,
        StateRole, // int(State)
        AccountRole,
        FlowRole,
        SessionRole,
        ModelRole,
        SearchRole // lower-case text the free-text filter looks in
    };
    enum class State
    {
        Live, // dispatched, the answer is still coming
        Ok,
        Error,
        Denied // refused by the gateway: credentials, model, rate limit, budget, kill switch
    };
    // What the filter's choices are made of.
    enum class Facet
    {
        Account,
        Flow,
        Session,
        Model
    };
    static constexpr int kDefaultCapacity = 5000;
    // Choices offered per facet; past this, new values are still found by the free text.
    static constexpr int kMaxChoices = 1000;

    explicit LiveRequestModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Takes a batch from GatewayConsole::requestsArrived (held while paused).
    void add(const QList<LiveRequest> &requests);
    // Empties the table and what is held; the choices seen so far stay.
    void clear();

    int capacity() const { return m_capacity; }
    // Trims the oldest rows at once when the table is larger.
    void setCapacity(int rows);

    bool isPaused() const { return m_paused; }
    // Resuming applies what was held as one batch.
    void setPaused(bool paused);
    // Calls that arrived while paused and are not in the table yet.
    int heldCount() const { return int(m_heldNew.size()); }

    const LiveRequest &request(int row) const { return m_rows[size_t(row)].request; }
    State state(int row) const { return m_rows[size_t(row)].state; }
    // -1 when the call is not in the table.
    int rowOf(const QByteArray &requestId) const;
    // Every value of the facet seen so far, sorted.
    QStringList seen(Facet facet) const;

    static State stateOf(const LiveRequest &request);
    // "streaming…", "200 ok", "402 over budget".
    static QString statusText(const LiveRequest &request);

Q_SIGNALS:
    void pausedChanged(bool paused);
    void heldCountChanged(int count);
    // A facet gained a value (at most once per batch).
    void seenChanged();

private:
    struct Row
    {
        LiveRequest request;
        State state = State::Live;
        // Made when first asked for: at thousands of calls a second most rows scroll through
        // without ever being painted or searched.
        mutable bool hasText = false;
        mutable std::array<QString, ColumnCount> text;
        mutable QString search;
    };

    Row makeRow(const LiveRequest &request) const;
    const QString &text(const Row &row, int column) const;
    const QString &searchText(const Row &row) const;
    void apply(const QList<LiveRequest> &requests);
    void hold(const QList<LiveRequest> &requests);
    void trimHeld();
    void removeOldest(qsizetype count);
    void emitChanged(std::vector<int> rows);
    bool see(const LiveRequest &request);
    QString toolTip(const Row &row, int column) const;

    int m_capacity = kDefaultCapacity;
    // Rows are numbered by arrival (serials) so that trimming the front does not renumber the
    // index: row = serial - m_firstSerial.
    std::deque<Row> m_rows;
    qint64 m_firstSerial = 0;
    QHash<QByteArray, qint64> m_serialOf;

    bool m_paused = false;
    QHash<QByteArray, LiveRequest> m_heldUpdates; // for rows in the table: the latest state
    std::deque<LiveRequest> m_heldNew;            // calls not in the table, in order, bounded
    qint64 m_heldFirstSerial = 0;
    QHash<QByteArray, qint64> m_heldSerialOf;

    std::array<QSet<QString>, 4> m_seen;
};
