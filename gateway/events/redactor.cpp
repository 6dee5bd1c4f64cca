#include "redactor.h"

#include "escapedregion.h"
#include "hintscanner.h"
#include "protocol/jsonescape.h"
#include "server/httpsyntax.h"

#include <QRegularExpressionMatchIterator>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// A built-in pattern and the literals (ASCII case-insensitive) of which every match starts with
// one: the regex then only runs, anchored, where a literal occurs (and, for a regex that starts
// with \b, only where the literal opens a word).
struct BuiltIn
{
    RedactionPattern pattern;
    QByteArrayList hints;
    QByteArray followedBy = {}; // when set, a hint counts only when one of these bytes follows it
};

// Natural text has a candidate every few hundred bytes; text built to have one every few bytes
// ("sk-sk-sk-...") would cost a regex call each. Past this budget each further candidate is
// redacted unexamined up to the end of its JSON string (or of the text): the time stays bounded,
// nothing leaks and JSON stays valid.
qsizetype candidateBudget(qsizetype textSize)
{
    return 256 + textSize / 32;
}

// Where the JSON string around offset ends: its next unescaped quote, or the end of the text.
qsizetype stringEnd(QByteArrayView text, qsizetype offset)
{
    for (qsizetype at = offset; at < text.size(); ++at) {
        if (text[at] == '\\')
            ++at;
        else if (text[at] == '"')
            return at;
    }
    return text.size();
}

// Body of a PEM block up to its END line, an unescaped quote (the end of the JSON string that
// holds it) or the end of a truncated preview; JSON escapes are taken whole. Possessive, so a
// long block costs no backtracking state.
#define GH_PEM_BODY R"((?:[^"\\-]++|\\[\s\S]?|-(?!----END))*+)"
// An optional quote around a key or its value, escaped once in JSON text and more when JSON sits
// inside a JSON string (tool-call arguments).
#define GH_QUOTE R"((?:\\*["'])?)"

