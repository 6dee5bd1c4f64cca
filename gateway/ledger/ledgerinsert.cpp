#include "ledgerinsert.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QVariant>

using namespace Qt::StringLiterals;

bool LedgerInsert::prepare(const QSqlDatabase &db, const QString &sql, QString *error)
{
    reset();
    if (db.driverName() == u"QSQLITE") {
        m_native.emplace(db, sql);
        if (m_native->isValid())
            return true;
        *error = m_native->lastError();
        m_native.reset();
        return false;
    }
    m_query.emplace(db);
    if (m_query->prepare(sql))
        return true;
    *error = m_query->lastError().text();
    m_query.reset();
    return false;
}

void LedgerInsert::reset()
{
    m_native.reset();
    m_query.reset();
}

void LedgerInsert::bindInteger(int index, qint64 value)
{
    if (m_native)
        m_native->bindInteger(index, value);
    else
        m_query->bindValue(index, value);
}

void LedgerInsert::bindInteger(int index, std::optional<qint64> value)
{
    if (value)
        bindInteger(index, *value);
    else if (m_native)
        m_native->bindNull(index);
    else
        m_query->bindValue(index, QVariant(QMetaType::fromType<qint64>()));
}

void LedgerInsert::bindText(int index, const QString &value)
{
    if (m_native)
        m_native->bindText(index, value.toUtf8());
    else
        m_query->bindValue(index, value.isNull() ? QString(u""_s) : value);
}

void LedgerInsert::bindText(int index, const QByteArray &utf8)
{
    if (m_native)
        m_native->bindText(index, utf8);
    else
        bindText(index, QString::fromUtf8(utf8));
}

void LedgerInsert::bindOptionalText(int index, const QString &value)
{
    if (value.isEmpty() && m_native)
        m_native->bindNull(index);
    else if (value.isEmpty())
        m_query->bindValue(index, QVariant(QMetaType::fromType<QString>()));
    else
        bindText(index, value);
}

void LedgerInsert::bindOptionalText(int index, const QByteArray &utf8)
{
    if (m_native && !utf8.isEmpty())
        m_native->bindText(index, utf8);
    else
        bindOptionalText(index, QString::fromUtf8(utf8));
}

void LedgerInsert::bindUtf8Text(int index, const QByteArray &utf8)
{
    if (utf8.isEmpty()) {
        if (m_native)
            m_native->bindNull(index);
        else
            m_query->bindValue(index, QVariant(QMetaType::fromType<QByteArray>()));
        return;
    }
    const bool valid = utf8.isValidUtf8();
    if (m_native)
        m_native->bindText(index, valid ? utf8 : QString::fromUtf8(utf8).toUtf8());
    else
        m_query->bindValue(index, valid ? QVariant(utf8) : QVariant(QString::fromUtf8(utf8)));
}

bool LedgerInsert::exec(QString *error)
{
    if (m_native ? m_native->exec() : m_query->exec())
        return true;
    *error = m_native ? m_native->lastError() : m_query->lastError().text();
    return false;
}
