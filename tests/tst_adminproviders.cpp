// GET /admin/v1/providers on a running gateway: each provider with its protocol, base URL and
// whether its key is set (never the key), and the aliases routed to it with their upstream model,
// routing and price per million tokens (from the bundled table under the configuration's
// overrides), or "unpriced".
#include "gatewayfixture.h"
#include "ledger/pricetable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_AdminProviders : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    Price m_override;

    QJsonArray providers()
    {
        const auto response = m_fixture.admin("GET", "/admin/v1/providers");
        if (!response || response->status != 200) {
            qWarning() << "GET providers:" << (response ? response->body : QByteArray());
            return {};
        }
        return QJsonDocument::fromJson(response->body).array();
    }
    static QJsonObject named(const QJsonArray &list, const QString &key, const QString &name)
    {
        for (const QJsonValue &item : list) {
            if (item.toObject().value(key).toString() == name)
                return item.toObject();
        }
        return {};
    }
    QJsonObject alias(const QString &provider, const QString &name)
    {
        return named(named(providers(), u"name"_s, provider).value(u"aliases"_s).toArray(),
                     u"alias"_s, name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_override.input = 1'250'000;
        m_override.output = 10'000'000;
        m_fixture.configuration().prices.insert(u"gpt-4o"_s, m_override);
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }

    void listsEveryProviderSortedWithoutKeys()
    {
        const auto response = m_fixture.admin("GET", "/admin/v1/providers");
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY2(!response->body.contains("sk-upstream-secret"), response->body.constData());
        QStringList names;
        for (const QJsonValue &provider : QJsonDocument::fromJson(response->body).array())
            names += provider.toObject().value(u"name"_s).toString();
        QCOMPARE(names, (QStringList{u"down"_s, u"down-anthropic"_s, u"impatient"_s, u"keyless"_s,
                                     u"silent"_s, u"simulator"_s}));
    }

    void describesProviders_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("baseUrlEnd");
        QTest::addColumn<QJsonValue>("keyVariable");
        QTest::addColumn<bool>("keySet");
        QTest::newRow("openai") << u"down"_s << u"openai"_s << u"/v1"_s
                                << QJsonValue(u"GH_TEST_PROVIDER_KEY"_s) << true;
        QTest::newRow("anthropic") << u"down-anthropic"_s << u"anthropic"_s << QString()
                                   << QJsonValue(u"GH_TEST_PROVIDER_KEY"_s) << true;
        QTest::newRow("key missing") << u"keyless"_s << u"openai"_s << u"/v1"_s
                                     << QJsonValue(u"GH_TEST_UNSET_KEY"_s) << false;
        QTest::newRow("simulated")
            << u"simulator"_s << u"simulated"_s << u"/v1"_s << QJsonValue() << true;
    }
    void describesProviders()
    {
        QFETCH(QString, name);
        QFETCH(QString, protocol);
        QFETCH(QString, baseUrlEnd);
        QFETCH(QJsonValue, keyVariable);
        QFETCH(bool, keySet);
        const QJsonObject provider = named(providers(), u"name"_s, name);
        QCOMPARE(provider.value(u"protocol"_s).toString(), protocol);
        const QString baseUrl = provider.value(u"baseUrl"_s).toString();
        QVERIFY2(baseUrl.startsWith(u"http://127.0.0.1:"_s) && baseUrl.endsWith(baseUrlEnd),
                 qPrintable(baseUrl));
        QCOMPARE(provider.value(u"keyVariable"_s), keyVariable);
        QCOMPARE(provider.value(u"keySet"_s).toBool(), keySet);
        QVERIFY(!provider.contains(u"apiKey"_s));
    }

    void pricesEachAlias_data()
    {
        const PriceTable bundled = PriceTable::bundled();
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QString>("upstream");
        QTest::addColumn<std::optional<Price>>("price");
        QTest::newRow("bundled") << u"simulator"_s << u"fast"_s << u"gpt-4o-mini"_s
                                 << bundled.find(u"gpt-4o-mini"_s);
        QTest::newRow("unpriced") << u"simulator"_s << u"mystery"_s << u"sim-unpriced-1"_s
                                  << std::optional<Price>();
        Price configured = m_override;
        configured.source = u"config"_s;
        QTest::newRow("configuration override")
            << u"down"_s << u"down-model"_s << u"gpt-4o"_s << std::optional<Price>(configured);
    }
    void pricesEachAlias()
    {
        QFETCH(QString, provider);
        QFETCH(QString, alias);
        QFETCH(QString, upstream);
        QFETCH(std::optional<Price>, price);
        const QJsonObject json = this->alias(provider, alias);
        QCOMPARE(json.value(u"upstreamModel"_s).toString(), upstream);
        QCOMPARE(json.value(u"pattern"_s).toBool(), false);
        QCOMPARE(json.value(u"governed"_s).toString(), u"always"_s);
        if (!price) {
            QCOMPARE(json.value(u"price"_s).toString(), u"unpriced"_s);
            return;
        }
        QVERIFY(price->input && price->output);
        const QJsonObject parts = json.value(u"price"_s).toObject();
        QCOMPARE(parts.value(u"inputMicrosPerMtok"_s).toInteger(), *price->input);
        QCOMPARE(parts.value(u"outputMicrosPerMtok"_s).toInteger(), *price->output);
        QCOMPARE(parts.value(u"cacheReadMicrosPerMtok"_s).isNull(), !price->cacheRead);
        QCOMPARE(parts.value(u"source"_s).toString(), price->source);
    }

    void patternHasNoSinglePrice()
    {
        const QJsonObject pattern = alias(u"simulator"_s, u"gpt-*"_s);
        QCOMPARE(pattern.value(u"pattern"_s).toBool(), true);
        QVERIFY(pattern.value(u"upstreamModel"_s).isNull());
        QVERIFY(pattern.value(u"price"_s).isNull());
    }

    void showsAnAliasMadeThroughTheApiAtOnce()
    {
        const auto put = m_fixture.admin("PUT", "/admin/v1/aliases/team-claude",
                                         QJsonObject{{u"provider"_s, u"down-anthropic"_s},
                                                     {u"model"_s, u"claude-sonnet-4-5"_s},
                                                     {u"direct"_s, QJsonArray{u"claude-code"_s}}});
        QVERIFY(put && put->status == 200);
        const QJsonObject json = alias(u"down-anthropic"_s, u"team-claude"_s);
        QCOMPARE(json.value(u"directFor"_s).toArray(), QJsonArray{u"claude-code"_s});
        QCOMPARE(json.value(u"source"_s).toString(), u"admin"_s);
        QCOMPARE(json.value(u"price"_s).toObject().value(u"inputMicrosPerMtok"_s).toInteger(),
                 *PriceTable::bundled().find(u"claude-sonnet-4-5"_s)->input);

        const auto removed = m_fixture.admin("DELETE", "/admin/v1/aliases/team-claude");
        QVERIFY(removed && removed->status == 200);
        QVERIFY(alias(u"down-anthropic"_s, u"team-claude"_s).isEmpty());
    }

    void onlyGet()
    {
        const auto response =
            m_fixture.admin("POST", "/admin/v1/providers", QJsonObject{{u"name"_s, u"x"_s}});
        QVERIFY(response);
        QCOMPARE(response->status, 404);
        const auto nested = m_fixture.admin("GET", "/admin/v1/providers/simulator");
        QVERIFY(nested);
        QCOMPARE(nested->status, 404);
    }

    void needsTheAdminToken()
    {
        const auto response = m_fixture.call("GET", "/admin/v1/providers", {});
        QVERIFY(response);
        QCOMPARE(response->status, 401);
    }
};

QTEST_GUILESS_MAIN(tst_AdminProviders)
#include "tst_adminproviders.moc"
