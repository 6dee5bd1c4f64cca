#include "mintdialog.h"

#include "admin/adminreply.h"
#include "common/consolestyle.h"
#include "config/configuration.h"
#include "gatewayconsole.h"
#include "policy/runtimeenvironment.h"
#include "runtimetype.h"

#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QLabel *colouredLabel(const QColor &colour, const QString &text = {})
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, colour);
    label->setPalette(palette);
    return label;
}

// A token is "<prefix>_<id>_<secret>" and the secret may hold '_' itself: its public part (the
// prefix and the id name the credential) stays readable, nothing of the secret does.
QString maskedToken(const QString &token)
{
    const qsizetype idEnd = token.indexOf(u'_', token.indexOf(u'_') + 1);
    return (idEnd > 0 ? token.left(idEnd + 1) : QString()) + QString(16, QChar(0x2022));
}

QString runHint(const QString &type)
{
    if (type == u"claude-code")
        return QCoreApplication::translate("MintDialog",
                                           "Paste it into a shell, then start claude there.");
    if (type == u"codex")
        return QCoreApplication::translate("MintDialog",
                                           "Paste it into a shell, then start codex there.");
    if (type == u"opencode")
        return QCoreApplication::translate("MintDialog",
                                           "Paste it into a shell, then start opencode there.");
    if (type == u"sdk")
        return QCoreApplication::translate(
            "MintDialog", "OpenAI and Anthropic SDK apps started from that shell read these "
                          "variables without any code change.");
    return QCoreApplication::translate(
        "MintDialog", "Point your runtime at OPENAI_BASE_URL or ANTHROPIC_BASE_URL with the "
                      "token as its bearer key.");
}

} // namespace

