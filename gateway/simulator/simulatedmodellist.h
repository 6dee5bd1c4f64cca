#pragma once

#include <QByteArray>
#include <QList>

// The models the simulated provider lists on GET /v1/models (it answers any model name), in
// OpenAI's list shape or in Anthropic's.
class SimulatedModelList
{
public:
    static QList<QByteArray> openAIIds();
    static QList<QByteArray> anthropicIds();

    // {"object":"list","data":[{"id","object":"model","created","owned_by"}...]}
    static QByteArray openAIBody();
    // {"data":[{"type":"model","id","display_name","created_at"}...],"has_more":false,
    //  "first_id","last_id"}, newest first as Anthropic lists them.
    static QByteArray anthropicBody();
};
