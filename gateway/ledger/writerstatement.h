#pragma once

#include "ledger/sqlitestatement.h"

#include <QByteArray>
#include <QList>
#include <QSqlQuery>
#include <QString>

#include <optional>

class QSqlDatabase;

// One of the store writer's statements that run for every row (the usage and event inserts) or
// every batch (BEGIN, COMMIT), prepared once per connection. On SQLite it runs through the
// sqlite3 handle (SqliteStatement); on PostgreSQL through a QSqlQuery. Parameters count from 0;
// every one is bound again for each row.
class WriterStatement
{
public:
    bool prepare(const QSqlDatabase &db, const QString &sql, QString *error);
    // Lets go of the statement: before its connection closes.
    void reset();

    void bindInteger(int index, qint64 value);
    void bindInteger(int index, std::optional<qint64> value); // empty: NULL
    // Text for a NOT NULL column: a null value binds the empty string. Bytes are UTF-8 (invalid
    // sequences are replaced).
    void bindText(int index, const QString &value);
    void bindText(int index, const QByteArray &utf8);
    // Optional text: empty (or null) binds NULL, so "none" is one state in queries.
    void bindOptionalText(int index, const QString &value);
    void bindOptionalText(int index, const QByteArray &utf8);
    // A parameter the dialect's utf8Text writes: the bytes as they are when they are valid UTF-8
    // (a preview always is), else decoded (invalid sequences replaced); empty is NULL.
    void bindUtf8Text(int index, const QByteArray &utf8);
    bool exec(QString *error);

private:
    std::optional<SqliteStatement> m_native;
    std::optional<QSqlQuery> m_query;
    QList<std::pair<QString, QByteArray>> m_lastText; // per parameter: the text and its UTF-8
    QString m_text; // a QSqlQuery statement without parameters, run as text
};
