#pragma once

#include <QAbstractItemModel>
#include <QJsonArray>
#include <QStringList>

#include <optional>

// Where each model goes: the providers (from GET /admin/v1/providers) with the aliases routed to
// them as children, each with its upstream model, list prices per million tokens and routing.
class RouteModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        UpstreamModel,
        InputPrice,
        OutputPrice,
        CachedPrice,
        Routing,
        Source,
        ColumnCount
    };
    enum Role
    {
        AliasRole = Qt::UserRole, // the alias name; empty on a provider row
        ProviderRole,
        EditableRole, // an alias the admin API may remove (not from the configuration file)
    };

    struct Alias
    {
        QString alias;
        QString provider;
        QString model; // as configured; empty: the alias's own name
        QString upstreamModel;
        bool pattern = false;
        QStringList directFor;
        bool fromConfiguration = true;
        bool priced = false;
        std::optional<qint64> input; // micro-dollars per million tokens
        std::optional<qint64> output;
        std::optional<qint64> cacheRead;
        QString priceSource;

        friend bool operator==(const Alias &, const Alias &) = default;
    };
    struct Provider
    {
        QString name;
        QString protocol;
        QString baseUrl;
        QString keyVariable;
        bool keySet = true;
        QList<Alias> aliases;

        friend bool operator==(const Provider &, const Provider &) = default;
    };

    explicit RouteModel(QObject *parent = nullptr);

    // Replaces the contents with the admin API's answer; nothing happens when it is unchanged.
    void setProviders(const QJsonArray &providers);
    const QList<Provider> &providers() const { return m_providers; }
    QStringList providerNames() const;
    // The alias by name, or nothing.
    std::optional<Alias> alias(const QString &name) const;
    QModelIndex indexOfAlias(const QString &name) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant providerData(const Provider &provider, int column, int role) const;
    QVariant aliasData(const Alias &alias, int column, int role) const;

    QList<Provider> m_providers;
};
