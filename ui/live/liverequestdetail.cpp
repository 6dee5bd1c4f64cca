#include "liverequestdetail.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "gatewayconsole.h"
#include "ledger/ledgerreport.h"
#include "liverequestmodel.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QString mutedHtml(const QString &text)
{
    return u"<span style=\"color:%1\">%2</span>"_s.arg(ConsoleStyle::muted().name(),
                                                       text.toHtmlEscaped());
}

// One titled part of a preview; the text keeps its line breaks.
QString section(const QString &heading, const QString &text)
{
    return u"<p style=\"margin-top:0; margin-bottom:2px\">"_s + mutedHtml(heading) +
           u"</p><p style=\"margin-top:0; margin-bottom:10px; white-space:pre-wrap\">"_s +
           text.toHtmlEscaped() + u"</p>"_s;
}

QString note(const QString &text)
{
    return u"<p style=\"margin-top:0; margin-bottom:6px\">"_s + mutedHtml(text) + u"</p>"_s;
}

QString names(const QJsonArray &array)
{
    QStringList list;
    for (const QJsonValue &value : array)
        list += value.toString();
    return list.join(u", "_s);
}

QString scalar(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (value.isDouble())
        return QLocale::c().toString(value.toDouble());
    return value.toString();
}

QString requestHtml(const QJsonObject &request)
{
    if (request.isEmpty())
        return note(LiveRequestDetail::tr("No request body was seen."));
    if (request.value(u"unparsed"_s).toBool())
        return note(LiveRequestDetail::tr("The request body is not JSON."));
    QString html;
    if (request.value(u"system"_s).isString())
        html += section(LiveRequestDetail::tr("System"), request.value(u"system"_s).toString());
    if (request.value(u"lastUser"_s).isString())
        html += section(LiveRequestDetail::tr("Last user message"),
                        request.value(u"lastUser"_s).toString());
    QStringList facts;
    facts += LiveRequestDetail::tr("messages: %1").arg(request.value(u"messages"_s).toInt());
    const QJsonArray tools = request.value(u"tools"_s).toArray();
    if (!tools.isEmpty())
        facts += LiveRequestDetail::tr("tools: %1").arg(names(tools));
    html += section(LiveRequestDetail::tr("Conversation"), facts.join(u" · "_s));
    const QJsonObject params = request.value(u"params"_s).toObject();
    if (!params.isEmpty()) {
        QStringList list;
        for (auto it = params.begin(); it != params.end(); ++it)
            list += u"%1: %2"_s.arg(it.key(), scalar(it.value()));
        html += section(LiveRequestDetail::tr("Parameters"), list.join(u", "_s));
    }
    if (request.value(u"trimmed"_s).toBool())
        html += note(LiveRequestDetail::tr("The texts were left out to keep the event small."));
    return html;
}

QString responseHtml(const QJsonObject &response)
{
    if (response.isEmpty())
        return note(LiveRequestDetail::tr("No response body was seen."));
    QString html;
    if (response.value(u"text"_s).isString())
        html += section(response.value(u"error"_s).toBool() ? LiveRequestDetail::tr("Error")
                                                            : LiveRequestDetail::tr("Text"),
                        response.value(u"text"_s).toString());
    const QJsonArray calls = response.value(u"toolCalls"_s).toArray();
    if (!calls.isEmpty())
        html += section(LiveRequestDetail::tr("Tool calls"), names(calls));
    if (response.value(u"stopReason"_s).isString())
        html += section(LiveRequestDetail::tr("Stop reason"),
                        response.value(u"stopReason"_s).toString());
    if (html.isEmpty())
        html = note(LiveRequestDetail::tr("The response had no text."));
    if (response.value(u"truncated"_s).toBool())
        html += note(LiveRequestDetail::tr("Only the head of the response was kept."));
    if (response.value(u"trimmed"_s).toBool())
        html += note(LiveRequestDetail::tr("The texts were left out to keep the event small."));
    return html;
}

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

void setColour(QLabel *label, const QColor &colour)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, colour);
    label->setPalette(palette);
}

