#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Request bodies the gateway tests send, in each API's shape.
namespace RequestBodies {
// OpenAI Chat Completions: one user message; extra members are added as they are.
QByteArray chat(const QString &model, const QString &prompt, bool stream = false,
                const QJsonObject &extra = {});
// Anthropic Messages: one user message.
QByteArray message(const QString &model, const QString &prompt, int maxTokens,
                   const QJsonObject &extra = {});
} // namespace RequestBodies
