#include "aliasdialog.h"

#include "admin/adminreply.h"
#include "common/consolestyle.h"
#include "config/configuration.h"
#include "gatewayconsole.h"
#include "runtimetype.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QLabel *note(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ConsoleStyle::muted());
    label->setPalette(palette);
    return label;
}

} // namespace

AliasDialog::AliasDialog(GatewayConsole *console, const QStringList &providers,
                         const std::optional<RouteModel::Alias> &alias, QWidget *parent)
    : QDialog(parent)
    , m_console(console)
    , m_name(new QLineEdit)
    , m_provider(new QComboBox)
    , m_model(new QLineEdit)
    , m_governed(new QRadioButton(tr("Through Gatehouse: budgets, limits and the ledger apply")))
    , m_directSome(new QRadioButton(tr("Direct for these runtimes:")))
    , m_directAll(new QRadioButton(tr("Direct for every runtime")))
    , m_patternNote(note(tr("A pattern passes the requested model name through to the provider "
                            "and is always routed through Gatehouse.")))
    , m_error(new QLabel)
    , m_save(new QPushButton(tr("Save")))
{
    setWindowTitle(alias ? tr("Edit alias %1").arg(alias->alias) : tr("Add alias"));
    setMinimumWidth(680);
    m_name->setObjectName(u"aliasName"_s);
    m_provider->setObjectName(u"aliasProvider"_s);
    m_model->setObjectName(u"aliasModel"_s);
    m_governed->setObjectName(u"routeGoverned"_s);
    m_directSome->setObjectName(u"routeDirectSome"_s);
    m_directAll->setObjectName(u"routeDirectAll"_s);
    m_error->setObjectName(u"aliasError"_s);

    m_name->setPlaceholderText(tr("e.g. team-fast, or claude-* for a pattern"));
    // The admin API's alias names (but '/', which would split the route's path); anything else
    // would only come back refused.
    m_name->setValidator(new QRegularExpressionValidator(
        QRegularExpression(u"[A-Za-z0-9\\-_.:@*?]{1,128}"_s), m_name));
    m_provider->addItems(providers);
    m_model->setPlaceholderText(tr("the alias name itself"));

    auto *routing = new QButtonGroup(this);
    routing->addButton(m_governed);
    routing->addButton(m_directSome);
    routing->addButton(m_directAll);
    auto *types = new QHBoxLayout;
    types->setContentsMargins(24, 0, 0, 0);
    for (const QString &type : principalTypes()) {
        auto *box = new QCheckBox(RuntimeType::displayName(type));
        box->setObjectName(u"direct-"_s + type);
        box->setProperty("principalType", type);
        connect(box, &QCheckBox::toggled, this, [this](bool on) {
            if (on)
                m_directSome->setChecked(true);
            updateState();
        });
        m_directTypes += box;
        types->addWidget(box);
    }
    types->addStretch();

    auto *routeColumn = new QVBoxLayout;
    routeColumn->setSpacing(6);
    routeColumn->addWidget(m_governed);
    routeColumn->addWidget(m_directSome);
    routeColumn->addLayout(types);
    routeColumn->addWidget(m_directAll);
    routeColumn->addWidget(note(tr("A direct runtime gets the provider's own URL and uses its own "
                                   "provider key: Gatehouse neither governs nor sees that "
                                   "traffic.")));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Alias"), m_name);
    form->addRow(tr("Provider"), m_provider);
    form->addRow(tr("Upstream model"), m_model);
    form->addRow(tr("Routing"), routeColumn);

    if (alias) {
        m_name->setText(alias->alias);
        m_name->setReadOnly(true);
        m_provider->setCurrentText(alias->provider);
        m_model->setText(alias->model);
        const bool all = alias->directFor.contains(u"*"_s);
        (alias->directFor.isEmpty() ? m_governed
         : all                      ? m_directAll
                                    : m_directSome)
            ->setChecked(true);
        for (QCheckBox *box : std::as_const(m_directTypes))
            box->setChecked(alias->directFor.contains(box->property("principalType").toString()));
    } else {
        m_governed->setChecked(true);
    }

    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, ConsoleStyle::failure());
    m_error->setPalette(errorPalette);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    m_save->setObjectName(u"saveAlias"_s);
    m_save->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &AliasDialog::save);

    auto *column = new QVBoxLayout(this);
    column->addLayout(form);
    if (alias && alias->fromConfiguration)
        column->addWidget(
            note(tr("This alias comes from the configuration file. Saving keeps "
                    "your version in Gatehouse, taking precedence over the file's.")));
    column->addWidget(m_patternNote);
    column->addWidget(m_error);
    column->addStretch();
    column->addSpacing(8);
    column->addWidget(buttons);

    connect(m_name, &QLineEdit::textChanged, this, &AliasDialog::updateState);
    connect(routing, &QButtonGroup::buttonToggled, this, &AliasDialog::updateState);
    updateState();
}

void AliasDialog::updateState()
{
    const QString name = m_name->text();
    const bool pattern = name.contains(u'*') || name.contains(u'?');
    m_model->setEnabled(!pattern);
    m_directSome->setEnabled(!pattern);
    m_directAll->setEnabled(!pattern);
    for (QCheckBox *box : std::as_const(m_directTypes))
        box->setEnabled(!pattern);
    if (pattern)
        m_governed->setChecked(true);
    m_patternNote->setVisible(pattern);
    bool anyType = false;
    for (QCheckBox *box : std::as_const(m_directTypes))
        anyType |= box->isChecked();
    m_save->setEnabled(!name.isEmpty() && m_provider->count() > 0 &&
                       (!m_directSome->isChecked() || anyType));
}

void AliasDialog::save()
{
    const QString name = m_name->text();
    QJsonObject body{{u"provider"_s, m_provider->currentText()}};
    if (m_model->isEnabled() && !m_model->text().trimmed().isEmpty())
        body.insert(u"model"_s, m_model->text().trimmed());
    if (m_directAll->isChecked()) {
        body.insert(u"direct"_s, true);
    } else if (m_directSome->isChecked()) {
        QJsonArray types;
        for (QCheckBox *box : std::as_const(m_directTypes)) {
            if (box->isChecked())
                types.append(box->property("principalType").toString());
        }
        body.insert(u"direct"_s, types);
    }
    m_save->setEnabled(false);
    m_error->hide();
    QPointer<AliasDialog> self(this);
    m_console->call("PUT", u"aliases/"_s + name, body, [self, name](const AdminReply &reply) {
        if (!self)
            return;
        if (reply.failed()) {
            self->m_error->setText(reply.error);
            self->m_error->show();
            self->updateState();
            return;
        }
        Q_EMIT self->saved(name);
        self->accept();
    });
}
