#include "settingsview.h"

#include "common/consolestyle.h"
#include "config/configuration.h"
#include "events/redactor.h"
#include "gatewayconsole.h"
#include "ledger/databaselocation.h"
#include "redactionpatternmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMiBShift = 20;

QLabel *colouredLabel(const QColor &colour, const QString &text = {})
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, colour);
    label->setPalette(palette);
    return label;
}

QLabel *restartHint()
{
    auto *hint =
        colouredLabel(ConsoleStyle::warning(),
                      QCoreApplication::translate("SettingsView", "applies at next start"));
    hint->setWordWrap(false);
    hint->hide();
    return hint;
}

QLabel *sectionTitle(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

// A field with its restart hint beside it.
QWidget *withHint(QWidget *field, QLabel *hint, QWidget *extra = nullptr)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field);
    if (extra)
        layout->addWidget(extra);
    layout->addWidget(hint);
    layout->addStretch();
    return row;
}

// The page shows a saved URL without its password, which has a masked field of its own.
void splitDatabase(const QString &url, bool *team, QString *withoutPassword, QString *password)
{
    *team = !url.isEmpty() && url != ConsoleSettings::kEmbeddedDatabase;
    if (!*team) {
        withoutPassword->clear();
        password->clear();
        return;
    }
    QUrl parsed(url);
    *password = parsed.password();
    parsed.setPassword(QString());
    *withoutPassword = parsed.toString();
}

} // namespace

SettingsView::SettingsView(GatewayConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_startLanguage(m_settings.language())
    , m_patterns(new RedactionPatternModel(this))
    , m_host(new QLineEdit)
    , m_port(new QSpinBox)
    , m_dataDir(new QLineEdit)
    , m_databaseKind(new QComboBox)
    , m_databaseUrl(new QLineEdit)
    , m_databasePassword(new QLineEdit)
    , m_retentionDays(new QSpinBox)
    , m_maxStoredMiB(new QSpinBox)
    , m_patternView(new QTableView)
    , m_captureFullBodies(new QCheckBox(tr("Keep complete request and response bodies")))
    , m_language(new QComboBox)
    , m_hostHint(restartHint())
    , m_portHint(restartHint())
    , m_dataDirHint(restartHint())
    , m_databaseHint(restartHint())
    , m_retentionHint(restartHint())
    , m_patternsHint(restartHint())
    , m_captureHint(restartHint())
    , m_languageHint(restartHint())
    , m_hostMessage(colouredLabel(ConsoleStyle::failure()))
    , m_dataDirMessage(colouredLabel(ConsoleStyle::failure()))
    , m_databaseMessage(colouredLabel(ConsoleStyle::failure()))
    , m_patternMessage(colouredLabel(ConsoleStyle::failure()))
    , m_captureWarning(colouredLabel(ConsoleStyle::warning()))
    , m_status(colouredLabel(ConsoleStyle::muted()))
    , m_removePattern(new QPushButton(tr("Remove")))
    , m_revert(new QPushButton(tr("Revert")))
    , m_save(new QPushButton(tr("Save")))
{
    m_host->setObjectName(u"listenHost"_s);
    m_port->setObjectName(u"listenPort"_s);
    m_dataDir->setObjectName(u"dataDir"_s);
    m_databaseKind->setObjectName(u"databaseKind"_s);
    m_databaseUrl->setObjectName(u"databaseUrl"_s);
    m_databasePassword->setObjectName(u"databasePassword"_s);
    m_databaseMessage->setObjectName(u"databaseMessage"_s);
    m_retentionDays->setObjectName(u"retentionDays"_s);
    m_maxStoredMiB->setObjectName(u"maxStoredMiB"_s);
    m_patternView->setObjectName(u"redactionPatterns"_s);
    m_captureFullBodies->setObjectName(u"captureFullBodies"_s);
    m_language->setObjectName(u"language"_s);
    m_patternMessage->setObjectName(u"patternMessage"_s);
    m_status->setObjectName(u"settingsStatus"_s);
    m_save->setObjectName(u"saveSettings"_s);
    m_revert->setObjectName(u"revertSettings"_s);

    auto *heading = new QLabel(tr("Settings"));
    QFont headingFont = heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    heading->setFont(headingFont);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(makeForm());

    m_save->setDefault(true);
    connect(m_save, &QPushButton::clicked, this, &SettingsView::save);
    connect(m_revert, &QPushButton::clicked, this, &SettingsView::revert);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_revert);
    bar->addWidget(m_save);

    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(24, 20, 24, 16);
    column->setSpacing(6);
    column->addWidget(heading);
    column->addWidget(colouredLabel(ConsoleStyle::muted(),
                                    tr("Gatehouse reads these when it starts. They take "
                                       "precedence over its configuration file; command-line "
                                       "flags take precedence over them.")));
    column->addSpacing(6);
    column->addWidget(scroll, 1);
    column->addLayout(bar);

    for (QLineEdit *edit : {m_host, m_dataDir, m_databaseUrl, m_databasePassword})
        connect(edit, &QLineEdit::textChanged, this, &SettingsView::updateState);
    connect(m_databaseKind, &QComboBox::currentIndexChanged, this, &SettingsView::updateState);
    for (QSpinBox *spin : {m_port, m_retentionDays, m_maxStoredMiB})
        connect(spin, &QSpinBox::valueChanged, this, &SettingsView::updateState);
    connect(m_captureFullBodies, &QCheckBox::toggled, this, &SettingsView::updateState);
    connect(m_language, &QComboBox::currentIndexChanged, this, &SettingsView::updateState);
    connect(m_patterns, &RedactionPatternModel::edited, this, &SettingsView::updateState);
    revert();
}

