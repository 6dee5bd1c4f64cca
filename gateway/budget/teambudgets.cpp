#include "budget/teambudgets.h"

#include "budget/moneytext.h"

#include <QDateTime>
#include <QHash>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcTeam, "gatehouse.budget.team")

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A total's key as bound: the one total of a budget has the instance '' (NOT NULL).
QVariantList keyOf(const BudgetTotalKey &key)
{
    return {key.budgetId, key.instance.isNull() ? QString(u""_s) : key.instance, key.periodStartMs};
}

constexpr QLatin1String kTotalWhere("budget_id = ? AND instance = ? AND period_start_ms = ?");

// A settle or release that could not be written yet.
struct Unsettled
{
    QByteArray ticket;
    BudgetHolds holds; // empty: a release
    std::optional<qint64> micros;
    qint64 tokens = 0;
};

// A threshold alert to record once for the team, if no gateway has yet.
struct UnrecordedAlert
{
    BudgetTotalKey total;
    BudgetAlert alert;
    qint64 atMs = 0;
};

// The thread's side: its own connection, the jobs in order, the lease heartbeat.
class Desk : public QObject
{
public:
    Desk(DatabaseLocation location, QString gatewayId, qint64 leaseMs)
        : m_location(std::move(location))
        , m_gatewayId(std::move(gatewayId))
        , m_leaseMs(leaseMs)
        , m_connectionName(u"gatehouse-budgets-"_s +
                           QUuid::createUuid().toString(QUuid::WithoutBraces))
        , m_heartbeat(this)
    {
        // Three renewals per lease: one missed beat does not lose a live gateway's holds.
        m_heartbeat.setInterval(int(std::max<qint64>(m_leaseMs / 3, 100)));
        connect(&m_heartbeat, &QTimer::timeout, this, &Desk::beat);
    }
    ~Desk() override { disconnectDatabase(); }

    void startBeating() { m_heartbeat.start(); }

    TeamBudgets::Answer reserve(const QByteArray &ticket, BudgetHolds holds)
    {
        // One order for every gateway: two transactions never wait on each other's rows.
        std::sort(holds.begin(), holds.end(), [](const BudgetHold &a, const BudgetHold &b) {
            return std::tie(a.total.budgetId, a.total.instance, a.total.periodStartMs) <
                   std::tie(b.total.budgetId, b.total.instance, b.total.periodStartMs);
        });
        TeamBudgets::Answer answer;
        QString error;
        // A dropped connection shows at the first statement: one more try on a new one.
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (attempt > 0)
                disconnectDatabase();
            if (tryReserve(ticket, holds, &answer, &error))
                return answer;
        }
        qCWarning(lcTeam).noquote()
            << u"reserving for %1 failed: %2"_s.arg(QString::fromLatin1(ticket), error);
        answer.verdict = TeamBudgets::Answer::Verdict::Unavailable;
        answer.message = error;
        return answer;
    }

    void settle(Unsettled job)
    {
        if (!m_unsettled.isEmpty() || !trySettle(job)) {
            m_unsettled.append(std::move(job));
            qCWarning(lcTeam) << m_unsettled.size() << "budget settles wait for the team database";
        }
    }

    void recordAlert(UnrecordedAlert alert)
    {
        if (!m_unrecorded.isEmpty() || !tryRecord(alert))
            m_unrecorded.append(std::move(alert));
    }

    void resetAlerts(const QString &budgetId)
    {
        QString error;
        if (!connectDatabase(&error) ||
            !run(u"UPDATE budget_totals SET alerted_percent = 0 WHERE budget_id = ?"_s, {budgetId},
                 &error))
            qCWarning(lcTeam).noquote()
                << u"resetting the alerts of %1 failed: %2"_s.arg(budgetId, error);
    }

    // The current periods' totals, for the gateway's snapshot; empty when the database failed.
    std::optional<QList<QVariantList>> readTotals(const QList<qint64> &periodStarts)
    {
        QList<QVariantList> rows;
        if (periodStarts.isEmpty())
            return rows;
        QString error;
        QStringList marks;
        QVariantList values;
        for (qint64 start : periodStarts) {
            marks.append(u"?"_s);
            values.append(start);
        }
        if (!connectDatabase(&error)) {
            qCWarning(lcTeam).noquote() << u"reading the budget totals failed: "_s + error;
            return std::nullopt;
        }
        QSqlQuery query(m_db);
        if (!exec(query,
                  u"SELECT budget_id, instance, period_start_ms, spent_micros, spent_tokens, "
                  "reserved_micros, reserved_tokens, unpriced_requests FROM budget_totals "
                  "WHERE period_start_ms IN (%1)"_s.arg(marks.join(u", "_s)),
                  values, &error)) {
            qCWarning(lcTeam).noquote() << u"reading the budget totals failed: "_s + error;
            disconnectDatabase();
            return std::nullopt;
        }
        while (query.next()) {
            QVariantList row;
            for (int i = 0; i < 8; ++i)
                row.append(query.value(i));
            rows.append(row);
        }
        return rows;
    }

