#include "protocol/contentdecoding.h"

#include "protocol/bodyinflater.h"
#include "protocol/paddedjson.h"

#include <limits>

namespace {

// The body goes to the inflater a slice at a time and the bound is checked after each: zlib
// expands a slice at most ~1000 times, so a decompression bomb costs the bound plus ~4 MiB.
constexpr qsizetype kSlice = 4096;

} // namespace

std::optional<QByteArray> ContentDecoding::decode(const QByteArray &body,
                                                  QByteArrayView contentEncoding,
                                                  qint64 maxDecodedBytes, DecodeError *why)
{
    DecodeError ignored;
    if (!why)
        why = &ignored;
    *why = DecodeError::None;
    // Bounded so that the sums below cannot overflow.
    const qsizetype limit =
        qBound<qsizetype>(0, maxDecodedBytes, std::numeric_limits<qsizetype>::max() / 4);
    const std::unique_ptr<BodyInflater> inflater = BodyInflater::forEncoding(contentEncoding);
    if (!inflater) { // identity
        if (body.size() > limit) {
            *why = DecodeError::TooLarge;
            return std::nullopt;
        }
        QByteArray decoded = body;
        ensureJsonPadding(decoded);
        return decoded;
    }
    if (!inflater->supported()) {
        *why = DecodeError::Unsupported;
        return std::nullopt;
    }
    // A first guess at the decoded size: JSON compresses about 5 to 10 times.
    QByteArray decoded;
    decoded.reserve(qMin(qMax<qsizetype>(4096, body.size() * 8), limit + 1) + JsonPadding);
    QByteArray piece;
    for (qsizetype at = 0; at < body.size(); at += kSlice) {
        if (!inflater->inflate(QByteArrayView(body).sliced(at, qMin(kSlice, body.size() - at)),
                               &piece)) {
            *why = DecodeError::Corrupt;
            return std::nullopt;
        }
        if (decoded.size() + piece.size() > limit) {
            *why = DecodeError::TooLarge;
            return std::nullopt;
        }
        decoded += piece;
    }
    if (!inflater->finished()) { // the body ended before the encoded stream did
        *why = DecodeError::Corrupt;
        return std::nullopt;
    }
    ensureJsonPadding(decoded);
    return decoded;
}
