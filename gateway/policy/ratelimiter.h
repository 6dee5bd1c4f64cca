#pragma once

#include "policy/policyclock.h"
#include "policy/ratelimitrule.h"
#include "server/httprequest.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVarLengthArray>

#include <map>
#include <vector>

// Requests- and tokens-per-minute limits per key, flow and model: asked once per model request
// before dispatch, told the outcome after. Lives on the gateway thread (no locks, no database).
//
// Each limit is a continuously refilling bucket (GCRA) whose capacity is the per-minute figure:
// a client may burst up to the whole figure, then gets a steady rate of figure/60 per second.
// Fixed one-minute windows were rejected: they let 2x the limit through around a window edge,
// make every refused client retry at the same edge, and cannot say when one more request fits
// before the edge. A bucket can, to the millisecond, and "reset" means what OpenAI's headers
// mean by it: the time until the bucket is full again. nginx's limit_req is the same leaky
// bucket (with burst = the per-minute figure).
//
// - All applicable rules must admit before anything is counted in any of them.
// - A request estimated at more tokens than a whole tokens-per-minute limit is admitted when
//   that bucket is full and leaves it in debt (the next requests wait until it has paid back):
//   refusing it would refuse it forever, and the debt keeps the long-run rate at the limit.
// - settle() replaces the token estimate by the actual count (never below zero). release()
//   gives back the request and its estimated tokens: for a request that never reached the
//   provider (denied later by a budget or the kill switch, or failed before sending), so a
//   denial elsewhere does not also eat the caller's rate limit.
// - "*" rules keep one bucket per key / flow / model; a bucket that has refilled and has no
//   open request is dropped, and each rule holds at most maxSubjectsPerRule of them (then the
//   one closest to full goes), so rotating names cannot grow memory without bound.
// - Rule edits keep a rule's buckets while its id, scope and subject stay; a changed figure
//   applies to what is already in use (a lowered limit may leave a bucket over it for a while).
class RateLimiter
{
public:
    static constexpr int kDefaultMaxSubjectsPerRule = 10'000;
    // Tickets that are never settled or released (a caller's bug) are forgotten beyond this.
    static constexpr int kMaxOpenTickets = 100'000;
    // Token counts above this are taken as this (no model has a billion-token request).
    static constexpr qint64 kMaxRequestTokens = 1'000'000'000;

    struct Decision
    {
        bool allowed = true;
        quint64 ticket = 0;      // for settle() / release(); 0 when no rule applied
        qint64 retryAfterMs = 0; // refused: waiting this long lets the same request through
        QString ruleId;          // refused: the rule that needs the longest wait
        QString message;         // refused: the rule, its scope, limit, use and the wait
        // OpenAI's x-ratelimit-{limit,remaining,reset}-{requests,tokens} of the tightest
        // applicable rule (after this request when admitted); refused: also retry-after (whole
        // seconds, rounded up) and retry-after-ms (exact; the OpenAI and Anthropic SDKs read it).
        HttpHeaders headers;
    };

    explicit RateLimiter(PolicyClock clock, int maxSubjectsPerRule = kDefaultMaxSubjectsPerRule);

    // Replaces the rules, all or nothing: false (and *error says why) when one is invalid, has
    // no id, or shares its id with another.
    bool setRules(QList<RateLimitRule> rules, QString *error = nullptr);
    const QList<RateLimitRule> &rules() const { return m_rules; }

    Decision admit(const RateLimitSubject &subject, qint64 estimatedTokens);
    // Corrects the tokens counted at admission by actual - estimate; unknown tickets are ignored.
    void settle(quint64 ticket, qint64 actualTokens);
    // The request never reached the provider: its request and estimated tokens are given back.
    void release(quint64 ticket);

    // Buckets held across all rules and tickets not yet settled (for tests and metrics).
    int bucketCount() const;
    int openTicketCount() const { return int(m_tickets.size()); }

    // A duration as OpenAI's reset headers write it: "120ms", "1s", "1.5s", "6m0s", "1h2m3s".
    static QByteArray durationText(qint64 ms);

private:
    // Levels are fixed point: one request or token is kUnit, and a bucket drains `limit` units per
    // millisecond, so a full bucket (limit * kUnit) drains in exactly one minute, in integers.
    static constexpr qint64 kUnit = 60'000;

    struct Bucket
    {
        qint64 drainedAt = 0; // ms: the levels below are as of this time
        qint64 requests = 0;  // units in use, draining at requestsPerMinute per ms
        qint64 tokens = 0;    // units in use (may exceed the capacity: debt)
        int openTickets = 0;
    };
    struct RuleState
    {
        quint64 epoch = 0; // changes whenever the state is reset: tickets of an older one miss
        QHash<QString, Bucket> buckets; // by the key / flow / model; one, at "", for a named rule
        qsizetype sweepAt = 0;
    };
    struct Charge
    {
        quint64 epoch = 0;
        QString bucket;
        bool requests = false;
        bool tokens = false;
    };
    struct Ticket
    {
        qint64 estimatedTokens = 0;
        QVarLengthArray<Charge, 2> charges;
    };

    static void drain(Bucket &bucket, const RateLimitRule &rule, qint64 now);
    void makeRoom(RuleState &state, const RateLimitRule &rule, qint64 now);
    // Applies the corrections to the ticket's buckets (as far as their rules still exist and
    // still have that limit) and drops the ticket.
    void close(std::map<quint64, Ticket>::iterator ticket, qint64 requestUnits, qint64 tokenUnits);
    HttpHeaders
    limitHeaders(const QVarLengthArray<std::pair<qsizetype, const Bucket *>, 8> &buckets) const;

    PolicyClock m_clock;
    int m_maxSubjectsPerRule;
    QList<RateLimitRule> m_rules;
    std::vector<RuleState> m_states;     // parallel to m_rules
    std::map<quint64, Ticket> m_tickets; // ordered: the oldest is the first to forget
    quint64 m_lastTicket = 0;
    quint64 m_lastEpoch = 0;
};
