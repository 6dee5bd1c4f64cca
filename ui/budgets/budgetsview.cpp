#include "budgetsview.h"

#include "admin/adminreply.h"
#include "budgetcard.h"
#include "budgetfigures.h"
#include "budgetform.h"
#include "budgetgauge.h"
#include "budgetmodel.h"
#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "gatewayconsole.h"
#include "ledger/ledgerreport.h"
#include "ledger/usagefilter.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace {

constexpr qint64 kTypicalRefreshMs = 10'000;

QLabel *mutedLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ConsoleStyle::muted());
    label->setPalette(palette);
    return label;
}

} // namespace

BudgetsView::BudgetsView(GatewayConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_model(new BudgetModel(console, this))
    , m_cardLayout(new QVBoxLayout)
    , m_empty(mutedLabel(this))
    , m_picker(new QComboBox(this))
    , m_typical(mutedLabel(this))
{
    auto *title = new QLabel(tr("Budgets"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    QLabel *subtitle = mutedLabel(this);
    subtitle->setText(tr("Spending limits the gateway enforces on every request. Drag a limit "
                         "to change it; the change applies at once."));
    subtitle->setWordWrap(true);
    auto *create = new QPushButton(tr("New budget"), this);
    create->setObjectName(QStringLiteral("newBudget"));
    create->setDefault(true);
    connect(create, &QPushButton::clicked, this, [this] { openForm(); });

    auto *heading = new QVBoxLayout;
    heading->setSpacing(2);
    heading->addWidget(title);
    heading->addWidget(subtitle);
    auto *top = new QHBoxLayout;
    top->addLayout(heading, 1);
    top->addWidget(create, 0, Qt::AlignBottom);

    m_picker->setObjectName(QStringLiteral("typicalModel"));
    m_picker->setMinimumContentsLength(16);
    m_picker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_typical->setObjectName(QStringLiteral("typicalCall"));
    m_typical->setWordWrap(true);
    connect(m_picker, &QComboBox::currentIndexChanged, this, &BudgetsView::showFits);
    auto *fits = new QHBoxLayout;
    fits->addWidget(new QLabel(tr("Model for estimates"), this));
    fits->addWidget(m_picker);
    fits->addSpacing(8);
    fits->addWidget(m_typical, 1);

    m_empty->setObjectName(QStringLiteral("emptyState"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setText(tr("No budgets yet.\n\nA budget caps what an account, API key, flow, model "
                        "or provider may spend per day, week, month or for good.\nCreate one "
                        "with New budget."));
    auto *cards = new QWidget;
    cards->setAutoFillBackground(false);
    auto *cardsLayout = new QVBoxLayout(cards);
    cardsLayout->setContentsMargins(0, 0, 4, 0);
    m_cardLayout->setSpacing(10);
    cardsLayout->addLayout(m_cardLayout);
    cardsLayout->addWidget(m_empty);
    cardsLayout->addStretch();
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(cards);
    scroll->viewport()->setAutoFillBackground(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 16);
    layout->setSpacing(12);
    layout->addLayout(top);
    layout->addLayout(fits);
    layout->addWidget(scroll, 1);

    connect(m_model, &BudgetModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { insertCards(first, last); });
    connect(m_model, &BudgetModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { removeCards(first, last); });
    connect(m_model, &BudgetModel::dataChanged, this, &BudgetsView::updateCards);
    showEmptyState();

    // The typical calls follow the traffic, without reading the ledger on every batch.
    connect(m_console, &GatewayConsole::stateChanged, this, [this] {
        if (QDateTime::currentMSecsSinceEpoch() - m_readAtMs > kTypicalRefreshMs)
            refreshTypicalCalls();
    });
    const QPointer<BudgetsView> view(this);
    m_console->call("GET", QStringLiteral("aliases"), {}, [view](const AdminReply &reply) {
        if (!view || reply.failed())
            return;
        for (const QJsonValue &value : reply.body.toArray()) {
            const QJsonObject alias = value.toObject();
            view->m_aliases.insert(alias.value(u"alias").toString(), alias);
        }
        view->takeTypicalCalls(view->m_calls);
    });
    refreshTypicalCalls();
}

BudgetCard *BudgetsView::card(const QString &budgetId) const
{
    const int row = m_model->rowOf(budgetId);
    return row >= 0 && row < m_cards.size() ? m_cards.at(row) : nullptr;
}

QString BudgetsView::idOf(const BudgetCard *card) const
{
    const qsizetype row = m_cards.indexOf(card);
    return row >= 0 ? m_model->figures(int(row)).id : QString();
}

void BudgetsView::insertCards(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        auto *card = new BudgetCard(this);
        card->setFigures(m_model->figures(row));
        card->setFitText(fitText(m_model->figures(row)));
        connectCard(card);
        m_cards.insert(row, card);
        m_cardLayout->insertWidget(row, card);
    }
    showEmptyState();
}

void BudgetsView::removeCards(int first, int last)
{
    for (int row = last; row >= first; --row)
        delete m_cards.takeAt(row);
    // Called before the rows go: the model still counts them.
    m_empty->setVisible(m_cards.isEmpty());
}

void BudgetsView::updateCards(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        BudgetCard *card = m_cards.at(row);
        card->setFigures(m_model->figures(row));
        card->setFitText(fitText(m_model->figures(row)));
    }
}

void BudgetsView::showEmptyState()
{
    m_empty->setVisible(m_cards.isEmpty());
}

void BudgetsView::connectCard(BudgetCard *card)
{
    connect(card->gauge(), &BudgetGauge::limitEdited, this, &BudgetsView::applyLimit);
    connect(card, &BudgetCard::editRequested, this, [this, card] { openForm(idOf(card)); });
    connect(card, &BudgetCard::deleteRequested, this, [this, card] { confirmDelete(idOf(card)); });
}

void BudgetsView::applyLimit(const QString &budgetId, bool tokens, qint64 limit)
{
    // Only the limit changes: an edit made elsewhere meanwhile to another field is kept.
    const QJsonObject change{
        {tokens ? QStringLiteral("limitTokens") : QStringLiteral("limitMicros"), limit}};
    const QPointer<BudgetsView> view(this);
    m_console->call("PATCH", QStringLiteral("budgets/") + budgetId, change,
                    [view, budgetId](const AdminReply &reply) {
                        if (!view)
                            return;
                        BudgetCard *card = view->card(budgetId);
                        if (reply.failed()) {
                            if (card) {
                                card->gauge()->applyFailed();
                                card->setError(
                                    tr("The gateway kept the old limit: %1").arg(reply.error));
                            }
                            return;
                        }
                        if (card)
                            card->setError({});
                        view->m_model->upsert(reply.body.toObject());
                    });
}

void BudgetsView::confirmDelete(const QString &budgetId)
{
    const int row = m_model->rowOf(budgetId);
    if (row < 0)
        return;
    const BudgetFigures &budget = m_model->figures(row);
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Delete budget"),
                        tr("Delete the budget “%1”? Requests are no longer checked against it.")
                            .arg(budget.name.isEmpty() ? budget.id : budget.name),
                        QMessageBox::Cancel, this);
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(remove, &QPushButton::clicked, this, [this, budgetId] {
        const QPointer<BudgetsView> view(this);
        m_console->call("DELETE", QStringLiteral("budgets/") + budgetId, {},
                        [view, budgetId](const AdminReply &reply) {
                            if (!view || !reply.failed())
                                return; // the gateway's next state takes the card away
                            if (BudgetCard *card = view->card(budgetId))
                                card->setError(reply.error);
                        });
    });
    box->open();
}

BudgetForm *BudgetsView::openForm(const QString &budgetId)
{
    const int row = budgetId.isEmpty() ? -1 : m_model->rowOf(budgetId);
    auto *form = new BudgetForm(m_console,
                                row >= 0 ? m_model->figures(row).definition : QJsonObject(), this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &BudgetForm::saved, m_model, &BudgetModel::upsert);
    form->open();
    return form;
}

void BudgetsView::refreshTypicalCalls()
{
    if (m_reading) {
        // The read under way may predate what the caller wants counted: read once more after.
        m_readAgain = true;
        return;
    }
    m_reading = true;
    m_readAtMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 now = m_readAtMs;
    m_console->read(
        this,
        [now](const LedgerReport &report, QString *error) {
            // Successful calls only: a refusal or a failure costs nothing and says nothing.
            UsageFilter filter = UsageFilter::window(now, TypicalCall::kWindowMs);
            filter.outcome = QStringLiteral("ok");
            return report.models(filter, error);
        },
        [this](const QJsonObject &answer, const QString &error) {
            m_reading = false;
            if (error.isEmpty())
                takeTypicalCalls(TypicalCall::fromModels(answer));
            else
                m_typical->setText(tr("The ledger could not be read: %1").arg(error));
            Q_EMIT typicalCallsRead();
            if (std::exchange(m_readAgain, false))
                refreshTypicalCalls();
        });
}

void BudgetsView::takeTypicalCalls(const QHash<QString, TypicalCall> &calls)
{
    m_calls = calls;
    for (TypicalCall &call : m_calls) {
        const QJsonObject alias = m_aliases.value(call.model);
        call.provider = alias.value(u"provider").toString();
        call.upstreamModel = alias.value(u"model").toString();
    }
    fillPicker();
    showFits();
}

void BudgetsView::fillPicker()
{
    // The models used most first, then the aliases not used lately.
    QList<TypicalCall> used = m_calls.values();
    std::sort(used.begin(), used.end(), [](const TypicalCall &a, const TypicalCall &b) {
        return a.calls != b.calls ? a.calls > b.calls : a.model < b.model;
    });
    QStringList models;
    for (const TypicalCall &call : used)
        models += call.model;
    QStringList idle;
    for (auto it = m_aliases.cbegin(); it != m_aliases.cend(); ++it) {
        if (!models.contains(it.key()) && !it.key().contains(u'*') && !it.key().contains(u'?'))
            idle += it.key();
    }
    idle.sort();
    models += idle;

    QStringList current;
    for (int i = 0; i < m_picker->count(); ++i)
        current += m_picker->itemText(i);
    if (current == models)
        return;
    const QString chosen = m_picker->currentText();
    const QSignalBlocker quiet(m_picker);
    m_picker->clear();
    m_picker->addItems(models);
    m_picker->setCurrentIndex(std::max(0, int(models.indexOf(chosen))));
    m_picker->setEnabled(!models.isEmpty());
}

std::optional<TypicalCall> BudgetsView::picked() const
{
    const QString model = m_picker->currentText();
    if (model.isEmpty())
        return std::nullopt;
    TypicalCall call = m_calls.value(model);
    call.model = model;
    const QJsonObject alias = m_aliases.value(model);
    call.provider = alias.value(u"provider").toString();
    call.upstreamModel = alias.value(u"model").toString();
    return call;
}

QString BudgetsView::typicalCallText() const
{
    return m_typical->text();
}

void BudgetsView::showFits()
{
    const std::optional<TypicalCall> call = picked();
    if (!call)
        m_typical->setText(tr("No calls in the last 7 days: nothing to estimate from."));
    else if (!call->hasHistory())
        m_typical->setText(
            tr("No calls of %1 in the last 7 days: nothing to estimate from.").arg(call->model));
    else if (!call->priced())
        m_typical->setText(tr("%1 is unpriced: its calls cannot be estimated against spending "
                              "limits (%2 tokens per call in the last 7 days).")
                               .arg(call->model, DisplayText::tokens(*call->tokens())));
    else if (call->calls == 1)
        m_typical->setText(tr("A typical call of %1 costs %2 and uses %3 tokens (from the one "
                              "call in the last 7 days).")
                               .arg(call->model, BudgetFigures::roundedMoney(*call->micros()),
                                    DisplayText::tokens(*call->tokens())));
    else
        m_typical->setText(tr("A typical call of %1 costs %2 and uses %3 tokens (the mean of "
                              "%4 calls in the last 7 days).")
                               .arg(call->model, BudgetFigures::roundedMoney(*call->micros()),
                                    DisplayText::tokens(*call->tokens()),
                                    QLocale().toString(call->calls)));
    for (int row = 0; row < m_cards.size(); ++row)
        m_cards.at(row)->setFitText(fitText(m_model->figures(row)));
}

QString BudgetsView::fitText(const BudgetFigures &budget) const
{
    const std::optional<TypicalCall> call = picked();
    if (!call || !call->hasHistory())
        return {};
    if (!call->countsAgainst(budget))
        return tr("Calls of %1 do not count against this budget.").arg(call->model);
    const std::optional<qint64> fits = call->fitsIn(budget);
    if (!fits)
        return tr("Cannot be estimated: %1 is unpriced.").arg(call->model);
    if (*fits == 0)
        return tr("No more calls of %1 fit.").arg(call->model);
    return tr("≈ %Ln more call(s) of %1 fit.", nullptr, int(std::min<qint64>(*fits, INT_MAX)))
        .arg(call->model);
}
