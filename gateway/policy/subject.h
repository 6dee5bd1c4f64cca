#pragma once

#include "policy/allowedmodels.h"

#include <QList>
#include <QString>

#include <optional>

// Who a request belongs to, as its credential or key says: the attribution every ledger row
// carries and the allowed-model layers that apply to it.
struct Subject
{
    QString account;
    QString user;
    QString apiKey; // the key's name
    QString flow;
    QString executionId;
    QString principal;
    QString principalType; // empty for a plain API key: vendor session signals are not trusted
    QString credentialId;
    QString defaultModel;
    QList<AllowedModels> layers; // only the layers that restrict

    // The namespace of this subject's runtime sessions: a session id sent by one key or user
    // never joins another's session.
    QString sessionOwner() const;

    // The first layer that does not allow the model; empty when every layer allows it.
    std::optional<AllowedModels> forbiddingLayer(const QString &model) const;
    bool allows(const QString &model) const { return !forbiddingLayer(model); }
};
