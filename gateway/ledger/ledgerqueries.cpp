#include "ledger/ledgerqueries.h"

#include "ledger/readonlyledger.h"

#include <QObject>

using namespace Qt::StringLiterals;

namespace {

// The reader thread's own connection, opened there.
class Reader : public QObject
{
public:
    explicit Reader(DatabaseLocation location)
        : m_location(std::move(location))
    {}

    LedgerAnswer run(const LedgerQueries::Work &work)
    {
        if (!m_ledger.isOpen()) {
            QString error;
            if (!m_ledger.open(m_location, &error))
                return LedgerAnswer::failure(503, u"the ledger cannot be read: "_s + error,
                                             "ledger_unavailable");
        }
        LedgerAnswer answer = work(m_ledger.database());
        // A server may have dropped the connection: the next query starts with a new one.
        if (answer.failed() && m_location.isPostgres())
            m_ledger.close();
        return answer;
    }

private:
    DatabaseLocation m_location;
    ReadOnlyLedger m_ledger;
};

// One answer's way back: a queued connection to the asker, which Qt removes (thread-safely)
// when the asker is destroyed, so an answer for a vanished asker goes nowhere.
class Delivery : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void answered(const LedgerAnswer &answer);
};

} // namespace

LedgerQueries::LedgerQueries(DatabaseLocation location)
    : m_reader(new Reader(std::move(location)))
    , m_stopping(std::make_shared<std::atomic_bool>(false))
{
    qRegisterMetaType<LedgerAnswer>();
    m_thread.setObjectName(u"ledger-reader"_s);
    m_reader->moveToThread(&m_thread);
    m_thread.start();
}

LedgerQueries::~LedgerQueries()
{
    m_stopping->store(true);
    // The connection belongs to the reader thread: it is closed there.
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader] { delete reader; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void LedgerQueries::post(QObject *context, Work work, Done done)
{
    auto delivery = std::make_shared<Delivery>();
    QObject::connect(delivery.get(), &Delivery::answered, context, std::move(done));
    delivery->moveToThread(&m_thread);
    auto *reader = static_cast<Reader *>(m_reader);
    QMetaObject::invokeMethod(
        m_reader,
        [reader, delivery, work = std::move(work), stopping = m_stopping] {
            if (stopping->load())
                return;
            Q_EMIT delivery->answered(reader->run(work));
        },
        Qt::QueuedConnection);
}

#include "ledgerqueries.moc"
