#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

// One run of a flow (one `gatehouse exec`, one scripted job): the anchor its credentials and
// usage hang from, with how it ended.
struct FlowExecution
{
    QString id; // "ex_" + 16 hex digits
    QString flow;
    QString account;
    QString principal;
    QString command;
    QString status = QStringLiteral("running"); // running, succeeded, failed
    std::optional<int> exitStatus;
    qint64 startedAtMs = 0;
    std::optional<qint64> endedAtMs;

    bool isRunning() const { return !endedAtMs.has_value(); }
    QJsonObject toJson() const;
};
