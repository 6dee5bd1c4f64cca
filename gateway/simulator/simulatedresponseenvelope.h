#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

// The `response` object of OpenAI's Responses API around the parts a simulated answer fills in
// (status, error, incomplete_details, output, usage): a new id and created_at, and the
// request's own settings echoed back as the real object does (instructions, tools,
// tool_choice, temperature, text, reasoning, store, ...), each with OpenAI's default when the
// request left it out.
class SimulatedResponseEnvelope
{
public:
    SimulatedResponseEnvelope(const QJsonObject &request, const QString &model);

    const QByteArray &id() const { return m_id; }
    // Each argument is JSON as it goes on the wire; status without quotes.
    QByteArray object(QByteArrayView status, QByteArrayView error, QByteArrayView incomplete,
                      QByteArrayView output, QByteArrayView usage) const;

private:
    QByteArray m_id;
    QByteArray m_head;         // {"id":...,"created_at":...
    QByteArray m_beforeOutput; // ,"instructions":...,"model":...
    QByteArray m_beforeUsage;  // ,"parallel_tool_calls":...,"truncation":...
    QByteArray m_tail;         // ,"user":...,"metadata":...}
};