QWidget *SettingsView::makeForm()
{
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setMinimumWidth(140);
    m_host->setMinimumWidth(240);
    m_host->setPlaceholderText(u"127.0.0.1"_s);
    m_dataDir->setMinimumWidth(460);
    m_databaseKind->addItem(tr("Embedded (SQLite in the data directory)"), false);
    m_databaseKind->addItem(tr("Team database (PostgreSQL)"), true);
    m_databaseKind->setMinimumWidth(300);
    m_databaseKind->setToolTip(tr("Team mode: several gateways share budgets, ledger and "
                                  "identities in one PostgreSQL database."));
    m_databaseUrl->setMinimumWidth(520);
    m_databaseUrl->setPlaceholderText(u"postgresql://gatehouse@db.example:5432/gatehouse"_s);
    m_databasePassword->setEchoMode(QLineEdit::Password);
    m_databasePassword->setPlaceholderText(tr("optional"));
    m_databasePassword->setMinimumWidth(160);
    // A password typed into the URL moves to its masked field once the operator leaves the URL.
    connect(m_databaseUrl, &QLineEdit::editingFinished, this, [this] {
        QUrl url(m_databaseUrl->text().trimmed(), QUrl::StrictMode);
        if (!url.isValid() || url.password().isEmpty())
            return;
        m_databasePassword->setText(url.password());
        url.setPassword(QString());
        m_databaseUrl->setText(url.toString());
    });
    m_retentionDays->setRange(1, 36500);
    m_retentionDays->setSuffix(tr(" days"));
    m_retentionDays->setMinimumWidth(140);
    m_maxStoredMiB->setRange(1, 1 << 30);
    m_maxStoredMiB->setSuffix(tr(" MiB"));
    m_maxStoredMiB->setGroupSeparatorShown(true);
    m_maxStoredMiB->setMinimumWidth(140);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->addItem(u"Deutsch"_s, u"de"_s);
    m_language->setMinimumWidth(240);

    auto *browse = new QPushButton(tr("Choose…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString directory =
            QFileDialog::getExistingDirectory(this, tr("Data directory"), m_dataDir->text());
        if (!directory.isEmpty())
            m_dataDir->setText(QDir::toNativeSeparators(directory));
    });

    m_patternView->setModel(m_patterns);
    m_patternView->verticalHeader()->hide();
    m_patternView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_patternView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_patternView->setAlternatingRowColors(true);
    m_patternView->setShowGrid(false);
    m_patternView->setEditTriggers(QAbstractItemView::DoubleClicked |
                                   QAbstractItemView::EditKeyPressed |
                                   QAbstractItemView::AnyKeyPressed);
    m_patternView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_patternView->horizontalHeader()->setStretchLastSection(true);
    m_patternView->setColumnWidth(RedactionPatternModel::Name, 160);
    m_patternView->setColumnWidth(RedactionPatternModel::Regex, 340);
    m_patternView->setMinimumHeight(120);
    m_patternView->setMaximumHeight(150);
    auto *addPattern = new QPushButton(tr("Add pattern"));
    addPattern->setObjectName(u"addPattern"_s);
    m_removePattern->setObjectName(u"removePattern"_s);
    connect(addPattern, &QPushButton::clicked, this, [this] {
        const int row = m_patterns->addPattern();
        const QModelIndex regex = m_patterns->index(row, RedactionPatternModel::Regex);
        m_patternView->setCurrentIndex(regex);
        m_patternView->edit(regex);
    });
    connect(m_removePattern, &QPushButton::clicked, this,
            [this] { m_patterns->removePattern(m_patternView->currentIndex().row()); });
    connect(m_patternView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SettingsView::updateState);
    auto *patternButtons = new QHBoxLayout;
    patternButtons->addWidget(addPattern);
    patternButtons->addWidget(m_removePattern);
    patternButtons->addWidget(m_patternsHint);
    patternButtons->addStretch();

    const auto form = [] {
        auto *layout = new QFormLayout;
        layout->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
        layout->setHorizontalSpacing(16);
        layout->setVerticalSpacing(8);
        return layout;
    };
    // Labels share one width across sections, so the fields line up down the page.
    const auto label = [](const QString &text) {
        auto *l = new QLabel(text);
        l->setMinimumWidth(150);
        l->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return l;
    };

    auto *listener = form();
    listener->addRow(label(tr("Address")), withHint(m_host, m_hostHint));
    listener->addRow(QString(), m_hostMessage);
    listener->addRow(label(tr("Port")), withHint(m_port, m_portHint));

    auto *storage = form();
    storage->addRow(label(tr("Data directory")), withHint(m_dataDir, m_dataDirHint, browse));
    storage->addRow(QString(), m_dataDirMessage);
    storage->addRow(label(tr("Database")), withHint(m_databaseKind, m_databaseHint));
    auto *databaseUrl = new QWidget;
    auto *databaseUrlRow = new QHBoxLayout(databaseUrl);
    databaseUrlRow->setContentsMargins(0, 0, 0, 0);
    databaseUrlRow->addWidget(m_databaseUrl);
    databaseUrlRow->addWidget(new QLabel(tr("Password")));
    databaseUrlRow->addWidget(m_databasePassword);
    databaseUrlRow->addStretch();
    storage->addRow(label(tr("URL")), databaseUrl);
    storage->addRow(QString(), m_databaseMessage);
    // One line: a wrapped label in a form row gets room for more lines than it shows.
    auto *passwordHint = colouredLabel(ConsoleStyle::muted(),
                                       tr("Prefer PGPASSWORD or ~/.pgpass to a password here: "
                                          "Settings keeps it in its file."));
    passwordHint->setWordWrap(false);
    storage->addRow(QString(), passwordHint);
    auto *retention = new QWidget;
    auto *retentionRow = new QHBoxLayout(retention);
    retentionRow->setContentsMargins(0, 0, 0, 0);
    retentionRow->addWidget(m_retentionDays);
    retentionRow->addWidget(new QLabel(tr("and at most")));
    retentionRow->addWidget(m_maxStoredMiB);
    retentionRow->addWidget(m_retentionHint);
    retentionRow->addStretch();
    storage->addRow(label(tr("Keep events for")), retention);
    m_retentionDays->setToolTip(tr("Older events go first. Usage records (tokens and cost) "
                                   "are always kept."));
    m_maxStoredMiB->setToolTip(m_retentionDays->toolTip());

    auto *privacy = new QVBoxLayout;
    privacy->setSpacing(6);
    auto *builtIn = colouredLabel(
        ConsoleStyle::muted(), tr("Gatehouse always redacts API keys, bearer tokens, passwords in "
                                  "URLs and private keys. Add patterns for your own secrets; a "
                                  "match is stored as [REDACTED:name]."));
    QStringList builtInNames;
    for (const RedactionPattern &pattern : Redactor::builtInPatterns())
        builtInNames += pattern.name;
    builtIn->setToolTip(tr("Built in: %1").arg(builtInNames.join(u", "_s)));
    privacy->addWidget(builtIn);
    privacy->addWidget(m_patternView);
    privacy->addWidget(m_patternMessage);
    privacy->addLayout(patternButtons);
    privacy->addSpacing(4);
    privacy->addWidget(withHint(m_captureFullBodies, m_captureHint));
    privacy->addWidget(m_captureWarning);

    auto *language = form();
    language->addRow(label(tr("Language")), withHint(m_language, m_languageHint));

    auto *content = new QWidget;
    content->setMaximumWidth(980);
    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(0, 4, 12, 4);
    column->setSpacing(6);
    column->addWidget(sectionTitle(tr("Listener")));
    column->addLayout(listener);
    column->addSpacing(10);
    column->addWidget(sectionTitle(tr("Storage")));
    column->addLayout(storage);
    column->addSpacing(10);
    column->addWidget(sectionTitle(tr("Privacy")));
    column->addLayout(privacy);
    column->addSpacing(10);
    column->addWidget(sectionTitle(tr("Console")));
    column->addLayout(language);
    column->addStretch();
    return content;
}

