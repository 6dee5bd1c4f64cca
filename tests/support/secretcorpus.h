#pragma once

#include <QByteArray>
#include <QList>

// Real-shaped secrets for redaction tests: random-looking values generated from a fixed seed, so
// no secret-shaped literal sits in the repository (and no scanner flags one). Tests of the store,
// logs and exports can check that none of them survives.
struct SecretSample
{
    QByteArray pattern; // the built-in redaction pattern that names it
    QByteArray secret;  // the sensitive bytes: no run of 8+ of them may survive
    QByteArray text;    // the secret in the context it usually comes in
    bool selfEvident;   // its shape alone gives it away (no context needed)
};

namespace SecretCorpus {
QList<SecretSample> samples();
// The runs of 8 or more token characters of secret that are still in text.
QList<QByteArray> leaks(const QByteArray &text, const QByteArray &secret);
} // namespace SecretCorpus
