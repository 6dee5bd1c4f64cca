// The Models and access page on a running gateway: providers and aliases with prices and routing,
// alias edits that apply to the next request, a credential minted through the dialog that works
// with the token from its snippet (masked on screen), and a revocation through the view that makes
// the next request fail with 401.
#include "access/accessview.h"
#include "access/aliasdialog.h"
#include "access/credentialmodel.h"
#include "access/mintdialog.h"
#include "access/routemodel.h"
#include "common/consolestyle.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "ledger/pricetable.h"
#include "requestbodies.h"
#include "screenshot.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QJsonArray cannedProviders()
{
    const QJsonObject priced{{u"alias"_s, u"fast"_s},
                             {u"provider"_s, u"openai"_s},
                             {u"model"_s, u"gpt-4o-mini"_s},
                             {u"upstreamModel"_s, u"gpt-4o-mini"_s},
                             {u"pattern"_s, false},
                             {u"directFor"_s, QJsonArray()},
                             {u"source"_s, u"configuration"_s},
                             {u"price"_s, QJsonObject{{u"inputMicrosPerMtok"_s, 150000},
                                                      {u"outputMicrosPerMtok"_s, 600000},
                                                      {u"cacheReadMicrosPerMtok"_s, 75000},
                                                      {u"source"_s, u"bundled"_s}}}};
    const QJsonObject unpriced{{u"alias"_s, u"mystery"_s},
                               {u"provider"_s, u"openai"_s},
                               {u"upstreamModel"_s, u"mystery-1"_s},
                               {u"pattern"_s, false},
                               {u"directFor"_s, QJsonArray{u"codex"_s}},
                               {u"source"_s, u"admin"_s},
                               {u"price"_s, u"unpriced"_s}};
    const QJsonObject pattern{{u"alias"_s, u"claude-*"_s},
                              {u"provider"_s, u"anthropic"_s},
                              {u"pattern"_s, true},
                              {u"directFor"_s, QJsonArray()},
                              {u"source"_s, u"configuration"_s},
                              {u"price"_s, QJsonValue()}};
    return {QJsonObject{{u"name"_s, u"anthropic"_s},
                        {u"protocol"_s, u"anthropic"_s},
                        {u"baseUrl"_s, u"https://api.anthropic.com"_s},
                        {u"keyVariable"_s, u"ANTHROPIC_API_KEY"_s},
                        {u"keySet"_s, false},
                        {u"aliases"_s, QJsonArray{pattern}}},
            QJsonObject{{u"name"_s, u"openai"_s},
                        {u"protocol"_s, u"openai"_s},
                        {u"baseUrl"_s, u"https://api.openai.com/v1"_s},
                        {u"keyVariable"_s, u"OPENAI_API_KEY"_s},
                        {u"keySet"_s, true},
                        {u"aliases"_s, QJsonArray{priced, unpriced}}}};
}

QString cell(const QAbstractItemModel *model, const QModelIndex &index, int role = Qt::DisplayRole)
{
    return model->data(index, role).toString();
}

template<typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// The dialog of this type that is open (a closed one may wait for its deferred deletion).
template<typename T> T *openDialog(QWidget *parent)
{
    for (T *dialog : parent->findChildren<T *>()) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

QPushButton *boxButton(QMessageBox *box, QMessageBox::ButtonRole role)
{
    for (QAbstractButton *button : box->buttons()) {
        if (box->buttonRole(button) == role)
            return qobject_cast<QPushButton *>(button);
    }
    return nullptr;
}

} // namespace

class tst_AccessView : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;

    std::optional<RawHttpResponse> chat(const QString &model, const QByteArray &bearer = {})
    {
        return m_fixture.call("POST", "/openai/v1/chat/completions",
                              RequestBodies::chat(model, u"hello from the console test"_s), bearer);
    }
    static void select(QAbstractItemView *view, const QModelIndex &index)
    {
        view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                  QItemSelectionModel::Rows);
    }

