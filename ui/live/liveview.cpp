#include "liveview.h"

#include "common/consolestyle.h"
#include "gatewayconsole.h"
#include "livecelldelegate.h"
#include "livefiltermodel.h"
#include "liverequestdetail.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

LiveView::LiveView(GatewayConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_model(new LiveRequestModel(this))
    , m_filter(new LiveFilterModel(this))
{
    m_filter->setSourceModel(m_model);

    // The filter bar.
    m_search = new QLineEdit(this);
    m_search->setObjectName(u"search"_s);
    m_search->setPlaceholderText(tr("Search requests"));
    m_search->setToolTip(
        tr("Finds the text in the request id, model, principal, key, flow, session and error"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(140);
    connect(m_search, &QLineEdit::textChanged, m_filter, &LiveFilterModel::setText);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    bar->addWidget(m_search, 2);
    bar->addWidget(facetCombo(LiveRequestModel::Facet::Account, tr("All accounts")), 1);
    bar->addWidget(facetCombo(LiveRequestModel::Facet::Flow, tr("All flows")), 1);
    bar->addWidget(facetCombo(LiveRequestModel::Facet::Session, tr("All sessions")), 1);
    bar->addWidget(facetCombo(LiveRequestModel::Facet::Model, tr("All models")), 1);

    m_status = new QComboBox(this);
    m_status->setObjectName(u"status"_s);
    m_status->addItem(tr("All statuses"), int(LiveFilterModel::Status::All));
    m_status->addItem(tr("OK"), int(LiveFilterModel::Status::Ok));
    m_status->addItem(tr("Errors"), int(LiveFilterModel::Status::Errors));
    m_status->addItem(tr("Denied"), int(LiveFilterModel::Status::Denied));
    m_status->addItem(tr("Live"), int(LiveFilterModel::Status::Live));
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatus(LiveFilterModel::Status(m_status->currentData().toInt()));
    });
    bar->addWidget(m_status);
    bar->addStretch();

    m_count = new QLabel(this);
    m_count->setObjectName(u"count"_s);
    QPalette muted = m_count->palette();
    muted.setColor(QPalette::WindowText, ConsoleStyle::muted());
    m_count->setPalette(muted);
    bar->addWidget(m_count);
    bar->addSpacing(8);

    m_held = new QLabel(this);
    m_held->setObjectName(u"held"_s);
    QPalette live = m_held->palette();
    live.setColor(QPalette::WindowText, ConsoleStyle::live());
    m_held->setPalette(live);
    QFont bold = m_held->font();
    bold.setBold(true);
    m_held->setFont(bold);
    bar->addWidget(m_held);

    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(u"pause"_s);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold new requests so the table stays still"));
    connect(m_pause, &QPushButton::toggled, m_model, &LiveRequestModel::setPaused);
    bar->addWidget(m_pause);
    auto *clear = new QPushButton(tr("Clear"), this);
    clear->setObjectName(u"clear"_s);
    clear->setToolTip(tr("Empty the table (the ledger keeps every request)"));
    connect(clear, &QPushButton::clicked, this, [this] {
        m_detail->clear();
        m_model->clear();
    });
    bar->addWidget(clear);

    // The table, or what to do while it is empty.
    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setItemDelegate(new LiveCellDelegate(m_table));
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setFrameShape(QFrame::NoFrame);
    // Rows of one fixed height: the view never measures them (thousands come and go a second).
    QHeaderView *rows = m_table->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setMinimumSectionSize(1);
    rows->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setMinimumSectionSize(40);
    setColumnWidths();

    m_empty = new QLabel(this);
    m_empty->setObjectName(u"emptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QString url = console->url();
    m_empty->setText(
        u"<p style=\"font-size:large\"><b>%1</b></p><p>%2</p><p style=\"color:%3\">%4<br>%5</p>"_s
            .arg(tr("No requests yet").toHtmlEscaped(),
                 tr("Point a runtime at the gateway and its calls appear here as they happen.")
                     .toHtmlEscaped(),
                 ConsoleStyle::muted().name(),
                 tr("OpenAI SDKs and Codex: %1").arg(url + u"/openai/v1"_s).toHtmlEscaped(),
                 tr("Claude Code and Anthropic SDKs: %1")
                     .arg(url + u"/anthropic"_s)
                     .toHtmlEscaped()));

    m_tablePages = new QStackedWidget(this);
    m_tablePages->addWidget(m_empty);
    m_tablePages->addWidget(m_table);

    m_detail = new LiveRequestDetail(console, this);
    m_detail->setObjectName(u"detail"_s);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tablePages);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({460, 300});
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 8);
    layout->setSpacing(8);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    // Follow the tail only while at the bottom. Whether the operator is there is decided when
    // the table scrolls, not when rows come: a viewport that shrinks (the detail pane opening)
    // must not end following. Scrolled up, trimming the oldest rows must not move what the
    // operator is reading.
    QScrollBar *scroll = m_table->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this,
            [this, scroll](int value) { m_follow = value >= scroll->maximum(); });
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int maximum) {
        if (m_follow)
            scroll->setValue(maximum);
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow)
            m_table->scrollToBottom();
    });
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this] { m_topRow = m_table->rowAt(0); });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this,
            [this, scroll](const QModelIndex &, int first, int last) {
                if (m_follow || m_topRow < 0 || first > m_topRow)
                    return; // following, or the rows went below what is on screen
                const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
                scroll->setValue(scroll->value() -
                                 (std::min(last, m_topRow) - first + 1) * rowHeight);
            });

    connect(console, &GatewayConsole::requestsArrived, m_model, &LiveRequestModel::add);
    connect(m_model, &LiveRequestModel::seenChanged, this, &LiveView::refreshChoices);
    connect(m_model, &LiveRequestModel::pausedChanged, this, &LiveView::updateIndicators);
    connect(m_model, &LiveRequestModel::heldCountChanged, this, &LiveView::updateIndicators);
    // The count says how many rows are there (the model) and how many are shown (the filter).
    for (const QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(m_model),
                                            static_cast<QAbstractItemModel *>(m_filter)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &LiveView::updateIndicators);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &LiveView::updateIndicators);
        connect(model, &QAbstractItemModel::modelReset, this, &LiveView::updateIndicators);
    }
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &LiveView::updateIndicators);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LiveView::showSelected);
    // The selected call may finish (or change) while it is shown.
    connect(m_filter, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndexList selected = m_table->selectionModel()->selectedRows();
                if (selected.size() == 1 && selected.first().row() >= topLeft.row() &&
                    selected.first().row() <= bottomRight.row())
                    showSelected();
            });
    updateIndicators();
}

