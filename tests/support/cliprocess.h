#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// What a run of the real ftcancel printed and how it ended.
struct CliRun
{
    int exitCode = -1; // -1: still running at the time limit (it was killed); -2: it crashed
    QString out;
    QString err;
};

// Runs ftcancel (the FTCANCEL_BINARY ctest sets) with these arguments, environment and stdin, and waits for it by
// spinning this thread's event loop, where the tests' fake API answers it.
CliRun runFtcancel(const QStringList& arguments, const QProcessEnvironment& environment,
                   const QByteArray& input = QByteArray(), int timeoutMs = 120000);