bool SettingsView::sameDatabase(const Values &a, const Values &b)
{
    if (a.teamDatabase != b.teamDatabase)
        return false;
    return !a.teamDatabase ||
           (a.databaseUrl == b.databaseUrl && a.databasePassword == b.databasePassword);
}

bool SettingsView::samePatterns(const QList<RedactionPattern> &a, const QList<RedactionPattern> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(),
                      [](const RedactionPattern &x, const RedactionPattern &y) {
                          return x.name == y.name && x.regex == y.regex;
                      });
}

SettingsView::Values SettingsView::current() const
{
    Values values;
    values.host = m_host->text().trimmed();
    values.port = m_port->value();
    values.dataDir = m_dataDir->text().trimmed();
    values.teamDatabase = m_databaseKind->currentData().toBool();
    values.databaseUrl = m_databaseUrl->text().trimmed();
    values.databasePassword = m_databasePassword->text();
    values.retentionDays = m_retentionDays->value();
    values.maxStoredMiB = m_maxStoredMiB->value();
    values.patterns = m_patterns->patterns();
    values.captureFullBodies = m_captureFullBodies->isChecked();
    values.language = m_language->currentData().toString();
    return values;
}

SettingsView::Values SettingsView::running() const
{
    const Configuration &configuration = m_console->configuration();
    Values values;
    values.host = configuration.listenHost;
    values.port = configuration.listenPort;
    values.dataDir = QDir::toNativeSeparators(configuration.dataDir);
    values.teamDatabase = configuration.database.isPostgres();
    if (values.teamDatabase)
        values.databaseUrl = configuration.database.displayText();
    values.retentionDays = configuration.events.retentionDays;
    values.maxStoredMiB = int(std::clamp<qint64>(configuration.events.maxStoredBytes >> kMiBShift,
                                                 1, m_maxStoredMiB->maximum()));
    values.patterns = configuration.events.redactionPatterns;
    values.captureFullBodies = configuration.events.captureFullBodies;
    values.language = m_startLanguage;
    return values;
}

