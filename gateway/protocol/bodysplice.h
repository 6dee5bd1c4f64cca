#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// Edits to a body (replace a byte range, insert at an offset), applied in one pass into one new
// allocation: the bytes outside the edits are copied as they are, never re-serialised.
class BodySplice
{
public:
    void replace(qsizetype offset, qsizetype length, const QByteArray &replacement);
    void insert(qsizetype offset, const QByteArray &text) { replace(offset, 0, text); }

    bool isEmpty() const { return m_edits.isEmpty(); }

    // The source with every edit applied. Edits may be added in any order; insertions at the
    // start of a replaced range go before it. A null QByteArray when edits overlap or reach
    // outside the source.
    QByteArray apply(QByteArrayView source) const;

private:
    struct Edit
    {
        qsizetype offset;
        qsizetype length;
        QByteArray replacement;
    };
    QList<Edit> m_edits;
};
