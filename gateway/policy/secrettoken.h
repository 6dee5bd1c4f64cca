#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

// The bearer secrets Gatehouse issues: "<prefix>_<16 hex id>_<43 base64url secret>". The id is
// public (it names the credential in lists and logs); only SHA-256 of the secret is stored, and
// it is compared in constant time.
struct SecretToken
{
    QString id;        // the 16 hex digits
    QByteArray secret; // the part after the id

    static SecretToken generate();
    QByteArray text(QByteArrayView prefix) const;
    // The parts of a token with this prefix, or nothing when it is not one.
    static std::optional<SecretToken> parse(QByteArrayView token, QByteArrayView prefix);

    static QByteArray digestHex(QByteArrayView secret);
    // Equal digests (hex text of equal length), in time that does not depend on where they differ.
    static bool sameDigest(QByteArrayView a, QByteArrayView b);
};
