#include "cliprocess.h"

#include <QProcess>
#include <QSignalSpy>

#include <unistd.h>

void withoutTerminal(QProcess& process)
{
    // In the child, between fork and exec: only async-signal-safe calls.
    process.setChildProcessModifier([] { ::setsid(); });
}

CliRun runFtcancel(const QStringList& arguments, const QProcessEnvironment& environment, const QByteArray& input,
                   int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    withoutTerminal(process);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(qEnvironmentVariable("FTCANCEL_BINARY"), arguments);
    process.write(input);
    process.closeWriteChannel();
    CliRun r;
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}
