#include "httphandler.h"

#include "httpexchange.h"

#include <QJsonDocument>
#include <QJsonObject>

void HttpHandler::reject(HttpExchange *exchange, int status, const QByteArray &reason)
{
    const QJsonObject error{{QStringLiteral("message"), QString::fromLatin1(reason)},
                            {QStringLiteral("type"), QStringLiteral("invalid_request_error")}};
    exchange->respond(status,
                      {{QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")}},
                      QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
                          .toJson(QJsonDocument::Compact));
}
