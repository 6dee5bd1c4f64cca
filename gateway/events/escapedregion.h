#pragma once

#include "hintscanner.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// A stretch of text where a secret may be written with escapes (JSON \uXXXX, URL %XX, a word
// right after JSON's "\n"), decoded: the redactor runs its built-in patterns over each one too,
// and redacts the bytes a match was decoded from (see redactor.h).
struct EscapedRegion
{
    QByteArray decoded;
    QList<qsizetype> origin; // per decoded byte, the offset in the text it comes from; then the end

    // Where a span of `decoded` starts and ends in the text. A span that takes part of the UTF-8
    // bytes an escape decodes to takes the escape whole.
    qsizetype textStart(qsizetype start) const { return origin[start]; }
    qsizetype textEnd(qsizetype end) const;

    // The regions worth decoding, in offset order and apart. Most texts have none, and finding
    // that costs a memchr() pass for '%' and, after the first hint, one for each of '%' and '\'.
    // hits: the prefilter's, in which escapeHint tags ASCII \u escapes ("\u00" and 0 to 7).
    static QList<EscapedRegion> find(QByteArrayView text, const QList<HintScanner::Hit> &hits,
                                     int escapeHint);

    // Where an escape that ends right at `end` starts, or -1: a JSON escape of a control
    // character ("\n", "\t", ...: JSON text's new line), a JSON "\uXXXX" (for the second half of a
    // surrogate pair, where the first starts) or a URL "%XX" (the backslash not itself escaped). A
    // word may open after one of them ("\u300c" is a CJK bracket) though the byte before `end` is a
    // letter or a digit: the prefilter asks.
    static qsizetype escapeEndingAt(QByteArrayView text, qsizetype end);

private:
    static EscapedRegion decode(QByteArrayView text, qsizetype start, qsizetype end);
};