const QList<BuiltIn> &builtIns()
{
    static const QList<BuiltIn> list{
        {{u"private_key"_s,
          QStringLiteral(R"(-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)" GH_PEM_BODY
                         R"((?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)?)")},
         {"-----begin"}},
        {{u"jwt"_s,
          QStringLiteral(R"(\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*)")},
         {"eyj"}},
        {{u"anthropic_key"_s, QStringLiteral(R"(\bsk-ant-[A-Za-z0-9_-]{20,})")}, {"sk-ant-"}},
        // sk-proj-, sk-svcacct-, sk-admin- and legacy keys all carry "T3BlbkFJ": a digit. So do
        // the sk- keys of OpenRouter, DeepSeek and others; words like "sk-learn-..." do not. The
        // look-ahead is bounded so that "sk-sk-sk-..." costs linear time, not quadratic.
        {{u"openai_key"_s, QStringLiteral(R"(\bsk-(?=[A-Za-z_-]{0,255}[0-9])[A-Za-z0-9_-]{20,})")},
         {"sk-"}},
        {{u"stripe_key"_s, QStringLiteral(R"(\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,})")},
         {"sk_live_", "sk_test_", "rk_live_", "rk_test_"}},
        {{u"gatehouse_token"_s, QStringLiteral(R"(\bghrt_[0-9A-Fa-f]{16}_[A-Za-z0-9_-]+)")},
         {"ghrt_"}},
        {{u"gatehouse_key"_s, QStringLiteral(R"(\bghk_[0-9A-Fa-f]{16}_[A-Za-z0-9_-]+)")}, {"ghk_"}},
        {{u"gatehouse_admin_token"_s, QStringLiteral(R"(\bghadm_[0-9A-Fa-f]{16}_[A-Za-z0-9_-]+)")},
         {"ghadm_"}},
        {{u"github_token"_s,
          QStringLiteral(R"(\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{30,}))")},
         {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}},
        {{u"gitlab_token"_s, QStringLiteral(R"(\bgl(?:pat|dt|ptt|rt)-[A-Za-z0-9_-]{20,})")},
         {"glpat-", "gldt-", "glptt-", "glrt-"}},
        {{u"slack_token"_s,
          QStringLiteral(R"(\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}))")},
         {"xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxr-", "xapp-"}},
        {{u"google_api_key"_s, QStringLiteral(R"(\bAIza[0-9A-Za-z_-]{35})")}, {"aiza"}},
        {{u"huggingface_token"_s, QStringLiteral(R"(\bhf_[A-Za-z0-9]{30,})")}, {"hf_"}},
        {{u"npm_token"_s, QStringLiteral(R"(\bnpm_[A-Za-z0-9]{36})")}, {"npm_"}},
        {{u"aws_access_key_id"_s,
          QStringLiteral(R"(\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9]))")},
         {"akia", "asia", "abia", "acca"}},
        // aws_secret_access_key = ..., "SecretAccessKey": "...", AWS_SESSION_TOKEN=...
        {{u"aws_secret"_s,
          QStringLiteral(R"((?i)(?:secret[_-]?access[_-]?key|session[_-]?token))" GH_QUOTE
                         R"(\s*[:=]\s*)" GH_QUOTE R"((?<secret>(?:[A-Za-z0-9+/=]|\\/){40,}))")},
         {"secret_access", "secretaccess", "secret-access", "session_token", "sessiontoken",
          "session-token"}},
        // scheme://user:password@host (the scheme and host stay), or a token as the user.
        {{u"url_credentials"_s,
          QStringLiteral(R"(:(?://|\\/\\/)(?<secret>[^\s/?#@"'\\<>:]*:[^\s/?#@"'\\<>]+)"
                         R"(|[A-Za-z0-9._~%-]{16,})@)")},
         {"://", ":\\/\\/"}},
        {{u"bearer_token"_s,
          QStringLiteral(R"((?i)\bbearer\s+(?<secret>[A-Za-z0-9._~+/-]{16,}=*))")},
         {"bearer"},
         " \t\r\n"},
        // Header lines in logs and dumps: "Authorization: Basic ...", "x-api-key: ...".
        {{u"authorization_header"_s,
          QStringLiteral(R"((?i)\bauthorization)" GH_QUOTE R"(\s*[:=]\s*)" GH_QUOTE
                         R"((?:(?:basic|bearer|token|digest|negotiate)\s+)?)"
                         R"((?<secret>[A-Za-z0-9._~+/=-]{8,}))")},
         {"authorization"}},
        {{u"api_key_header"_s, QStringLiteral(R"((?i)\bapi-key)" GH_QUOTE R"(\s*[:=]\s*)" GH_QUOTE
                                              R"((?<secret>[A-Za-z0-9._~+/=-]{8,}))")},
         {"api-key"}},
        // A quoted value given to a secret-named key ("client_secret": "...", password = '...')
        // or an unquoted one in an upper-case environment assignment (DB_PASSWORD=...). Values
        // that are code (password = getpass()) are not quoted and stay.
        {{u"secret_assignment"_s,
          QStringLiteral(R"((?:(?i:api[_-]?key|secret|token|password|passwd|credentials?))"
                         R"((?i:[_-]?key)?)" GH_QUOTE R"(\s*[:=]\s*\\*["'])"
                         R"(|(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY)(?:_[A-Z0-9]+)*=)" GH_QUOTE
                         R"()(?<secret>[^\s"'\\]{8,}))")},
         {"apikey", "api_key", "api-key", "secret", "token", "password", "passwd", "credential",
          "credentials"},
         // "max_tokens", "input_tokens" and "tokenizer" are everywhere in model traffic.
         "\"'\\:= \t_-kK"},
    };
    return list;
}

#undef GH_PEM_BODY
#undef GH_QUOTE

// Whether a regex begins with \b (after an inline case flag).
bool opensWord(QStringView regex)
{
    if (regex.startsWith(u"(?i)"))
        regex = regex.sliced(4);
    return regex.startsWith(u"\\b");
}

// The tag of the hint that finds JSON escapes of ASCII characters (\u0000 to \u007f) in the same
// pass: text without them pays nothing to look for them.
constexpr int kEscapeHint = -1;

const HintScanner &builtInHints()
{
    static const HintScanner scanner = [] {
        HintScanner hints;
        const QList<BuiltIn> &list = builtIns();
        for (int rule = 0; rule < list.size(); ++rule) {
            const BuiltIn &builtIn = list.at(rule);
            const bool wordStart = opensWord(builtIn.pattern.regex);
            for (const QByteArray &hint : builtIn.hints)
                hints.add(hint, rule, wordStart, builtIn.followedBy);
        }
        hints.add("\\u00", kEscapeHint, false, "01234567");
        return hints;
    }();
    return scanner;
}

