#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

// Streaming decoder for a body's Content-Encoding (gzip, x-gzip, deflate zlib-wrapped or
// raw): pieces in, decoded bytes out, as they arrive.
class BodyInflater
{
public:
    // Null for identity (or no encoding); throws nothing, an unknown encoding yields a decoder
    // that fails at once (supported() is false).
    static std::unique_ptr<BodyInflater> forEncoding(QByteArrayView contentEncoding);
    ~BodyInflater();

    bool supported() const { return m_ok; }
    // Decodes `input` into *output (replacing it); false: not valid data of the encoding.
    bool inflate(QByteArrayView input, QByteArray *output);
    // The body ended: true if the encoded stream ended with it.
    bool finished() const { return m_ended; }

private:
    enum class Format
    {
        Gzip,
        Deflate
    };
    explicit BodyInflater(Format format);
    bool begin(int windowBits);

    struct Stream;
    std::unique_ptr<Stream> m_stream;
    Format m_format;
    QByteArray m_head; // deflate's first bytes, until they tell zlib from raw
    bool m_ok = false;
    bool m_begun = false;
    bool m_ended = false;
};
