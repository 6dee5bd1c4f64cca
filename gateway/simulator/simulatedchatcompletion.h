#pragma once

#include "simulatedcompletion.h"
#include "simulatedstream.h"

#include <QByteArray>
#include <QString>

// A simulated completion in OpenAI's Chat Completions wire shape: the `chat.completion` body,
// or the `chat.completion.chunk` SSE events ending in `data: [DONE]`. With include_usage every
// chunk carries "usage":null and a last chunk with "choices":[] carries the usage. A failure
// mid-stream is a `data: {"error":{...}}` event (server_error) with no [DONE].
class SimulatedChatCompletion : public SimulatedStream
{
public:
    SimulatedChatCompletion(SimulatedCompletion completion, const QString &model,
                            bool includeUsage);

    const SimulatedCompletion &completion() const { return m_completion; }
    QByteArray body() const;

    int tokenCount() const override;
    QByteArray opening() const override;
    QByteArray token(int index) const override;
    QByteArray closing() const override;
    QByteArray failure(int tokensSent) const override;

private:
    QByteArray chunk(QByteArrayView delta, QByteArrayView finishReason) const;
    QByteArray usage() const;
    QByteArray finishReason() const;

    SimulatedCompletion m_completion;
    bool m_includeUsage;
    QByteArray m_head;      // {"id":...,"system_fingerprint":"..." of the body
    QByteArray m_chunkHead; // data: {"id":...,"system_fingerprint":"..." of every chunk
    QByteArray m_chunkTail; // ,"usage":null}\n\n with include_usage, else }\n\n
};