QComboBox *LiveView::facetCombo(LiveRequestModel::Facet facet, const QString &all)
{
    auto *combo = new QComboBox(this);
    static const char16_t *const names[] = {u"account", u"flow", u"session", u"model"};
    combo->setObjectName(QString::fromUtf16(names[int(facet)]));
    combo->addItem(all, QString());
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(6);
    connect(combo, &QComboBox::currentIndexChanged, this,
            [this, combo, facet] { m_filter->setFacet(facet, combo->currentData().toString()); });
    m_facets.append({facet, combo});
    return combo;
}

void LiveView::refreshChoices()
{
    for (const auto &[facet, combo] : std::as_const(m_facets)) {
        const QStringList seen = m_model->seen(facet);
        if (seen.size() == combo->count() - 1)
            continue; // values are only ever added
        const QString current = combo->currentData().toString();
        const QSignalBlocker blocker(combo);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const QString &value : seen)
            combo->addItem(value, value);
        combo->setCurrentIndex(std::max(0, combo->findData(current)));
    }
}

void LiveView::showSelected()
{
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    if (selected.size() != 1)
        return; // a trimmed selection leaves its call on show
    const QModelIndex source = m_filter->mapToSource(selected.first());
    m_detail->setRequest(m_model->request(source.row()));
}

void LiveView::updateIndicators()
{
    const int total = m_model->rowCount();
    const bool empty = total == 0 && !m_model->isPaused();
    m_tablePages->setCurrentIndex(empty ? 0 : 1);
    // Nothing to select yet: the empty state takes the whole page.
    m_detail->setVisible(!empty || !m_detail->requestId().isEmpty());
    m_count->setVisible(total > 0);
    const QLocale locale;
    const int shown = m_filter->rowCount();
    m_count->setText(
        shown == total ? tr("%1 shown").arg(locale.toString(total))
                       : tr("%1 of %2 shown").arg(locale.toString(shown), locale.toString(total)));
    const bool paused = m_model->isPaused();
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (m_pause->isChecked() != paused) {
        const QSignalBlocker blocker(m_pause);
        m_pause->setChecked(paused);
    }
    m_held->setVisible(paused);
    m_held->setText(tr("Paused, %n new", nullptr, m_model->heldCount()));
}

void LiveView::setColumnWidths()
{
    const QFontMetrics metrics = fontMetrics();
    const auto width = [&](const QString &sample, int column) {
        const QString header =
            m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        return std::max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(header)) + 28;
    };
    QHeaderView *columns = m_table->horizontalHeader();
    columns->resizeSection(LiveRequestModel::TimeColumn,
                           width(u"00:00:00.000"_s, LiveRequestModel::TimeColumn));
    columns->resizeSection(LiveRequestModel::PrincipalColumn,
                           width(u"claude-code"_s, LiveRequestModel::PrincipalColumn));
    columns->resizeSection(LiveRequestModel::ModelColumn,
                           width(u"claude-sonnet-4-5"_s, LiveRequestModel::ModelColumn));
    columns->resizeSection(LiveRequestModel::StatusColumn,
                           width(u"402 over budget"_s, LiveRequestModel::StatusColumn));
    columns->resizeSection(LiveRequestModel::TokensColumn,
                           width(u"12.3k / 45.6k"_s, LiveRequestModel::TokensColumn));
    columns->resizeSection(LiveRequestModel::CostColumn,
                           width(u"unpriced"_s, LiveRequestModel::CostColumn));
    columns->resizeSection(LiveRequestModel::LatencyColumn,
                           width(u"12.4 s"_s, LiveRequestModel::LatencyColumn));
    columns->setSectionResizeMode(LiveRequestModel::ScopeColumn, QHeaderView::Stretch);
}

bool LiveView::isFollowing() const
{
    return m_follow;
}
