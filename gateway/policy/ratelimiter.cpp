#include "policy/ratelimiter.h"

#include <QSet>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// "*" rules sweep their refilled buckets once they hold this many, then at twice what is left.
constexpr qsizetype kFirstSweep = 64;

qint64 ceilDiv(qint64 a, qint64 b)
{
    return a <= 0 ? 0 : (a - 1) / b + 1;
}

qint64 saturatedSum(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (qAddOverflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

// A level after `elapsed` ms of draining `rate` units per ms (never below zero).
qint64 drained(qint64 level, qint64 rate, qint64 elapsed)
{
    if (level <= 0 || rate <= 0 || elapsed >= ceilDiv(level, rate))
        return 0;
    return level - elapsed * rate; // elapsed * rate < level + rate: no overflow
}

// Milliseconds until `cost` more units fit under a limit of `perMinute`. A cost above the whole
// capacity fits once the bucket is empty.
qint64 waitFor(qint64 level, const std::optional<qint64> &perMinute, qint64 cost, qint64 unit)
{
    if (!perMinute)
        return 0;
    const qint64 capacity = *perMinute * unit;
    return ceilDiv(level + std::min(cost, capacity) - capacity, *perMinute);
}

QString count(qint64 units, qint64 unit)
{
    return QString::number(ceilDiv(units, unit));
}

} // namespace

RateLimiter::RateLimiter(PolicyClock clock, int maxSubjectsPerRule)
    : m_clock(std::move(clock))
    , m_maxSubjectsPerRule(std::max(1, maxSubjectsPerRule))
{}

bool RateLimiter::setRules(QList<RateLimitRule> rules, QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    QSet<QString> ids;
    for (const RateLimitRule &rule : rules) {
        if (rule.id.isEmpty())
            return fail(u"every rate limit needs an id"_s);
        if (const QString problem = rule.problem(); !problem.isEmpty())
            return fail(u"rate limit %1: %2"_s.arg(rule.id, problem));
        if (ids.contains(rule.id))
            return fail(u"rate limit id %1 is used twice"_s.arg(rule.id));
        ids.insert(rule.id);
    }

    const qint64 now = m_clock();
    std::vector<RuleState> states;
    states.reserve(rules.size());
    for (const RateLimitRule &rule : rules) {
        const auto kept = std::find_if(m_rules.cbegin(), m_rules.cend(), [&](const auto &old) {
            return old.id == rule.id && old.scope == rule.scope && old.subject == rule.subject;
        });
        if (kept == m_rules.cend()) {
            states.push_back({++m_lastEpoch, {}, kFirstSweep});
            continue;
        }
        RuleState &state = m_states[std::distance(m_rules.cbegin(), kept)];
        // Time so far drains at the old figures; a limit that is gone forgets its use.
        for (Bucket &bucket : state.buckets) {
            drain(bucket, *kept, now);
            if (!rule.requestsPerMinute)
                bucket.requests = 0;
            if (!rule.tokensPerMinute)
                bucket.tokens = 0;
        }
        states.push_back(std::move(state));
    }
    m_rules = std::move(rules);
    m_states = std::move(states);
    return true;
}

RateLimiter::Decision RateLimiter::admit(const RateLimitSubject &subject, qint64 estimatedTokens)
{
    static const QString kNamedRule;
    struct Applicable
    {
        qsizetype rule;
        const QString *key;
        Bucket *bucket; // null: none yet, that is, full
        qint64 requestWait;
        qint64 tokenWait;
    };

    Decision decision;
    const qint64 now = m_clock();
    const qint64 tokens = std::clamp<qint64>(estimatedTokens, 0, kMaxRequestTokens);
    QVarLengthArray<Applicable, 8> applicable;
    qsizetype binding = -1;
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        const RateLimitRule &rule = m_rules.at(i);
        if (!rule.appliesTo(subject))
            continue;
        const QString &key = rule.isPerSubject() ? rule.valueOf(subject) : kNamedRule;
        QHash<QString, Bucket> &buckets = m_states[i].buckets;
        const auto found = buckets.find(key);
        Bucket *bucket = found == buckets.end() ? nullptr : &found.value();
        if (bucket)
            drain(*bucket, rule, now);
        const Applicable entry{
            i, &key, bucket,
            waitFor(bucket ? bucket->requests : 0, rule.requestsPerMinute, kUnit, kUnit),
            waitFor(bucket ? bucket->tokens : 0, rule.tokensPerMinute, tokens * kUnit, kUnit)};
        const qint64 wait = std::max(entry.requestWait, entry.tokenWait);
        if (wait > decision.retryAfterMs) {
            decision.retryAfterMs = wait;
            binding = applicable.size();
        }
        applicable.append(entry);
    }
    if (applicable.isEmpty())
        return decision;

    QVarLengthArray<std::pair<qsizetype, const Bucket *>, 8> levels;
    if (binding >= 0) {
        const Applicable &refusing = applicable.at(binding);
        const RateLimitRule &rule = m_rules.at(refusing.rule);
        const QString scope = rule.isPerSubject()
                                  ? u"%1 '%2' (a separate limit for each %1)"_s.arg(
                                        RateLimitRule::scopeName(rule.scope), *refusing.key)
                                  : rule.describe();
        const bool byTokens = refusing.tokenWait > refusing.requestWait;
        const qint64 perMinute = byTokens ? *rule.tokensPerMinute : *rule.requestsPerMinute;
        QString use = count(byTokens ? refusing.bucket->tokens : refusing.bucket->requests, kUnit) +
                      u" in use"_s;
        if (byTokens) {
            use += u", this request is estimated at %1"_s.arg(tokens);
            if (tokens > perMinute)
                use +=
                    u", more than the whole limit: it goes through once nothing else is in use"_s;
        }
        decision.allowed = false;
        decision.ruleId = rule.id;
        decision.message =
            u"Rate limit %1 reached: %2 %3 per minute for %4; %5. The limit frees continuously: "
            u"retry after %6."_s.arg(rule.id, QString::number(perMinute),
                                     byTokens ? u"tokens"_s : u"requests"_s, scope, use,
                                     QString::fromLatin1(durationText(decision.retryAfterMs)));
        for (const Applicable &entry : applicable)
            levels.append({entry.rule, entry.bucket});
        decision.headers = limitHeaders(levels);
        decision.headers.append(
            {"retry-after", QByteArray::number(ceilDiv(decision.retryAfterMs, 1000))});
        decision.headers.append({"retry-after-ms", QByteArray::number(decision.retryAfterMs)});
        return decision;
    }

    decision.ticket = ++m_lastTicket;
    Ticket &ticket = m_tickets[decision.ticket];
    ticket.estimatedTokens = tokens;
    for (Applicable &entry : applicable) {
        const RateLimitRule &rule = m_rules.at(entry.rule);
        RuleState &state = m_states[entry.rule];
        if (!entry.bucket) {
            makeRoom(state, rule, now);
            entry.bucket = &state.buckets[*entry.key];
            entry.bucket->drainedAt = now;
        }
        Bucket &bucket = *entry.bucket;
        if (rule.requestsPerMinute)
            bucket.requests += kUnit;
        if (rule.tokensPerMinute)
            bucket.tokens = saturatedSum(bucket.tokens, tokens * kUnit);
        ++bucket.openTickets;
        ticket.charges.append({state.epoch, *entry.key, rule.requestsPerMinute.has_value(),
                               rule.tokensPerMinute.has_value()});
        levels.append({entry.rule, &bucket});
    }
    decision.headers = limitHeaders(levels);
    if (m_tickets.size() > size_t(kMaxOpenTickets))
        close(m_tickets.begin(), 0, 0);
    return decision;
}

