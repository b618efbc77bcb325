#pragma once

#include "apiconfig.h"
#include "finetuningjob.h"
#include "jobid.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

class ActivityLog;
class CancelBatch;
class QDateTime;
class EventLister;
class JobLister;
class QSocketNotifier;
class SecretStore;
class SignalWatcher;

// `ftcancel cancel ID…`: the headless binding of CancelBatch. start() parses the arguments (each may hold several
// ids, "-" reads them from stdin without blocking), finds credentials, looks the jobs up, asks a person at the
// terminal (/dev/tty, also when the ids come on a pipe) before cancelling more than one, cancels them concurrently
// and prints each result as it arrives, then emits finished(exitCode) once.
// Results go to stdout, errors to stderr, every piece of outside text through the output gate; the exit code comes
// from the batch's Outcome classification. A failed write to stdout is an error (exit 5). SIGINT, SIGTERM and
// SIGHUP stop what is in flight, record it as "outcome unknown" and end with 128 + the signal's number.
class CommandLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandLine)

public:
    enum ExitCode {
        AllCancelled = 0,
        NotCancelled = 1, // the API refused, a job did not end cancelled, had nothing to cancel or was not found
        BadUsage = 2, // bad arguments or invalid id: nothing was sent
        NoCredentials = 3, // no key, the keychain failed, or the API rejected the key (401)
        NetworkFailure = 4, // network failure or timeout (the outcome of a job is unknown), or rate limited
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
    enum class Command { Cancel, List, Show, Events };

    void done(int exitCode);
    void readStandardInput();
    void onStandardInput();
    void takeIds();
    void findCredentials();
    void haveCredentials();
    // The batch, with ids to look up and jobs a list has just read (looked up already).
    void startBatch(const QList<JobId::Parsed>& jobs, const QList<FineTuningJob>& listed = {});
    // "14:05:30 (2024-07-24)", local time.
    static QString untilText(const QDateTime& until);
    // What the confirmation lists besides the jobs: first the count by status and model, then the listed jobs
    // whose id will not be sent.
    QStringList confirmationExtras() const;
    void runList();
    void runShowOrEvents();
    void runAllActive();
    // The exit code for an error that ended a read: 4 without an answer, 1 for a refusal.
    static int exitCodeOf(const ApiError& error);
    void onLookupFinished();
    void askToConfirm();
    void onAnswer();
    void onItemChanged(int row);
    void report(int row);
    void onBatchFinished();
    void onSignal(int signalNumber);
    // One line (a newline is added) to stdout / stderr, written at once; a failed stdout write is remembered.
    void out(const QString& line);
    void err(const QString& line);
    // Whether a person can be asked, on the controlling terminal (/dev/tty) or a terminal on stdin; opens it once.
    bool canAsk();
    // One line to where the question is asked (the terminal).
    void say(const QString& line);

    SignalWatcher* m_signals;
    ActivityLog* m_log;
    SecretStore* m_secrets = nullptr;
    CancelBatch* m_batch = nullptr;
    QSocketNotifier* m_stdinNotifier = nullptr; // reading the ids of "-"
    QByteArray m_standardInput; // what "-" read, until the ids are taken from it
    QStringList m_idArguments; // the arguments that hold ids ("-": stdin)
    bool m_orgGiven = false; // --org or OPENAI_ORG_ID said it: the keychain's does not replace it
    bool m_projectGiven = false;
    bool m_terminalChecked = false;
    int m_terminal = -1; // /dev/tty, opened by canAsk()
    int m_askIn = -1; // where the answer is read from, -1 when nobody can be asked
    int m_askOut = -1; // where the question is written
    QSocketNotifier* m_answerNotifier = nullptr;
    QByteArray m_answer;
    ApiConfig m_config;
    QList<JobId::Parsed> m_jobs;
    QSet<int> m_reported;
    Command m_command = Command::Cancel;
    JobLister* m_lister = nullptr;
    EventLister* m_events = nullptr;
    QStringList m_statuses;
    bool m_all = false;
    bool m_allActive = false;
    int m_limit = 0;
    bool m_json = false;
    bool m_verbose = false;
    bool m_dryRun = false;
    bool m_yes = false;
    bool m_preview = true;
    bool m_wait = false;
    int m_waitSeconds = 0;
    int m_concurrency = 0;
    int m_signal = 0; // the signal being handled, 0 when none
    QString m_outError; // why stdout could not be written, empty while it can
    bool m_finished = false;
    bool m_rateLimited = false; // a long rate limit ended the run: nothing more was sent
};
