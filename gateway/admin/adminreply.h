#pragma once

#include <QJsonObject>
#include <QString>

// An admin API answer: a status and a JSON document, or an error in the gateway's shape.
struct AdminReply
{
    int status = 200;
    QJsonValue body;
    QString error; // set: the body is {"error": {...}}
    QByteArray code;

    static AdminReply ok(QJsonValue body, int status = 200)
    {
        return {status, std::move(body), {}, {}};
    }
    static AdminReply failure(int status, QString message, QByteArray code)
    {
        return {status, {}, std::move(message), std::move(code)};
    }
    bool failed() const { return !error.isEmpty(); }
};
