#include "ledger/storepace.h"

#include <QThread>

#include <chrono>

StorePace::StorePace(Clock clock, Pause pause)
    : m_clock(clock ? std::move(clock) : [] {
        return qint64(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count());
    })
    , m_pause(pause ? std::move(pause) : [] { QThread::usleep(pauseUs); })
{}

void StorePace::start()
{
    m_sliceStart = m_clock();
}

void StorePace::written()
{
    if (m_clock() - m_sliceStart < sliceNs)
        return;
    m_pause();
    start();
}
