#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

// What one model request is, as rate limits see it. apiKey is the key's name, never its secret;
// model is the name the caller asked for (the alias).
struct RateLimitSubject
{
    QString apiKey;
    QString flow;
    QString model;
};

// One requests- and/or tokens-per-minute limit on a key, a flow or a model.
struct RateLimitRule
{
    enum class Scope
    {
        Key,
        Flow,
        Model
    };
    // Per-minute figures above this are configuration mistakes, and the bound keeps the limiter's
    // fixed-point arithmetic far from overflow.
    static constexpr qint64 kMaxPerMinute = 1'000'000'000;

    QString id; // "rl_..." given by the admin API or the configuration
    Scope scope = Scope::Key;
    QString subject; // a name, or "*": a separate limit for each key / flow / model
    std::optional<qint64> requestsPerMinute;
    std::optional<qint64> tokensPerMinute;

    bool isPerSubject() const { return subject == u"*"; }
    // The key, flow or model of the request this rule's scope looks at.
    const QString &valueOf(const RateLimitSubject &request) const;
    bool appliesTo(const RateLimitSubject &request) const;
    // Why this rule cannot be enforced, or empty when it can.
    QString problem() const;
    // "key 'alice'", "each key", "model 'gpt-4o'": for messages an operator and an agent read.
    QString describe() const;

    QJsonObject toJson() const;
    static std::optional<RateLimitRule> fromJson(const QJsonObject &object, QString *error);
    static QString scopeName(Scope scope);

    bool operator==(const RateLimitRule &) const = default;
};
