#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// How decoding a request body went; each failure has its own answer.
enum class DecodeError
{
    None,        // decoded
    Unsupported, // an encoding other than identity, gzip, x-gzip, deflate, or several: 415
    Corrupt,     // not valid data of its encoding: 400
    TooLarge,    // more than the bound once decoded: 413
};

// Undoes a request's Content-Encoding before its JSON is read.
class ContentDecoding
{
public:
    // The body decoded as `contentEncoding` says (case and surrounding spaces ignored; empty
    // means identity), with JSON padding room past its end (see ensureJsonPadding()). deflate
    // is taken zlib-wrapped, as HTTP says, or raw, as some clients send it. Inflating stops as
    // soon as the output passes maxDecodedBytes, so a decompression bomb costs at most that.
    // *why (when given) says how it went, None included.
    static std::optional<QByteArray> decode(const QByteArray &body, QByteArrayView contentEncoding,
                                            qint64 maxDecodedBytes, DecodeError *why);
};
