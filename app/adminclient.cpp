#include "adminclient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

namespace {

constexpr int kTimeoutMs = 15'000;

QString pathPart(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

AdminClient::AdminClient(const AdminEndpoint &endpoint)
    : m_endpoint(endpoint)
{
    m_network.setProxy(QNetworkProxy::NoProxy); // the admin API answers loopback peers only
}

std::optional<QString> AdminClient::openExecution(const QString &flow, const QString &principal,
                                                  const QString &command, QString *error)
{
    QJsonObject request;
    if (!flow.isEmpty())
        request.insert(QStringLiteral("flow"), flow);
    if (!principal.isEmpty())
        request.insert(QStringLiteral("principal"), principal);
    request.insert(QStringLiteral("command"), command);
    const auto answer = call("POST", QStringLiteral("/admin/v1/executions"), request, error);
    if (!answer)
        return std::nullopt;
    const QString id = answer->value(QStringLiteral("id")).toString();
    if (id.isEmpty()) {
        *error = QStringLiteral("the admin API opened an execution without an id");
        return std::nullopt;
    }
    return id;
}

bool AdminClient::closeExecution(const QString &id, int exitStatus, QString *error)
{
    QJsonObject request;
    request.insert(QStringLiteral("exitStatus"), exitStatus);
    return call("POST", QStringLiteral("/admin/v1/executions/%1/close").arg(pathPart(id)), request,
                error)
        .has_value();
}

std::optional<MintedCredential> AdminClient::mintCredential(const QJsonObject &request,
                                                            QString *error)
{
    const auto answer = call("POST", QStringLiteral("/admin/v1/credentials"), request, error);
    if (!answer)
        return std::nullopt;
    auto minted = MintedCredential::fromJson(*answer);
    if (!minted)
        *error = QStringLiteral("the admin API answered with an incomplete credential");
    return minted;
}

bool AdminClient::revokeCredential(const QString &id, QString *error)
{
    return call("DELETE", QStringLiteral("/admin/v1/credentials/%1").arg(pathPart(id)), {}, error)
        .has_value();
}

std::optional<QJsonObject> AdminClient::call(const QByteArray &verb, const QString &path,
                                             const QJsonObject &body, QString *error)
{
    QNetworkRequest request(QUrl(m_endpoint.url.toString() + path));
    request.setRawHeader("Authorization", "Bearer " + m_endpoint.token);
    // gatehouse exec calls again only when its child ends, maybe hours later: by then a kept-alive
    // connection would have been closed by the server's idle timeout under QNAM's feet.
    request.setRawHeader("Connection", "close");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(kTimeoutMs);
    const QByteArray payload =
        body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    std::unique_ptr<QNetworkReply> reply(m_network.sendCustomRequest(request, verb, payload));
    if (!reply->isFinished()) {
        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
    }

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        *error = QStringLiteral("Gatehouse is not reachable at %1 (from %2): %3")
                     .arg(m_endpoint.url.toString(), m_endpoint.origin, reply->errorString());
        return std::nullopt;
    }
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    if (status.toInt() >= 300) {
        const QJsonObject problem = answer.value(QStringLiteral("error")).toObject();
        const QString code = problem.value(QStringLiteral("code")).toString();
        *error = QStringLiteral("%1 %2 refused: %3 %4%5")
                     .arg(QString::fromLatin1(verb), path)
                     .arg(status.toInt())
                     .arg(code.isEmpty() ? QString() : code + QStringLiteral(": "),
                          problem.value(QStringLiteral("message")).toString());
        if (status.toInt() == 401)
            *error += QStringLiteral(" (is the admin token that of the Gatehouse at %1?)")
                          .arg(m_endpoint.url.toString());
        return std::nullopt;
    }
    return answer;
}
