#include "policy/ratelimitrule.h"

#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

const QList<std::pair<RateLimitRule::Scope, QString>> &scopeNames()
{
    static const QList<std::pair<RateLimitRule::Scope, QString>> names{
        {RateLimitRule::Scope::Key, u"key"_s},
        {RateLimitRule::Scope::Flow, u"flow"_s},
        {RateLimitRule::Scope::Model, u"model"_s}};
    return names;
}

// A per-minute figure from JSON: absent or null gives no limit; anything else must be a whole
// number in range.
bool readLimit(const QJsonObject &object, const QString &field, std::optional<qint64> *limit,
               QString *error)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() || value.isNull())
        return true;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 1 || number > double(RateLimitRule::kMaxPerMinute) ||
        number != std::trunc(number)) {
        *error =
            u"%1 must be a whole number from 1 to %2 (the kill switch stops all traffic)"_s.arg(
                field, QString::number(RateLimitRule::kMaxPerMinute));
        return false;
    }
    *limit = qint64(number);
    return true;
}

} // namespace

QString RateLimitRule::scopeName(Scope scope)
{
    for (const auto &[known, name] : scopeNames()) {
        if (known == scope)
            return name;
    }
    return {};
}

const QString &RateLimitRule::valueOf(const RateLimitSubject &request) const
{
    switch (scope) {
    case Scope::Key:
        return request.apiKey;
    case Scope::Flow:
        return request.flow;
    case Scope::Model:
        break;
    }
    return request.model;
}

bool RateLimitRule::appliesTo(const RateLimitSubject &request) const
{
    const QString &value = valueOf(request);
    return isPerSubject() ? !value.isEmpty() : value == subject;
}

QString RateLimitRule::problem() const
{
    if (subject.isEmpty())
        return u"subject is required: a %1 name, or \"*\" for a separate limit for each %1"_s.arg(
            scopeName(scope));
    if (!requestsPerMinute && !tokensPerMinute)
        return u"a rate limit needs requestsPerMinute and/or tokensPerMinute"_s;
    for (const auto &limit : {requestsPerMinute, tokensPerMinute}) {
        if (limit && (*limit < 1 || *limit > kMaxPerMinute))
            return u"per-minute limits are whole numbers from 1 to %1"_s.arg(kMaxPerMinute);
    }
    return {};
}

QString RateLimitRule::describe() const
{
    return isPerSubject() ? u"each %1"_s.arg(scopeName(scope))
                          : u"%1 '%2'"_s.arg(scopeName(scope), subject);
}

QJsonObject RateLimitRule::toJson() const
{
    return {
        {u"id"_s, id},
        {u"scope"_s, scopeName(scope)},
        {u"subject"_s, subject},
        {u"requestsPerMinute"_s, requestsPerMinute ? QJsonValue(*requestsPerMinute) : QJsonValue()},
        {u"tokensPerMinute"_s, tokensPerMinute ? QJsonValue(*tokensPerMinute) : QJsonValue()}};
}

std::optional<RateLimitRule> RateLimitRule::fromJson(const QJsonObject &object, QString *error)
{
    const auto fail = [&](const QString &message) {
        *error = message;
        return std::nullopt;
    };
    static const QStringList known{u"id"_s, u"scope"_s, u"subject"_s, u"requestsPerMinute"_s,
                                   u"tokensPerMinute"_s};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(u"unknown field '%1' (known: %2)"_s.arg(it.key(), known.join(u", "_s)));
    }
    RateLimitRule rule;
    const QJsonValue id = object.value(u"id"_s);
    if (!id.isUndefined() && !id.isNull() && !id.isString())
        return fail(u"id must be a string"_s);
    rule.id = id.toString();
    const QString scope = object.value(u"scope"_s).toString();
    const auto named = std::find_if(scopeNames().cbegin(), scopeNames().cend(),
                                    [&](const auto &entry) { return entry.second == scope; });
    if (named == scopeNames().cend())
        return fail(u"scope must be one of key, flow, model"_s);
    rule.scope = named->first;
    rule.subject = object.value(u"subject"_s).toString();
    QString limitError;
    if (!readLimit(object, u"requestsPerMinute"_s, &rule.requestsPerMinute, &limitError) ||
        !readLimit(object, u"tokensPerMinute"_s, &rule.tokensPerMinute, &limitError))
        return fail(limitError);
    if (const QString problem = rule.problem(); !problem.isEmpty())
        return fail(problem);
    return rule;
}
