#pragma once

#include "events/previewtext.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QList>

// What an event shows of a request body, whatever its wire shape: the model, the head of the
// system prompt and of the last user message, how many messages, the tool names and a few
// parameters. Read in place with simdjson On-Demand, texts kept up to a bound and not yet
// redacted (EventBuilder redacts them as it writes the preview).
class RequestPreview
{
public:
    enum class State
    {
        Empty,    // no body (or one too large to read): the preview is {}
        Unparsed, // not one JSON object with members
        Read
    };
    // A parameter as the preview shows it: text (still to redact), or a JSON literal.
    struct Parameter
    {
        QByteArray name;
        QByteArray text;
        QByteArray json; // empty when the value is text
    };

    // endpoint: the ledger's name of the route ("anthropic.messages", "openai.responses", ...).
    static RequestPreview read(QByteArrayView endpoint, const QByteArray &body,
                               qsizetype textBound);

    State state = State::Empty;
    QByteArray model;
    PreviewText system;
    PreviewText lastUser;
    qint64 messages = 0;
    QByteArrayList tools;
    QList<Parameter> parameters; // sorted by name

private:
    explicit RequestPreview(qsizetype textBound)
        : system(textBound)
        , lastUser(textBound)
    {}
};