bool isValidName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
               c == u'_' || c == u'-' || c == u'.';
    });
}

// The patterns run over bytes read as Latin-1: an operator's non-ASCII literal must become its
// UTF-8 bytes read the same way.
QString overBytes(const QString &regex)
{
    return QString::fromLatin1(regex.toUtf8());
}

// The start of the JSON escape (\x or \uXXXX) that strictly contains offset, else offset; its
// end goes to *escapeEnd. A replacement must not cut an escape, or the JSON text breaks.
qsizetype escapeAround(QByteArrayView text, qsizetype offset, qsizetype *escapeEnd)
{
    for (qsizetype at = offset - 1; at >= 0 && at >= offset - 5; --at) {
        if (text[at] != '\\')
            continue;
        if (!opensJsonEscape(text, at))
            return offset; // the nearest backslash is itself escaped: it opens nothing
        const qsizetype length = at + 1 < text.size() && text[at + 1] == 'u' ? 6 : 2;
        if (offset >= at + length)
            return offset;
        *escapeEnd = std::min(at + length, text.size());
        return at;
    }
    return offset;
}

} // namespace

Redactor::Redactor(const QList<RedactionPattern> &extraPatterns)
{
    for (const BuiltIn &builtIn : builtIns())
        addRule(builtIn.pattern, builtIn.pattern.regex);
    for (const RedactionPattern &pattern : extraPatterns) {
        QString error;
        if (validate(pattern, &error))
            addRule(pattern, overBytes(pattern.regex));
        else
            m_errors.append(error);
    }
}

QList<RedactionPattern> Redactor::builtInPatterns()
{
    QList<RedactionPattern> patterns;
    for (const BuiltIn &builtIn : builtIns())
        patterns.append(builtIn.pattern);
    return patterns;
}

bool Redactor::validate(const RedactionPattern &pattern, QString *error)
{
    const QString label = u"redaction pattern \""_s + pattern.name + u'"';
    if (!isValidName(pattern.name)) {
        *error = label + u": the name must be 1 to 64 letters, digits, '_', '-' or '.'"_s;
        return false;
    }
    const QRegularExpression regex(overBytes(pattern.regex));
    if (!regex.isValid()) {
        *error = label + u": "_s + regex.errorString() + u" at offset "_s +
                 QString::number(regex.patternErrorOffset());
        return false;
    }
    if (regex.match(QString()).hasMatch()) {
        *error = label + u": it matches empty text, so it would match everywhere"_s;
        return false;
    }
    return true;
}

void Redactor::addRule(const RedactionPattern &pattern, const QString &latin1Regex)
{
    Rule rule;
    rule.regex.setPattern(latin1Regex);
    rule.regex.optimize(); // compiled (and JIT-compiled) now, not on the first redaction
    rule.replacement = "[REDACTED:" + pattern.name.toLatin1() + ']';
    rule.secretGroup = std::max(0, int(rule.regex.namedCaptureGroups().indexOf(u"secret"_s)));
    m_rules.append(std::move(rule));
}

