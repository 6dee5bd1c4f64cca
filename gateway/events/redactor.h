#pragma once

#include "hintscanner.h"
#include "redactionpattern.h"
#include "server/httprequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QRegularExpression>
#include <QStringList>

// Replaces secrets with [REDACTED:<name>] before anything is stored, logged, exported or shown:
// in raw UTF-8 text, in JSON text (secrets inside escaped strings; the result stays valid JSON)
// and in HTTP headers. The built-in patterns always apply; the operator's patterns add to them.
//
// Const use is thread-safe: one instance may be shared by the store and export threads
// (QRegularExpression compiles under its own mutex and matches with per-call state).
//
// Speed: a one-pass prefilter finds the places where a built-in can start and each built-in
// runs only there, anchored; text built to have a candidate every few bytes is redacted
// unexamined past a budget (fail closed, bounded time). Operator patterns have no prefilter: each
// runs over the whole text.
//
// Patterns run over the text's bytes read as Latin-1, so offsets are byte offsets and invalid
// UTF-8 passes through untouched. A non-ASCII character in an operator pattern matches its
// UTF-8 bytes as a literal; inside a character class it does not work. A replacement never cuts
// a JSON escape; an operator pattern that matches an unescaped quote can still break JSON text.
//
// Escaped secrets: JSON text may write a character as \uXXXX (in the BMP) and a URL any byte as
// %XX, and whoever reads the text reads the secret. Where an escape may hide one (it decodes to
// ASCII text, or it closely follows a hint) the built-ins run again over the text with its
// escapes (and "\n" and the like) decoded, within the same budget, and a match replaces the
// bytes it was decoded from, escapes whole. "\\u0070" (an escaped backslash, then "u0070") is
// no escape. The prefilter finds ASCII \u escapes in its own pass, so text without escapes costs
// one memchr() for '%' more (and, with a hint, a search for an escape after it). A key right
// after "\n" (and the like) opens a word and is matched in its decoded region; one right after a
// non-ASCII escape ("\u300csk-...") is still missed. Operator patterns see the text as it is.
struct EscapedRegion;

class Redactor
{
public:
    explicit Redactor(const QList<RedactionPattern> &extraPatterns = {});

    static QList<RedactionPattern> builtInPatterns();
    // Whether an operator's pattern can be used: a valid name, a regex that compiles and does not
    // match empty text. Configuration loading reports *error and refuses the pattern.
    static bool validate(const RedactionPattern &pattern, QString *error);
    // The extra patterns that failed validate() and therefore do not apply, each with the reason.
    const QStringList &errors() const { return m_errors; }

    // The text itself (shared, not copied) when there is nothing to redact: most texts.
    QByteArray redact(const QByteArray &text) const;
    // Credential-bearing headers lose their whole value; every other value goes through redact().
    HttpHeaders redactHeaders(const HttpHeaders &headers) const;
    static bool isSecretHeader(QByteArrayView name);

private:
    struct Rule
    {
        QRegularExpression regex;
        QByteArray replacement;
        int secretGroup = 0; // the group replaced: "secret" if the regex names one, else 0
    };
    struct Span
    {
        qsizetype start;
        qsizetype end;
        int rule; // index in m_rules, or kUnexamined
    };
    static constexpr int kUnexamined = -1; // past the candidate budget: redacted unexamined
    // One redact() call's state, shared by the text and its decoded regions.
    struct Matching
    {
        qsizetype budget;               // candidates left to examine
        qsizetype unexaminedUntil = -1; // past the budget: redacted unexamined up to here
        QList<Span> spans;              // in text offsets
    };
    void addRule(const RedactionPattern &pattern, const QString &latin1Regex);
    // Runs the built-ins at hits over subject: the text itself (region null) or a region of it
    // with its escapes decoded.
    void matchBuiltIns(QByteArrayView text, const QString &subject,
                       const QList<HintScanner::Hit> &hits, const EscapedRegion *region,
                       Matching *matching) const;
    static void addSpan(const QRegularExpressionMatch &match, int secretGroup, int rule,
                        const EscapedRegion *region, QList<Span> *spans);

    QList<Rule> m_rules; // the built-ins first, in builtInPatterns() order, then the extra ones
    QStringList m_errors;
};
