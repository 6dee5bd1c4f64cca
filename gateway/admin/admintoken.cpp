#include "admin/admintoken.h"

#include "policy/secrettoken.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

QString AdminToken::fileName(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"admin-token"_s);
}

std::optional<QByteArray> AdminToken::ensure(const QString &dataDir, QString *error)
{
    const QString path = fileName(dataDir);
    QFile existing(path);
    if (existing.exists()) {
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                                QFileDevice::WriteGroup | QFileDevice::WriteOther;
        if (existing.permissions() & others) {
            *error = u"%1 is readable or writable by other users: chmod 600 it"_s.arg(path);
            return std::nullopt;
        }
        if (!existing.open(QIODevice::ReadOnly)) {
            *error = u"cannot read %1: %2"_s.arg(path, existing.errorString());
            return std::nullopt;
        }
        const QByteArray token = existing.readAll().trimmed();
        if (token.size() >= 32)
            return token;
        *error = u"%1 holds no usable token (delete it to make a new one)"_s.arg(path);
        return std::nullopt;
    }
    const QByteArray token = SecretToken::generate().text("ghadm");
    QSaveFile file(path);
    // The permissions are set before any byte of the token is written.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(token + '\n') != token.size() + 1 || !file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    return token;
}
