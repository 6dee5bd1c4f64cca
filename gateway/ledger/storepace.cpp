#include "ledger/storepace.h"

#include <QThread>

#include <chrono>

StorePace::StorePace(qsizetype behind, Waiting waiting, Clock clock, Pause pause)
    : m_behind(behind)
    , m_waiting(std::move(waiting))
    , m_clock(clock ? std::move(clock) : [] {
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
    const qint64 spent = m_clock() - m_sliceStart;
    if (spent < sliceNs || (spent < behindSliceNs && m_waiting() >= m_behind))
        return;
    m_pause();
    start();
}