void RateLimiter::settle(quint64 ticket, qint64 actualTokens)
{
    const auto found = m_tickets.find(ticket);
    if (found == m_tickets.end())
        return;
    const qint64 actual = std::clamp<qint64>(actualTokens, 0, kMaxRequestTokens);
    close(found, 0, (actual - found->second.estimatedTokens) * kUnit);
}

void RateLimiter::release(quint64 ticket)
{
    const auto found = m_tickets.find(ticket);
    if (found == m_tickets.end())
        return;
    close(found, kUnit, -found->second.estimatedTokens * kUnit);
}

void RateLimiter::close(std::map<quint64, Ticket>::iterator ticket, qint64 requestUnits,
                        qint64 tokenUnits)
{
    const qint64 now = m_clock();
    for (const Charge &charge : ticket->second.charges) {
        const auto state = std::find_if(m_states.begin(), m_states.end(),
                                        [&](const auto &s) { return s.epoch == charge.epoch; });
        if (state == m_states.end())
            continue;
        const auto found = state->buckets.find(charge.bucket);
        if (found == state->buckets.end())
            continue;
        const RateLimitRule &rule = m_rules.at(std::distance(m_states.begin(), state));
        Bucket &bucket = found.value();
        drain(bucket, rule, now);
        if (charge.requests && rule.requestsPerMinute)
            bucket.requests = std::max<qint64>(0, bucket.requests - requestUnits);
        if (charge.tokens && rule.tokensPerMinute)
            bucket.tokens = std::max<qint64>(0, saturatedSum(bucket.tokens, tokenUnits));
        --bucket.openTickets;
    }
    m_tickets.erase(ticket);
}

