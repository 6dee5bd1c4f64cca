#include "protocol/contentdecoding.h"

#include "protocol/paddedjson.h"

#define ZLIB_CONST // next_in points at the body, which is const
#include <zlib.h>

#include <climits>
#include <limits>

namespace {

enum class Format
{
    Gzip,
    Zlib,
    RawDeflate
};

// zlib's windowBits for each format: 15 is the largest window, +16 reads a gzip wrapper, a
// negative value no wrapper at all.
int windowBits(Format format)
{
    switch (format) {
    case Format::Gzip:
        return 16 + MAX_WBITS;
    case Format::Zlib:
        return MAX_WBITS;
    case Format::RawDeflate:
        return -MAX_WBITS;
    }
    return MAX_WBITS;
}

class Inflater
{
public:
    explicit Inflater(Format format)
        : m_ok(inflateInit2(&m_stream, windowBits(format)) == Z_OK)
    {}
    ~Inflater()
    {
        if (m_ok)
            inflateEnd(&m_stream);
    }
    Inflater(const Inflater &) = delete;
    Inflater &operator=(const Inflater &) = delete;

    // Inflates all of `input` into `output` (its whole size is usable), growing it up to
    // `limit` bytes; *produced is the decoded size.
    std::optional<DecodeError> run(QByteArrayView input, QByteArray &output, qsizetype limit,
                                   qsizetype *produced);

private:
    z_stream m_stream{};
    bool m_ok;
};

std::optional<DecodeError> Inflater::run(QByteArrayView input, QByteArray &output, qsizetype limit,
                                         qsizetype *produced)
{
    if (!m_ok)
        return DecodeError::Corrupt;
    qsizetype consumed = 0;
    qsizetype written = 0;
    // The bytes after an output chunk's end are kept free for the JSON padding.
    const auto usable = [&output] { return output.size() - JsonPadding; };
    for (;;) {
        if (written == usable()) {
            if (usable() > limit)
                return DecodeError::TooLarge;
            // One byte past the limit is enough to know the body is too large.
            output.resize(qMin(usable() * 2, limit + 1) + JsonPadding);
        }
        const qsizetype inputChunk = qMin<qsizetype>(input.size() - consumed, UINT_MAX);
        const qsizetype outputChunk = qMin<qsizetype>(usable() - written, UINT_MAX);
        m_stream.next_in = reinterpret_cast<const Bytef *>(input.data() + consumed);
        m_stream.avail_in = uInt(inputChunk);
        m_stream.next_out = reinterpret_cast<Bytef *>(output.data() + written);
        m_stream.avail_out = uInt(outputChunk);
        const int status = inflate(&m_stream, Z_NO_FLUSH);
        consumed += inputChunk - qsizetype(m_stream.avail_in);
        written += outputChunk - qsizetype(m_stream.avail_out);
        *produced = written;
        if (written > limit)
            return DecodeError::TooLarge;
        if (status == Z_STREAM_END) {
            if (consumed == input.size())
                return std::nullopt;
            // gzip allows several members one after another (RFC 1952); they decode as one.
            if (inflateReset(&m_stream) != Z_OK)
                return DecodeError::Corrupt;
            continue;
        }
        if (status == Z_BUF_ERROR && consumed == input.size() && written < usable())
            return DecodeError::Corrupt; // the input ended before the stream did
        if (status != Z_OK && status != Z_BUF_ERROR)
            return DecodeError::Corrupt;
    }
}

std::optional<QByteArray> inflateBody(const QByteArray &body, Format format, qsizetype limit,
                                      DecodeError *why)
{
    // A first guess at the decoded size, grown by doubling: JSON compresses about 5 to 10 times.
    const qsizetype guess = qMin(qMax<qsizetype>(4096, body.size() * 8), limit + 1);
    QByteArray output(guess + JsonPadding, Qt::Uninitialized);
    qsizetype produced = 0;
    Inflater inflater(format);
    if (const std::optional<DecodeError> error = inflater.run(body, output, limit, &produced)) {
        // HTTP's deflate is zlib-wrapped, but some clients send it raw.
        if (format == Format::Zlib && *error == DecodeError::Corrupt)
            return inflateBody(body, Format::RawDeflate, limit, why);
        *why = *error;
        return std::nullopt;
    }
    output.resize(produced); // the allocation, padding included, stays
    ensureJsonPadding(output);
    return output;
}

} // namespace

std::optional<QByteArray> ContentDecoding::decode(const QByteArray &body,
                                                  QByteArrayView contentEncoding,
                                                  qint64 maxDecodedBytes, DecodeError *why)
{
    DecodeError ignored;
    if (!why)
        why = &ignored;
    *why = DecodeError::None;
    // Bounded so that doubling the buffer cannot overflow.
    const qsizetype limit =
        qBound<qsizetype>(0, maxDecodedBytes, std::numeric_limits<qsizetype>::max() / 4);
    const QByteArrayView encoding = contentEncoding.trimmed();
    const auto is = [&encoding](QByteArrayView name) {
        return encoding.compare(name, Qt::CaseInsensitive) == 0;
    };
    if (encoding.isEmpty() || is("identity")) {
        if (body.size() > limit) {
            *why = DecodeError::TooLarge;
            return std::nullopt;
        }
        QByteArray decoded = body;
        ensureJsonPadding(decoded);
        return decoded;
    }
    if (is("gzip") || is("x-gzip"))
        return inflateBody(body, Format::Gzip, limit, why);
    if (is("deflate"))
        return inflateBody(body, Format::Zlib, limit, why);
    *why = DecodeError::Unsupported;
    return std::nullopt;
}
