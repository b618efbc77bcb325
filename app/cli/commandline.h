#pragma once

#include "apiconfig.h"
#include "jobid.h"
#include "jobresult.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

class ActivityLog;
class FineTuningClient;
class JobRequest;
class SecretStore;
class SignalWatcher;

// `ftcancel cancel ID…`: the headless face of the core. start() parses the arguments, finds credentials,
// cancels each job in turn and emits finished(exitCode) once. Results go to stdout, errors to stderr, every
// piece of outside text through the output gate. A failed write to stdout is an error (exit 5). SIGINT, SIGTERM
// and SIGHUP stop what is in flight, record it as "outcome unknown" and end with 128 + the signal's number.
class CommandLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandLine)

public:
    enum ExitCode {
        AllCancelled = 0,
        NotCancelled = 1, // the API refused, or a job did not end cancelled
        BadUsage = 2, // bad arguments or invalid id: nothing was sent
        NoCredentials = 3, // no key, or the keychain failed
        NetworkFailure = 4, // network failure or timeout
        OutputFailed = 5, // stdout could not be written (closed pipe, full disk): the results did not arrive
        // Stopped by a signal: 128 + its number (130 SIGINT, 143 SIGTERM, 129 SIGHUP), as shells report it.
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
    void haveCredentials();
    void cancelNext();
    void report(const JobResult& result);
    void onSignal(int signalNumber);
    // One line (a newline is added) to stdout / stderr, written at once; a failed stdout write is remembered.
    void out(const QString& line);
    void err(const QString& line);

    SignalWatcher* m_signals;
    QPointer<JobRequest> m_request;
    int m_signal = 0; // the signal being handled, 0 when none
    QString m_outError; // why stdout could not be written, empty while it can
    bool m_finished = false;
    ApiConfig m_config;
    QList<JobId::Parsed> m_jobs;
    int m_next = 0;
    bool m_json = false;
    bool m_verbose = false;
    bool m_anyRefused = false;
    bool m_anyNetwork = false;
    ActivityLog* m_log;
    FineTuningClient* m_client;
    SecretStore* m_secrets = nullptr;
};
