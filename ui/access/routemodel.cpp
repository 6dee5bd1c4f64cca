#include "routemodel.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "runtimetype.h"

#include <QFont>
#include <QGuiApplication>
#include <QJsonObject>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace {

std::optional<qint64> micros(const QJsonObject &price, const QString &key)
{
    const QJsonValue value = price.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toInteger();
}

QStringList strings(const QJsonArray &array)
{
    QStringList list;
    for (const QJsonValue &value : array)
        list += value.toString();
    return list;
}

RouteModel::Alias aliasFrom(const QJsonObject &json)
{
    RouteModel::Alias alias;
    alias.alias = json.value(u"alias"_s).toString();
    alias.provider = json.value(u"provider"_s).toString();
    alias.model = json.value(u"model"_s).toString();
    alias.upstreamModel = json.value(u"upstreamModel"_s).toString();
    alias.pattern = json.value(u"pattern"_s).toBool();
    alias.directFor = strings(json.value(u"directFor"_s).toArray());
    alias.fromConfiguration = json.value(u"source"_s).toString() != u"admin";
    const QJsonValue price = json.value(u"price"_s);
    alias.priced = price.isObject();
    if (alias.priced) {
        const QJsonObject parts = price.toObject();
        alias.input = micros(parts, u"inputMicrosPerMtok"_s);
        alias.output = micros(parts, u"outputMicrosPerMtok"_s);
        alias.cacheRead = micros(parts, u"cacheReadMicrosPerMtok"_s);
        alias.priceSource = parts.value(u"source"_s).toString();
    }
    return alias;
}

} // namespace

RouteModel::RouteModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void RouteModel::setProviders(const QJsonArray &providers)
{
    QList<Provider> fresh;
    for (const QJsonValue &value : providers) {
        const QJsonObject json = value.toObject();
        Provider provider;
        provider.name = json.value(u"name"_s).toString();
        provider.protocol = json.value(u"protocol"_s).toString();
        provider.baseUrl = json.value(u"baseUrl"_s).toString();
        provider.keyVariable = json.value(u"keyVariable"_s).toString();
        provider.keySet = json.value(u"keySet"_s).toBool(true);
        for (const QJsonValue &alias : json.value(u"aliases"_s).toArray())
            provider.aliases += aliasFrom(alias.toObject());
        fresh += provider;
    }
    if (fresh == m_providers)
        return;
    beginResetModel();
    m_providers = std::move(fresh);
    endResetModel();
}

QStringList RouteModel::providerNames() const
{
    QStringList names;
    for (const Provider &provider : m_providers)
        names += provider.name;
    return names;
}

std::optional<RouteModel::Alias> RouteModel::alias(const QString &name) const
{
    for (const Provider &provider : m_providers) {
        for (const Alias &alias : provider.aliases) {
            if (alias.alias == name)
                return alias;
        }
    }
    return std::nullopt;
}

QModelIndex RouteModel::indexOfAlias(const QString &name) const
{
    for (int p = 0; p < m_providers.size(); ++p) {
        const QList<Alias> &aliases = m_providers.at(p).aliases;
        for (int a = 0; a < aliases.size(); ++a) {
            if (aliases.at(a).alias == name)
                return index(a, Name, index(p, Name));
        }
    }
    return {};
}

QModelIndex RouteModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_providers.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    // An alias row carries its provider's row + 1; a provider row carries 0.
    if (parent.internalId() != 0 || parent.row() >= m_providers.size() ||
        row >= m_providers.at(parent.row()).aliases.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex RouteModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int RouteModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_providers.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_providers.at(parent.row()).aliases.size());
}

int RouteModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant RouteModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0)
        return providerData(m_providers.at(index.row()), index.column(), role);
    const Provider &provider = m_providers.at(int(index.internalId() - 1));
    return aliasData(provider.aliases.at(index.row()), index.column(), role);
}

