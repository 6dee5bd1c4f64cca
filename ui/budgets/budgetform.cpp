#include "budgetform.h"

#include "admin/adminreply.h"
#include "budget/moneytext.h"
#include "common/consolestyle.h"
#include "gatewayconsole.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace {

const QStringList &eachLayers()
{
    static const QStringList layers{QStringLiteral("account"), QStringLiteral("user"),
                                    QStringLiteral("key"), QStringLiteral("flow"),
                                    QStringLiteral("execution")};
    return layers;
}

QWidget *row(QWidget *parent, std::initializer_list<QWidget *> widgets)
{
    auto *holder = new QWidget(parent);
    auto *layout = new QHBoxLayout(holder);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *widget : widgets)
        layout->addWidget(widget);
    layout->addStretch();
    return holder;
}

QComboBox *editableCombo(QWidget *parent, const QString &objectName)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->setMinimumContentsLength(24);
    return combo;
}

QLabel *hint(QWidget *parent, const QString &text)
{
    auto *label = new QLabel(text, parent);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ConsoleStyle::muted());
    label->setPalette(palette);
    return label;
}

} // namespace

BudgetForm::BudgetForm(GatewayConsole *console, const QJsonObject &definition, QWidget *parent)
    : QDialog(parent)
    , m_console(console)
    , m_id(definition.value(u"id").toString())
    , m_form(new QFormLayout)
    , m_name(new QLineEdit(this))
    , m_layer(new QComboBox(this))
    , m_subject(editableCombo(this, QStringLiteral("subject")))
    , m_withinAccount(editableCombo(this, QStringLiteral("withinAccount")))
    , m_withinFlow(editableCombo(this, QStringLiteral("withinFlow")))
    , m_usd(new QCheckBox(tr("Spending limit"), this))
    , m_usdLimit(new QLineEdit(this))
    , m_tokens(new QCheckBox(tr("Token limit"), this))
    , m_tokenLimit(new QLineEdit(this))
    , m_period(new QComboBox(this))
    , m_hard(new QRadioButton(tr("Hard: refuse requests past the limit"), this))
    , m_soft(new QRadioButton(tr("Soft: admit them and alert"), this))
    , m_alerts(new QLineEdit(this))
    , m_allowUnpriced(new QCheckBox(tr("Admit models without a price"), this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(isNew() ? tr("New budget") : tr("Edit budget"));
    setMinimumWidth(520);

    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("e.g. team cap"));
    m_layer->setObjectName(QStringLiteral("layer"));
    const QList<std::pair<QString, QString>> layers{
        {tr("Account"), QStringLiteral("account")},
        {tr("User"), QStringLiteral("user")},
        {tr("API key"), QStringLiteral("key")},
        {tr("Flow"), QStringLiteral("flow")},
        {tr("Each run of a flow"), QStringLiteral("execution")},
        {tr("Model"), QStringLiteral("model")},
        {tr("Provider"), QStringLiteral("provider")}};
    for (const auto &[text, layer] : layers)
        m_layer->addItem(text, layer);
    m_subject->lineEdit()->setPlaceholderText(tr("pick or type a name"));
    m_withinAccount->lineEdit()->setPlaceholderText(tr("any account"));
    m_withinFlow->lineEdit()->setPlaceholderText(tr("any flow"));

    m_usd->setObjectName(QStringLiteral("usd"));
    m_usdLimit->setObjectName(QStringLiteral("limitUsd"));
    m_usdLimit->setPlaceholderText(QStringLiteral("25.00"));
    m_usdLimit->setMaximumWidth(160);
    m_usdLimit->setAlignment(Qt::AlignRight);
    m_tokens->setObjectName(QStringLiteral("tokens"));
    m_tokenLimit->setObjectName(QStringLiteral("limitTokens"));
    m_tokenLimit->setPlaceholderText(QStringLiteral("500000"));
    m_tokenLimit->setMaximumWidth(160);
    m_tokenLimit->setAlignment(Qt::AlignRight);
    connect(m_usd, &QCheckBox::toggled, m_usdLimit, &QLineEdit::setEnabled);
    connect(m_tokens, &QCheckBox::toggled, m_tokenLimit, &QLineEdit::setEnabled);

    m_period->setObjectName(QStringLiteral("period"));
    m_period->addItem(tr("Monthly (from the 1st)"), QStringLiteral("monthly"));
    m_period->addItem(tr("Weekly (from Monday)"), QStringLiteral("weekly"));
    m_period->addItem(tr("Daily (from midnight)"), QStringLiteral("daily"));
    m_period->addItem(tr("Lifetime (never resets)"), QStringLiteral("none"));

    m_hard->setObjectName(QStringLiteral("hard"));
    m_soft->setObjectName(QStringLiteral("soft"));
    auto *enforcement = new QButtonGroup(this);
    enforcement->addButton(m_hard);
    enforcement->addButton(m_soft);
    m_alerts->setObjectName(QStringLiteral("alerts"));
    m_alerts->setMaximumWidth(160);
    m_allowUnpriced->setObjectName(QStringLiteral("allowUnpriced"));

    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette failure = m_error->palette();
    failure.setColor(QPalette::WindowText, ConsoleStyle::failure());
    m_error->setPalette(failure);
    m_error->hide();

    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_form->addRow(tr("Name"), m_name);
    m_form->addRow(tr("Scope"), m_layer);
    m_form->addRow(tr("Which one"), m_subject);
    m_form->addRow(tr("Only in account"), m_withinAccount);
    m_form->addRow(tr("Only in flow"), m_withinFlow);
    m_form->addRow(m_usd, row(this, {new QLabel(QStringLiteral("$"), this), m_usdLimit,
                                     hint(this, tr("US dollars"))}));
    m_form->addRow(m_tokens, row(this, {m_tokenLimit, hint(this, tr("tokens"))}));
    m_form->addRow(tr("Period"), m_period);
    auto *choices = new QWidget(this);
    auto *choicesLayout = new QVBoxLayout(choices);
    choicesLayout->setContentsMargins(0, 0, 0, 0);
    choicesLayout->addWidget(m_hard);
    choicesLayout->addWidget(m_soft);
    m_form->addRow(tr("Enforcement"), choices);
    m_form->addRow(tr("Alert at"), row(this, {m_alerts, hint(this, tr("% of the limit"))}));
    m_form->addRow(QString(), m_allowUnpriced);
    m_form->setWidget(m_form->rowCount(), QFormLayout::SpanningRole, m_error);

    m_buttons->button(QDialogButtonBox::Save)->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &BudgetForm::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &BudgetForm::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addSpacing(8);
    layout->addWidget(m_buttons);

    connect(m_layer, &QComboBox::currentIndexChanged, this, &BudgetForm::layerChanged);
    load(definition);
    fetchSubjects();
}

