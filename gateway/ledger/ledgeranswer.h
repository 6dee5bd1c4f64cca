#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

// A finished ledger query, ready to send: a JSON document or an export's bytes, or why it
// failed. Made on the reader thread, handed to the asking thread as a value.
struct LedgerAnswer
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    qint64 rows = 0;        // exports: rows in the body
    bool truncated = false; // exports: more rows matched than the body may carry
    QString error;          // set: status is an error status, body is empty
    QByteArray code;        // the error's code

    static LedgerAnswer failure(int status, QString message, QByteArray code)
    {
        LedgerAnswer answer;
        answer.status = status;
        answer.error = std::move(message);
        answer.code = std::move(code);
        return answer;
    }
    bool failed() const { return !error.isEmpty(); }
};

Q_DECLARE_METATYPE(LedgerAnswer)
