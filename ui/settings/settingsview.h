#pragma once

#include "consolesettings.h"

#include <QWidget>

class GatewayConsole;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class RedactionPatternModel;

// Settings: listen address and port, data directory, database (embedded or team), event retention,
// redaction patterns, full-body capture and language, kept in ConsoleSettings. Each field starts
// from what is saved there, else from the running configuration; saving writes only what the
// operator changed. Everything here is read at start, so a field that differs from the running
// gateway says so.
class SettingsView : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsView(GatewayConsole *console, QWidget *parent = nullptr);

    RedactionPatternModel *redactionPatterns() const { return m_patterns; }
    bool hasUnsavedChanges() const;

public Q_SLOTS:
    // False (and nothing written) while a field is invalid; the reason is on screen.
    bool save();
    // Back to what is saved.
    void revert();

Q_SIGNALS:
    void saved();

private:
    struct Values
    {
        QString host;
        int port = 0;
        QString dataDir;
        // Team mode: the URL without its password, which is kept apart (shown masked only).
        // Both empty: the embedded ledger.
        bool teamDatabase = false;
        QString databaseUrl;
        QString databasePassword;
        int retentionDays = 0;
        int maxStoredMiB = 0;
        QList<RedactionPattern> patterns;
        bool captureFullBodies = false;
        QString language;
    };
    static bool sameDatabase(const Values &a, const Values &b);
    static bool samePatterns(const QList<RedactionPattern> &a, const QList<RedactionPattern> &b);
    Values current() const;
    Values running() const;
    void display(const Values &values);
    // Validity, hints, buttons: after every edit.
    void updateState();
    QString hostProblem() const;
    QString dataDirProblem() const;
    // The URL to save, password included; empty for the embedded ledger.
    QString databaseToSave() const;
    QString databaseProblem() const;
    QWidget *makeForm();

    GatewayConsole *m_console;
    ConsoleSettings m_settings;
    QString m_startLanguage; // the language this run started with
    Values m_saved;          // what the fields showed after the last load or save
    QString m_savedMessage;  // what the last save said, until the next edit
    RedactionPatternModel *m_patterns;

    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_dataDir;
    QComboBox *m_databaseKind;
    QLineEdit *m_databaseUrl;
    QLineEdit *m_databasePassword;
    QSpinBox *m_retentionDays;
    QSpinBox *m_maxStoredMiB;
    QTableView *m_patternView;
    QCheckBox *m_captureFullBodies;
    QComboBox *m_language;

    QLabel *m_hostHint;
    QLabel *m_portHint;
    QLabel *m_dataDirHint;
    QLabel *m_databaseHint;
    QLabel *m_retentionHint;
    QLabel *m_patternsHint;
    QLabel *m_captureHint;
    QLabel *m_languageHint;
    QLabel *m_hostMessage;
    QLabel *m_dataDirMessage;
    QLabel *m_databaseMessage;
    QLabel *m_patternMessage;
    QLabel *m_captureWarning;
    QLabel *m_status;
    QPushButton *m_removePattern;
    QPushButton *m_revert;
    QPushButton *m_save;
};
