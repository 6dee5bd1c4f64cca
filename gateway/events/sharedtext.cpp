#include "sharedtext.h"

#include <QCryptographicHash>

namespace {

constexpr QByteArrayView kNull = "null";
constexpr QByteArrayView kSystemNull = "\"system\":null";

} // namespace

QByteArray SharedText::digest(QByteArrayView json)
{
    return QCryptographicHash::hash(json, QCryptographicHash::Sha256).first(16).toHex();
}

QByteArray SharedText::cut(const QByteArray &preview, qsizetype at, qsizetype size)
{
    QByteArray stored;
    stored.reserve(preview.size() - size + kNull.size());
    stored.append(QByteArrayView(preview).first(at))
        .append(kNull)
        .append(QByteArrayView(preview).sliced(at + size));
    return stored;
}

QByteArray SharedText::restore(const QByteArray &stored, QByteArrayView json)
{
    const qsizetype at = json.isEmpty() ? -1 : stored.lastIndexOf(kSystemNull);
    if (at < 0)
        return stored;
    const qsizetype value = at + kSystemNull.size() - kNull.size();
    QByteArray preview;
    preview.reserve(stored.size() - kNull.size() + json.size());
    preview.append(QByteArrayView(stored).first(value))
        .append(json)
        .append(QByteArrayView(stored).sliced(value + kNull.size()));
    return preview;
}
