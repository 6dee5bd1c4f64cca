#include "accessview.h"

#include "admin/adminreply.h"
#include "aliasdialog.h"
#include "common/consolestyle.h"
#include "credentialmodel.h"
#include "gatewayconsole.h"
#include "mintdialog.h"
#include "routemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

constexpr int kPollMs = 5000;

QLabel *sectionTitle(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

QLabel *mutedLabel(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ConsoleStyle::muted());
    label->setPalette(palette);
    return label;
}

} // namespace

AccessView::AccessView(GatewayConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_routes(new RouteModel(this))
    , m_credentials(new CredentialModel(this))
{
    auto *heading = new QLabel(tr("Models and access"));
    QFont headingFont = heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    heading->setFont(headingFont);

    m_message = new QLabel;
    m_message->setObjectName(u"accessMessage"_s);
    m_message->setWordWrap(true);
    QPalette messagePalette = m_message->palette();
    messagePalette.setColor(QPalette::WindowText, ConsoleStyle::failure());
    m_message->setPalette(messagePalette);
    m_message->hide();

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(makeRouteSection());
    splitter->addWidget(makeCredentialSection());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(24, 20, 24, 16);
    column->setSpacing(6);
    column->addWidget(heading);
    column->addWidget(mutedLabel(tr("Where each model goes and what it costs, and the "
                                    "credentials runtimes use to reach it.")));
    column->addSpacing(6);
    column->addWidget(splitter, 1);
    column->addWidget(m_message);

    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &AccessView::refresh);
    updateActions();
    refresh();
}

QWidget *AccessView::makeRouteSection()
{
    m_routeView = new QTreeView;
    m_routeView->setObjectName(u"routes"_s);
    m_routeView->setModel(m_routes);
    m_routeView->setUniformRowHeights(true);
    // Rows as tall as the credentials table's; provider rows are set apart by their background.
    m_routeView->setStyleSheet(u"QTreeView::item { padding: 3px 0px; }"_s);
    m_routeView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_routeView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_routeView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_routeView->setExpandsOnDoubleClick(false);
    QHeaderView *header = m_routeView->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(RouteModel::UpstreamModel, QHeaderView::Stretch);
    m_routeView->setColumnWidth(RouteModel::Name, 190);
    for (int priceColumn :
         {RouteModel::InputPrice, RouteModel::OutputPrice, RouteModel::CachedPrice})
        m_routeView->setColumnWidth(priceColumn, 112);
    m_routeView->setColumnWidth(RouteModel::Routing, 190);
    m_routeView->setColumnWidth(RouteModel::Source, 130);
    connect(m_routeView, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        if (!index.data(RouteModel::AliasRole).toString().isEmpty())
            editAlias();
    });
    connect(m_routes, &QAbstractItemModel::modelReset, m_routeView, &QTreeView::expandAll);
    connect(m_routeView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccessView::updateActions);

    auto *add = new QPushButton(tr("Add alias…"));
    add->setObjectName(u"addAlias"_s);
    m_editAlias = new QPushButton(tr("Edit…"));
    m_editAlias->setObjectName(u"editAlias"_s);
    m_removeAlias = new QPushButton(tr("Remove"));
    m_removeAlias->setObjectName(u"removeAlias"_s);
    connect(add, &QPushButton::clicked, this, &AccessView::addAlias);
    connect(m_editAlias, &QPushButton::clicked, this, &AccessView::editAlias);
    connect(m_removeAlias, &QPushButton::clicked, this, &AccessView::removeAlias);

    auto *bar = new QHBoxLayout;
    bar->addWidget(sectionTitle(tr("Providers and aliases")));
    bar->addStretch();
    bar->addWidget(add);
    bar->addWidget(m_editAlias);
    bar->addWidget(m_removeAlias);
    auto *section = new QWidget;
    auto *column = new QVBoxLayout(section);
    column->setContentsMargins(0, 0, 0, 8);
    column->addLayout(bar);
    column->addWidget(m_routeView, 1);
    return section;
}

