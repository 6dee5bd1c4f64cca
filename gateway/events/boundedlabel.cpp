#include "boundedlabel.h"

QByteArray BoundedLabel::operator()(const QByteArray &value)
{
    if (m_admitted.contains(value))
        return value;
    if (m_admitted.size() >= m_limit)
        return QByteArrayLiteral("other");
    m_admitted.insert(value);
    return value;
}