QTextBrowser *previewBrowser(const QString &name, QWidget *parent)
{
    auto *browser = new QTextBrowser(parent);
    browser->setObjectName(name);
    browser->setOpenLinks(false);
    browser->setFrameShape(QFrame::NoFrame);
    browser->document()->setDocumentMargin(2);
    return browser;
}

} // namespace

LiveRequestDetail::LiveRequestDetail(GatewayConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(kRetryMs);
    connect(&m_retry, &QTimer::timeout, this, &LiveRequestDetail::fetch);

    m_pages = new QStackedWidget(this);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);

    auto *placeholder = new QLabel(
        tr("Select a request to see who sent it, its timing, tokens, cost and previews."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    setColour(placeholder, ConsoleStyle::muted());
    m_pages->addWidget(placeholder);

    auto *page = new QWidget(this);
    m_pages->addWidget(page);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);

    auto *header = new QHBoxLayout;
    m_title = valueLabel(page);
    m_title->setWordWrap(false);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setBold(true);
    m_title->setFont(mono);
    m_time = valueLabel(page);
    m_time->setWordWrap(false);
    setColour(m_time, ConsoleStyle::muted());
    m_status = valueLabel(page);
    m_status->setWordWrap(false);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    header->addWidget(m_title);
    header->addSpacing(12);
    header->addWidget(m_time);
    header->addStretch();
    header->addWidget(m_status);
    layout->addLayout(header);

    auto *body = new QHBoxLayout;
    body->setSpacing(16);
    layout->addLayout(body, 1);

    auto *summary = new QFormLayout;
    summary->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    summary->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    summary->setRowWrapPolicy(QFormLayout::DontWrapRows);
    summary->setVerticalSpacing(6);
    const auto addRow = [&](const QString &name, QLabel **field) {
        *field = valueLabel(page);
        auto *label = new QLabel(name, page);
        setColour(label, ConsoleStyle::muted());
        summary->addRow(label, *field);
        return label;
    };
    addRow(tr("Who"), &m_who);
    addRow(tr("Flow / session"), &m_scope);
    addRow(tr("Model"), &m_model);
    m_reasonLabel = addRow(tr("Reason"), &m_reason);
    setColour(m_reason, ConsoleStyle::failure());
    addRow(tr("Timing"), &m_timing);
    addRow(tr("Tokens"), &m_tokens);
    addRow(tr("Cost"), &m_cost);
    for (const auto &[label, name] : {std::pair{m_who, u"who"_s},
                                      {m_scope, u"scope"_s},
                                      {m_model, u"model"_s},
                                      {m_reason, u"reason"_s},
                                      {m_timing, u"timing"_s},
                                      {m_tokens, u"tokens"_s},
                                      {m_cost, u"cost"_s}})
        label->setObjectName(name);
    auto *summaryBox = new QWidget;
    summaryBox->setLayout(summary);
    // A budget's denial names every figure: it scrolls rather than being cut.
    auto *summaryScroll = new QScrollArea(page);
    summaryScroll->setWidget(summaryBox);
    summaryScroll->setWidgetResizable(true);
    summaryScroll->setFrameShape(QFrame::NoFrame);
    summaryScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    summaryScroll->setMinimumWidth(320);
    body->addWidget(summaryScroll, 4);

    m_requestBox = new QGroupBox(tr("Request"), page);
    m_requestPreview = previewBrowser(u"requestPreview"_s, m_requestBox);
    (new QVBoxLayout(m_requestBox))->addWidget(m_requestPreview);
    body->addWidget(m_requestBox, 3);
    m_responseBox = new QGroupBox(tr("Response"), page);
    m_responsePreview = previewBrowser(u"responsePreview"_s, m_responseBox);
    (new QVBoxLayout(m_responseBox))->addWidget(m_responsePreview);
    body->addWidget(m_responseBox, 3);
}