void SettingsView::display(const Values &values)
{
    m_host->setText(values.host);
    m_port->setValue(values.port);
    m_dataDir->setText(values.dataDir);
    m_databaseKind->setCurrentIndex(values.teamDatabase ? 1 : 0);
    m_databaseUrl->setText(values.databaseUrl);
    m_databasePassword->setText(values.databasePassword);
    m_retentionDays->setValue(values.retentionDays);
    m_maxStoredMiB->setValue(values.maxStoredMiB);
    m_patterns->setPatterns(values.patterns);
    m_captureFullBodies->setChecked(values.captureFullBodies);
    m_language->setCurrentIndex(std::max(0, m_language->findData(values.language)));
}

void SettingsView::revert()
{
    // What is saved, over what runs (the running configuration has the saved values applied
    // unless a flag overrode them; the saved value is the operator's choice either way).
    Values values = running();
    Configuration saved = m_console->configuration();
    m_settings.applyTo(&saved);
    values.host = saved.listenHost;
    values.port = saved.listenPort;
    values.dataDir = QDir::toNativeSeparators(saved.dataDir);
    values.retentionDays = saved.events.retentionDays;
    values.maxStoredMiB = int(
        std::clamp<qint64>(saved.events.maxStoredBytes >> kMiBShift, 1, m_maxStoredMiB->maximum()));
    values.captureFullBodies = saved.events.captureFullBodies;
    // As saved, also a URL the gateway ignores: the operator sees why and fixes it.
    if (const QString database = m_settings.database(); !database.isEmpty())
        splitDatabase(database, &values.teamDatabase, &values.databaseUrl,
                      &values.databasePassword);
    // Kept as saved, also the ones the gateway refuses: the operator sees and fixes them.
    if (const auto patterns = m_settings.redactionPatterns())
        values.patterns = *patterns;
    values.language = m_settings.language();
    m_saved = values;
    display(values);
    m_savedMessage.clear();
    updateState();
}