void BudgetForm::load(const QJsonObject &definition)
{
    m_name->setText(definition.value(u"name").toString());
    m_layer->setCurrentIndex(std::max(
        0, m_layer->findData(definition.value(u"layer").toString(QStringLiteral("account")))));
    layerChanged();
    const QString subject = definition.value(u"subject").toString();
    const int star = subject == u"*" ? m_subject->findData(subject) : -1;
    if (star >= 0)
        m_subject->setCurrentIndex(star);
    else
        m_subject->setEditText(subject);
    m_withinAccount->setEditText(definition.value(u"withinAccount").toString());
    m_withinFlow->setEditText(definition.value(u"withinFlow").toString());

    const QJsonValue micros = definition.value(u"limitMicros");
    m_usd->setChecked(isNew() || micros.isDouble());
    m_usdLimit->setEnabled(m_usd->isChecked());
    if (micros.isDouble())
        m_usdLimit->setText(moneyText(micros.toInteger()).mid(1));
    const QJsonValue tokens = definition.value(u"limitTokens");
    m_tokens->setChecked(tokens.isDouble());
    m_tokenLimit->setEnabled(m_tokens->isChecked());
    if (tokens.isDouble())
        m_tokenLimit->setText(QString::number(tokens.toInteger()));

    m_period->setCurrentIndex(std::max(
        0, m_period->findData(definition.value(u"period").toString(QStringLiteral("monthly")))));
    const bool hard = definition.value(u"enforcement").toString(QStringLiteral("hard")) == u"hard";
    m_hard->setChecked(hard);
    m_soft->setChecked(!hard);
    QStringList alerts;
    const QJsonArray percents = definition.contains(u"alertPercents")
                                    ? definition.value(u"alertPercents").toArray()
                                    : QJsonArray{80, 100};
    for (const QJsonValue &percent : percents)
        alerts += QString::number(percent.toInt());
    m_alerts->setText(alerts.join(u", "));
    m_allowUnpriced->setChecked(definition.value(u"allowUnpriced").toBool());
}

