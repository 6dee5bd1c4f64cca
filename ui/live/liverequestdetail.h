#pragma once

#include "console/liverequest.h"

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class GatewayConsole;
class QLabel;
class QGroupBox;
class QStackedWidget;
class QTextBrowser;

// The live view's detail pane for one call: who sent it, model alias to upstream model and
// provider, status and any denial or error reason, the timing breakdown, tokens and cost, and
// the redacted request and response previews read from the ledger once the call has finished.
class LiveRequestDetail : public QWidget
{
    Q_OBJECT
public:
    // Where the previews stand.
    enum class Previews
    {
        None,    // no call shown
        Pending, // the call is still running: its event comes when it finishes
        Loading, // asked the ledger (retried while the store has not written it yet)
        Shown,   // the event's previews are on screen
        Missing, // the ledger has no such request
        NotKept, // the request is in the ledger, its event is not (events off, or pruned)
        Failed   // the ledger could not be read
    };
    Q_ENUM(Previews)

    // The store writes in batches: an event asked for right after its call may not be there.
    static constexpr int kAttempts = 5;
    static constexpr int kRetryMs = 250;

    explicit LiveRequestDetail(GatewayConsole *console, QWidget *parent = nullptr);

    // Shows the call; once it has finished its event is read (once per call).
    void setRequest(const LiveRequest &request);
    void clear();
    QByteArray requestId() const { return m_hasRequest ? m_request.requestId : QByteArray(); }
    Previews previews() const { return m_previews; }
    // The previews as plain text, as shown.
    QString requestPreviewText() const;
    QString responsePreviewText() const;

Q_SIGNALS:
    void previewsChanged(Previews previews);

private:
    void showSummary();
    void fetch();
    void present(const QJsonObject &answer, const QString &error);
    void setPreviews(Previews previews, const QString &message = {});
    QString timingText() const;

    GatewayConsole *m_console;
    LiveRequest m_request;
    bool m_hasRequest = false;
    Previews m_previews = Previews::None;
    quint64 m_generation = 0; // answers for an earlier call are dropped
    int m_attempts = 0;
    qint64 m_queuedUs = -1;
    QTimer m_retry;

    QStackedWidget *m_pages;
    QLabel *m_title;
    QLabel *m_time;
    QLabel *m_status;
    QLabel *m_who;
    QLabel *m_scope;
    QLabel *m_model;
    QLabel *m_reason;
    QLabel *m_reasonLabel;
    QLabel *m_timing;
    QLabel *m_tokens;
    QLabel *m_cost;
    QGroupBox *m_requestBox;
    QGroupBox *m_responseBox;
    QTextBrowser *m_requestPreview;
    QTextBrowser *m_responsePreview;
};
