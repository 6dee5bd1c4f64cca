// The environment a runtime gets from a minted credential, and its rendering as sh exports.
#include "policy/runtimeenvironment.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

namespace {

const QString kOpenAi = QStringLiteral("http://127.0.0.1:8787/openai/v1");
const QString kAnthropic = QStringLiteral("http://127.0.0.1:8787/anthropic");
const QString kToken = QStringLiteral("ghc_0123456789abcdef_secret");

MintedCredential governed(const QString &principal, const QString &model,
                          const QString &execution = QString())
{
    MintedCredential credential;
    credential.id = QStringLiteral("cr_0123456789abcdef");
    credential.token = kToken;
    credential.expiresAtMs = 1'800'000'000'000; // 2027-01-15T08:00:00Z
    credential.account = QStringLiteral("default");
    credential.executionId = execution;
    credential.principalType = principal;
    credential.modelAlias = model;
    credential.openaiBaseUrl = kOpenAi;
    credential.anthropicBaseUrl = kAnthropic;
    return credential;
}

MintedCredential direct(const QString &principal, const QString &openai, const QString &anthropic)
{
    MintedCredential credential = governed(principal, QStringLiteral("fast"));
    credential.token.clear();
    credential.governed = false;
    credential.upstreamModel = QStringLiteral("provider-model-7");
    credential.openaiBaseUrl = openai;
    credential.anthropicBaseUrl = anthropic;
    credential.notice = QStringLiteral("fast is direct: not governed");
    return credential;
}

// "NAME=value" for a set entry, "-NAME" for a removal: a table cell that reads like the result.
QStringList rendered(const QList<EnvironmentEntry> &entries)
{
    QStringList lines;
    for (const EnvironmentEntry &entry : entries)
        lines.append(entry.unset ? QString(u'-' + entry.name)
                                 : QString(entry.name + u'=' + entry.value));
    return lines;
}

QStringList governedCore()
{
    return {QStringLiteral("OPENAI_BASE_URL=") + kOpenAi,
            QStringLiteral("OPENAI_API_KEY=") + kToken,
            QStringLiteral("CODEX_API_KEY=") + kToken,
            QStringLiteral("ANTHROPIC_BASE_URL=") + kAnthropic,
            QStringLiteral("ANTHROPIC_AUTH_TOKEN=") + kToken,
            QStringLiteral("-ANTHROPIC_API_KEY")};
}

QStringList gatehouseTail(const QString &governedFlag, const QString &execution,
                          const QString &model)
{
    return {QStringLiteral("GATEHOUSE_GOVERNED=") + governedFlag,
            QStringLiteral("GATEHOUSE_CREDENTIAL_ID=cr_0123456789abcdef"),
            QStringLiteral("GATEHOUSE_EXPIRES_AT=2027-01-15T08:00:00Z"),
            execution.isEmpty() ? QStringLiteral("-GATEHOUSE_EXECUTION_ID")
                                : QStringLiteral("GATEHOUSE_EXECUTION_ID=") + execution,
            model.isEmpty() ? QStringLiteral("-GATEHOUSE_MODEL")
                            : QStringLiteral("GATEHOUSE_MODEL=") + model};
}

// What sh makes of the exports: each variable's value after eval, or "<unset>".
QString evaluatedBySh(const QString &exports, const QStringList &names,
                      const QProcessEnvironment &start)
{
    QString script = QStringLiteral("eval \"$GH_EXPORTS\"\n");
    for (const QString &name : names)
        script += QStringLiteral("if [ \"${%1+x}\" = x ]; then printf '%1=[%s]\\n' \"$%1\"; "
                                 "else printf '%1 <unset>\\n'; fi\n")
                      .arg(name);
    QProcessEnvironment environment = start;
    environment.insert(QStringLiteral("GH_EXPORTS"), exports);
    QProcess sh;
    sh.setProcessEnvironment(environment);
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    if (!sh.waitForFinished(10'000) || sh.exitCode() != 0)
        return QStringLiteral("sh failed: ") + QString::fromUtf8(sh.readAllStandardError());
    return QString::fromUtf8(sh.readAllStandardOutput());
}

} // namespace

class tst_RuntimeEnvironment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forCredential_data()
    {
        QTest::addColumn<MintedCredential>("credential");
        QTest::addColumn<QStringList>("expected");

        const QString alias = QStringLiteral("gpt-4o-mini");
        const QString execution = QStringLiteral("ex_42");
        QTest::newRow("claude-code: the model in ANTHROPIC_MODEL")
            << governed(QStringLiteral("claude-code"), alias, execution)
            << governedCore() + QStringList{QStringLiteral("ANTHROPIC_MODEL=") + alias} +
                   gatehouseTail(QStringLiteral("1"), execution, alias);
        QTest::newRow("sdk: the model in ANTHROPIC_MODEL too")
            << governed(QStringLiteral("sdk"), alias)
            << governedCore() + QStringList{QStringLiteral("ANTHROPIC_MODEL=") + alias} +
                   gatehouseTail(QStringLiteral("1"), QString(), alias);
        QTest::newRow("codex: no model variable exists")
            << governed(QStringLiteral("codex"), alias, execution)
            << governedCore() + gatehouseTail(QStringLiteral("1"), execution, alias);
        QTest::newRow("custom: GATEHOUSE_MODEL only")
            << governed(QStringLiteral("custom"), alias)
            << governedCore() + gatehouseTail(QStringLiteral("1"), QString(), alias);
        QTest::newRow("no principal type")
            << governed(QString(), alias)
            << governedCore() + gatehouseTail(QStringLiteral("1"), QString(), alias);
        QTest::newRow("claude-code without a model: no model variable")
            << governed(QStringLiteral("claude-code"), QString())
            << governedCore() + gatehouseTail(QStringLiteral("1"), QString(), QString());
        QTest::newRow("opencode without a model: no inline config")
            << governed(QStringLiteral("opencode"), QString(), execution)
            << governedCore() + gatehouseTail(QStringLiteral("1"), execution, QString());
        QTest::newRow("direct: provider URLs, keys untouched, the provider's model name")
            << direct(QStringLiteral("claude-code"), QString(),
                      QStringLiteral("https://api.anthropic.com"))
            << QStringList{QStringLiteral("ANTHROPIC_BASE_URL=https://api.anthropic.com"),
                           QStringLiteral("ANTHROPIC_MODEL=provider-model-7")} +
                   gatehouseTail(QStringLiteral("0"), QString(),
                                 QStringLiteral("provider-model-7"));
        QTest::newRow("direct with both families")
            << direct(QStringLiteral("codex"), QStringLiteral("https://api.openai.com/v1"),
                      QStringLiteral("https://api.anthropic.com"))
            << QStringList{QStringLiteral("OPENAI_BASE_URL=https://api.openai.com/v1"),
                           QStringLiteral("ANTHROPIC_BASE_URL=https://api.anthropic.com")} +
                   gatehouseTail(QStringLiteral("0"), QString(),
                                 QStringLiteral("provider-model-7"));
        QTest::newRow("direct opencode: no inline config, Gatehouse is not in the path")
            << direct(QStringLiteral("opencode"), QStringLiteral("https://api.openai.com/v1"),
                      QString())
            << QStringList{QStringLiteral("OPENAI_BASE_URL=https://api.openai.com/v1")} +
                   gatehouseTail(QStringLiteral("0"), QString(),
                                 QStringLiteral("provider-model-7"));
    }

    void forCredential()
    {
        QFETCH(MintedCredential, credential);
        QFETCH(QStringList, expected);
        QCOMPARE(rendered(RuntimeEnvironment::forCredential(credential)), expected);
    }

    void openCodeGetsGatehouseAsItsProvider()
    {
        const auto entries = RuntimeEnvironment::forCredential(
            governed(QStringLiteral("opencode"), QStringLiteral("claude-haiku-4-5")));
        QCOMPARE(rendered(entries.mid(0, 6)), governedCore());
        QCOMPARE(entries.at(6).name, QStringLiteral("OPENCODE_CONFIG_CONTENT"));
        QJsonParseError error;
        const QJsonObject config =
            QJsonDocument::fromJson(entries.at(6).value.toUtf8(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(config.value(QStringLiteral("model")).toString(),
                 QStringLiteral("gatehouse/claude-haiku-4-5"));
        const QJsonObject provider = config.value(QStringLiteral("provider"))
                                         .toObject()
                                         .value(QStringLiteral("gatehouse"))
                                         .toObject();
        QCOMPARE(provider.value(QStringLiteral("npm")).toString(),
                 QStringLiteral("@ai-sdk/openai-compatible"));
        const QJsonObject options = provider.value(QStringLiteral("options")).toObject();
        QCOMPARE(options.value(QStringLiteral("baseURL")).toString(), kOpenAi);
        QCOMPARE(options.value(QStringLiteral("apiKey")).toString(), kToken);
        QVERIFY(provider.value(QStringLiteral("models"))
                    .toObject()
                    .contains(QStringLiteral("claude-haiku-4-5")));
        QCOMPARE(rendered(entries.mid(7)),
                 gatehouseTail(QStringLiteral("1"), QString(), QStringLiteral("claude-haiku-4-5")));
    }

    void shellExportsSurviveSh_data()
    {
        QTest::addColumn<QString>("value");

        QTest::newRow("plain") << QStringLiteral("http://127.0.0.1:8787/openai/v1");
        QTest::newRow("single quote") << QStringLiteral("it's");
        QTest::newRow("only quotes") << QStringLiteral("'''");
        QTest::newRow("spaces") << QStringLiteral("  two  spaces  ");
        QTest::newRow("newlines") << QStringLiteral("line one\nline two\n");
        QTest::newRow("sh syntax") << QStringLiteral("$HOME `id` $(id) \\ \" ; & | * ? ~ #");
        QTest::newRow("empty") << QString();
        QTest::newRow("unicode") << QStringLiteral(u"gr\u00fc\u00dfe \u2713");
    }

    void shellExportsSurviveSh()
    {
        QFETCH(QString, value);
        const QList<EnvironmentEntry> entries{
            EnvironmentEntry::set(QStringLiteral("GH_VALUE"), value),
            EnvironmentEntry::removed(QStringLiteral("GH_GONE")),
            EnvironmentEntry::set(QStringLiteral("GH_AFTER"), QStringLiteral("after")),
        };
        QProcessEnvironment start = QProcessEnvironment::systemEnvironment();
        start.insert(QStringLiteral("GH_GONE"), QStringLiteral("was here"));
        const QString seen = evaluatedBySh(
            RuntimeEnvironment::shellExports(entries),
            {QStringLiteral("GH_VALUE"), QStringLiteral("GH_GONE"), QStringLiteral("GH_AFTER")},
            start);
        QCOMPARE(seen, QStringLiteral("GH_VALUE=[") + value +
                           QStringLiteral("]\nGH_GONE <unset>\nGH_AFTER=[after]\n"));
    }

    void shellExportsText()
    {
        const QList<EnvironmentEntry> entries{
            EnvironmentEntry::set(QStringLiteral("A"), QStringLiteral("it's")),
            EnvironmentEntry::removed(QStringLiteral("B")),
        };
        QCOMPARE(RuntimeEnvironment::shellExports(entries),
                 QStringLiteral("export A='it'\\''s'\nunset B\n"));
        QCOMPARE(RuntimeEnvironment::shellExports({}), QString());
    }

    void shellQuoted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");

        QTest::newRow("plain word") << QStringLiteral("codex") << QStringLiteral("codex");
        QTest::newRow("path and option") << QStringLiteral("--model=/a/b.c,d:e@f%g+h")
                                         << QStringLiteral("--model=/a/b.c,d:e@f%g+h");
        QTest::newRow("space") << QStringLiteral("two words") << QStringLiteral("'two words'");
        QTest::newRow("quote") << QStringLiteral("it's") << QStringLiteral("'it'\\''s'");
        QTest::newRow("dollar") << QStringLiteral("$HOME") << QStringLiteral("'$HOME'");
        QTest::newRow("empty") << QString() << QStringLiteral("''");
        QTest::newRow("non-ASCII") << QStringLiteral(u"\u00e9") << QStringLiteral(u"'\u00e9'");
    }

    void shellQuoted()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(RuntimeEnvironment::shellQuoted(text), expected);
    }

    void applyToSetsAndRemoves()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("sk-own"));
        environment.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-own"));
        environment.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin"));
        RuntimeEnvironment::applyTo(
            RuntimeEnvironment::forCredential(governed(QStringLiteral("codex"), QString())),
            &environment);
        QVERIFY(!environment.contains(QStringLiteral("ANTHROPIC_API_KEY")));
        QCOMPARE(environment.value(QStringLiteral("OPENAI_API_KEY")), kToken);
        QCOMPARE(environment.value(QStringLiteral("CODEX_API_KEY")), kToken);
        QCOMPARE(environment.value(QStringLiteral("PATH")), QStringLiteral("/usr/bin"));

        QProcessEnvironment own;
        own.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("sk-own"));
        RuntimeEnvironment::applyTo(
            RuntimeEnvironment::forCredential(direct(QStringLiteral("claude-code"), QString(),
                                                     QStringLiteral("https://api.anthropic.com"))),
            &own);
        QCOMPARE(own.value(QStringLiteral("ANTHROPIC_API_KEY")), QStringLiteral("sk-own"));
        QVERIFY(!own.contains(QStringLiteral("ANTHROPIC_AUTH_TOKEN")));
    }
};

QTEST_GUILESS_MAIN(tst_RuntimeEnvironment)
#include "tst_runtimeenvironment.moc"
