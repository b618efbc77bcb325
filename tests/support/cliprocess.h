#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QProcess;

// What a run of the real ftcancel printed and how it ended.
struct CliRun
{
    int exitCode = -1; // -1: still running at the time limit (it was killed); -2: it crashed
    QString out;
    QString err;
};

// Runs ftcancel (the FTCANCEL_BINARY ctest sets) with these arguments, environment and stdin, and waits for it by
// spinning this thread's event loop, where the tests' fake API answers it. It runs without a controlling terminal
// (withoutTerminal()), as under cron or CI, whether or not the tests were started from one.
CliRun runFtcancel(const QStringList& arguments, const QProcessEnvironment& environment,
                   const QByteArray& input = QByteArray(), int timeoutMs = 120000);

// Makes process start in a session of its own (setsid), so it has no controlling terminal: ftcancel asks a person
// on /dev/tty, and a test started from a terminal must not ask the developer. Call it before start().
void withoutTerminal(QProcess& process);
