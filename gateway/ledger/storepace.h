#pragma once

#include <QtGlobal>

#include <functional>

// The store's writer gives way to the request path. A batch is CPU work of a millisecond or
// more (a few hundred rows at 10-20 us each), and a nice value does not stop the scheduler from
// keeping a woken thread (the gateway's, or the client's or the provider's on a small machine)
// waiting behind it on the writer's CPU while the other CPU idles: on the 2-CPU bench machine
// that was most of the request latency's p99 at concurrency 1 (bench/RESULTS.md). So the writer
// works in slices and sleeps briefly after each, which leaves its CPU to whatever waits for one.
// It does so while it drains a backlog too: a backlog drains at ~4/5 of full speed (61-68k rows a
// second on the bench machine, several times what the gateway serves), and a woken thread waits
// for the writer's CPU about a slice at most.
class StorePace
{
public:
    static constexpr qint64 sliceNs = 300'000;
    static constexpr int pauseUs = 50;

    using Clock = std::function<qint64()>; // monotonic nanoseconds
    using Pause = std::function<void()>;

    // By default the steady clock, and a sleep of pauseUs as the pause.
    explicit StorePace(Clock clock = {}, Pause pause = {});

    // A batch begins: its first slice starts now.
    void start();
    // After each write of the batch: pauses when the slice is spent, and starts the next.
    void written();

private:
    Clock m_clock;
    Pause m_pause;
    qint64 m_sliceStart = 0;
};