void RateLimiter::drain(Bucket &bucket, const RateLimitRule &rule, qint64 now)
{
    const qint64 elapsed = now - bucket.drainedAt;
    // A wall clock that stepped back drains nothing, and later time counts from the new reading.
    bucket.drainedAt = now;
    if (elapsed <= 0)
        return;
    bucket.requests = drained(bucket.requests, rule.requestsPerMinute.value_or(0), elapsed);
    bucket.tokens = drained(bucket.tokens, rule.tokensPerMinute.value_or(0), elapsed);
}

void RateLimiter::makeRoom(RuleState &state, const RateLimitRule &rule, qint64 now)
{
    if (!rule.isPerSubject())
        return;
    QHash<QString, Bucket> &buckets = state.buckets;
    if (buckets.size() < state.sweepAt && buckets.size() < m_maxSubjectsPerRule)
        return;
    // Sweeping at twice the size left keeps the sweeps' cost constant per new bucket.
    buckets.removeIf([&](QHash<QString, Bucket>::iterator it) {
        drain(it.value(), rule, now);
        return it->openTickets == 0 && it->requests == 0 && it->tokens == 0;
    });
    state.sweepAt = std::max(kFirstSweep, 2 * buckets.size());
    while (buckets.size() >= m_maxSubjectsPerRule) {
        // Full: the idle bucket nearest to full goes (its subject gets a fresh one, a little
        // early); buckets of requests in flight stay so their settlement lands.
        auto nearest = buckets.end();
        qint64 nearestMs = std::numeric_limits<qint64>::max();
        for (auto it = buckets.begin(); it != buckets.end(); ++it) {
            if (it->openTickets > 0)
                continue;
            const qint64 fullIn =
                std::max(ceilDiv(it->requests, rule.requestsPerMinute.value_or(1)),
                         ceilDiv(it->tokens, rule.tokensPerMinute.value_or(1)));
            if (fullIn < nearestMs) {
                nearest = it;
                nearestMs = fullIn;
            }
        }
        if (nearest == buckets.end())
            return;
        buckets.erase(nearest);
    }
}

HttpHeaders RateLimiter::limitHeaders(
    const QVarLengthArray<std::pair<qsizetype, const Bucket *>, 8> &buckets) const
{
    HttpHeaders headers;
    // The tightest rule is the one with the fewest left (then the smaller limit), per kind.
    const auto tightest = [&](auto perMinute, auto level, const char *kind) {
        qint64 limit = 0;
        qint64 remaining = 0;
        qint64 resetMs = 0;
        bool any = false;
        for (const auto &[rule, bucket] : buckets) {
            const std::optional<qint64> figure = perMinute(m_rules.at(rule));
            if (!figure)
                continue;
            const qint64 used = bucket ? level(*bucket) : 0;
            const qint64 left = std::max<qint64>(0, *figure * kUnit - used) / kUnit;
            if (any && (left > remaining || (left == remaining && *figure >= limit)))
                continue;
            any = true;
            limit = *figure;
            remaining = left;
            resetMs = ceilDiv(used, *figure);
        }
        if (!any)
            return;
        const QByteArray suffix(kind);
        headers.append({QByteArray("x-ratelimit-limit-" + suffix), QByteArray::number(limit)});
        headers.append(
            {QByteArray("x-ratelimit-remaining-" + suffix), QByteArray::number(remaining)});
        headers.append({QByteArray("x-ratelimit-reset-" + suffix), durationText(resetMs)});
    };
    tightest([](const RateLimitRule &rule) { return rule.requestsPerMinute; },
             [](const Bucket &bucket) { return bucket.requests; }, "requests");
    tightest([](const RateLimitRule &rule) { return rule.tokensPerMinute; },
             [](const Bucket &bucket) { return bucket.tokens; }, "tokens");
    return headers;
}

int RateLimiter::bucketCount() const
{
    qsizetype total = 0;
    for (const RuleState &state : m_states)
        total += state.buckets.size();
    return int(total);
}

QByteArray RateLimiter::durationText(qint64 ms)
{
    if (ms <= 0)
        return "0s";
    if (ms < 1000)
        return QByteArray::number(ms) + "ms";
    QByteArray text;
    const qint64 hours = ms / 3'600'000;
    const qint64 minutes = ms / 60'000 % 60;
    if (hours > 0)
        text += QByteArray::number(hours) + 'h';
    if (hours > 0 || minutes > 0)
        text += QByteArray::number(minutes) + 'm';
    text += QByteArray::number(ms / 1000 % 60);
    if (const qint64 fraction = ms % 1000; fraction > 0) {
        QByteArray digits = QByteArray::number(fraction).rightJustified(3, '0');
        while (digits.endsWith('0'))
            digits.chop(1);
        text += '.' + digits;
    }
    return text + 's';
}
