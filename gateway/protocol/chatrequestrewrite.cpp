#include "protocol/chatrequestrewrite.h"

#include "protocol/bodysplice.h"
#include "protocol/chatrequestview.h"
#include "protocol/modelrewrite.h"

namespace {

// Inserts a member as the first one of the object whose '{' ends just before `offset`, with a
// separating comma only when other members follow.
void insertFirstMember(BodySplice &splice, const QByteArray &body, qsizetype offset,
                       const QByteArray &member)
{
    qsizetype next = offset;
    while (next < body.size() && QByteArrayView(" \t\r\n").contains(body.at(next)))
        ++next;
    const bool empty = next < body.size() && body.at(next) == '}';
    splice.insert(offset, empty ? member : member + ',');
}

} // namespace

QByteArray ChatRequestRewrite::forUpstream(const QByteArray &body, const ChatRequestView &view,
                                           QStringView upstreamModel, bool includeUsage)
{
    BodySplice splice;
    ModelRewrite::addTo(splice, body, view.modelToken, upstreamModel);

    if (includeUsage && view.stream && view.includeUsage != true) {
        const ByteRange &options = view.streamOptions;
        if (options.isNull()) {
            insertFirstMember(splice, body, view.objectStart,
                              QByteArrayLiteral("\"stream_options\":{\"include_usage\":true}"));
        } else if (!view.includeUsageToken.isNull()) { // false or null
            splice.replace(view.includeUsageToken.offset, view.includeUsageToken.length,
                           QByteArrayLiteral("true"));
        } else if (body.at(options.offset) == '{') {
            insertFirstMember(splice, body, options.offset + 1,
                              QByteArrayLiteral("\"include_usage\":true"));
        } else { // "stream_options": null
            splice.replace(options.offset, options.length,
                           QByteArrayLiteral("{\"include_usage\":true}"));
        }
    }
    return splice.isEmpty() ? body : splice.apply(body);
}
