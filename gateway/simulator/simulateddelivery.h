#pragma once

#include "server/httprequest.h"
#include "simulatedstream.h"
#include "simulationdirective.h"
#include "simulationsettings.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

class HttpExchange;

// Plays one simulated response onto its exchange at the simulated pace, with the directive's
// faults: slow headers, first-token delay, token rate, a stall, a cut connection or garbled
// bytes, a failure reported in the stream. A child of the exchange (it dies with it); one re-armed
// timer, never a sleep; pauses while the client is slow to read.
class SimulatedDelivery : public QObject
{
    Q_OBJECT
public:
    // Directive values override the settings.
    SimulatedDelivery(HttpExchange *exchange, const SimulationSettings &settings,
                      const SimulationDirective &directive);

    int headerDelayMs() const { return m_headerDelayMs; }
    // When a non-streamed answer of this many output tokens is complete.
    int responseDelayMs(int tokens) const;

    // The number of output tokens after which error_after fails a non-streamed answer of
    // `tokens` tokens; none without error_after, or when a cut or garbage is asked for too
    // (those win in a non-streamed answer, which has no token boundaries).
    std::optional<int> failureAfter(int tokens) const;

    // An answer that is not a result (an error), after delayMs, without faults.
    void respondError(int status, const HttpHeaders &headers, const QByteArray &body, int delayMs);
    // A non-streamed result: once generated; cut_after cuts it mid-body, garble_after replaces
    // its second half with garbage.
    void respond(const HttpHeaders &headers, const QByteArray &body, int tokens);
    // A streamed result: headers after the header delay, then the opening events, each token
    // at its time, then the closing events; a fault (cut, garbage, failure) replaces the end.
    void stream(const HttpHeaders &headers, std::unique_ptr<SimulatedStream> events);

    // What garble_after writes: neither an SSE event nor JSON.
    static QByteArray garbage();

private:
    enum class Ending
    {
        Complete,
        Cut,
        Garbled,
        Failed
    };

    qint64 tokenDueNs(int index) const;
    void proceed();
    void proceedStream();
    void finishStream();
    void cutWhenSent();
    // Writes the batch; false when the client must drain first (proceed() runs again then).
    bool flush();
    void armFor(qint64 dueNs);

    QPointer<HttpExchange> m_exchange;
    QTimer m_timer;
    QElapsedTimer m_clock;
    int m_headerDelayMs = 0;
    int m_firstTokenMs = 0;
    double m_tokensPerSecond = 0;
    SimulationDirective m_directive;

    // What to send, once proceed() runs.
    int m_status = 200;
    HttpHeaders m_headers;
    QByteArray m_body;
    Ending m_ending = Ending::Complete;
    std::unique_ptr<SimulatedStream> m_events;

    // Progress of a stream.
    bool m_begun = false;
    bool m_done = false;
    bool m_waitingForDrain = false;
    int m_next = 0;  // next token to write
    int m_endAt = 0; // tokens before the ending
    QByteArray m_batch;
};
