#include "pricetable.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcPrices, "gatehouse.ledger.prices")

// Far above any real list price, low enough that x * 1e6 stays exact in a qint64.
constexpr double maxUsdPerMtok = 1e9;

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

QString withoutDateSuffix(const QString &model)
{
    static const QRegularExpression dateSuffix(u"-(?:\\d{8}|\\d{4}-\\d{2}-\\d{2})$"_s);
    QString stripped = model;
    stripped.remove(dateSuffix);
    return stripped;
}

} // namespace

QString PriceTable::bundledFile()
{
    return u":/gatehouse/prices.json"_s;
}

PriceTable PriceTable::bundled(const QHash<QString, Price> &overrides)
{
    PriceTable table;
    QString error;
    if (!table.load(bundledFile(), &error))
        qCCritical(lcPrices).noquote() << "bundled price table unusable:" << error;
    table.setOverrides(overrides);
    return table;
}

bool PriceTable::load(const QString &file, QString *error)
{
    // The bundled table is compiled into the static gateway library: referencing the resource
    // keeps the linker from dropping it.
    Q_INIT_RESOURCE(gateway);
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly)) {
        setError(error, u"cannot read %1: %2"_s.arg(file, input.errorString()));
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(
            error,
            u"%1: %2 at offset %3"_s.arg(file, parseError.errorString()).arg(parseError.offset));
        return false;
    }
    const QJsonObject root = document.object();
    const QString asOf = root.value(u"asOf"_s).toString();
    if (asOf.isEmpty()) {
        setError(error, u"%1: \"asOf\" must be a non-empty date string"_s.arg(file));
        return false;
    }
    const QJsonValue models = root.value(u"models"_s);
    if (!models.isObject()) {
        setError(error, u"%1: \"models\" must be an object"_s.arg(file));
        return false;
    }

    const QString origin = file == bundledFile() ? u"bundled"_s : QFileInfo(file).fileName();
    const QString source = origin + u':' + asOf;
    QHash<QString, Price> listed;
    const QJsonObject modelObject = models.toObject();
    for (auto it = modelObject.begin(); it != modelObject.end(); ++it) {
        if (!it.value().isObject()) {
            setError(error, u"%1: model \"%2\" must be an object"_s.arg(file, it.key()));
            return false;
        }
        QString partError;
        std::optional<Price> price = parsePrice(it.value().toObject(), &partError);
        if (!price) {
            setError(error, u"%1: model \"%2\": %3"_s.arg(file, it.key(), partError));
            return false;
        }
        price->source = source;
        listed.insert(it.key(), *price);
    }

    m_listed = std::move(listed);
    m_asOf = asOf;
    return true;
}

void PriceTable::setOverrides(const QHash<QString, Price> &overrides)
{
    m_overrides = overrides;
    for (Price &price : m_overrides) {
        if (price.source.isEmpty())
            price.source = u"config"_s;
    }
}

std::optional<Price> PriceTable::find(const QString &upstreamModel) const
{
    if (std::optional<Price> exact = findExact(upstreamModel))
        return exact;
    const QString undated = withoutDateSuffix(upstreamModel);
    if (undated == upstreamModel)
        return std::nullopt;
    return findExact(undated);
}

std::optional<Price> PriceTable::findExact(const QString &model) const
{
    if (auto it = m_overrides.constFind(model); it != m_overrides.cend())
        return *it;
    if (auto it = m_listed.constFind(model); it != m_listed.cend())
        return *it;
    return std::nullopt;
}

std::optional<Price> PriceTable::parsePrice(const QJsonObject &parts, QString *error)
{
    Price price;
    const struct
    {
        QString name;
        std::optional<qint64> *target;
    } known[] = {
        {u"input"_s, &price.input},
        {u"output"_s, &price.output},
        {u"cacheRead"_s, &price.cacheRead},
        {u"cacheWrite"_s, &price.cacheWrite},
    };

    for (auto it = parts.begin(); it != parts.end(); ++it) {
        const auto part = std::find_if(std::begin(known), std::end(known),
                                       [&](const auto &k) { return k.name == it.key(); });
        if (part == std::end(known)) {
            setError(error, u"unknown price part \"%1\" (expected input, output, cacheRead, "
                            "cacheWrite)"_s.arg(it.key()));
            return std::nullopt;
        }
        if (!it.value().isDouble()) {
            setError(error, u"price part \"%1\" must be a number"_s.arg(it.key()));
            return std::nullopt;
        }
        const double usdPerMtok = it.value().toDouble();
        if (!(usdPerMtok >= 0.0) || usdPerMtok > maxUsdPerMtok) {
            setError(error,
                     u"price part \"%1\" must be between 0 and %2 USD per Mtok"_s.arg(it.key()).arg(
                         maxUsdPerMtok));
            return std::nullopt;
        }
        *part->target = std::llround(usdPerMtok * 1e6);
    }
    return price;
}
