#include "policy/subject.h"

QString Subject::sessionOwner() const
{
    if (!user.isEmpty())
        return account + u"/user:" + user;
    if (!apiKey.isEmpty())
        return account + u"/key:" + apiKey;
    return account + u"/credential:" + credentialId;
}

std::optional<AllowedModels> Subject::forbiddingLayer(const QString &model) const
{
    for (const AllowedModels &layer : layers) {
        if (!layer.allows(model))
            return layer;
    }
    return std::nullopt;
}