QVariant RouteModel::providerData(const Provider &provider, int column, int role) const
{
    switch (role) {
    case ProviderRole:
        return provider.name;
    case AliasRole:
        return QString();
    case EditableRole:
        return false;
    case Qt::BackgroundRole:
        return QGuiApplication::palette().alternateBase();
    case Qt::FontRole:
        if (column == Name) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (column == Routing && !provider.keySet)
            return ConsoleStyle::failure();
        return column == Name ? QVariant() : QVariant(ConsoleStyle::muted());
    case Qt::ToolTipRole:
        if (column == Routing && !provider.keySet)
            return tr("Calls routed here fail until %1 is set in Gatehouse's environment.")
                .arg(provider.keyVariable);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    if (column == Name)
        return provider.name;
    if (column == UpstreamModel) {
        const QString protocol = provider.protocol == u"openai"      ? tr("OpenAI API")
                                 : provider.protocol == u"anthropic" ? tr("Anthropic API")
                                                                     : tr("Simulated");
        return provider.baseUrl.isEmpty() ? protocol
                                          : tr("%1 at %2").arg(protocol, provider.baseUrl);
    }
    if (column == Routing && !provider.keySet)
        return tr("%1 not set").arg(provider.keyVariable);
    return {};
}

QVariant RouteModel::aliasData(const Alias &alias, int column, int role) const
{
    const bool direct = !alias.directFor.isEmpty();
    const bool priceColumn = column == InputPrice || column == OutputPrice || column == CachedPrice;
    const std::optional<qint64> price = column == InputPrice    ? alias.input
                                        : column == OutputPrice ? alias.output
                                                                : alias.cacheRead;
    switch (role) {
    case AliasRole:
        return alias.alias;
    case ProviderRole:
        return alias.provider;
    case EditableRole:
        return !alias.fromConfiguration;
    case Qt::TextAlignmentRole:
        if (priceColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column == Routing && direct)
            return ConsoleStyle::warning();
        if (priceColumn && !alias.pattern && !alias.priced && column != CachedPrice)
            return ConsoleStyle::warning();
        if ((priceColumn && (alias.pattern || !price)) || column == Source ||
            (column == UpstreamModel && alias.pattern))
            return ConsoleStyle::muted();
        return {};
    case Qt::ToolTipRole:
        if (column == Routing && direct)
            return tr("Runtimes holding a credential for this alias talk to the provider directly "
                      "with their own key: no budgets, no limits, no usage in the ledger.");
        if (priceColumn && alias.priced)
            return tr("USD per million tokens (%1)").arg(alias.priceSource);
        if (priceColumn && !alias.pattern)
            return tr("The price table does not know %1: its usage is recorded as unpriced, "
                      "never as $0.")
                .arg(alias.upstreamModel);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case Name:
        return alias.alias;
    case UpstreamModel:
        return alias.pattern ? tr("the requested model") : alias.upstreamModel;
    case InputPrice:
    case OutputPrice:
    case CachedPrice:
        if (alias.pattern)
            return tr("per model");
        if (!alias.priced)
            return column == CachedPrice ? QStringLiteral("–") : DisplayText::money({});
        return price ? DisplayText::money(price) : QStringLiteral("–");
    case Routing: {
        if (!direct)
            return tr("Through Gatehouse");
        if (alias.directFor.contains(u"*"_s))
            return tr("Direct for every runtime");
        QStringList runtimes;
        for (const QString &type : alias.directFor)
            runtimes += RuntimeType::displayName(type);
        return tr("Direct for %1").arg(runtimes.join(u", "_s));
    }
    case Source:
        return alias.fromConfiguration ? tr("configuration file") : tr("admin API");
    default:
        return {};
    }
}

QVariant RouteModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section >= InputPrice && section <= CachedPrice)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section >= InputPrice && section <= CachedPrice)
        return tr("List price in USD per million tokens");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Provider / alias");
    case UpstreamModel:
        return tr("Upstream model");
    case InputPrice:
        return tr("Input / Mtok");
    case OutputPrice:
        return tr("Output / Mtok");
    case CachedPrice:
        return tr("Cached / Mtok");
    case Routing:
        return tr("Routing");
    case Source:
        return tr("Defined in");
    default:
        return {};
    }
}
