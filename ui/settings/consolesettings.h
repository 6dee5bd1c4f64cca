#pragma once

#include "events/redactionpattern.h"

#include <QList>
#include <QSettings>
#include <QString>

#include <optional>

struct Configuration;

// What the operator set in the console's Settings (QSettings, organization and application
// "Gatehouse"): each value is either set here or left to the configuration file. Read at start,
// over the file and under the command-line flags; a change applies at the next start.
class ConsoleSettings
{
public:
    ConsoleSettings();

    std::optional<QString> listenHost() const;
    void setListenHost(const QString &host);
    std::optional<quint16> listenPort() const;
    void setListenPort(quint16 port);
    std::optional<QString> dataDir() const;
    void setDataDir(const QString &directory);
    // The database as saved: empty (nothing saved: the configuration file's database, else
    // ledger.sqlite in the data directory), kEmbeddedDatabase (ledger.sqlite in the data
    // directory, whatever the file says), or the team database's URL (with its password, if one
    // was typed: the gateway needs it).
    static inline const QString kEmbeddedDatabase = QStringLiteral("embedded");
    QString database() const;
    void setDatabase(const QString &database);
    std::optional<int> retentionDays() const;
    void setRetentionDays(int days);
    std::optional<qint64> maxStoredBytes() const;
    void setMaxStoredBytes(qint64 bytes);
    // The operator's patterns; they replace the configuration file's (built-ins always apply).
    std::optional<QList<RedactionPattern>> redactionPatterns() const;
    void setRedactionPatterns(const QList<RedactionPattern> &patterns);
    std::optional<bool> captureFullBodies() const;
    void setCaptureFullBodies(bool capture);
    // "" follows the system, else "en" or "de".
    QString language() const;
    void setLanguage(const QString &language);

    // Overrides configuration with every value set here; the others stay as they are. A stored
    // value out of range or a database URL that does not parse (a hand-edited file) is ignored,
    // the URL with a warning: the gateway would otherwise start on a store nobody chose.
    void applyTo(Configuration *configuration) const;

    // Written to disk now (QSettings otherwise writes later, from the event loop).
    void sync();

private:
    mutable QSettings m_settings; // arrays are read by entering them, which is not const
};
