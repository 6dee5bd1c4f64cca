#include "protocol/bodysplice.h"

#include <algorithm>
#include <cstring>

void BodySplice::replace(qsizetype offset, qsizetype length, const QByteArray &replacement)
{
    m_edits.append({offset, length, replacement});
}

QByteArray BodySplice::apply(QByteArrayView source) const
{
    QList<Edit> edits = m_edits;
    std::stable_sort(edits.begin(), edits.end(), [](const Edit &a, const Edit &b) {
        return a.offset < b.offset || (a.offset == b.offset && a.length == 0 && b.length > 0);
    });

    qsizetype size = source.size();
    qsizetype covered = 0; // end of the previous edit: edits must not reach back before it
    for (const Edit &edit : std::as_const(edits)) {
        if (edit.offset < covered || edit.length < 0 || edit.offset + edit.length > source.size())
            return {};
        covered = edit.offset + edit.length;
        size += edit.replacement.size() - edit.length;
    }

    QByteArray result(size, Qt::Uninitialized);
    char *out = result.data();
    qsizetype from = 0;
    const auto copy = [&out](const char *bytes, qsizetype count) {
        if (count == 0)
            return; // bytes may be null (an empty source or replacement)
        std::memcpy(out, bytes, size_t(count));
        out += count;
    };
    for (const Edit &edit : std::as_const(edits)) {
        copy(source.data() + from, edit.offset - from);
        copy(edit.replacement.constData(), edit.replacement.size());
        from = edit.offset + edit.length;
    }
    copy(source.data() + from, source.size() - from);
    return result;
}
