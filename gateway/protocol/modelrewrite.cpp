#include "protocol/modelrewrite.h"

#include "protocol/bodysplice.h"
#include "protocol/jsonescape.h"
#include "protocol/ondemandjson.h"

namespace {

// The model token already names the model: byte for byte, or once its escapes are read
// ("gpt\u002d4o" is "gpt-4o" to the provider too; rewriting it would copy the body for nothing).
bool tokenNames(QByteArrayView token, const QByteArray &plainToken, QStringView model)
{
    if (token == plainToken)
        return true;
    if (!token.contains('\\'))
        return false;
    QByteArray padded;
    padded.reserve(token.size() + JsonPadding);
    padded.append(token);
    const PaddedJson json(padded);
    OnDemandJson::od::document document;
    std::string_view text;
    return OnDemandJson::iterate(json, document) == simdjson::SUCCESS &&
           document.get_string().get(text) == simdjson::SUCCESS &&
           QByteArrayView(text.data(), qsizetype(text.size())) == model.toUtf8();
}

} // namespace

QByteArray ModelRewrite::apply(const QByteArray &body, ByteRange modelToken,
                               QStringView upstreamModel)
{
    BodySplice splice;
    addTo(splice, body, modelToken, upstreamModel);
    return splice.isEmpty() ? body : splice.apply(body);
}

void ModelRewrite::addTo(BodySplice &splice, QByteArrayView body, ByteRange modelToken,
                         QStringView upstreamModel)
{
    if (modelToken.isNull())
        return;
    const QByteArray token = jsonString(upstreamModel);
    // A range outside the body is left to BodySplice::apply(), which refuses it.
    const bool inside = modelToken.length >= 0 && modelToken.end() <= body.size();
    if (inside &&
        tokenNames(body.sliced(modelToken.offset, modelToken.length), token, upstreamModel))
        return;
    splice.replace(modelToken.offset, modelToken.length, token);
}
