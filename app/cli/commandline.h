#pragma once

#include "apiconfig.h"
#include "jobid.h"
#include "jobresult.h"

#include <QObject>
#include <QStringList>
#include <QTextStream>

class ActivityLog;
class FineTuningClient;
class SecretStore;

// `ftcancel cancel ID…`: the headless face of the core. start() parses the arguments, finds credentials,
// cancels each job in turn and emits finished(exitCode) once. Results go to stdout, errors to stderr.
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
        NetworkFailure = 4 // network failure or timeout
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

    QTextStream m_out;
    QTextStream m_err;
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
