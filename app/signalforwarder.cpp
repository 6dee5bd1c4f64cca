#include "signalforwarder.h"

#include <csignal>
#include <iterator>
#include <sys/types.h>

namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP};

volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_pending = 0;
struct sigaction g_previous[std::size(kForwarded)];

void onSignal(int signalNumber, siginfo_t *info, void *)
{
    const pid_t child = pid_t(g_child);
    if (child <= 0) {
        g_pending = signalNumber;
        return;
    }
    // The terminal (the kernel) signals the whole foreground process group, which the child is
    // in: passing it on would deliver a second Ctrl-C, which an interactive runtime reads as
    // "quit now". Only a signal sent to gatehouse alone (kill, a supervisor) is passed on.
    if (info && info->si_code == SI_KERNEL)
        return;
    ::kill(child, signalNumber);
}

} // namespace

SignalForwarder::SignalForwarder()
{
    g_child = 0;
    g_pending = 0;
    struct sigaction action = {};
    action.sa_sigaction = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_SIGINFO;
    for (size_t i = 0; i < std::size(kForwarded); ++i)
        sigaction(kForwarded[i], &action, &g_previous[i]);
}

SignalForwarder::~SignalForwarder()
{
    for (size_t i = 0; i < std::size(kForwarded); ++i)
        sigaction(kForwarded[i], &g_previous[i], nullptr);
    g_child = 0;
}

void SignalForwarder::forwardTo(qint64 pid)
{
    g_child = sig_atomic_t(pid);
    const int pending = g_pending;
    if (pid > 0 && pending != 0) {
        g_pending = 0;
        ::kill(pid_t(pid), pending);
    }
}

int SignalForwarder::pendingSignal() const
{
    return g_pending;
}