void LiveRequestDetail::setRequest(const LiveRequest &request)
{
    const bool same = m_hasRequest && request.requestId == m_request.requestId;
    m_request = request;
    m_hasRequest = true;
    m_pages->setCurrentIndex(1);
    if (!same) {
        ++m_generation;
        m_retry.stop();
        m_queuedUs = -1;
        m_previews = Previews::None;
    }
    showSummary();
    if (!request.finished) {
        setPreviews(Previews::Pending, tr("The previews appear when the call finishes."));
        return;
    }
    if (m_previews != Previews::None && m_previews != Previews::Pending)
        return; // this call's event is read (or being read) already
    m_attempts = 0;
    setPreviews(Previews::Loading, tr("Loading the event…"));
    fetch();
}

void LiveRequestDetail::clear()
{
    ++m_generation;
    m_retry.stop();
    m_hasRequest = false;
    m_request = LiveRequest();
    m_pages->setCurrentIndex(0);
    setPreviews(Previews::None);
}

void LiveRequestDetail::showSummary()
{
    const LiveRequest &r = m_request;
    m_title->setText(QString::fromLatin1(r.requestId));
    m_time->setText(DisplayText::time(r.startedAtMs));
    m_status->setText(LiveRequestModel::statusText(r));
    const LiveRequestModel::State state = LiveRequestModel::stateOf(r);
    setColour(m_status, state == LiveRequestModel::State::Live ? ConsoleStyle::live()
                        : state == LiveRequestModel::State::Ok ? ConsoleStyle::ok()
                                                               : ConsoleStyle::failure());

    QStringList who;
    if (!r.principal.isEmpty())
        who += r.principalType.isEmpty() || r.principalType == r.principal
                   ? r.principal
                   : tr("%1 (%2)", "principal (its type)").arg(r.principal, r.principalType);
    if (!r.apiKey.isEmpty())
        who += tr("key %1").arg(r.apiKey);
    if (!r.account.isEmpty())
        who += tr("account %1").arg(r.account);
    m_who->setText(who.isEmpty() ? tr("unknown caller") : who.join(u" · "_s));

    QStringList scope;
    if (!r.flow.isEmpty())
        scope += r.executionId.isEmpty() ? tr("flow %1").arg(r.flow)
                                         : tr("flow %1 (%2)").arg(r.flow, r.executionId);
    if (!r.runtimeSession.isEmpty())
        scope += tr("session %1").arg(r.runtimeSession);
    m_scope->setText(scope.isEmpty() ? tr("none") : scope.join(u" · "_s));

    if (r.model().isEmpty())
        m_model->setText(tr("none"));
    else if (r.upstreamModel.isEmpty())
        m_model->setText(r.model());
    else
        m_model->setText(tr("%1 → %2 at %3").arg(r.model(), r.upstreamModel, r.provider));

    m_reason->setText(r.error);
    m_reason->setVisible(!r.error.isEmpty());
    m_reasonLabel->setVisible(!r.error.isEmpty());

    m_timing->setText(timingText());
    if (!r.finished) {
        m_tokens->setText(tr("counted when the call finishes"));
        m_cost->setText(tr("known when the call finishes"));
        return;
    }
    const TokenUsage &usage = r.usage;
    QString in = tr("%1 in").arg(DisplayText::tokens(usage.promptTokens));
    QStringList inParts;
    if (usage.cachedTokens > 0)
        inParts += tr("%1 cached").arg(DisplayText::tokens(usage.cachedTokens));
    if (usage.cacheWriteTokens > 0)
        inParts += tr("%1 written to cache").arg(DisplayText::tokens(usage.cacheWriteTokens));
    if (!inParts.isEmpty())
        in = tr("%1 (%2)", "tokens (their detail)").arg(in, inParts.join(u", "_s));
    QString out = tr("%1 out").arg(DisplayText::tokens(usage.completionTokens));
    if (usage.reasoningTokens > 0)
        out = tr("%1 (%2 reasoning)").arg(out, DisplayText::tokens(usage.reasoningTokens));
    QString tokens = in + u" · "_s + out;
    if (usage.totalTokens() == 0 && usage.cacheWriteTokens == 0)
        tokens = tr("none");
    if (!usage.reported && usage.totalTokens() > 0)
        tokens = tr("%1, counted by the gateway").arg(tokens);
    m_tokens->setText(tokens);
    if (usage.totalTokens() == 0 && usage.cacheWriteTokens == 0)
        m_cost->setText(tr("nothing used"));
    else if (r.costMicros)
        m_cost->setText(DisplayText::money(r.costMicros));
    else
        m_cost->setText(tr("unpriced: no price is known for %1")
                            .arg(r.upstreamModel.isEmpty() ? r.model() : r.upstreamModel));
}

