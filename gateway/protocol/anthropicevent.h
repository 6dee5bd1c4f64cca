#pragma once

// What one Anthropic Messages stream event means to the gateway.
struct AnthropicEvent
{
    bool usageChanged = false; // message_start or message_delta changed the running usage
    bool terminal = false;     // message_stop
    bool error = false;        // an "error" event, which may come after a 200
    // A text_delta, input_json_delta or thinking_delta with text: about one token each, the
    // gateway's estimate of the output when a stream is cut before the usage.
    int deltaPieces = 0;
    bool malformed = false; // the data is not one JSON object: the stream is garbled
};
