#pragma once

#include <QSet>
#include <QStringList>

// Brings a list of rows, known by their keys, to a new list in place: removes the rows whose key
// is gone (a run at a time, from the bottom), then inserts the new ones where they belong, so
// that views keep their selection, expansion and scroll position across refreshes. Kept rows
// must come in the same relative order in both lists (sorted by something that does not
// change, such as a start time); when they do not, every row is removed and inserted anew.
// remove(first, last) and insert(row, indexInNext) change the model and emit its signals.
namespace KeyedRows {

template<typename Remove, typename Insert>
void reconcile(QStringList current, const QStringList &next, Remove remove, Insert insert)
{
    const QSet<QString> wanted(next.cbegin(), next.cend());
    for (qsizetype last = current.size() - 1; last >= 0;) {
        if (wanted.contains(current.at(last))) {
            --last;
            continue;
        }
        qsizetype first = last;
        while (first > 0 && !wanted.contains(current.at(first - 1)))
            --first;
        remove(int(first), int(last));
        current.remove(first, last - first + 1);
        last = first - 1;
    }
    // The kept rows must be a subsequence of next, in order.
    bool ordered = true;
    qsizetype position = 0;
    for (const QString &key : std::as_const(current)) {
        position = next.indexOf(key, position);
        if (position < 0) {
            ordered = false;
            break;
        }
        ++position;
    }
    if (!ordered) {
        remove(0, int(current.size()) - 1);
        current.clear();
    }
    for (qsizetype i = 0; i < next.size(); ++i) {
        if (i < current.size() && current.at(i) == next.at(i))
            continue;
        insert(int(i), int(i));
        current.insert(i, next.at(i));
    }
}

} // namespace KeyedRows