QByteArray Redactor::redact(const QByteArray &text) const
{
    const qsizetype builtInCount = builtIns().size();
    const QList<HintScanner::Hit> hits = builtInHints().scan(text);
    const bool builtInHit = std::any_of(hits.begin(), hits.end(), [](const HintScanner::Hit &hit) {
        return hit.tag != kEscapeHint;
    });
    const QList<EscapedRegion> regions = EscapedRegion::find(text, hits, kEscapeHint);
    if (!builtInHit && regions.isEmpty() && m_rules.size() == builtInCount)
        return text;

    const QString subject = QString::fromLatin1(text);
    constexpr auto options = QRegularExpression::DontCheckSubjectStringMatchOption;
    Matching matching{candidateBudget(text.size())};
    matchBuiltIns(text, subject, hits, nullptr, &matching);
    for (const EscapedRegion &region : regions) {
        matchBuiltIns(text, QString::fromLatin1(region.decoded),
                      builtInHints().scan(region.decoded), &region, &matching);
    }
    QList<Span> &spans = matching.spans;
    for (int index = int(builtInCount); index < m_rules.size(); ++index) {
        const Rule &rule = m_rules[index];
        QRegularExpressionMatchIterator matches =
            rule.regex.globalMatch(subject, 0, QRegularExpression::NormalMatch, options);
        while (matches.hasNext())
            addSpan(matches.next(), rule.secretGroup, index, nullptr, &spans);
    }
    if (spans.isEmpty())
        return text;

    for (Span &span : spans) {
        qsizetype escapeEnd = 0;
        span.start = escapeAround(text, span.start, &escapeEnd);
        if (escapeAround(text, span.end, &escapeEnd) != span.end)
            span.end = escapeEnd;
    }
    // Overlaps merge into the span that starts first (on a tie, the earlier rule names it and
    // the unexamined rest comes last).
    std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) {
        return a.start != b.start ? a.start < b.start : quint32(a.rule) < quint32(b.rule);
    });
    QByteArray redacted;
    redacted.reserve(text.size());
    qsizetype copied = 0;
    for (qsizetype i = 0; i < spans.size();) {
        Span merged = spans[i++];
        while (i < spans.size() && spans[i].start < merged.end)
            merged.end = std::max(merged.end, spans[i++].end);
        redacted.append(QByteArrayView(text).sliced(copied, merged.start - copied));
        redacted.append(merged.rule == kUnexamined
                            ? QByteArrayView("[REDACTED:unexamined]")
                            : QByteArrayView(m_rules[merged.rule].replacement));
        copied = merged.end;
    }
    redacted.append(QByteArrayView(text).sliced(copied));
    return redacted;
}

void Redactor::matchBuiltIns(QByteArrayView text, const QString &subject,
                             const QList<HintScanner::Hit> &hits, const EscapedRegion *region,
                             Matching *matching) const
{
    constexpr auto options = QRegularExpression::DontCheckSubjectStringMatchOption;
    QList<qsizetype> matchedUntil(builtIns().size(), -1); // in subject offsets
    for (const HintScanner::Hit &hit : hits) {
        if (hit.tag == kEscapeHint)
            continue;
        const qsizetype offset = region ? region->textStart(hit.offset) : hit.offset;
        if (hit.offset < matchedUntil[hit.tag] || offset < matching->unexaminedUntil)
            continue; // inside this rule's previous match, or already given up on
        if (--matching->budget < 0) {
            matching->unexaminedUntil = std::max(offset + 1, stringEnd(text, offset));
            matching->spans.append({offset, matching->unexaminedUntil, kUnexamined});
            continue;
        }
        const Rule &rule = m_rules[hit.tag];
        // Anchored: the match starts at the hint or not at all. (A leading \G would keep the
        // JIT but, measured, still scans to the end of the text when there is no match.)
        const QRegularExpressionMatch match =
            rule.regex.match(subject, hit.offset, QRegularExpression::NormalMatch,
                             options | QRegularExpression::AnchorAtOffsetMatchOption);
        if (!match.hasMatch())
            continue;
        matchedUntil[hit.tag] = match.capturedEnd();
        addSpan(match, rule.secretGroup, hit.tag, region, &matching->spans);
    }
}

void Redactor::addSpan(const QRegularExpressionMatch &match, int secretGroup, int rule,
                       const EscapedRegion *region, QList<Span> *spans)
{
    // A pattern whose "secret" group did not take part in this match redacts all of it.
    const int group = match.capturedStart(secretGroup) >= 0 ? secretGroup : 0;
    const qsizetype start = match.capturedStart(group);
    const qsizetype end = match.capturedEnd(group);
    if (end > start)
        spans->append({region ? region->textStart(start) : start,
                       region ? region->textEnd(end) : end, rule});
}

bool Redactor::isSecretHeader(QByteArrayView name)
{
    // x-api-key, api-key, x-goog-api-key, x-amz-security-token, ... fall under the substrings.
    const QByteArray lower = httpLowerName(name);
    return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
           lower == "set-cookie" || lower.contains("token") || lower.contains("secret") ||
           lower.contains("key");
}

HttpHeaders Redactor::redactHeaders(const HttpHeaders &headers) const
{
    static const QByteArray whole = QByteArrayLiteral("[REDACTED:header]");
    HttpHeaders redacted;
    redacted.reserve(headers.size());
    for (const auto &[name, value] : headers)
        redacted.append({name, isSecretHeader(name) ? whole : redact(value)});
    return redacted;
}