private:
    bool connectDatabase(QString *error)
    {
        if (m_db.isValid() && m_db.isOpen())
            return true;
        m_db = m_location.addConnection(m_connectionName);
        m_db.setNumericalPrecisionPolicy(QSql::LowPrecisionInt64);
        if (!m_db.open()) {
            *error = u"the team database %1 cannot be reached: %2"_s.arg(
                m_location.displayText(), m_db.lastError().text().trimmed());
            disconnectDatabase();
            return false;
        }
        return true;
    }

    void disconnectDatabase()
    {
        if (!m_db.isValid())
            return;
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }

    bool exec(QSqlQuery &query, const QString &sql, const QVariantList &values, QString *error)
    {
        query.setForwardOnly(true);
        // BEGIN, COMMIT, ROLLBACK cannot be prepared statements in PostgreSQL.
        if (values.isEmpty()) {
            if (query.exec(sql))
                return true;
            *error = query.lastError().text();
            return false;
        }
        if (!query.prepare(sql)) {
            *error = query.lastError().text();
            return false;
        }
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec()) {
            *error = query.lastError().text();
            return false;
        }
        return true;
    }

    bool run(const QString &sql, const QVariantList &values, QString *error)
    {
        QSqlQuery query(m_db);
        return exec(query, sql, values, error);
    }

    void rollback()
    {
        QSqlQuery query(m_db);
        query.exec(u"ROLLBACK"_s);
    }

    // False when the database failed (*error says how); true with the verdict in *answer.
    bool tryReserve(const QByteArray &ticket, const BudgetHolds &holds, TeamBudgets::Answer *answer,
                    QString *error)
    {
        if (!connectDatabase(error))
            return false;
        const auto failed = [&](const QString &what) {
            *error = u"the team database %1 failed: %2"_s.arg(m_location.displayText(), what);
            rollback();
            return false;
        };
        if (!run(u"BEGIN"_s, {}, error))
            return failed(*error);
        const qint64 expires = now() + m_leaseMs;
        for (const BudgetHold &hold : holds) {
            const QVariantList key = keyOf(hold.total);
            bool held = false;
            if (!holdOn(hold, key, &held, error))
                return failed(*error);
            if (!held) {
                // Full, or no gateway has reserved on this total yet: the first reservation of
                // a period makes it, starting from what the ledger holds for the period. Another
                // gateway may have made it since the UPDATE above looked (each statement sees
                // what is committed when it starts): the hold is tried again either way.
                QSqlQuery exists(m_db);
                if (!exec(exists, u"SELECT 1 FROM budget_totals WHERE "_s + kTotalWhere, key,
                          error))
                    return failed(*error);
                const bool made = exists.next();
                exists.finish();
                if (!made &&
                    !run(u"INSERT INTO budget_totals (budget_id, instance, period_start_ms, "
                         "spent_micros, spent_tokens, unpriced_requests) "
                         "SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), seed.* "
                         "FROM (%1) AS seed "
                         "ON CONFLICT (budget_id, instance, period_start_ms) DO NOTHING"_s.arg(
                             hold.seed.sql),
                         key + hold.seed.values, error))
                    return failed(*error);
                if (!holdOn(hold, key, &held, error))
                    return failed(*error);
            }
            if (!held) {
                *answer = denial(hold, key);
                rollback();
                return true;
            }
            if (!run(u"INSERT INTO budget_reservations (ticket, budget_id, instance, "
                     "period_start_ms, gateway, micros, tokens, expires_at_ms) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                     QVariantList{QString::fromLatin1(ticket)} + key +
                         QVariantList{m_gatewayId, hold.micros, hold.tokens, expires},
                     error))
                return failed(*error);
        }
        if (!run(u"COMMIT"_s, {}, error))
            return failed(*error);
        *answer = TeamBudgets::Answer();
        return true;
    }

    // The check and the hold in one statement: the row lock makes it exact under any number
    // of gateways (a waiting UPDATE re-checks against the committed row). *held stays false
    // when the total would be exceeded or does not exist.
    bool holdOn(const BudgetHold &hold, const QVariantList &key, bool *held, QString *error)
    {
        QSqlQuery update(m_db);
        if (!exec(update,
                  u"UPDATE budget_totals SET reserved_micros = reserved_micros + ?, "
                  "reserved_tokens = reserved_tokens + ? WHERE "_s +
                      kTotalWhere +
                      u" AND (? = 0 OR spent_micros + reserved_micros + ? <= ?) "
                      "AND (? = 0 OR spent_tokens + reserved_tokens + ? <= ?) RETURNING 1"_s,
                  QVariantList{hold.micros, hold.tokens} + key +
                      QVariantList{hold.limitMicros ? 1 : 0, hold.micros,
                                   hold.limitMicros.value_or(0), hold.limitTokens ? 1 : 0,
                                   hold.tokens, hold.limitTokens.value_or(0)},
                  error))
            return false;
        *held = update.next();
        return true;
    }

    // Inside the failed reservation's transaction: the numbers every gateway sees.
    TeamBudgets::Answer denial(const BudgetHold &hold, const QVariantList &key)
    {
        TeamBudgets::Answer answer;
        answer.verdict = TeamBudgets::Answer::Verdict::Denied;
        answer.budgetId = hold.total.budgetId;
        answer.instance = hold.total.instance;
        QSqlQuery totals(m_db);
        QString error;
        qint64 spent = 0;
        qint64 reserved = 0;
        const bool tokens = !hold.limitMicros;
        if (exec(totals,
                 (tokens ? u"SELECT spent_tokens, reserved_tokens FROM budget_totals WHERE "_s
                         : u"SELECT spent_micros, reserved_micros FROM budget_totals WHERE "_s) +
                     kTotalWhere,
                 key, &error) &&
            totals.next()) {
            spent = totals.value(0).toLongLong();
            reserved = totals.value(1).toLongLong();
        }
        if (tokens) {
            answer.message = u"Budget %1 would be exceeded across the team: limit %2 tokens, "
                             "spent %3, reserved %4, this request's estimate %5."_s.arg(hold.label)
                                 .arg(hold.limitTokens.value_or(0))
                                 .arg(spent)
                                 .arg(reserved)
                                 .arg(hold.tokens);
        } else {
            answer.message = u"Budget %1 would be exceeded across the team: limit %2, spent %3, "
                             "reserved %4, this request's estimate %5."_s.arg(
                                 hold.label, moneyText(*hold.limitMicros), moneyText(spent),
                                 moneyText(reserved), moneyText(hold.micros));
        }
        return answer;
    }

    // Takes the ticket's reservation rows off their totals (if a lease sweep has not already),
    // then charges the cost to every layer.
    bool trySettle(const Unsettled &job)
    {
        QString error;
        const auto failed = [&] {
            qCWarning(lcTeam).noquote()
                << u"settling %1 failed: %2"_s.arg(QString::fromLatin1(job.ticket), error);
            rollback();
            disconnectDatabase();
            return false;
        };
        if (!connectDatabase(&error) || !run(u"BEGIN"_s, {}, &error))
            return failed();
        if (!releaseRows(u"ticket = ?"_s, {QString::fromLatin1(job.ticket)}, &error))
            return failed();
        for (const BudgetHold &hold : job.holds) {
            if (!run(u"UPDATE budget_totals SET spent_micros = spent_micros + ?, "
                     "spent_tokens = spent_tokens + ?, unpriced_requests = unpriced_requests + ? "
                     "WHERE "_s +
                         kTotalWhere,
                     QVariantList{job.micros.value_or(0), job.tokens,
                                  !job.micros && job.tokens > 0 ? 1 : 0} +
                         keyOf(hold.total),
                     &error))
                return failed();
        }
        if (!run(u"COMMIT"_s, {}, &error))
            return failed();
        return true;
    }

    // Claims the crossing on the shared total and records the alert if this gateway won it.
    bool tryRecord(const UnrecordedAlert &job)
    {
        QString error;
        const QVariantList key = keyOf(job.total);
        const int percent = job.alert.percent;
        if (!connectDatabase(&error)) {
            qCWarning(lcTeam).noquote() << u"recording a budget alert failed: "_s + error;
            return false;
        }
        const auto failed = [&] {
            qCWarning(lcTeam).noquote() << u"recording a budget alert failed: "_s + error;
            rollback();
            disconnectDatabase();
            return false;
        };
        QSqlQuery claim(m_db);
        if (!run(u"BEGIN"_s, {}, &error) ||
            !exec(claim,
                  u"UPDATE budget_totals SET alerted_percent = ? WHERE "_s + kTotalWhere +
                      u" AND alerted_percent < ? RETURNING 1"_s,
                  QVariantList{percent} + key + QVariantList{percent}, &error))
            return failed();
        const bool claimed = claim.next();
        claim.finish();
        if ((claimed &&
             !run(u"INSERT INTO budget_alerts (budget_id, kind, percent, message, at_ms) "
                  "VALUES (?, ?, ?, ?, ?)"_s,
                  {job.alert.budgetId, job.alert.kind, percent, job.alert.message, job.atMs},
                  &error)) ||
            !run(u"COMMIT"_s, {}, &error))
            return failed();
        return true;
    }

    // Deletes the matching reservation rows and gives what they held back to their totals.
    bool releaseRows(const QString &where, const QVariantList &values, QString *error)
    {
        return run(u"WITH gone AS (DELETE FROM budget_reservations WHERE %1 RETURNING budget_id, "
                   "instance, period_start_ms, micros, tokens), "
                   "held AS (SELECT budget_id, instance, period_start_ms, SUM(micros) AS micros, "
                   "SUM(tokens) AS tokens FROM gone GROUP BY budget_id, instance, "
                   "period_start_ms) "
                   "UPDATE budget_totals t SET reserved_micros = t.reserved_micros - held.micros, "
                   "reserved_tokens = t.reserved_tokens - held.tokens FROM held "
                   "WHERE t.budget_id = held.budget_id AND t.instance = held.instance AND "
                   "t.period_start_ms = held.period_start_ms"_s.arg(where),
                   values, error);
    }

    // Renews this gateway's leases, releases everyone's expired ones, retries what waits.
    void beat()
    {
        QString error;
        if (!connectDatabase(&error))
            return;
        if (!run(u"UPDATE budget_reservations SET expires_at_ms = ? WHERE gateway = ?"_s,
                 {now() + m_leaseMs, m_gatewayId}, &error) ||
            !releaseRows(u"expires_at_ms < ?"_s, {now()}, &error)) {
            qCWarning(lcTeam).noquote() << u"renewing the budget leases failed: "_s + error;
            disconnectDatabase();
            return;
        }
        while (!m_unsettled.isEmpty() && trySettle(m_unsettled.first()))
            m_unsettled.removeFirst();
        while (!m_unrecorded.isEmpty() && tryRecord(m_unrecorded.first()))
            m_unrecorded.removeFirst();
    }

    DatabaseLocation m_location;
    QString m_gatewayId;
    qint64 m_leaseMs;
    QString m_connectionName;
    QSqlDatabase m_db;
    QTimer m_heartbeat;
    QList<Unsettled> m_unsettled;
    QList<UnrecordedAlert> m_unrecorded;
};

