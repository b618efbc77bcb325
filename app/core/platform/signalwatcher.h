#pragma once

#include <QObject>
#include <QString>

class QSocketNotifier;

// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal, so the command line and the window can stop what is in flight,
// record it and say so before they exit (the self-pipe pattern: the handler only writes a byte; received() comes
// from the event loop, so whatever handles it must never block that loop, or the signal waits unhandled). A second
// signal while the first is being handled ends the process at once with 128 + its number. Also ignores SIGPIPE, so a
// closed stdout is a write error the command line reports instead of a silent death.
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

    // "SIGTERM" for 15 …
    static QString name(int signalNumber);
    // What a request in flight (or waiting to be retried) that a signal stopped reads in the audit trail.
    static QString stopReason(int signalNumber);

signals:
    void received(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};
