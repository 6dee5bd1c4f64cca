#pragma once

#include <QString>

// One change to a process environment: set NAME to a value, or remove NAME.
struct EnvironmentEntry
{
    QString name;
    QString value; // empty when unset
    bool unset = false;

    static EnvironmentEntry set(const QString &name, const QString &value)
    {
        return {name, value, false};
    }
    static EnvironmentEntry removed(const QString &name) { return {name, QString(), true}; }

    friend bool operator==(const EnvironmentEntry &, const EnvironmentEntry &) = default;
};
