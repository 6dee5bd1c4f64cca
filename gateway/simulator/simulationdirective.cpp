#include "simulationdirective.h"

#include <QString>

#include <algorithm>

namespace {

void apply(SimulationDirective &directive, QStringView key, QStringView value)
{
    if (key == u"tps") {
        bool ok = false;
        const double rate = value.toDouble(&ok);
        // toDouble() accepts "inf", "nan" and exponents; the grammar promises digits only.
        const bool digits = std::all_of(value.begin(), value.end(),
                                        [](QChar c) { return c.isDigit() || c == u'.'; });
        if (ok && digits && rate >= 0)
            directive.tokensPerSecond = rate;
        return;
    }
    bool ok = false;
    const int number = value.toInt(&ok, 10);
    if (!ok || number < 0 || value.startsWith(u'+'))
        return;
    if (key == u"status") {
        if (number >= 400 && number <= 599)
            directive.status = number;
    } else if (key == u"header_delay_ms") {
        directive.headerDelayMs = number;
    } else if (key == u"first_token_ms") {
        directive.firstTokenMs = number;
    } else if (key == u"tokens") {
        directive.tokens = number;
    } else if (key == u"cut_after") {
        directive.cutAfter = number;
    } else if (key == u"garble_after") {
        directive.garbleAfter = number;
    } else if (key == u"stall_after") {
        directive.stallAfter = number;
    } else if (key == u"stall_ms") {
        directive.stallMs = number;
    } else if (key == u"cached") {
        directive.cached = number;
    } else if (key == u"cache_write") {
        directive.cacheWrite = number;
    } else if (key == u"reasoning") {
        directive.reasoning = number;
    } else if (key == u"error_after") {
        directive.errorAfter = number;
    } else if (key == u"close_delay_ms") {
        directive.closeDelayMs = number;
    }
}

} // namespace

SimulationDirective SimulationDirective::parse(QStringView text)
{
    SimulationDirective directive;
    static constexpr QStringView opening = u"[[sim";
    qsizetype from = 0;
    while ((from = text.indexOf(opening, from)) >= 0) {
        const qsizetype bodyStart = from + opening.size();
        const qsizetype end = text.indexOf(u"]]", bodyStart);
        if (end < 0)
            break;
        const QStringView body = text.sliced(bodyStart, end - bodyStart);
        // "[[simulate]]" is not a directive: the keyword must end where the pairs begin.
        if (!body.isEmpty() && !body.front().isSpace()) {
            from = bodyStart;
            continue;
        }
        qsizetype i = 0;
        while (i < body.size()) {
            while (i < body.size() && body[i].isSpace())
                ++i;
            const qsizetype wordStart = i;
            while (i < body.size() && !body[i].isSpace())
                ++i;
            const QStringView pair = body.sliced(wordStart, i - wordStart);
            const qsizetype equals = pair.indexOf(u'=');
            if (equals > 0)
                apply(directive, pair.first(equals), pair.sliced(equals + 1));
        }
        from = end + 2;
    }
    return directive;
}
