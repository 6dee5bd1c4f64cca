#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

// A prepared statement run through the sqlite3 handle of an open Qt SQLite connection, for the
// store's per-request inserts: QSqlResult::bindValue formats a placeholder name on every call
// (~2k instructions per value) and hands text over as UTF-16. Text is bound as UTF-8 bytes,
// kept (shared, not copied) until the statement runs. Must be destroyed before the connection
// closes (SQLite refuses to close under an unfinalised statement).
class SqliteStatement
{
public:
    SqliteStatement(const QSqlDatabase &db, const QString &sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // False when the connection is not SQLite or the SQL did not prepare: lastError() says why.
    bool isValid() const { return m_statement != nullptr; }
    QString lastError() const { return m_error; }

    // Parameters count from 0, as QSqlQuery's do.
    void bindInteger(int index, qint64 value);
    void bindNull(int index);
    void bindText(int index, const QByteArray &utf8);
    // Runs the statement to its end and resets it for the next bindings.
    bool exec();

private:
    void fail();

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QList<QByteArray> m_texts; // what the text parameters point into, until exec()
    QString m_error;
};