void BudgetForm::fetchSubjects()
{
    const QPointer<BudgetForm> form(this);
    const auto names = [](const QJsonArray &list, const QString &field) {
        QStringList result;
        for (const QJsonValue &value : list) {
            const QString name = value.toObject().value(field).toString();
            if (!name.isEmpty())
                result += name;
        }
        return result;
    };
    const auto fetch = [&](const QString &path, std::function<void(const QJsonValue &)> take) {
        m_console->call("GET", path, {}, [form, take](const AdminReply &reply) {
            if (form && !reply.failed())
                take(reply.body);
        });
    };
    fetch(QStringLiteral("status"), [this](const QJsonValue &body) {
        QStringList accounts;
        for (const QJsonValue &account : body.toObject().value(u"accounts").toArray())
            accounts += account.toString();
        suggest(QStringLiteral("account"), accounts);
    });
    fetch(QStringLiteral("users"), [this, names](const QJsonValue &body) {
        suggest(QStringLiteral("user"), names(body.toArray(), QStringLiteral("name")));
        suggest(QStringLiteral("account"), names(body.toArray(), QStringLiteral("account")));
    });
    fetch(QStringLiteral("keys"), [this, names](const QJsonValue &body) {
        suggest(QStringLiteral("key"), names(body.toArray(), QStringLiteral("name")));
    });
    fetch(QStringLiteral("flows"), [this, names](const QJsonValue &body) {
        const QStringList flows = names(body.toArray(), QStringLiteral("name"));
        suggest(QStringLiteral("flow"), flows);
        suggest(QStringLiteral("execution"), flows);
    });
    fetch(QStringLiteral("principals"), [this, names](const QJsonValue &body) {
        // Runtime principals are no budget layer of their own; their accounts are.
        suggest(QStringLiteral("account"), names(body.toArray(), QStringLiteral("account")));
    });
    fetch(QStringLiteral("aliases"), [this](const QJsonValue &body) {
        QStringList models;
        QStringList providers;
        for (const QJsonValue &value : body.toArray()) {
            const QJsonObject alias = value.toObject();
            const QString name = alias.value(u"alias").toString();
            // A pattern alias ("gpt-*") passes names through: the names it passes are models.
            if (!name.contains(u'*') && !name.contains(u'?'))
                models += name;
            if (const QString model = alias.value(u"model").toString(); !model.isEmpty())
                models += model;
            providers += alias.value(u"provider").toString();
        }
        suggest(QStringLiteral("model"), models);
        suggest(QStringLiteral("provider"), providers);
    });
    QStringList providers;
    for (const ProviderConfig &provider : m_console->configuration().providers)
        providers += provider.name;
    suggest(QStringLiteral("provider"), providers);
}

void BudgetForm::suggest(const QString &layer, const QStringList &names)
{
    QStringList &known = m_suggestions[layer];
    for (const QString &name : names) {
        if (!name.isEmpty() && !known.contains(name))
            known += name;
    }
    known.sort(Qt::CaseInsensitive);
    fillSubjects();
}

QStringList BudgetForm::subjectsFor(const QString &layer) const
{
    QStringList subjects = m_suggestions.value(layer);
    if (eachLayers().contains(layer))
        subjects.prepend(QStringLiteral("*"));
    return subjects;
}

void BudgetForm::fillSubjects()
{
    const QString layer = m_layer->currentData().toString();
    const QString typed = subject();
    const QString account = m_withinAccount->currentText();
    const QString flow = m_withinFlow->currentText();
    m_subject->clear();
    if (eachLayers().contains(layer)) {
        const QString each = layer == u"account" ? tr("* (each account separately)")
                             : layer == u"user"  ? tr("* (each user separately)")
                             : layer == u"key"   ? tr("* (each API key separately)")
                             : layer == u"flow"  ? tr("* (each flow separately)")
                                                 : tr("* (each run of every flow)");
        m_subject->addItem(each, QStringLiteral("*"));
    }
    for (const QString &name : m_suggestions.value(layer))
        m_subject->addItem(name, name);
    const int star = typed == u"*" ? m_subject->findData(typed) : -1;
    if (star >= 0)
        m_subject->setCurrentIndex(star);
    else
        m_subject->setEditText(typed);

    m_withinAccount->clear();
    m_withinAccount->addItems(m_suggestions.value(QStringLiteral("account")));
    m_withinAccount->setEditText(account);
    m_withinFlow->clear();
    m_withinFlow->addItems(m_suggestions.value(QStringLiteral("flow")));
    m_withinFlow->setEditText(flow);
}