QString LiveRequestDetail::timingText() const
{
    QStringList parts;
    if (m_queuedUs >= 0)
        parts += tr("queued %1").arg(DisplayText::duration(m_queuedUs));
    if (!m_request.finished)
        return parts.isEmpty() ? tr("running") : tr("%1 · running").arg(parts.first());
    if (m_request.firstByteUs >= 0)
        parts += tr("first byte %1").arg(DisplayText::duration(m_request.firstByteUs));
    parts += tr("total %1").arg(DisplayText::duration(m_request.durationUs));
    return parts.join(u" · "_s);
}

void LiveRequestDetail::fetch()
{
    const QString id = QString::fromLatin1(m_request.requestId);
    const quint64 generation = m_generation;
    m_console->read(
        this, [id](const LedgerReport &report, QString *error) { return report.event(id, error); },
        [this, generation](const QJsonObject &answer, const QString &error) {
            if (generation == m_generation)
                present(answer, error);
        });
}

void LiveRequestDetail::present(const QJsonObject &answer, const QString &error)
{
    if (!error.isEmpty())
        return setPreviews(Previews::Failed, tr("Could not read the ledger: %1").arg(error));
    if (answer.isEmpty()) {
        if (++m_attempts < kAttempts) {
            m_retry.start();
            return;
        }
        return setPreviews(Previews::Missing, tr("The ledger has no event for this request."));
    }
    const QJsonValue event = answer.value(u"event"_s);
    if (!event.isObject()) {
        return setPreviews(Previews::NotKept,
                           tr("No event was kept for this request: events are off, or it "
                              "was pruned."));
    }
    m_queuedUs = answer.value(u"queuedUs"_s).toInteger(-1);
    m_timing->setText(timingText());
    const QJsonObject preview = event.toObject();
    const QLocale locale;
    const qint64 requestBytes = answer.value(u"requestBytes"_s).toInteger();
    const qint64 responseBytes = answer.value(u"responseBytes"_s).toInteger();
    if (requestBytes > 0)
        m_requestBox->setTitle(tr("Request, %1").arg(locale.formattedDataSize(requestBytes)));
    if (responseBytes > 0)
        m_responseBox->setTitle(tr("Response, %1").arg(locale.formattedDataSize(responseBytes)));
    m_requestPreview->setHtml(requestHtml(preview.value(u"request"_s).toObject()));
    const QJsonObject response = preview.value(u"response"_s).toObject();
    const bool refused = LiveRequestModel::stateOf(m_request) == LiveRequestModel::State::Denied;
    m_responsePreview->setHtml(
        response.isEmpty() && refused
            ? note(tr("Refused by the gateway: nothing went to the provider."))
            : responseHtml(response));
    m_previews = Previews::Shown;
    Q_EMIT previewsChanged(m_previews);
}

void LiveRequestDetail::setPreviews(Previews previews, const QString &message)
{
    if (previews != Previews::Shown) {
        m_requestBox->setTitle(tr("Request"));
        m_responseBox->setTitle(tr("Response"));
        const QString html = message.isEmpty() ? QString() : note(message);
        m_requestPreview->setHtml(html);
        m_responsePreview->setHtml(html);
    }
    const bool changed = previews != m_previews;
    m_previews = previews;
    if (changed)
        Q_EMIT previewsChanged(previews);
}

QString LiveRequestDetail::requestPreviewText() const
{
    return m_requestPreview->toPlainText();
}

QString LiveRequestDetail::responsePreviewText() const
{
    return m_responsePreview->toPlainText();
}
