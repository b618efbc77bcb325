#include "signalwatcher.h"

#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int pipeFds[2] = {-1, -1};
volatile sig_atomic_t received = 0;
constexpr int watched[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void onSignal(int signalNumber)
{
    if (received != 0)
        _exit(128 + signalNumber); // the second one: the operator means it
    received = signalNumber;
    const char byte = char(signalNumber);
    const int savedErrno = errno;
    [[maybe_unused]] const ssize_t written = ::write(pipeFds[1], &byte, 1);
    errno = savedErrno;
}
} // namespace

SignalWatcher::SignalWatcher(QObject* parent) : QObject(parent)
{
    std::signal(SIGPIPE, SIG_IGN);
    if (pipeFds[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pipeFds) != 0)
        return; // no watcher: signals keep their default action (exit with 128 + n), nothing worse
    m_notifier = new QSocketNotifier(pipeFds[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(pipeFds[0], &byte, 1) == 1)
            emit received(int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int s : watched)
        ::sigaction(s, &action, nullptr);
}

SignalWatcher::~SignalWatcher()
{
    for (const int s : watched)
        std::signal(s, SIG_DFL);
}

QString SignalWatcher::name(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGHUP:
        return QStringLiteral("SIGHUP");
    default:
        return QStringLiteral("signal %1").arg(signalNumber);
    }
}

QString SignalWatcher::stopReason(int signalNumber)
{
    return tr("Outcome unknown: stopped by %1 while the request was in flight or waiting to be retried. The job may "
              "or may not have been cancelled; check it before retrying.")
        .arg(name(signalNumber));
}