MintDialog::MintDialog(GatewayConsole *console, QWidget *parent)
    : QDialog(parent)
    , m_console(console)
    , m_formPage(new QWidget)
    , m_resultPage(new QWidget)
    , m_runtime(new QComboBox)
    , m_principal(new QLineEdit)
    , m_flow(new QLineEdit)
    , m_model(new QComboBox)
    , m_allowedModels(new QLineEdit)
    , m_lifetime(new QComboBox)
    , m_error(colouredLabel(ConsoleStyle::failure()))
    , m_mint(nullptr)
    , m_heading(new QLabel)
    , m_notice(colouredLabel(ConsoleStyle::warning()))
    , m_hint(colouredLabel(ConsoleStyle::muted()))
    , m_snippet(new QPlainTextEdit)
    , m_show(new QPushButton(tr("Show token")))
    , m_copied(colouredLabel(ConsoleStyle::ok()))
{
    setWindowTitle(tr("Mint runtime credential"));
    setMinimumWidth(760);
    m_runtime->setObjectName(u"runtimeType"_s);
    m_principal->setObjectName(u"principalName"_s);
    m_flow->setObjectName(u"flow"_s);
    m_model->setObjectName(u"model"_s);
    m_allowedModels->setObjectName(u"allowedModels"_s);
    m_lifetime->setObjectName(u"lifetime"_s);
    m_error->setObjectName(u"mintError"_s);
    m_snippet->setObjectName(u"snippet"_s);
    m_show->setObjectName(u"showToken"_s);

    // The form.
    for (const QString &type : principalTypes())
        m_runtime->addItem(RuntimeType::displayName(type), type);
    m_principal->setPlaceholderText(tr("optional, e.g. ana-laptop"));
    m_flow->setPlaceholderText(tr("optional, e.g. nightly-refactor"));
    m_model->addItem(tr("The runtime's choice"), QString());
    m_allowedModels->setPlaceholderText(tr("every model (or e.g. fast, claude-*)"));
    const IdentitySettings &identity = console->configuration().identity;
    const QList<std::pair<qint64, QString>> lifetimes{
        {15 * 60, tr("15 minutes")}, {30 * 60, tr("30 minutes")}, {3600, tr("1 hour")},
        {4 * 3600, tr("4 hours")},   {8 * 3600, tr("8 hours")},   {24 * 3600, tr("24 hours")}};
    for (const auto &[seconds, label] : lifetimes) {
        if (seconds * 1000 > identity.maxCredentialTtlMs)
            continue;
        m_lifetime->addItem(label, seconds);
        if (seconds * 1000 == identity.defaultCredentialTtlMs)
            m_lifetime->setCurrentIndex(m_lifetime->count() - 1);
    }

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Runtime"), m_runtime);
    form->addRow(tr("Principal name"), m_principal);
    form->addRow(tr("Flow"), m_flow);
    form->addRow(tr("Default model"), m_model);
    form->addRow(tr("Allowed models"), m_allowedModels);
    form->addRow(tr("Lifetime"), m_lifetime);
    m_error->hide();
    auto *formButtons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_mint = formButtons->addButton(tr("Mint credential"), QDialogButtonBox::AcceptRole);
    m_mint->setObjectName(u"mint"_s);
    m_mint->setDefault(true);
    connect(formButtons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_mint, &QPushButton::clicked, this, &MintDialog::mint);
    auto *formColumn = new QVBoxLayout(m_formPage);
    formColumn->setContentsMargins(0, 0, 0, 0);
    formColumn->addWidget(colouredLabel(
        ConsoleStyle::muted(),
        tr("A credential lets one runtime call Gatehouse for a while; its calls are recorded "
           "under this runtime and flow.")));
    formColumn->addSpacing(4);
    formColumn->addLayout(form);
    formColumn->addWidget(m_error);
    formColumn->addStretch();
    formColumn->addWidget(formButtons);

    // The result, shown once.
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_heading->setFont(headingFont);
    m_heading->setWordWrap(true);
    m_snippet->setReadOnly(true);
    m_snippet->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_snippet->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_snippet->setMinimumHeight(230);
    m_show->setCheckable(true);
    connect(m_show, &QPushButton::toggled, this, [this](bool shown) {
        m_show->setText(shown ? tr("Hide token") : tr("Show token"));
        m_snippet->setPlainText(snippet(!shown));
    });
    auto *copy = new QPushButton(tr("Copy"));
    copy->setObjectName(u"copySnippet"_s);
    connect(copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(snippet(false));
        m_copied->setText(tr("Copied, with the token."));
    });
    auto *once = colouredLabel(ConsoleStyle::muted());
    once->setText(tr("The token is shown only now: Gatehouse keeps only its hash. Copy it "
                     "before you close this window; to replace it, mint a new one."));
    auto *actions = new QHBoxLayout;
    actions->addWidget(copy);
    actions->addWidget(m_show);
    actions->addWidget(m_copied, 1);
    auto *doneButtons = new QDialogButtonBox(QDialogButtonBox::Close);
    doneButtons->button(QDialogButtonBox::Close)->setText(tr("Done"));
    connect(doneButtons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *resultColumn = new QVBoxLayout(m_resultPage);
    resultColumn->setContentsMargins(0, 0, 0, 0);
    resultColumn->addWidget(m_heading);
    resultColumn->addWidget(m_notice);
    resultColumn->addWidget(m_hint);
    resultColumn->addWidget(m_snippet, 1);
    resultColumn->addLayout(actions);
    resultColumn->addWidget(once);
    resultColumn->addWidget(doneButtons);

    // One page at a time, and the dialog fits the one on screen (a stacked widget would size
    // for both).
    m_resultPage->hide();
    auto *column = new QVBoxLayout(this);
    column->addWidget(m_formPage);
    column->addWidget(m_resultPage);
    loadChoices();
}

void MintDialog::loadChoices()
{
    QPointer<MintDialog> self(this);
    m_console->call("GET", u"aliases"_s, {}, [self](const AdminReply &reply) {
        if (!self || reply.failed())
            return;
        for (const QJsonValue &value : reply.body.toArray()) {
            const QString alias = value.toObject().value(u"alias"_s).toString();
            if (!alias.contains(u'*') && !alias.contains(u'?'))
                self->m_model->addItem(alias, alias);
        }
    });
    m_console->call("GET", u"flows"_s, {}, [self](const AdminReply &reply) {
        if (!self || reply.failed())
            return;
        QStringList flows;
        for (const QJsonValue &value : reply.body.toArray())
            flows += value.toObject().value(u"name"_s).toString();
        self->m_flow->setCompleter(new QCompleter(flows, self->m_flow));
    });
}

