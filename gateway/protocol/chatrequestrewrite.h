#pragma once

#include <QByteArray>
#include <QStringView>

struct ChatRequestView;

// Turns a client's Chat Completions body into the provider's by splicing bytes: the model
// renamed to the upstream one and, when the gateway needs usage, stream_options.include_usage
// forced on. Every other byte is left as the client sent it.
class ChatRequestRewrite
{
public:
    // includeUsage applies to streaming requests only: OpenAI refuses stream_options on a
    // request that does not stream. Returns the body itself (shared, not copied) when nothing
    // has to change.
    static QByteArray forUpstream(const QByteArray &body, const ChatRequestView &view,
                                  QStringView upstreamModel, bool includeUsage);
};
