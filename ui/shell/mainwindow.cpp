#include "mainwindow.h"

#include "alertnotifier.h"
#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "gatewayconsole.h"
#include "killswitchaction.h"
#include "trafficpulse.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kPageKey = QStringLiteral("window/page");
const QString kOrganization = QStringLiteral("Gatehouse"); // ~/.config/Gatehouse/Gatehouse.conf

} // namespace

MainWindow::MainWindow(GatewayConsole *console, QWidget *parent)
    : QMainWindow(parent)
    , m_console(console)
    , m_killSwitch(new KillSwitchAction(console, this))
    , m_pulse(new TrafficPulse(console, this))
    , m_alerts(new AlertNotifier(console, this))
{
    setWindowTitle(tr("Gatehouse"));
    setWindowIcon(ConsoleIcons::icon(ConsoleIcons::Glyph::Gatehouse, ConsoleStyle::live()));
    setObjectName(QStringLiteral("mainWindow"));

    auto *central = new QWidget;
    auto *row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    row->addWidget(makeSidebar());
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    m_stoppedBanner = makeBanner(&m_stoppedText, ConsoleStyle::failure());
    auto *resume = new QToolButton;
    resume->setText(tr("Resume traffic"));
    resume->setObjectName(QStringLiteral("resumeTraffic"));
    connect(resume, &QToolButton::clicked, m_killSwitch, &KillSwitchAction::release);
    m_stoppedBanner->layout()->addWidget(resume);
    m_alertBanner = makeBanner(&m_alertText, ConsoleStyle::warning());
    auto *dismiss = new QToolButton;
    dismiss->setText(tr("Dismiss"));
    connect(dismiss, &QToolButton::clicked, m_alertBanner, &QWidget::hide);
    m_alertBanner->layout()->addWidget(dismiss);
    column->addWidget(m_stoppedBanner);
    column->addWidget(m_alertBanner);
    m_stack = new QStackedWidget;
    column->addWidget(m_stack, 1);
    row->addWidget(content, 1);
    setCentralWidget(central);

    m_urlLabel = new QLabel;
    m_urlLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_urlLabel->setText(tr("● Listening on %1").arg(console->url()));
    m_rateLabel = new QLabel;
    m_spendLabel = new QLabel;
    m_urlLabel->setObjectName(QStringLiteral("listeningUrl"));
    m_rateLabel->setObjectName(QStringLiteral("requestRate"));
    m_spendLabel->setObjectName(QStringLiteral("spendToday"));
    statusBar()->addWidget(m_urlLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_spendLabel);
    statusBar()->setSizeGripEnabled(false);

    connect(m_pulse, &TrafficPulse::changed, this, &MainWindow::showPulse);
    connect(m_alerts, &AlertNotifier::notified, this, &MainWindow::showAlert);
    connect(m_killSwitch, &KillSwitchAction::stateChanged, this, &MainWindow::followKillSwitch);
    connect(m_killSwitch, &KillSwitchAction::failed, this, [this](const QString &message) {
        showAlert(tr("The kill switch did not change"), message, true);
    });
    // Quitting from the tray or by a signal closes no window: remember the state then too.
    connect(qApp, &QCoreApplication::aboutToQuit, this, &MainWindow::rememberState);
    setUpTray();
    showPulse();
    followKillSwitch(false);
    m_alertBanner->hide();

    QSettings settings(kOrganization, kOrganization);
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(kStateKey).toByteArray());
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::makeSidebar()
{
    auto *sidebar = new QWidget;
    sidebar->setObjectName(QStringLiteral("sidebar"));
    sidebar->setFixedWidth(236);
    sidebar->setAutoFillBackground(true);
    QPalette palette = sidebar->palette();
    palette.setColor(QPalette::Window, QColor(0x1f, 0x29, 0x37));
    palette.setColor(QPalette::WindowText, QColor(0xe5, 0xe7, 0xeb));
    sidebar->setPalette(palette);
    auto *column = new QVBoxLayout(sidebar);
    column->setContentsMargins(12, 16, 12, 12);
    column->setSpacing(10);

    auto *brand = new QHBoxLayout;
    auto *logo = new QLabel;
    logo->setPixmap(ConsoleIcons::icon(ConsoleIcons::Glyph::Gatehouse, QColor(0x3b, 0x82, 0xf6))
                        .pixmap(28, 28));
    auto *name = new QLabel(tr("Gatehouse"));
    QFont nameFont = name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.35);
    nameFont.setBold(true);
    name->setFont(nameFont);
    brand->addWidget(logo);
    brand->addWidget(name, 1);
    column->addLayout(brand);
    column->addSpacing(8);

    m_pages = new QListWidget;
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->setFrameShape(QFrame::NoFrame);
    m_pages->setIconSize(QSize(20, 20));
    m_pages->setSpacing(2);
    m_pages->setStyleSheet(
        QStringLiteral("QListWidget { background: transparent; color: #e5e7eb; outline: 0; }"
                       "QListWidget::item { padding: 7px 8px; border-radius: 6px; }"
                       "QListWidget::item:hover { background: #374151; }"
                       "QListWidget::item:selected { background: #2563eb; color: white; }"));
    connect(m_pages, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_stack->setCurrentIndex(row);
    });
    column->addWidget(m_pages, 1);

    auto *kill = new QToolButton;
    kill->setObjectName(QStringLiteral("killSwitch"));
    kill->setDefaultAction(m_killSwitch);
    kill->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    kill->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    kill->setStyleSheet(QStringLiteral(
        "QToolButton { color: #fecaca; border: 1px solid #b91c1c; border-radius: 6px;"
        " padding: 7px; background: transparent; }"
        "QToolButton:hover { background: #7f1d1d; }"
        "QToolButton:checked { background: #b91c1c; color: white; }"));
    column->addWidget(kill);
    return sidebar;
}

