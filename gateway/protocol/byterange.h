#pragma once

#include <QtGlobal>

// A run of bytes inside a request body, for splicing edits into it.
struct ByteRange
{
    qsizetype offset = -1; // -1: absent
    qsizetype length = 0;

    bool isNull() const { return offset < 0; }
    qsizetype end() const { return offset + length; }
    bool operator==(const ByteRange &) const = default;
};
