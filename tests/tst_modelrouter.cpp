#include "policy/modelrouter.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestModelRouter : public QObject
{
    Q_OBJECT

private:
    static Configuration configuration()
    {
        Configuration c;
        c.models = {
            {u"claude-*"_s, u"anthropic"_s, {}},
            {u"gpt-4o"_s, u"openai"_s, u"gpt-4o-2024-08-06"_s},
            {u"gpt-4?-mini"_s, u"openai-mini"_s, {}},
            {u"local"_s, u"ollama"_s, {}},
            {u"claude-sonnet-5"_s, u"sim"_s, u"sim-sonnet"_s},
            {u"gpt-4o"_s, u"shadowed"_s, u"never"_s},
            {u"gpt-*"_s, u"openai-late"_s, {}},
            {u"*"_s, u"fallback"_s, {}},
        };
        return c;
    }

private Q_SLOTS:
    void resolve_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QString>("alias"); // empty: no route
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("upstream");

        QTest::newRow("exact alias maps the model")
            << u"gpt-4o"_s << u"gpt-4o"_s << u"openai"_s << u"gpt-4o-2024-08-06"_s;
        QTest::newRow("exact alias without model passes through")
            << u"local"_s << u"local"_s << u"ollama"_s << u"local"_s;
        QTest::newRow("exact wins over an earlier pattern")
            << u"claude-sonnet-5"_s << u"claude-sonnet-5"_s << u"sim"_s << u"sim-sonnet"_s;
        QTest::newRow("pattern passes the name through")
            << u"claude-opus-4-8"_s << u"claude-*"_s << u"anthropic"_s << u"claude-opus-4-8"_s;
        QTest::newRow("star matches nothing")
            << u"claude-"_s << u"claude-*"_s << u"anthropic"_s << u"claude-"_s;
        QTest::newRow("question mark matches one")
            << u"gpt-4o-mini"_s << u"gpt-4?-mini"_s << u"openai-mini"_s << u"gpt-4o-mini"_s;
        QTest::newRow("patterns in configuration order")
            << u"gpt-4.1-mini"_s << u"gpt-*"_s << u"openai-late"_s << u"gpt-4.1-mini"_s;
        QTest::newRow("case-sensitive")
            << u"Claude-opus"_s << u"*"_s << u"fallback"_s << u"Claude-opus"_s;
        QTest::newRow("slashes are ordinary characters")
            << u"org/model:tag"_s << u"*"_s << u"fallback"_s << u"org/model:tag"_s;
    }

    void resolve()
    {
        QFETCH(QString, requested);
        QFETCH(QString, alias);
        QFETCH(QString, provider);
        QFETCH(QString, upstream);
        const std::optional<ModelRoute> route = ModelRouter(configuration()).resolve(requested);
        QVERIFY(route);
        QCOMPARE(route->alias, alias);
        QCOMPARE(route->provider, provider);
        QCOMPARE(route->upstreamModel, upstream);
    }

    void unknownModelHasNoRoute_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::newRow("unrelated") << u"llama3"_s;
        QTest::newRow("case differs") << u"GPT-4O"_s;
        QTest::newRow("question mark needs one character") << u"gpt-4-mini"_s;
        QTest::newRow("prefix of an exact alias") << u"gpt-4"_s;
        QTest::newRow("empty") << QString();
    }

    void unknownModelHasNoRoute()
    {
        QFETCH(QString, requested);
        Configuration c = configuration();
        c.models.removeLast(); // no catch-all
        c.models.removeLast(); // no gpt-*
        QVERIFY(!ModelRouter(c).resolve(requested));
    }

    void emptyRouterRoutesNothing() { QVERIFY(!ModelRouter().resolve(u"gpt-4o"_s)); }

    void listableAliases()
    {
        QCOMPARE(ModelRouter(configuration()).listableAliases(),
                 QStringList({u"gpt-4o"_s, u"local"_s, u"claude-sonnet-5"_s}));
        QVERIFY(ModelRouter().listableAliases().isEmpty());
    }

    // Team mode reloads the aliases made through the admin API: the router becomes what a start
    // with those would make, the configuration's aliases as they are.
    void storedAliasesAreReplacedConfiguredOnesStay()
    {
        ModelRouter router(configuration());
        const ModelAlias stored{u"team"_s, u"sim"_s, u"sim-team"_s, {}, false};
        const ModelAlias override{u"local"_s, u"sim"_s, u"sim-local"_s, {}, false};
        router.setStored({stored, override});
        QCOMPARE(router.resolve(u"team"_s)->upstreamModel, u"sim-team"_s);
        QCOMPARE(router.resolve(u"local"_s)->provider, u"sim"_s);

        router.setStored({});
        QCOMPARE(router.resolve(u"team"_s)->provider, u"fallback"_s); // only the "*" pattern
        QCOMPARE(router.resolve(u"local"_s)->provider, u"ollama"_s);
        QCOMPARE(router.listableAliases(), ModelRouter(configuration()).listableAliases());
        QCOMPARE(router.resolve(u"gpt-4o"_s)->upstreamModel, u"gpt-4o-2024-08-06"_s);
    }

    void matches_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("expected");

        QTest::newRow("star alone") << u"*"_s << u"anything"_s << true;
        QTest::newRow("star alone, empty name") << u"*"_s << QString() << true;
        QTest::newRow("literal equal") << u"abc"_s << u"abc"_s << true;
        QTest::newRow("literal longer name") << u"abc"_s << u"abcd"_s << false;
        QTest::newRow("suffix") << u"*-mini"_s << u"gpt-4o-mini"_s << true;
        QTest::newRow("suffix missing") << u"*-mini"_s << u"gpt-4o-mini-x"_s << false;
        QTest::newRow("middle star") << u"a*c"_s << u"abbbc"_s << true;
        QTest::newRow("needs backtracking") << u"a*bc"_s << u"abcbc"_s << true;
        QTest::newRow("two stars") << u"*o*o*"_s << u"foo"_s << true;
        QTest::newRow("two stars too few") << u"*o*o*"_s << u"fo"_s << false;
        QTest::newRow("question marks") << u"??"_s << u"ab"_s << true;
        QTest::newRow("question marks too short") << u"??"_s << u"a"_s << false;
        QTest::newRow("star in the name is literal for a literal") << u"a*"_s << u"a*"_s << true;
        QTest::newRow("pathological") << u"a*a*a*a*a*a*a*b"_s << QString(200, u'a') << false;
    }

    void matches()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, name);
        QFETCH(bool, expected);
        QCOMPARE(ModelRouter::matches(pattern, name), expected);
    }
};

QTEST_GUILESS_MAIN(TestModelRouter)
#include "tst_modelrouter.moc"