QWidget *MainWindow::makeBanner(QLabel **text, const QColor &colour)
{
    auto *banner = new QWidget;
    banner->setAutoFillBackground(true);
    QPalette palette = banner->palette();
    palette.setColor(QPalette::Window, colour.lighter(185));
    palette.setColor(QPalette::WindowText, colour.darker(160));
    banner->setPalette(palette);
    auto *row = new QHBoxLayout(banner);
    row->setContentsMargins(16, 8, 12, 8);
    *text = new QLabel;
    (*text)->setWordWrap(true);
    (*text)->setTextFormat(Qt::RichText);
    row->addWidget(*text, 1);
    return banner;
}

void MainWindow::addPage(ConsoleIcons::Glyph glyph, const QString &title, QWidget *page)
{
    auto *item = new QListWidgetItem(ConsoleIcons::icon(glyph, QColor(0xd1, 0xd5, 0xdb)), title);
    item->setSizeHint(QSize(0, 38));
    m_pages->addItem(item);
    m_stack->addWidget(page);
    const int saved = QSettings(kOrganization, kOrganization).value(kPageKey, 0).toInt();
    if (m_pages->count() - 1 == saved || m_pages->currentRow() < 0)
        m_pages->setCurrentRow(m_pages->count() - 1 == saved ? saved : 0);
}

int MainWindow::pageCount() const
{
    return m_stack->count();
}

QWidget *MainWindow::page(int index) const
{
    return m_stack->widget(index);
}

void MainWindow::showPage(int index)
{
    m_pages->setCurrentRow(index);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    rememberState();
    QMainWindow::closeEvent(event);
}

void MainWindow::rememberState() const
{
    QSettings settings(kOrganization, kOrganization);
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kPageKey, m_pages->currentRow());
}

void MainWindow::setUpTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return; // offscreen and bare X sessions: the banner alone tells
    m_tray = new QSystemTrayIcon(windowIcon(), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show Gatehouse"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addSeparator();
    menu->addAction(m_killSwitch);
    menu->addSeparator();
    menu->addAction(tr("Quit"), qApp, &QApplication::quit);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason why) {
                if (why == QSystemTrayIcon::Trigger)
                    isVisible() ? hide() : showNormal();
            });
    m_alerts->setTrayIcon(m_tray);
    m_tray->show();
}

void MainWindow::showPulse()
{
    const QLocale locale;
    const QString rate = tr("%1 req/s").arg(locale.toString(m_pulse->requestsPerSecond(), 'f', 1));
    QString spend = tr("%1 today").arg(DisplayText::money(m_pulse->spentTodayMicros()));
    if (m_pulse->unpricedToday() > 0)
        spend = tr("%1 today + %n unpriced", nullptr, int(m_pulse->unpricedToday()))
                    .arg(DisplayText::money(m_pulse->spentTodayMicros()));
    m_rateLabel->setText(rate);
    m_spendLabel->setText(spend);
    if (m_tray) {
        m_tray->setToolTip(tr("Gatehouse on %1\n%2 · %3").arg(m_console->url(), rate, spend));
    }
}

void MainWindow::showAlert(const QString &title, const QString &message, bool denying)
{
    QPalette palette = m_alertBanner->palette();
    const QColor colour = denying ? ConsoleStyle::failure() : ConsoleStyle::warning();
    palette.setColor(QPalette::Window, colour.lighter(denying ? 185 : 230));
    palette.setColor(QPalette::WindowText, colour.darker(denying ? 160 : 200));
    m_alertBanner->setPalette(palette);
    m_alertText->setText(
        QStringLiteral("<b>%1</b> — %2").arg(title.toHtmlEscaped(), message.toHtmlEscaped()));
    m_alertBanner->show();
}

void MainWindow::followKillSwitch(bool engaged)
{
    m_stoppedBanner->setVisible(engaged);
    if (engaged) {
        m_stoppedText->setText(tr("<b>All model traffic is stopped</b> since %1: %2")
                                   .arg(DisplayText::time(m_killSwitch->engagedAtMs()),
                                        m_killSwitch->reason().toHtmlEscaped()));
    }
    m_urlLabel->setText(engaged ? tr("■ Stopped · %1").arg(m_console->url())
                                : tr("● Listening on %1").arg(m_console->url()));
}
