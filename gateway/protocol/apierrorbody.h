#pragma once

#include <QByteArray>
#include <QByteArrayView>

// The JSON error body of each API family, so every ingress answers in its own shape, the
// gateway's own denials included. Messages are UTF-8.

namespace OpenAIError {
// {"error":{"message":...,"type":...,"param":null,"code":...}}; an empty code is null.
QByteArray body(QByteArrayView message, QByteArrayView type, QByteArrayView code = {});
} // namespace OpenAIError

namespace AnthropicError {
// {"type":"error","error":{"type":...,"message":...},"request_id":...}; an empty request id
// is null.
QByteArray body(QByteArrayView type, QByteArrayView message, QByteArrayView requestId = {});
} // namespace AnthropicError
