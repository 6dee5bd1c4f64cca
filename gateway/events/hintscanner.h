#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <array>

// Finds in one pass every place where one of a set of short literals starts (ASCII
// case-insensitive): the redactor's prefilter, so that each pattern only runs where it can match.
// Every literal has at least 3 bytes, so every one spans a pair of bytes at an even offset and
// the scan looks at every other offset only (a two-byte Wu-Manber step).
class HintScanner
{
public:
    struct Hit
    {
        qsizetype offset;
        int tag;
        // Where an escape right before the hit starts ("\n", "\u300c", "%8C"; see add()), or -1.
        qsizetype escapeBefore;
    };

    // literal: at least 3 bytes; tag: what a hit on it reports. wordStart: only where the byte
    // before is not a letter, digit or '_' (the literal opens a word, as \b in a regex), or
    // right after an escape: a JSON control escape such as "\n" (in JSON text, a word opens
    // there too), a JSON "\uXXXX" or a URL "%XX" (whether a word opens there shows once the
    // escape is decoded: the hit says where it starts).
    // followedBy: when not empty, only where one of these bytes comes right after the literal.
    void add(QByteArrayView literal, int tag, bool wordStart = false,
             QByteArrayView followedBy = {});
    // Hits in offset order.
    QList<Hit> scan(QByteArrayView text) const;

private:
    struct Literal
    {
        QByteArray lower;
        int tag;
        bool wordStart;
        QByteArray followedBy;
    };
    struct Entry
    {
        int literal;
        int at; // the pair's offset in the literal: 0 or 1
    };
    void index(uchar first, uchar second, Entry entry);

    QList<Literal> m_literals;
    // For the two bytes at a step, read as one little-endian 16-bit word: the bucket (index + 1,
    // 0 for none) of the literals that hold them, in any case, at offset 0 or 1. One load per
    // step; text is mostly printable ASCII, so the part of the table in use stays in the L1 cache.
    std::array<quint8, 65536> m_bucketOf{};
    QList<QList<Entry>> m_buckets;
};
