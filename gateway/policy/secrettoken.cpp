#include "policy/secrettoken.h"

#include "policy/sha256.h"
#include <QRandomGenerator>

namespace {

constexpr qsizetype kIdHexDigits = 16;
constexpr qsizetype kSecretBytes = 32;

bool isHex(QByteArrayView text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

bool isBase64Url(QByteArrayView text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

} // namespace

SecretToken SecretToken::generate()
{
    QRandomGenerator *random = QRandomGenerator::system();
    QByteArray id(kIdHexDigits / 2, Qt::Uninitialized);
    random->fillRange(reinterpret_cast<quint32 *>(id.data()), id.size() / 4);
    QByteArray secret(kSecretBytes, Qt::Uninitialized);
    random->fillRange(reinterpret_cast<quint32 *>(secret.data()), secret.size() / 4);
    return SecretToken{
        QString::fromLatin1(id.toHex()),
        secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)};
}

QByteArray SecretToken::text(QByteArrayView prefix) const
{
    return prefix.toByteArray() + '_' + id.toLatin1() + '_' + secret;
}

std::optional<SecretToken> SecretToken::parse(QByteArrayView token, QByteArrayView prefix)
{
    const qsizetype idStart = prefix.size() + 1;
    const qsizetype secretStart = idStart + kIdHexDigits + 1;
    if (token.size() <= secretStart || token.size() > secretStart + 64 ||
        !token.startsWith(prefix) || token.at(prefix.size()) != '_' ||
        token.at(secretStart - 1) != '_')
        return std::nullopt;
    const QByteArrayView id = token.sliced(idStart, kIdHexDigits);
    const QByteArrayView secret = token.sliced(secretStart);
    if (!isHex(id) || !isBase64Url(secret))
        return std::nullopt;
    return SecretToken{QString::fromLatin1(id), secret.toByteArray()};
}

QByteArray SecretToken::digestHex(QByteArrayView secret)
{
    return sha256(secret).toHex();
}

bool SecretToken::sameDigest(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false; // digest lengths are public
    quint32 difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= quint8(a.at(i) ^ b.at(i));
    return difference == 0;
}
