#pragma once

#include "clioptions.h"
#include "console.h"
#include "jobid.h"

#include <QObject>
#include <QStringList>

class AccountFinder;
class Command;
class QSocketNotifier;
class SignalWatcher;

// The headless binding: start() parses the arguments (CliOptions), finds the account (AccountFinder: the profile,
// the environment, the key), reads the ids (each argument may hold several, "-" reads them from stdin without
// blocking) and runs one command — cancel, list, show, events (one file each) or profile — then emits
// finished(exitCode) once. Results go to stdout, errors to stderr, every piece of outside text through the output
// gate. A failed write to stdout is an error (exit 5). SIGINT, SIGTERM and SIGHUP stop what is in flight, record it
// as "outcome unknown" and end with 128 + the signal's number.
class CommandLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandLine)

public:
    enum ExitCode {
        AllCancelled = CliExit::AllCancelled,
        NotCancelled = CliExit::NotCancelled,
        BadUsage = CliExit::BadUsage,
        NoCredentials = CliExit::NoCredentials,
        NetworkFailure = CliExit::NetworkFailure,
        OutputFailed = CliExit::OutputFailed,
    };

    explicit CommandLine(QObject* parent = nullptr);
    ~CommandLine() override;

    // True when these arguments (argv) ask for the command line rather than the window.
    static bool wantsCommandLine(const QStringList& arguments);

    void start(const QStringList& arguments);

signals:
    void finished(int exitCode);

private:
    void done(int exitCode);
    void onSignal(int signalNumber);
    void readStandardInput();
    void onStandardInput();
    void takeIds();
    // Every id of one argument ("-": what stdin held) into m_jobs; false when one is invalid or none is found.
    bool takeIdsFrom(const QString& argument, const QString& text, QSet<QString>* seen);
    void haveAccount();
    void runCommand(Command* command);

    Console* m_console;
    SignalWatcher* m_signals;
    CliOptions m_options;
    AccountFinder* m_account = nullptr;
    Command* m_command = nullptr;
    QSocketNotifier* m_stdinNotifier = nullptr; // reading the ids of "-"
    QByteArray m_standardInput; // what "-" read, until the ids are taken from it
    QList<JobId::Parsed> m_jobs;
    bool m_finished = false;
};
