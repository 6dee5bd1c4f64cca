#include "adminendpoint.h"

#include <QDir>
#include <QFile>

namespace {

// The first line of a small file the server wrote, or nothing when it is absent or empty.
std::optional<QByteArray> firstLine(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray line = file.read(4096).split('\n').first().trimmed();
    if (line.isEmpty())
        return std::nullopt;
    return line;
}

} // namespace

std::optional<AdminEndpoint> AdminEndpoint::locate(const QString &dataDir, const QString &urlOption,
                                                   QString *error)
{
    const QDir dir(dataDir);
    AdminEndpoint endpoint;
    QString urlText;
    if (!urlOption.isEmpty()) {
        urlText = urlOption;
        endpoint.origin = QStringLiteral("--url");
    } else if (qEnvironmentVariableIsSet("GATEHOUSE_URL")) {
        urlText = qEnvironmentVariable("GATEHOUSE_URL");
        endpoint.origin = QStringLiteral("GATEHOUSE_URL");
    } else {
        endpoint.origin = dir.filePath(QStringLiteral("listen-url"));
        const auto line = firstLine(endpoint.origin);
        if (!line) {
            *error = QStringLiteral("Gatehouse is not running: no %1 (start gatehouse, or pass "
                                    "--data-dir, --url or GATEHOUSE_URL)")
                         .arg(endpoint.origin);
            return std::nullopt;
        }
        urlText = QString::fromUtf8(*line);
    }
    while (urlText.endsWith(u'/'))
        urlText.chop(1);
    endpoint.url = QUrl(urlText, QUrl::StrictMode);
    if (!endpoint.url.isValid() || endpoint.url.host().isEmpty() ||
        (endpoint.url.scheme() != QLatin1String("http") &&
         endpoint.url.scheme() != QLatin1String("https"))) {
        *error = QStringLiteral("not an http URL: \"%1\" (from %2)").arg(urlText, endpoint.origin);
        return std::nullopt;
    }

    if (qEnvironmentVariableIsSet("GATEHOUSE_ADMIN_TOKEN")) {
        endpoint.token = qgetenv("GATEHOUSE_ADMIN_TOKEN").trimmed();
    } else {
        const QString tokenPath = dir.filePath(QStringLiteral("admin-token"));
        const auto line = firstLine(tokenPath);
        if (!line) {
            *error = QStringLiteral("no admin token: cannot read %1 (pass the running Gatehouse's "
                                    "--data-dir, or set GATEHOUSE_ADMIN_TOKEN)")
                         .arg(tokenPath);
            return std::nullopt;
        }
        endpoint.token = *line;
    }
    return endpoint;
}
