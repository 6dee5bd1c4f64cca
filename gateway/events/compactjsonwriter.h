#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Writes compact JSON text straight into bytes, as QJsonDocument::Compact would: members in
// the order the caller gives them (the event preview gives QJsonObject's, sorted by key), so a
// small document costs no tree, no sorting and no conversion to UTF-16 and back.
class CompactJsonWriter
{
public:
    // expectedBytes: room reserved at once (up to 4 KiB), so small documents never grow.
    explicit CompactJsonWriter(qsizetype expectedBytes = 0);

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    // The next value's member name (plain ASCII, written as it is).
    CompactJsonWriter &key(QByteArrayView name);

    void string(QByteArrayView utf8);
    void optionalString(QByteArrayView utf8); // empty: null
    void number(qint64 value);
    void boolean(bool value);
    void null();
    // A value that is already JSON text (a number literal, an object written elsewhere).
    void raw(QByteArrayView json);

    const QByteArray &text() const { return m_text; }
    QByteArray take() { return std::exchange(m_text, {}); }

private:
    void separate();

    QByteArray m_text;
    bool m_needsComma = false;
};
