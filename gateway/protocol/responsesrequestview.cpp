#include "protocol/responsesrequestview.h"

#include "protocol/requestbodyreader.h"

std::optional<ResponsesRequestView> ResponsesRequestView::parse(const QByteArray &body,
                                                                QString *error)
{
    ResponsesRequestView view;
    RequestBodyReader reader(body);
    const bool ok = reader.read([&](std::string_view key, RequestBodyReader::Value &value) {
        if (key == "prompt_cache_key")
            return reader.readHint(value, view.promptCacheKey, view.promptCacheKeySeen);
        if (key == "model")
            return reader.readModel(value, view.model, view.modelToken);
        if (key == "stream")
            return reader.readStream(value, view.stream);
        if (key == "max_output_tokens")
            return reader.readCount("max_output_tokens", value, view.maxOutputTokens);
        return true; // skipped without being parsed
    });
    if (!ok) {
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    return view;
}