void MintDialog::mint()
{
    const QString type = m_runtime->currentData().toString();
    const QString name = m_principal->text().trimmed();
    m_error->hide();
    if (name.isEmpty() || name == type)
        return issue(type);
    if (principalTypes().contains(name))
        return fail(tr("“%1” is a runtime type: leave the name empty, or choose %2 above.")
                        .arg(name, RuntimeType::displayName(name)));
    m_mint->setEnabled(false);
    // A named principal is made on first use; an existing one keeps its account and models.
    QPointer<MintDialog> self(this);
    m_console->call("GET", u"principals"_s, {}, [self, name, type](const AdminReply &reply) {
        if (!self)
            return;
        if (reply.failed())
            return self->fail(reply.error);
        for (const QJsonValue &value : reply.body.toArray()) {
            const QJsonObject principal = value.toObject();
            if (principal.value(u"name"_s).toString() != name)
                continue;
            const QString existing = principal.value(u"type"_s).toString();
            if (existing != type)
                return self->fail(tr("%1 is already a %2 runtime.")
                                      .arg(name, RuntimeType::displayName(existing)));
            return self->issue(name);
        }
        self->m_console->call("PUT", u"principals/"_s + name, QJsonObject{{u"type"_s, type}},
                              [self, name](const AdminReply &made) {
                                  if (!self)
                                      return;
                                  if (made.failed())
                                      return self->fail(made.error);
                                  self->issue(name);
                              });
    });
}

void MintDialog::issue(const QString &principal)
{
    QJsonObject request{{u"principal"_s, principal},
                        {u"ttlSeconds"_s, m_lifetime->currentData().toLongLong()}};
    if (!m_flow->text().trimmed().isEmpty())
        request.insert(u"flow"_s, m_flow->text().trimmed());
    if (!m_model->currentData().toString().isEmpty())
        request.insert(u"model"_s, m_model->currentData().toString());
    static const QRegularExpression separators(u"[,\\s]+"_s);
    const QStringList allowed = m_allowedModels->text().split(separators, Qt::SkipEmptyParts);
    if (!allowed.isEmpty())
        request.insert(u"allowedModels"_s, QJsonArray::fromStringList(allowed));
    m_mint->setEnabled(false);
    QPointer<MintDialog> self(this);
    m_console->call("POST", u"credentials"_s, request, [self](const AdminReply &reply) {
        if (!self)
            return;
        if (reply.failed())
            return self->fail(reply.error);
        const auto credential = MintedCredential::fromJson(reply.body.toObject());
        if (!credential)
            return self->fail(tr("Gatehouse answered without a usable credential."));
        self->showCredential(*credential);
        Q_EMIT self->minted(credential->id);
    });
}

void MintDialog::fail(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    m_mint->setEnabled(true);
}

void MintDialog::showCredential(const MintedCredential &credential)
{
    m_credential = credential;
    const QString runtime = RuntimeType::displayName(credential.principalType);
    const QString expiry =
        QDateTime::fromMSecsSinceEpoch(credential.expiresAtMs).toString(u"yyyy-MM-dd HH:mm"_s);
    m_heading->setText(
        tr("Credential %1 for %2, valid until %3").arg(credential.id, runtime, expiry));
    m_notice->setText(credential.notice);
    m_notice->setVisible(!credential.governed);
    m_hint->setText(runHint(credential.principalType));
    m_show->setVisible(!credential.token.isEmpty());
    m_show->setChecked(false);
    m_snippet->setPlainText(snippet(true));
    m_copied->clear();
    m_formPage->hide();
    m_resultPage->show();
    adjustSize();
}

QString MintDialog::snippet(bool masked) const
{
    // The same text `gatehouse env` prints, so a snippet and the command never disagree.
    const QString expiry =
        QDateTime::fromMSecsSinceEpoch(m_credential.expiresAtMs, Qt::UTC).toString(Qt::ISODate);
    QString text =
        u"# gatehouse credential %1, expires %2%3\n"_s.arg(
            m_credential.id, expiry,
            m_credential.governed ? QString() : u" (direct: not governed)"_s) +
        RuntimeEnvironment::shellExports(RuntimeEnvironment::forCredential(m_credential));
    if (masked && !m_credential.token.isEmpty())
        text.replace(m_credential.token, maskedToken(m_credential.token));
    return text;
}