void BudgetForm::layerChanged()
{
    const QString layer = m_layer->currentData().toString();
    fillSubjects();
    // A "*" picked for one layer means nothing for a layer without it.
    if (!eachLayers().contains(layer) && subject() == u"*")
        m_subject->setEditText({});
    const bool model = layer == u"model";
    m_form->setRowVisible(m_withinAccount, model);
    m_form->setRowVisible(m_withinFlow, model);
    // A provider cap is always hard: nothing overrides it.
    const bool provider = layer == u"provider";
    if (provider)
        m_hard->setChecked(true);
    m_soft->setEnabled(!provider);
}

QString BudgetForm::subject() const
{
    const QString text = m_subject->currentText().trimmed();
    const int index = m_subject->findText(text);
    return index >= 0 ? m_subject->itemData(index).toString() : text;
}

std::optional<qint64> BudgetForm::parseDollars(const QString &text)
{
    QString amount = text.trimmed();
    if (amount.startsWith(u'$'))
        amount = amount.mid(1).trimmed();
    // One decimal separator, a point or the locale's; up to six decimals (micro-dollars).
    amount.replace(QLocale().decimalPoint(), QStringLiteral("."));
    amount.replace(u',', u'.');
    static const QRegularExpression shape(QStringLiteral("^(\\d{1,10})(?:\\.(\\d{0,6}))?$"));
    const QRegularExpressionMatch match = shape.match(amount);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 dollars = match.captured(1).toLongLong();
    const qint64 fraction = match.captured(2).leftJustified(6, u'0').toLongLong();
    return dollars * 1'000'000 + fraction;
}

std::optional<QJsonObject> BudgetForm::definition(QString *error) const
{
    QJsonObject budget{{QStringLiteral("name"), m_name->text().trimmed()},
                       {QStringLiteral("layer"), m_layer->currentData().toString()},
                       {QStringLiteral("subject"), subject()},
                       {QStringLiteral("period"), m_period->currentData().toString()},
                       {QStringLiteral("enforcement"),
                        m_hard->isChecked() ? QStringLiteral("hard") : QStringLiteral("soft")},
                       {QStringLiteral("allowUnpriced"), m_allowUnpriced->isChecked()}};
    if (m_layer->currentData().toString() == u"model") {
        if (const QString account = m_withinAccount->currentText().trimmed(); !account.isEmpty())
            budget.insert(QStringLiteral("withinAccount"), account);
        if (const QString flow = m_withinFlow->currentText().trimmed(); !flow.isEmpty())
            budget.insert(QStringLiteral("withinFlow"), flow);
    }
    if (m_usd->isChecked()) {
        const auto micros = parseDollars(m_usdLimit->text());
        if (!micros) {
            *error = tr("Enter the spending limit in dollars, like 25 or 12.50.");
            return std::nullopt;
        }
        budget.insert(QStringLiteral("limitMicros"), *micros);
    }
    if (m_tokens->isChecked()) {
        bool ok = false;
        const qint64 tokens = QString(m_tokenLimit->text())
                                  .remove(u',')
                                  .remove(u' ')
                                  .remove(QLocale().groupSeparator())
                                  .toLongLong(&ok);
        if (!ok || tokens < 0) {
            *error = tr("Enter the token limit as a whole number, like 500000.");
            return std::nullopt;
        }
        budget.insert(QStringLiteral("limitTokens"), tokens);
    }
    QJsonArray alerts;
    for (const QString &part : m_alerts->text().split(
             QRegularExpression(QStringLiteral("[,;\\s%]+")), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int percent = part.toInt(&ok);
        if (!ok) {
            *error = tr("Alert thresholds are whole percentages, like 80, 100.");
            return std::nullopt;
        }
        alerts.append(percent);
    }
    budget.insert(QStringLiteral("alertPercents"), alerts);
    return budget;
}

QString BudgetForm::errorText() const
{
    return m_error->text();
}

void BudgetForm::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void BudgetForm::accept()
{
    QString error;
    const std::optional<QJsonObject> budget = definition(&error);
    if (!budget) {
        showError(error);
        return;
    }
    showError({});
    QPushButton *save = m_buttons->button(QDialogButtonBox::Save);
    save->setEnabled(false);
    const QPointer<BudgetForm> form(this);
    m_console->call(isNew() ? "POST" : "PUT",
                    isNew() ? QStringLiteral("budgets") : QStringLiteral("budgets/") + m_id,
                    *budget, [form, save](const AdminReply &reply) {
                        if (!form)
                            return;
                        save->setEnabled(true);
                        if (reply.failed()) {
                            // The gateway's own words: they name the field and what it takes.
                            form->showError(
                                tr("The gateway refused this budget: %1").arg(reply.error));
                            return;
                        }
                        Q_EMIT form->saved(reply.body.toObject());
                        form->QDialog::accept();
                    });
}
