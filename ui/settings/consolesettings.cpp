#include "consolesettings.h"

#include "config/configuration.h"
#include "events/redactor.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace {

const QString kListenHost = u"listen/host"_s;
const QString kListenPort = u"listen/port"_s;
const QString kDataDir = u"storage/dataDir"_s;
const QString kDatabase = u"storage/database"_s;
const QString kRetentionDays = u"events/retentionDays"_s;
const QString kMaxStoredBytes = u"events/maxStoredBytes"_s;
const QString kCaptureFullBodies = u"events/captureFullBodies"_s;
const QString kRedactionPatterns = u"events/redactionPatterns"_s;
const QString kLanguage = u"console/language"_s;

constexpr qint64 kMinStoredBytes = qint64(1) << 20; // the configuration file's lower bound

} // namespace

ConsoleSettings::ConsoleSettings()
    : m_settings(u"Gatehouse"_s, u"Gatehouse"_s)
{}

std::optional<QString> ConsoleSettings::listenHost() const
{
    const QString host = m_settings.value(kListenHost).toString();
    return host.isEmpty() ? std::nullopt : std::optional(host);
}

void ConsoleSettings::setListenHost(const QString &host)
{
    m_settings.setValue(kListenHost, host);
}

std::optional<quint16> ConsoleSettings::listenPort() const
{
    bool ok = false;
    const int port = m_settings.value(kListenPort).toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return std::nullopt;
    return quint16(port);
}

void ConsoleSettings::setListenPort(quint16 port)
{
    m_settings.setValue(kListenPort, int(port));
}

std::optional<QString> ConsoleSettings::dataDir() const
{
    const QString directory = m_settings.value(kDataDir).toString();
    return directory.isEmpty() ? std::nullopt : std::optional(directory);
}

void ConsoleSettings::setDataDir(const QString &directory)
{
    m_settings.setValue(kDataDir, directory);
}

QString ConsoleSettings::database() const
{
    return m_settings.value(kDatabase).toString();
}

void ConsoleSettings::setDatabase(const QString &database)
{
    if (database.isEmpty()) {
        m_settings.remove(kDatabase);
        return;
    }
    m_settings.setValue(kDatabase, database);
    if (database == kEmbeddedDatabase)
        return;
    // The URL may carry the database's password: the file becomes the owner's alone, like the
    // admin token.
    m_settings.sync();
    QFile::setPermissions(m_settings.fileName(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

std::optional<int> ConsoleSettings::retentionDays() const
{
    bool ok = false;
    const int days = m_settings.value(kRetentionDays).toInt(&ok);
    if (!ok || days < 1)
        return std::nullopt;
    return days;
}

void ConsoleSettings::setRetentionDays(int days)
{
    m_settings.setValue(kRetentionDays, days);
}

std::optional<qint64> ConsoleSettings::maxStoredBytes() const
{
    bool ok = false;
    const qint64 bytes = m_settings.value(kMaxStoredBytes).toLongLong(&ok);
    if (!ok || bytes < kMinStoredBytes)
        return std::nullopt;
    return bytes;
}

void ConsoleSettings::setMaxStoredBytes(qint64 bytes)
{
    m_settings.setValue(kMaxStoredBytes, bytes);
}

std::optional<QList<RedactionPattern>> ConsoleSettings::redactionPatterns() const
{
    // An empty list is a choice too (no patterns of the operator's), told apart by its size key.
    if (!m_settings.contains(kRedactionPatterns + u"/size"_s))
        return std::nullopt;
    QList<RedactionPattern> patterns;
    const int count = m_settings.beginReadArray(kRedactionPatterns);
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        patterns.append(
            {m_settings.value(u"name"_s).toString(), m_settings.value(u"regex"_s).toString()});
    }
    m_settings.endArray();
    return patterns;
}

void ConsoleSettings::setRedactionPatterns(const QList<RedactionPattern> &patterns)
{
    m_settings.remove(kRedactionPatterns);
    m_settings.beginWriteArray(kRedactionPatterns, int(patterns.size()));
    for (int i = 0; i < patterns.size(); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(u"name"_s, patterns.at(i).name);
        m_settings.setValue(u"regex"_s, patterns.at(i).regex);
    }
    m_settings.endArray();
}

std::optional<bool> ConsoleSettings::captureFullBodies() const
{
    if (!m_settings.contains(kCaptureFullBodies))
        return std::nullopt;
    return m_settings.value(kCaptureFullBodies).toBool();
}

void ConsoleSettings::setCaptureFullBodies(bool capture)
{
    m_settings.setValue(kCaptureFullBodies, capture);
}

QString ConsoleSettings::language() const
{
    return m_settings.value(kLanguage).toString();
}

void ConsoleSettings::setLanguage(const QString &language)
{
    if (language.isEmpty())
        m_settings.remove(kLanguage);
    else
        m_settings.setValue(kLanguage, language);
}

void ConsoleSettings::applyTo(Configuration *configuration) const
{
    if (const auto host = listenHost())
        configuration->listenHost = *host;
    if (const auto port = listenPort())
        configuration->listenPort = *port;
    if (const auto directory = dataDir())
        configuration->dataDir = *directory;
    if (const QString url = database(); url == kEmbeddedDatabase) {
        configuration->database = DatabaseLocation(); // ledger.sqlite in the data directory
    } else if (!url.isEmpty()) {
        QString error;
        if (const auto location = DatabaseLocation::parse(url, &error))
            configuration->database = *location;
        else // error never contains the password
            qWarning("gatehouse: ignoring the database saved in Settings: %s", qPrintable(error));
    }
    EventSettings &events = configuration->events;
    if (const auto days = retentionDays())
        events.retentionDays = *days;
    if (const auto bytes = maxStoredBytes())
        events.maxStoredBytes = *bytes;
    if (const auto capture = captureFullBodies())
        events.captureFullBodies = *capture;
    if (const auto patterns = redactionPatterns()) {
        events.redactionPatterns.clear();
        for (const RedactionPattern &pattern : *patterns) {
            QString error;
            if (Redactor::validate(pattern, &error))
                events.redactionPatterns.append(pattern);
        }
    }
}

void ConsoleSettings::sync()
{
    m_settings.sync();
}
