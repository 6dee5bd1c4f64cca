#include "sqlscript.h"

namespace SqlScript {

QStringList statements(const QString &script)
{
    QStringList result;
    QString current;
    const auto finish = [&] {
        const QString statement = current.trimmed();
        if (!statement.isEmpty())
            result.append(statement);
        current.clear();
    };

    const qsizetype size = script.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < size ? script.at(i + 1) : QChar();
        if (c == u'-' && next == u'-') {
            while (i < size && script.at(i) != u'\n')
                ++i;
            current.append(u'\n');
        } else if (c == u'/' && next == u'*') {
            const qsizetype end = script.indexOf(u"*/", i + 2);
            i = end < 0 ? size : end + 1;
            current.append(u' ');
        } else if (c == u'\'' || c == u'"') {
            // Quotes are escaped by doubling them, which this loop handles as two strings.
            const qsizetype end = script.indexOf(c, i + 1);
            const qsizetype stop = end < 0 ? size : end + 1;
            current.append(QStringView(script).sliced(i, stop - i));
            i = stop - 1;
        } else if (c == u';') {
            finish();
        } else {
            current.append(c);
        }
    }
    finish();
    return result;
}

} // namespace SqlScript
