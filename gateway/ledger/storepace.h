#pragma once

#include <QtGlobal>

#include <functional>

// The store's writer gives way to the request path. A batch is CPU work of a millisecond or
// more (a few hundred rows at 10-20 us each), and a nice value does not stop the scheduler from
// keeping the gateway thread, woken on the writer's CPU, waiting behind it: on the 2-CPU bench
// machine that was most of the request latency's p99 at concurrency 1 (bench/RESULTS.md). So
// the writer works in slices and sleeps briefly after each, which leaves its CPU to whatever
// waits for one. A writer that is behind (`behind` writes or more wait in the queue) works in
// slices eight times as long: a backlog drains at 98% of full speed, and a request still waits
// for a CPU no longer than one such slice (a batch of 1000 rows is 20-50 ms of work).
class StorePace
{
public:
    static constexpr qint64 sliceNs = 300'000;
    static constexpr qint64 behindSliceNs = 8 * sliceNs;
    static constexpr int pauseUs = 50;

    using Waiting = std::function<qsizetype()>; // writes waiting in the queue
    using Clock = std::function<qint64()>;      // monotonic nanoseconds
    using Pause = std::function<void()>;

    // By default the steady clock, and a sleep of pauseUs as the pause.
    StorePace(qsizetype behind, Waiting waiting, Clock clock = {}, Pause pause = {});

    // A batch begins: its first slice starts now.
    void start();
    // After each write of the batch: pauses when the slice is spent, and starts the next.
    void written();

private:
    qsizetype m_behind;
    Waiting m_waiting;
    Clock m_clock;
    Pause m_pause;
    qint64 m_sliceStart = 0;
};
