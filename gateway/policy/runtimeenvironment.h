#pragma once

#include "policy/environmententry.h"
#include "policy/mintedcredential.h"

#include <QList>
#include <QString>

class QProcessEnvironment;

// The environment variables each agent runtime reads to reach its models, built from a minted
// credential: what `gatehouse exec` applies to its child and `gatehouse env` prints.
namespace RuntimeEnvironment {

// In a fixed order. Governed: both API families' base URLs and the token under every name a
// runtime reads it from; ANTHROPIC_API_KEY removed (Claude Code refuses two credentials). Direct:
// only the provider's base URLs, the runtime's own keys untouched. GATEHOUSE_* always describe
// this credential (a stale one from an enclosing `gatehouse exec` is removed).
QList<EnvironmentEntry> forCredential(const MintedCredential &credential);

// POSIX sh lines, one per entry: export NAME='value' / unset NAME.
QString shellExports(const QList<EnvironmentEntry> &entries);

// The text as one sh word: unchanged when it needs no quoting, else in single quotes.
QString shellQuoted(const QString &text);

void applyTo(const QList<EnvironmentEntry> &entries, QProcessEnvironment *environment);

} // namespace RuntimeEnvironment