// One answer's way back to the asker's thread; dropped with the asker.
class Delivery : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void answered(const TeamBudgets::Answer &answer);
    void totalsRead(const std::optional<QList<QVariantList>> &rows);
};

} // namespace

TeamBudgets::TeamBudgets(DatabaseLocation location, QString gatewayId, qint64 leaseMs)
    : m_gatewayId(std::move(gatewayId))
    , m_desk(new Desk(std::move(location), m_gatewayId, leaseMs))
{
    qRegisterMetaType<TeamBudgets::Answer>();
    m_thread.setObjectName(u"team-budgets"_s);
    m_desk->moveToThread(&m_thread);
    m_thread.start();
    auto *desk = static_cast<Desk *>(m_desk);
    QMetaObject::invokeMethod(
        desk, [desk] { desk->startBeating(); }, Qt::QueuedConnection);
}

TeamBudgets::~TeamBudgets()
{
    // The connection and the timer belong to the desk's thread: they go there.
    QMetaObject::invokeMethod(
        m_desk, [desk = m_desk] { delete desk; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void TeamBudgets::reserve(const QByteArray &ticket, BudgetHolds holds, QObject *context, Done done)
{
    auto delivery = std::make_shared<Delivery>();
    QObject::connect(delivery.get(), &Delivery::answered, context, std::move(done));
    delivery->moveToThread(&m_thread);
    auto *desk = static_cast<Desk *>(m_desk);
    QMetaObject::invokeMethod(
        desk,
        [desk, delivery, ticket, holds = std::move(holds)] {
            Q_EMIT delivery->answered(desk->reserve(ticket, holds));
        },
        Qt::QueuedConnection);
}

void TeamBudgets::readTotals(const QList<qint64> &periodStarts, QObject *context, TotalsRead done)
{
    auto delivery = std::make_shared<Delivery>();
    QObject::connect(delivery.get(), &Delivery::totalsRead, context, std::move(done));
    delivery->moveToThread(&m_thread);
    auto *desk = static_cast<Desk *>(m_desk);
    QMetaObject::invokeMethod(
        desk,
        [desk, delivery, periodStarts] {
            Q_EMIT delivery->totalsRead(desk->readTotals(periodStarts));
        },
        Qt::QueuedConnection);
}

void TeamBudgets::recordAlert(const BudgetTotalKey &total, const BudgetAlert &alert, qint64 atMs)
{
    auto *desk = static_cast<Desk *>(m_desk);
    QMetaObject::invokeMethod(
        desk,
        [desk, job = UnrecordedAlert{total, alert, atMs}]() mutable {
            desk->recordAlert(std::move(job));
        },
        Qt::QueuedConnection);
}

void TeamBudgets::resetAlerts(const QString &budgetId)
{
    auto *desk = static_cast<Desk *>(m_desk);
    QMetaObject::invokeMethod(
        desk, [desk, budgetId] { desk->resetAlerts(budgetId); }, Qt::QueuedConnection);
}

void TeamBudgets::settle(const QByteArray &ticket, BudgetHolds holds, std::optional<qint64> micros,
                         qint64 tokens)
{
    auto *desk = static_cast<Desk *>(m_desk);
    QMetaObject::invokeMethod(
        desk,
        [desk, job = Unsettled{ticket, std::move(holds), micros, tokens}]() mutable {
            desk->settle(std::move(job));
        },
        Qt::QueuedConnection);
}

void TeamBudgets::release(const QByteArray &ticket)
{
    settle(ticket, {}, std::nullopt, 0);
}

#include "teambudgets.moc"