QWidget *AccessView::makeCredentialSection()
{
    m_credentialView = new QTableView;
    m_credentialView->setObjectName(u"credentials"_s);
    m_credentialView->setModel(m_credentials);
    m_credentialView->setAlternatingRowColors(true);
    m_credentialView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_credentialView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_credentialView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_credentialView->setShowGrid(false);
    m_credentialView->setWordWrap(false);
    m_credentialView->verticalHeader()->hide();
    m_credentialView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_credentialView->horizontalHeader()->setStretchLastSection(true);
    m_credentialView->horizontalHeader()->setHighlightSections(false);
    m_credentialView->verticalHeader()->setDefaultSectionSize(
        m_credentialView->fontMetrics().height() + 10);
    const QList<std::pair<int, int>> widths{
        {CredentialModel::Id, 180},      {CredentialModel::Runtime, 150},
        {CredentialModel::Flow, 150},    {CredentialModel::Model, 150},
        {CredentialModel::Created, 100}, {CredentialModel::Expires, 100}};
    for (const auto &[column, width] : widths)
        m_credentialView->setColumnWidth(column, width);
    connect(m_credentialView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccessView::updateActions);

    auto *empty = mutedLabel(tr("No runtime credentials yet. Mint one for Claude Code, Codex or "
                                "an SDK app here, or run a runtime under gatehouse exec."));
    empty->setAlignment(Qt::AlignCenter);
    m_credentialStack = new QStackedWidget;
    m_credentialStack->addWidget(m_credentialView);
    m_credentialStack->addWidget(empty);
    connect(m_credentials, &QAbstractItemModel::modelReset, this,
            [this] { m_credentialStack->setCurrentIndex(m_credentials->rowCount() > 0 ? 0 : 1); });
    m_credentialStack->setCurrentIndex(1);

    auto *mint = new QPushButton(tr("Mint credential…"));
    mint->setObjectName(u"mintCredential"_s);
    m_revoke = new QPushButton(tr("Revoke"));
    m_revoke->setObjectName(u"revokeCredential"_s);
    connect(mint, &QPushButton::clicked, this, &AccessView::mintCredential);
    connect(m_revoke, &QPushButton::clicked, this, &AccessView::revokeCredential);

    auto *bar = new QHBoxLayout;
    bar->addWidget(sectionTitle(tr("Runtime credentials")));
    bar->addStretch();
    bar->addWidget(mint);
    bar->addWidget(m_revoke);
    auto *section = new QWidget;
    auto *column = new QVBoxLayout(section);
    column->setContentsMargins(0, 8, 0, 0);
    column->addLayout(bar);
    column->addWidget(m_credentialStack, 1);
    return section;
}