private Q_SLOTS:
    void initTestCase()
    {
        ConsoleStyle::apply(*qApp);
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
    }
    void cleanupTestCase() { m_console.reset(); }

    void routeModelShowsPricesAndRouting()
    {
        RouteModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProviders(cannedProviders());
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex openai = model.index(1, 0);
        QCOMPARE(cell(&model, openai), u"openai"_s);
        QCOMPARE(model.rowCount(openai), 2);
        QCOMPARE(cell(&model, model.index(0, RouteModel::Routing)), u"ANTHROPIC_API_KEY not set"_s);
        QVERIFY(cell(&model, model.index(0, RouteModel::UpstreamModel))
                    .contains(u"https://api.anthropic.com"_s));

        const auto row = [&](int r, int column) { return model.index(r, column, openai); };
        QCOMPARE(cell(&model, row(0, RouteModel::InputPrice)), u"$0.15"_s);
        QCOMPARE(cell(&model, row(0, RouteModel::OutputPrice)), u"$0.60"_s);
        QCOMPARE(cell(&model, row(0, RouteModel::CachedPrice)), u"$0.075"_s);
        QCOMPARE(model.data(row(0, RouteModel::InputPrice), Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(cell(&model, row(0, RouteModel::Routing)), u"Through Gatehouse"_s);
        // Unpriced is said, never $0.
        QCOMPARE(cell(&model, row(1, RouteModel::InputPrice)), u"unpriced"_s);
        QCOMPARE(cell(&model, row(1, RouteModel::Routing)), u"Direct for Codex"_s);
        QCOMPARE(model.data(row(1, RouteModel::Routing), Qt::ForegroundRole).value<QColor>(),
                 ConsoleStyle::warning());
        QCOMPARE(model.data(row(1, 0), RouteModel::EditableRole).toBool(), true);
        QCOMPARE(model.data(row(0, 0), RouteModel::EditableRole).toBool(), false);
        const QModelIndex pattern = model.index(0, RouteModel::InputPrice, model.index(0, 0));
        QCOMPARE(cell(&model, pattern), u"per model"_s);

        QCOMPARE(model.indexOfAlias(u"mystery"_s), row(1, 0));
        QCOMPARE(model.alias(u"mystery"_s)->directFor, QStringList{u"codex"_s});

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setProviders(cannedProviders()); // unchanged: the view keeps its state
        QCOMPARE(resets.size(), 0);
        model.setProviders({});
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 0);
    }

    void credentialModelListsNewestFirst()
    {
        CredentialModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto credential = [](const char *id, const char *state, qint64 created,
                                   const char *principal, const char *type) {
            return QJsonObject{{u"id"_s, QString::fromLatin1(id)},
                               {u"state"_s, QString::fromLatin1(state)},
                               {u"principal"_s, QString::fromLatin1(principal)},
                               {u"principalType"_s, QString::fromLatin1(type)},
                               {u"flow"_s, QJsonValue()},
                               {u"model"_s, u"fast"_s},
                               {u"governed"_s, true},
                               {u"createdAtMs"_s, created},
                               {u"expiresAtMs"_s, created + 1'800'000}};
        };
        model.setCredentials({credential("cr_old", "revoked", 1000, "codex", "codex"),
                              credential("cr_new", "active", 3000, "ana-laptop", "claude-code"),
                              credential("cr_mid", "expired", 2000, "", "")});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(&model, model.index(0, CredentialModel::Id)), u"cr_new"_s);
        QCOMPARE(cell(&model, model.index(0, CredentialModel::Runtime)),
                 u"ana-laptop (Claude Code)"_s);
        QCOMPARE(cell(&model, model.index(1, CredentialModel::Runtime)), u"any runtime"_s);
        QCOMPARE(cell(&model, model.index(2, CredentialModel::Runtime)), u"Codex"_s);
        QCOMPARE(cell(&model, model.index(2, CredentialModel::State)), u"revoked"_s);
        QCOMPARE(
            model.data(model.index(0, CredentialModel::State), Qt::ForegroundRole).value<QColor>(),
            ConsoleStyle::ok());
        QCOMPARE(
            model.data(model.index(2, CredentialModel::State), Qt::ForegroundRole).value<QColor>(),
            ConsoleStyle::failure());
        QCOMPARE(model.rowOf(u"cr_mid"_s), 1);
        QCOMPARE(model.data(model.index(1, 0), CredentialModel::StateRole).toString(),
                 u"expired"_s);
        model.setCredentials({});
        QCOMPARE(model.rowCount(), 0);
    }

    void listsTheGatewaysProvidersAndAliases()
    {
        AccessView view(m_console.get());
        QAbstractItemModelTester routes(view.routes(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester credentials(
            view.credentials(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(view.routes()->alias(u"fast"_s).has_value());
        const RouteModel::Alias fast = *view.routes()->alias(u"fast"_s);
        QCOMPARE(fast.provider, u"simulator"_s);
        QCOMPARE(fast.upstreamModel, u"gpt-4o-mini"_s);
        QCOMPARE(fast.input, PriceTable::bundled().find(u"gpt-4o-mini"_s)->input);
        QVERIFY(!view.routes()->alias(u"mystery"_s)->priced);
        QVERIFY(view.routes()->providerNames().contains(u"keyless"_s));

        // A configuration alias can be edited (stored over the file's) but not removed here.
        auto *tree = child<QTreeView>(&view, "routes");
        select(tree, view.routes()->indexOfAlias(u"fast"_s));
        QVERIFY(child<QPushButton>(&view, "editAlias")->isEnabled());
        QVERIFY(!child<QPushButton>(&view, "removeAlias")->isEnabled());
    }

    void aliasEditsApplyToTheNextRequest()
    {
        AccessView view(m_console.get());
        QTRY_VERIFY(view.routes()->alias(u"fast"_s).has_value());
        QCOMPARE(chat(u"team-fast"_s)->status, 404);

        view.addAlias();
        auto *dialog = openDialog<AliasDialog>(&view);
        QVERIFY(dialog);
        child<QLineEdit>(dialog, "aliasName")->setText(u"team-fast"_s);
        child<QComboBox>(dialog, "aliasProvider")->setCurrentText(u"simulator"_s);
        child<QLineEdit>(dialog, "aliasModel")->setText(u"gpt-4o-mini"_s);
        QTest::mouseClick(child<QPushButton>(dialog, "saveAlias"), Qt::LeftButton);
        QTRY_VERIFY(view.routes()->alias(u"team-fast"_s).has_value());

        const auto response = chat(u"team-fast"_s);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(row.value(u"provider"_s).toString(), u"simulator"_s);
        QCOMPARE(row.value(u"upstream_model"_s).toString(), u"gpt-4o-mini"_s);

        // Edited to direct for Codex: the admin API routes it so at once.
        auto *tree = child<QTreeView>(&view, "routes");
        select(tree, view.routes()->indexOfAlias(u"team-fast"_s));
        QVERIFY(child<QPushButton>(&view, "removeAlias")->isEnabled());
        view.editAlias();
        auto *edit = openDialog<AliasDialog>(&view);
        QVERIFY(edit);
        QCOMPARE(child<QLineEdit>(edit, "aliasName")->text(), u"team-fast"_s);
        QVERIFY(child<QLineEdit>(edit, "aliasName")->isReadOnly());
        QCOMPARE(child<QLineEdit>(edit, "aliasModel")->text(), u"gpt-4o-mini"_s);
        child<QCheckBox>(edit, "direct-codex")->setChecked(true);
        QVERIFY(child<QRadioButton>(edit, "routeDirectSome")->isChecked());
        QTest::mouseClick(child<QPushButton>(edit, "saveAlias"), Qt::LeftButton);
        QTRY_COMPARE(view.routes()->alias(u"team-fast"_s)->directFor, QStringList{u"codex"_s});
        const auto stored = m_fixture.admin("GET", "/admin/v1/aliases/team-fast");
        QCOMPARE(GatewayFixture::json(*stored).value(u"directFor"_s).toArray(),
                 QJsonArray{u"codex"_s});

        // Removed after confirmation: the next request for it is refused.
        select(tree, view.routes()->indexOfAlias(u"team-fast"_s));
        view.removeAlias();
        auto *confirm = view.findChild<QMessageBox *>(u"confirmRemoveAlias"_s);
        QVERIFY(confirm);
        QTest::mouseClick(boxButton(confirm, QMessageBox::DestructiveRole), Qt::LeftButton);
        QTRY_VERIFY(!view.routes()->alias(u"team-fast"_s).has_value());
        QCOMPARE(chat(u"team-fast"_s)->status, 404);
    }

    void mintedCredentialWorksAndRevokingItStopsIt()
    {
        AccessView view(m_console.get());
        QAbstractItemModelTester credentials(
            view.credentials(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy refreshed(&view, &AccessView::refreshed);
        QTRY_VERIFY(!refreshed.isEmpty());

        view.mintCredential();
        auto *dialog = openDialog<MintDialog>(&view);
        QVERIFY(dialog);
        auto *runtime = child<QComboBox>(dialog, "runtimeType");
        runtime->setCurrentIndex(runtime->findData(u"codex"_s));
        child<QLineEdit>(dialog, "principalName")->setText(u"ci-runner"_s);
        child<QLineEdit>(dialog, "flow")->setText(u"nightly"_s);
        auto *model = child<QComboBox>(dialog, "model");
        QTRY_VERIFY(model->findData(u"fast"_s) >= 0);
        model->setCurrentIndex(model->findData(u"fast"_s));
        QSignalSpy minted(dialog, &MintDialog::minted);
        QTest::mouseClick(child<QPushButton>(dialog, "mint"), Qt::LeftButton);
        QTRY_COMPARE(minted.size(), 1);
        const QString id = minted.first().first().toString();
        QVERIFY(id.startsWith(u"cr_"_s));

        // Copy puts the working snippet on the clipboard; the screen shows it masked.
        auto *snippet = child<QPlainTextEdit>(dialog, "snippet");
        QTest::mouseClick(child<QPushButton>(dialog, "copySnippet"), Qt::LeftButton);
        const QString copied = QGuiApplication::clipboard()->text();
        const QRegularExpressionMatch key =
            QRegularExpression(u"export OPENAI_API_KEY='([^']+)'"_s).match(copied);
        QVERIFY2(key.hasMatch(), qPrintable(copied));
        const QString token = key.captured(1);
        QVERIFY(token.startsWith(u"ghrt_"_s));
        for (const QString &variable : {u"OPENAI_BASE_URL"_s, u"CODEX_API_KEY"_s,
                                        u"ANTHROPIC_AUTH_TOKEN"_s, u"GATEHOUSE_CREDENTIAL_ID"_s})
            QVERIFY2(copied.contains(u"export "_s + variable + u'='), qPrintable(variable));
        QVERIFY(copied.contains(u"unset ANTHROPIC_API_KEY"_s));
        QVERIFY(copied.contains(m_console->url() + u"/openai/v1"_s));
        // Nothing of the secret (after "ghrt_<id>_", and it may hold '_' itself) is on screen.
        const QString secret = token.section(u'_', 2);
        QVERIFY(secret.size() > 20);
        for (qsizetype at = 0; at + 6 <= secret.size(); ++at)
            QVERIFY2(!snippet->toPlainText().contains(secret.mid(at, 6)),
                     qPrintable(QString::number(at)));
        QVERIFY(snippet->toPlainText().contains(token.section(u'_', 0, 1) + u'_' + QChar(0x2022)));
        auto *show = child<QPushButton>(dialog, "showToken");
        QTest::mouseClick(show, Qt::LeftButton);
        QCOMPARE(snippet->toPlainText(), copied);
        QTest::mouseClick(show, Qt::LeftButton);
        QVERIFY(!snippet->toPlainText().contains(token));

        const auto allowed = chat(u"fast"_s, token.toLatin1());
        QVERIFY(allowed);
        QCOMPARE(allowed->status, 200);
        QCOMPARE(m_fixture.ledgerRow(*allowed).value(u"flow"_s).toString(), u"nightly"_s);

        // Listed (never with its token) and selected.
        QTRY_VERIFY(view.credentials()->rowOf(id) >= 0);
        const int row = view.credentials()->rowOf(id);
        const CredentialModel::Credential &listed = view.credentials()->at(row);
        QCOMPARE(listed.state, u"active"_s);
        QCOMPARE(listed.principal, u"ci-runner"_s);
        QCOMPARE(listed.principalType, u"codex"_s);
        QCOMPARE(listed.flow, u"nightly"_s);
        dialog->accept();

        auto *table = child<QTableView>(&view, "credentials");
        table->selectRow(view.credentials()->rowOf(id));
        QVERIFY(child<QPushButton>(&view, "revokeCredential")->isEnabled());
        view.revokeCredential();
        auto *confirm = view.findChild<QMessageBox *>(u"confirmRevoke"_s);
        QVERIFY(confirm);
        QVERIFY(confirm->text().contains(id));
        QTest::mouseClick(boxButton(confirm, QMessageBox::DestructiveRole), Qt::LeftButton);
        QTRY_COMPARE(view.credentials()->at(view.credentials()->rowOf(id)).state, u"revoked"_s);
        QVERIFY(!child<QPushButton>(&view, "revokeCredential")->isEnabled());

        const auto refused = chat(u"fast"_s, token.toLatin1());
        QVERIFY(refused);
        QCOMPARE(refused->status, 401);
    }

    void mintRefusesAPrincipalOfAnotherType()
    {
        QVERIFY(m_fixture.admin("PUT", "/admin/v1/principals/build-bot",
                                QJsonObject{{u"type"_s, u"custom"_s}}));
        MintDialog dialog(m_console.get());
        auto *runtime = child<QComboBox>(&dialog, "runtimeType");
        runtime->setCurrentIndex(runtime->findData(u"claude-code"_s));
        child<QLineEdit>(&dialog, "principalName")->setText(u"build-bot"_s);
        QSignalSpy minted(&dialog, &MintDialog::minted);
        QTest::mouseClick(child<QPushButton>(&dialog, "mint"), Qt::LeftButton);
        auto *error = child<QLabel>(&dialog, "mintError");
        QTRY_VERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(u"build-bot"_s) && error->text().contains(u"Custom"_s),
                 qPrintable(error->text()));
        QCOMPARE(minted.size(), 0);
    }

    void screenshots()
    {
        // A direct alias, and credentials in every state.
        QVERIFY(m_fixture.admin("PUT", "/admin/v1/aliases/claude-direct",
                                QJsonObject{{u"provider"_s, u"down-anthropic"_s},
                                            {u"model"_s, u"claude-sonnet-4-5"_s},
                                            {u"direct"_s, QJsonArray{u"claude-code"_s}}}));
        QVERIFY(m_fixture.admin(
            "PUT", "/admin/v1/aliases/team-fast",
            QJsonObject{{u"provider"_s, u"simulator"_s}, {u"model"_s, u"gpt-4o-mini"_s}}));
        const auto expiring =
            m_fixture.admin("POST", "/admin/v1/credentials",
                            QJsonObject{{u"principal"_s, u"sdk"_s}, {u"ttlSeconds"_s, 1}});
        QVERIFY(expiring && expiring->status == 201);
        const qint64 expiresAt =
            GatewayFixture::json(*expiring).value(u"expiresAtMs"_s).toInteger();
        QVERIFY(m_fixture.admin("POST", "/admin/v1/credentials",
                                QJsonObject{{u"principal"_s, u"claude-code"_s},
                                            {u"model"_s, u"fast"_s},
                                            {u"flow"_s, u"docs-refresh"_s},
                                            {u"ttlSeconds"_s, 8 * 3600}}));
        QVERIFY(
            m_fixture.admin("POST", "/admin/v1/credentials",
                            QJsonObject{{u"principal"_s, u"opencode"_s}, {u"ttlSeconds"_s, 3600}}));
        const auto revoked =
            m_fixture.admin("POST", "/admin/v1/credentials",
                            QJsonObject{{u"principal"_s, u"codex"_s}, {u"flow"_s, u"nightly"_s}});
        QVERIFY(revoked && revoked->status == 201);
        const QByteArray revokedId =
            GatewayFixture::json(*revoked).value(u"id"_s).toString().toLatin1();
        QVERIFY(m_fixture.admin("DELETE", "/admin/v1/credentials/" + revokedId));

        AccessView view(m_console.get());
        view.resize(1280, 800);
        QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > expiresAt);
        QSignalSpy refreshed(&view, &AccessView::refreshed);
        view.refresh();
        QTRY_VERIFY(!refreshed.isEmpty());
        QStringList states;
        for (int row = 0; row < view.credentials()->rowCount(); ++row)
            states += view.credentials()->at(row).state;
        QVERIFY2(states.contains(u"active"_s) && states.contains(u"revoked"_s) &&
                     states.contains(u"expired"_s),
                 qPrintable(states.join(u' ')));
        child<QTreeView>(&view, "routes")->expandAll();
        Screenshot::save(&view, u"access-page"_s);

        select(child<QTreeView>(&view, "routes"), view.routes()->indexOfAlias(u"claude-direct"_s));
        view.editAlias();
        auto *aliasDialog = openDialog<AliasDialog>(&view);
        QVERIFY(aliasDialog);
        QVERIFY(child<QCheckBox>(aliasDialog, "direct-claude-code")->isChecked());
        aliasDialog->adjustSize();
        Screenshot::save(aliasDialog, u"access-alias-dialog"_s);
        aliasDialog->reject();

        view.mintCredential();
        auto *dialog = openDialog<MintDialog>(&view);
        QVERIFY(dialog);
        auto *runtime = child<QComboBox>(dialog, "runtimeType");
        runtime->setCurrentIndex(runtime->findData(u"claude-code"_s));
        child<QLineEdit>(dialog, "flow")->setText(u"docs-refresh"_s);
        auto *model = child<QComboBox>(dialog, "model");
        QTRY_VERIFY(model->findData(u"fast"_s) >= 0);
        model->setCurrentIndex(model->findData(u"fast"_s));
        dialog->adjustSize();
        Screenshot::save(dialog, u"access-mint-form"_s);
        QSignalSpy minted(dialog, &MintDialog::minted);
        QTest::mouseClick(child<QPushButton>(dialog, "mint"), Qt::LeftButton);
        QTRY_COMPARE(minted.size(), 1);
        QVERIFY(!child<QPushButton>(dialog, "showToken")->isChecked());
        QVERIFY(child<QPlainTextEdit>(dialog, "snippet")->toPlainText().contains(QChar(0x2022)));
        dialog->adjustSize();
        Screenshot::save(dialog, u"access-mint-snippet"_s);
    }
};

QTEST_MAIN(tst_AccessView)
#include "tst_accessview.moc"