bool SettingsView::hasUnsavedChanges() const
{
    const Values now = current();
    return now.host != m_saved.host || now.port != m_saved.port || now.dataDir != m_saved.dataDir ||
           !sameDatabase(now, m_saved) || now.retentionDays != m_saved.retentionDays ||
           now.maxStoredMiB != m_saved.maxStoredMiB ||
           !samePatterns(now.patterns, m_saved.patterns) ||
           now.captureFullBodies != m_saved.captureFullBodies || now.language != m_saved.language;
}

QString SettingsView::hostProblem() const
{
    const QString host = m_host->text().trimmed();
    if (host == u"localhost" || !QHostAddress(host).isNull())
        return {};
    return tr("Enter an IPv4 or IPv6 address, or localhost.");
}

QString SettingsView::dataDirProblem() const
{
    if (QDir::isAbsolutePath(m_dataDir->text().trimmed()))
        return {};
    return tr("Enter an absolute path.");
}

QString SettingsView::databaseToSave() const
{
    // Saved as a choice of its own: it wins over a team database in the configuration file.
    if (!m_databaseKind->currentData().toBool())
        return ConsoleSettings::kEmbeddedDatabase;
    const QString text = m_databaseUrl->text().trimmed();
    QUrl url(text, QUrl::StrictMode);
    if (m_databasePassword->text().isEmpty() || !url.isValid())
        return text;
    url.setPassword(m_databasePassword->text());
    return url.toString();
}

QString SettingsView::databaseProblem() const
{
    if (!m_databaseKind->currentData().toBool())
        return {};
    if (m_databaseUrl->text().trimmed().isEmpty())
        return tr("Enter the database's URL.");
    QString error; // never contains the password
    if (DatabaseLocation::parse(databaseToSave(), &error))
        return {};
    return tr("Not a PostgreSQL database URL (%1).").arg(error);
}