void AccessView::refresh()
{
    if (m_pendingReads > 0) {
        m_readAgain = true;
        return;
    }
    m_pendingReads = 2;
    QPointer<AccessView> self(this);
    m_console->call("GET", u"providers"_s, {}, [self](const AdminReply &reply) {
        if (!self)
            return;
        if (reply.failed()) {
            self->report(reply.error);
        } else {
            // The model resets when anything changed: keep the operator's place.
            const QString selected = self->selectedAlias();
            self->m_routes->setProviders(reply.body.toArray());
            const QModelIndex again = self->m_routes->indexOfAlias(selected);
            if (again.isValid() && self->selectedAlias() != selected)
                self->m_routeView->selectionModel()->select(
                    again, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
        self->readDone();
    });
    m_console->call("GET", u"credentials"_s, {}, [self](const AdminReply &reply) {
        if (!self)
            return;
        if (reply.failed()) {
            self->report(reply.error);
        } else {
            const QString selected = self->selectedCredential();
            self->m_credentials->setCredentials(reply.body.toArray());
            const int row = self->m_credentials->rowOf(selected);
            if (row >= 0 && self->selectedCredential() != selected)
                self->m_credentialView->selectRow(row);
        }
        self->readDone();
    });
}

void AccessView::readDone()
{
    if (--m_pendingReads > 0)
        return;
    updateActions();
    Q_EMIT refreshed();
    if (std::exchange(m_readAgain, false))
        refresh();
}

void AccessView::addAlias()
{
    auto *dialog = new AliasDialog(m_console, m_routes->providerNames(), std::nullopt, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AliasDialog::saved, this, [this] {
        m_message->hide();
        refresh();
    });
    dialog->open();
}

void AccessView::editAlias()
{
    const auto alias = m_routes->alias(selectedAlias());
    if (!alias)
        return;
    auto *dialog = new AliasDialog(m_console, m_routes->providerNames(), alias, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AliasDialog::saved, this, [this] {
        m_message->hide();
        refresh();
    });
    dialog->open();
}

void AccessView::removeAlias()
{
    const QString alias = selectedAlias();
    if (alias.isEmpty())
        return;
    confirmDelete(tr("Remove alias"),
                  tr("Remove the alias %1? Requests for it are refused from then on.").arg(alias),
                  tr("Remove"), u"confirmRemoveAlias"_s, u"aliases/"_s + alias);
}

void AccessView::mintCredential()
{
    auto *dialog = new MintDialog(m_console, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &MintDialog::minted, this, [this](const QString &id) {
        m_message->hide();
        refresh();
        // Shown selected once listed: the operator sees where it went.
        QPointer<AccessView> self(this);
        connect(
            this, &AccessView::refreshed, this,
            [self, id] {
                if (const int row = self->m_credentials->rowOf(id); row >= 0)
                    self->m_credentialView->selectRow(row);
            },
            Qt::SingleShotConnection);
    });
    dialog->open();
}

void AccessView::revokeCredential()
{
    const QString id = selectedCredential();
    if (id.isEmpty())
        return;
    confirmDelete(tr("Revoke credential"),
                  tr("Revoke %1? The runtime using it gets 401 on its next request.").arg(id),
                  tr("Revoke"), u"confirmRevoke"_s, u"credentials/"_s + id);
}

void AccessView::confirmDelete(const QString &title, const QString &question, const QString &action,
                               const QString &objectName, const QString &path)
{
    auto *confirm =
        new QMessageBox(QMessageBox::Question, title, question, QMessageBox::Cancel, this);
    confirm->setObjectName(objectName);
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *button = confirm->addButton(action, QMessageBox::DestructiveRole);
    confirm->setDefaultButton(QMessageBox::Cancel);
    connect(button, &QPushButton::clicked, this, [this, path] {
        QPointer<AccessView> self(this);
        m_console->call("DELETE", path, {}, [self](const AdminReply &reply) {
            if (!self)
                return;
            if (reply.failed())
                self->report(reply.error);
            else
                self->m_message->hide();
            self->refresh();
        });
    });
    confirm->open();
}

QString AccessView::selectedAlias() const
{
    const QModelIndexList rows = m_routeView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(RouteModel::AliasRole).toString();
}

QString AccessView::selectedCredential() const
{
    const QModelIndexList rows = m_credentialView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(CredentialModel::IdRole).toString();
}

void AccessView::updateActions()
{
    const QString alias = selectedAlias();
    const auto selected = m_routes->alias(alias);
    m_editAlias->setEnabled(selected.has_value());
    m_removeAlias->setEnabled(selected && !selected->fromConfiguration);
    m_removeAlias->setToolTip(selected && selected->fromConfiguration
                                  ? tr("This alias is defined in the configuration file: "
                                       "remove it there.")
                                  : QString());
    const int row = m_credentials->rowOf(selectedCredential());
    m_revoke->setEnabled(row >= 0 && m_credentials->at(row).state == u"active");
}

void AccessView::report(const QString &error)
{
    m_message->setText(error);
    m_message->show();
    Q_EMIT failed(error);
}

void AccessView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_poll.start();
}

void AccessView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_poll.stop();
}
