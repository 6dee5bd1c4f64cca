#include "protocol/bodyinflater.h"

#define ZLIB_CONST // next_in points at the received bytes, which are const
#include <zlib.h>

#include <climits>

namespace {
constexpr qsizetype kOutputStep = 64 * 1024;
}

struct BodyInflater::Stream
{
    z_stream z{};
    bool initialised = false;
    ~Stream()
    {
        if (initialised)
            inflateEnd(&z);
    }
};

std::unique_ptr<BodyInflater> BodyInflater::forEncoding(QByteArrayView contentEncoding)
{
    const QByteArrayView encoding = contentEncoding.trimmed();
    const auto is = [&encoding](QByteArrayView name) {
        return encoding.compare(name, Qt::CaseInsensitive) == 0;
    };
    if (encoding.isEmpty() || is("identity"))
        return nullptr;
    std::unique_ptr<BodyInflater> inflater(
        new BodyInflater(is("deflate") ? Format::Deflate : Format::Gzip));
    inflater->m_ok = is("gzip") || is("x-gzip") || is("deflate");
    return inflater;
}

BodyInflater::BodyInflater(Format format)
    : m_stream(std::make_unique<Stream>())
    , m_format(format)
{}

BodyInflater::~BodyInflater() = default;

bool BodyInflater::begin(int windowBits)
{
    m_begun = true;
    m_stream->initialised = inflateInit2(&m_stream->z, windowBits) == Z_OK;
    return m_stream->initialised;
}

bool BodyInflater::inflate(QByteArrayView input, QByteArray *output)
{
    output->resize(0);
    if (!m_ok)
        return false;
    QByteArray head; // deflate's first bytes, held until they could be told apart
    if (!m_begun) {
        // gzip has its own header; HTTP's deflate is zlib-wrapped, but some servers send it
        // raw: a zlib header is a deflate method byte whose 16-bit value is a multiple of 31.
        int windowBits = 16 + MAX_WBITS;
        if (m_format == Format::Deflate) {
            m_head += input;
            if (m_head.size() < 2)
                return true; // decided by the next byte
            const bool zlib = (quint8(m_head[0]) & 0x0f) == 8 &&
                              ((quint8(m_head[0]) << 8) | quint8(m_head[1])) % 31 == 0;
            windowBits = zlib ? MAX_WBITS : -MAX_WBITS;
            head = std::move(m_head);
            input = head;
        } else if (input.isEmpty()) {
            return true;
        }
        if (!(m_ok = begin(windowBits)))
            return false;
    }
    z_stream &z = m_stream->z;
    qsizetype consumed = 0;
    for (;;) {
        if (m_ended) {
            if (consumed == input.size())
                break;
            // gzip allows several members one after another (RFC 1952); they decode as one.
            if (m_format != Format::Gzip || inflateReset(&z) != Z_OK)
                return m_ok = false;
            m_ended = false;
        }
        const qsizetype written = output->size();
        output->resize(written + kOutputStep);
        const qsizetype inputChunk = qMin<qsizetype>(input.size() - consumed, UINT_MAX);
        z.next_in = reinterpret_cast<const Bytef *>(input.data() + consumed);
        z.avail_in = uInt(inputChunk);
        z.next_out = reinterpret_cast<Bytef *>(output->data() + written);
        z.avail_out = uInt(kOutputStep);
        const int status = ::inflate(&z, Z_NO_FLUSH);
        consumed += inputChunk - qsizetype(z.avail_in);
        const bool outputLeft = z.avail_out == 0; // zlib may hold more decoded bytes
        output->resize(written + kOutputStep - qsizetype(z.avail_out));
        if (status == Z_STREAM_END) {
            m_ended = true;
        } else if (status == Z_BUF_ERROR) {
            break; // no progress possible: the next piece continues
        } else if (status != Z_OK) {
            return m_ok = false;
        } else if (consumed == input.size() && !outputLeft) {
            break;
        }
    }
    return true;
}