void SettingsView::updateState()
{
    const Values now = current();
    const Values run = running();

    const QString hostError = hostProblem();
    const bool exposed =
        hostError.isEmpty() && now.host != u"localhost" && !QHostAddress(now.host).isLoopback();
    m_hostMessage->setText(hostError.isEmpty() && exposed
                               ? tr("Other machines can reach Gatehouse on this address. Callers "
                                    "still need a key; the admin API answers this machine only.")
                               : hostError);
    QPalette hostPalette = m_hostMessage->palette();
    hostPalette.setColor(QPalette::WindowText,
                         hostError.isEmpty() ? ConsoleStyle::warning() : ConsoleStyle::failure());
    m_hostMessage->setPalette(hostPalette);
    m_hostMessage->setVisible(!hostError.isEmpty() || exposed);
    const QString dataDirError = dataDirProblem();
    m_dataDirMessage->setText(dataDirError);
    m_dataDirMessage->setVisible(!dataDirError.isEmpty());
    const QString databaseError = databaseProblem();
    m_databaseMessage->setText(databaseError);
    m_databaseMessage->setVisible(!databaseError.isEmpty());
    m_databaseUrl->setEnabled(now.teamDatabase);
    m_databasePassword->setEnabled(now.teamDatabase);

    QString patternError;
    for (int row = 0; row < m_patterns->rowCount() && patternError.isEmpty(); ++row) {
        const QString problem = m_patterns->problem(row);
        if (!problem.isEmpty())
            patternError = tr("Pattern %1: %2").arg(m_patterns->patterns().at(row).name, problem);
    }
    m_patternMessage->setText(patternError);
    m_patternMessage->setVisible(!patternError.isEmpty());
    m_removePattern->setEnabled(m_patternView->currentIndex().isValid());

    m_captureWarning->setText(
        now.captureFullBodies
            ? tr("Bodies are stored redacted, but whole: prompts, source code and documents "
                 "stay in the ledger until retention removes them, and the ledger grows much "
                 "faster.")
            : tr("Off: each event keeps a redacted preview of its request and response."));
    QPalette capturePalette = m_captureWarning->palette();
    capturePalette.setColor(QPalette::WindowText, now.captureFullBodies ? ConsoleStyle::warning()
                                                                        : ConsoleStyle::muted());
    m_captureWarning->setPalette(capturePalette);

    m_hostHint->setVisible(now.host != run.host);
    m_portHint->setVisible(now.port != run.port);
    m_dataDirHint->setVisible(QDir::cleanPath(now.dataDir) != QDir::cleanPath(run.dataDir));
    // Compared as locations: the running one's text has neither password nor options.
    const DatabaseLocation &runningDatabase = m_console->configuration().database;
    const auto nowDatabase = DatabaseLocation::parse(databaseToSave(), nullptr);
    // The same text first: a page showing the running URL (nothing saved) cannot parse it back
    // to the running location, which has the password and options the text leaves out.
    m_databaseHint->setVisible(
        !sameDatabase(now, run) &&
        (now.teamDatabase ? nowDatabase != runningDatabase : runningDatabase.isPostgres()));
    m_retentionHint->setVisible(now.retentionDays != run.retentionDays ||
                                now.maxStoredMiB != run.maxStoredMiB);
    m_patternsHint->setVisible(!samePatterns(now.patterns, run.patterns));
    m_captureHint->setVisible(now.captureFullBodies != run.captureFullBodies);
    m_languageHint->setVisible(now.language != run.language);

    const bool valid = hostError.isEmpty() && dataDirError.isEmpty() && databaseError.isEmpty() &&
                       patternError.isEmpty();
    const bool dirty = hasUnsavedChanges();
    m_save->setEnabled(dirty && valid);
    m_revert->setEnabled(dirty);
    m_status->setText(!dirty  ? m_savedMessage
                      : valid ? tr("Unsaved changes.")
                              : tr("Fix the marked fields to save."));
}

bool SettingsView::save()
{
    updateState();
    if (!hostProblem().isEmpty() || !dataDirProblem().isEmpty() || !databaseProblem().isEmpty() ||
        !m_patterns->allValid())
        return false; // the fields say why
    Values now = current();
    if (now.host != m_saved.host)
        m_settings.setListenHost(now.host);
    if (now.port != m_saved.port)
        m_settings.setListenPort(quint16(now.port));
    if (now.dataDir != m_saved.dataDir)
        m_settings.setDataDir(QDir::fromNativeSeparators(now.dataDir));
    if (!sameDatabase(now, m_saved)) {
        const QString database = databaseToSave();
        m_settings.setDatabase(database);
        // Shown as a new page would show it: a password typed into the URL now sits masked.
        splitDatabase(database, &now.teamDatabase, &now.databaseUrl, &now.databasePassword);
        m_databaseUrl->setText(now.databaseUrl);
        m_databasePassword->setText(now.databasePassword);
    }
    if (now.retentionDays != m_saved.retentionDays)
        m_settings.setRetentionDays(now.retentionDays);
    if (now.maxStoredMiB != m_saved.maxStoredMiB)
        m_settings.setMaxStoredBytes(qint64(now.maxStoredMiB) << kMiBShift);
    if (!samePatterns(now.patterns, m_saved.patterns))
        m_settings.setRedactionPatterns(now.patterns);
    if (now.captureFullBodies != m_saved.captureFullBodies)
        m_settings.setCaptureFullBodies(now.captureFullBodies);
    if (now.language != m_saved.language)
        m_settings.setLanguage(now.language);
    m_settings.sync();
    m_saved = now;
    updateState();
    const QList<QLabel *> hints{m_hostHint,      m_portHint,     m_dataDirHint, m_databaseHint,
                                m_retentionHint, m_patternsHint, m_captureHint, m_languageHint};
    const bool restart =
        std::any_of(hints.cbegin(), hints.cend(), [](QLabel *hint) { return !hint->isHidden(); });
    m_savedMessage =
        restart ? tr("Saved. Restart Gatehouse to apply the marked changes.") : tr("Saved.");
    m_status->setText(m_savedMessage);
    Q_EMIT saved();
    return true;
}
