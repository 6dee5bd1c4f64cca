#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

// Where the running Gatehouse's admin API is and the token it takes, as the command line finds
// them: --url, else GATEHOUSE_URL, else <data dir>/listen-url; GATEHOUSE_ADMIN_TOKEN, else
// <data dir>/admin-token.
struct AdminEndpoint
{
    QUrl url;         // e.g. http://127.0.0.1:8787, no trailing slash
    QByteArray token; // the admin bearer token
    QString origin;   // where the URL came from, for messages: "--url", "GATEHOUSE_URL" or a path

    static std::optional<AdminEndpoint> locate(const QString &dataDir, const QString &urlOption,
                                               QString *error);
};
