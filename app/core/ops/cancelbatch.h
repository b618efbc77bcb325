#pragma once

#include "apiconfig.h"
#include "auditlog.h"
#include "batchitem.h"
#include "finetuningjob.h"
#include "jobid.h"
#include "joblimits.h"
#include "jobresult.h"
#include "outcome.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

class ActivityLog;
class FineTuningClient;
class JobRequest;
class QTimer;

// The one place a cancel workflow is decided, for the window and the command line alike: it validates, registers
// the key for masking, looks every job up first (GET) — or takes jobs as a list just read showed them — and skips
// those with nothing to cancel, waits for the binding's confirmation, cancels with at most `concurrency` requests
// in flight, reads a refused job back to tell "already finished" from a refusal, watches accepted cancels until the
// job stops, writes one audit line per cancel, and classifies every row into one Outcome. A 429 holds every request
// of the batch: for its retry-after when FtCancel waits that long on its own, else until retryNow() (the binding
// asks the operator). A 401 (the API rejected the key) ends the batch at once: nothing more is sent with that key.
// Signals: rowsAboutToBeAdded/rowsAdded around addIds()/addListed(); itemChanged(row) whenever a row changes;
// lookupFinished() when every row is looked up and the batch waits for confirm() or decline(); rateLimitChanged()
// when a long rate limit pauses the batch or the pause ends; keyRejected() at the first 401; finished() when
// nothing is left to do. A finished batch takes more ids and can run again (start()), keeping its rows.
class CancelBatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CancelBatch)

public:
    static constexpr int defaultConcurrency = Limits::defaultConcurrency;
    static constexpr int maxConcurrency = Limits::maxConcurrency;
    static constexpr int defaultWatchSeconds = Limits::defaultWatchSeconds;

    // What the batch sends to each job: a cancel, or a pause or a resume (OpenAI and Azure fine-tuning only: start()
    // refuses, sending nothing, where the provider or the kind has none). A pause takes only running jobs and ends
    // when the job is paused; a resume takes only paused jobs and ends when the job runs again.
    enum class Action { Cancel, Pause, Resume };

    struct Options
    {
        Action action = Action::Cancel;
        bool preview = true; // GET each job first, skip those already finished
        int concurrency = defaultConcurrency; // requests in flight at most (1..maxConcurrency)
        bool watch = true; // poll accepted cancels until the job reaches a final status
        int watchSeconds = defaultWatchSeconds; // how long at most, for a fine-tuning job
        int batchWatchSeconds = Limits::defaultBatchWatchSeconds; // for a batch (the watch's limit is per kind)
        int watchIntervalMs = 2000; // first poll after this, then growing (x1.5, at most 10 s)
        QString source = QStringLiteral("window"); // for the audit trail: "window" or "cli"
        bool audit = true; // false (demo mode): no audit line at all, the audit trail is never opened
    };
    enum class State {
        Idle, // rows waiting for start()
        LookingUp,
        AwaitingConfirmation, // looked up; confirm() or decline()
        Cancelling, // cancels and watches running
        Finished,
    };

    CancelBatch(const ApiConfig& config, const Options& options, ActivityLog* log, QObject* parent = nullptr);
    ~CancelBatch() override;

    const ApiConfig& config() const { return m_config; }
    const Options& options() const { return m_options; }
    State state() const { return m_state; }
    // Requests in flight or to come: looking up, cancelling, watching (also while a confirmation is asked for the
    // looked-up rows of a Retry failed whose cancels still run).
    bool isRunning() const;

    // Appends rows for ids not already in the batch; returns how many were added. Not while running.
    int addIds(const QList<JobId::Parsed>& ids);
    // Takes the jobs a list has just read (stop everything): each job that has not finished becomes a row looked
    // up already — the listed job is its look-up — so start() goes straight to the confirmation and confirm() sends
    // the cancels at once. A job listed with an id FtCancel will not send (JobId::parse refuses it) becomes a row of
    // its own, outcome RefusedId, never sent. Rows of these ids already in the batch are taken anew. Finished jobs
    // are left out. Returns how many rows it made or took anew. Not while running or waiting for a confirmation.
    int addListed(const QList<FineTuningJob>& jobs);
    // Carries the rows of a batch of another account or settings over to this new, empty one: each keeps what
    // became of it (outcome, message, statuses) and is looked up again, as this batch's account, only when
    // restartCarried() says so. Never a consent: no carried row counts as confirmed. A key rejected by the old batch
    // stays rejected here when it is the same key. Rows of an old batch of another action (cancel, pause, resume) are
    // kept as they ended and never restarted.
    void takeOver(const CancelBatch& old);
    // Makes the carried rows that may still be cancelled (not cancelled, finished or refused as ids) wait again, to
    // be looked up as this batch's account by the next start(); returns how many.
    int restartCarried();
    // The rows a start() would take: waiting ones, listed ones, and carried ones that restartCarried() would wake.
    int startableCount() const;
    // What the account's list shows of jobs the batch has rows for: a row that ended keeps its outcome and shows the
    // job's status now beside it (BatchItem::seenStatus).
    void noteListed(const QList<FineTuningJob>& jobs);
    // Makes the finished rows of these ids wait again, as if just added (what they ended as is in the log and the
    // audit trail), so the next start() looks them up and asks again; returns how many. Not while running or
    // waiting for a confirmation. For jobs chosen again from a list, where "already in the batch" must not mean
    // "left as it ended".
    int requeue(const QStringList& ids);
    // Removes every row (not while running).
    void clear();

    int rowCount() const { return int(m_items.size()); }
    const BatchItem& item(int row) const { return m_items.at(row); }
    int rowOf(const QString& id) const { return m_rowById.value(id, -1); }

    // Looks the waiting rows up (or, without preview, makes them ready) and then waits for the confirmation.
    // Empty when it started; otherwise why nothing was sent (a bad configuration: no key, a base URL …, or the key
    // the API rejected: see cannotSend(); a pause or resume of jobs the provider does not pause: unsupported()).
    QString start();
    // Why nothing can be sent with this batch now: its configuration's problem, or "the API rejected this key";
    // empty when requests may go out. start(), retryFailed() and checkAgain() send nothing then.
    QString cannotSend() const;
    // Why the batch's action cannot be sent to jobs of this kind ("Together AI does not pause jobs; nothing was
    // sent."); empty when it can (a cancel always can).
    QString unsupported(JobKind kind) const;
    // The action's key for the audit trail and --json: "cancel", "pause", "resume".
    static QString actionKey(Action action);
    // The rows a confirm() would cancel.
    QList<int> cancellableRows() const;
    // Rows of jobs the last addListed() took with an id FtCancel will not send (outcome RefusedId): the
    // confirmation and the summary name them.
    QList<int> refusedIdRows() const;
    // The rows counted by status and by model, for a confirmation: "12 running, 3 queued · gpt-4o-mini ×10,
    // gpt-4.1 ×5" (through the output gate; most frequent first, at most a few of each, then how many more).
    QString breakdown(const QList<int>& rows) const;
    void confirm();
    void decline();
    // Halts what has not started and aborts what is in flight (those rows: "stopped", outcome unknown). reason,
    // when given, becomes the message of the rows stopped in flight and of their audit lines.
    void stop(const QString& reason = QString());
    // The rows retryFailed() would take again: confirmed ones whose outcome is retryable (failed, no answer,
    // stopped, refused, rate limited, not sent) — cancelled again at once; and rows whose look-up failed (no answer,
    // a failing service, a rate limit) — looked up again, then confirmed as new rows are. A declined row is never
    // among them, nor one that ended "cancel requested" (checkAgain() is for those).
    QList<int> retryableRows() const;
    // Takes the retryableRows() again (see there); returns how many (0 when cannotSend() says why).
    int retryFailed();
    // The rows checkAgain() would take: those that ended "cancel requested" (the watch ran out or was stopped).
    QList<int> checkableRows() const;
    // Reads those of rows (all checkableRows() when empty) again and watches them as after an accepted cancel, up
    // to the watch time (once, without watching); no cancel is sent again. Returns how many.
    int checkAgain(const QList<int>& rows = {});

    // A rate limit longer than FtCancel waits on its own holds the whole batch: nothing is sent, the rows that got
    // it wait again, until retryNow() (or stop(), windDown()). isPaused() while it holds.
    bool isPaused() const { return m_paused; }
    // Until when the server asked to wait, in this run (kept after the batch ended, to say when to try again);
    // invalid when no 429 asked for a long wait.
    QDateTime rateLimitedUntil() const { return m_rateLimitedUntil; }
    // That time for people: "14:05:30" when it is today, else "2024-07-24 14:05".
    QString rateLimitedUntilText() const;
    // Ends the pause: what was held goes out. False when the batch was not paused.
    bool retryNow();
    // Sends nothing more but lets what is in flight finish: rows not sent yet end "not sent" (those a rate limit
    // sent back end "rate limited"), a request waiting to retry ends with its last answer, a row being watched
    // "cancel requested". finished() follows when the last answer is in. For a binding that will not wait (the
    // command line under a long rate limit).
    void windDown();
    // The API rejected the key (HTTP 401): nothing more is sent with it (cannotSend() says so).
    bool isKeyRejected() const { return !m_keyRejected.isEmpty(); }
    QString keyRejectedMessage() const { return m_keyRejected; }

    QList<Outcome::Kind> outcomes() const;
    int count(Outcome::Kind kind) const;
    // "3 cancelled, 1 nothing to cancel, 1 not found, 2 failed"
    QString summary() const;
    // The same for some rows only (those of the run that just ended).
    QString summary(const QList<int>& rows) const;
    qint64 elapsedMs() const { return m_elapsed.isValid() ? m_elapsed.elapsed() : 0; }
    int inFlight() const { return int(m_requests.size()); }

signals:
    void rowsAboutToBeAdded(int first, int last);
    void rowsAdded(int first, int last);
    void aboutToClear();
    void cleared();
    void itemChanged(int row);
    // A cancel could not be written to the audit trail (why: translated, through the gate).
    void auditFailed(const QString& jobId, const QString& why);
    void lookupFinished();
    void finished();
    // A request of this row waits delayMs before its next attempt (reason translated); a rate limit pauses all.
    void retryScheduled(int row, int attempt, int maxAttempts, int delayMs, const QString& reason);
    // isPaused() or rateLimitedUntil() changed.
    void rateLimitChanged();
    // The first 401 of the batch: message says so (translated, through the gate).
    void keyRejected(const QString& message);

private:
    enum class Task { Lookup, Cancel, ReadBack, Watch };
    struct Pending
    {
        int row;
        Task task;
    };

    void setState(State state);
    void enqueue(int row, Task task);
    bool hasWork() const;
    bool lookupsPending() const;
    void pump();
    // A request of the batch waits delayMs to retry after a 429: every other request waits as long.
    void holdForRetry(JobRequest* request, int delayMs);
    void holdInFlight(JobRequest* except);
    void releaseHeld();
    void pauseForRateLimit(int row, Task task, const JobResult& result);
    // Nothing more is sent: rows not sent end with note and label (rows being watched: "not checked again: why"),
    // requests in flight finish with the answer they get.
    void halt(const QString& note, const QString& label, const QString& why);
    void endUnsent(int row, Task task);
    void rejectKey(const JobResult& result);
    void takeJob(BatchItem& item, const FineTuningJob& job);
    // Capacity for this many more rows (and their ids) at once.
    void makeRoom(qsizetype more);
    // Moves rows to the end of the batch (rows is left empty); the caller emits rowsAboutToBeAdded/rowsAdded.
    void appendRows(QList<BatchItem>& rows);
    void resetForRun();
    void startTask(const Pending& pending);
    void onFinished(int row, Task task, const JobResult& result);
    void onLookedUp(int row, const JobResult& result);
    void onCancelled(int row, const JobResult& result);
    void onReadBack(int row, const JobResult& result, const JobResult& refusal);
    void onWatched(int row, const JobResult& result);
    // How long a row of this kind is watched after its cancel was accepted, in ms; 0 when not watched.
    qint64 watchMsFor(JobKind kind) const;
    void acceptedCancel(int row);
    void acceptedPause(int row);
    void acceptedResume(int row);
    void acceptedChange(int row, bool reached, Outcome::Kind done, const QString& doneMessage,
                        const QString& finishedMessage, const QString& requestedLabel);
    // Whether the job as last seen is where the batch's action ends (cancel: finished; pause: paused or finished;
    // resume: running again or finished).
    bool reached(const FineTuningJob& job) const;
    // "Cancel requested, still %1." and the like, for the action.
    QString stillMessage(const QString& status) const;
    QString watchingMessage(const QString& status) const;
    // The outcome of a looked-up row that waits for the confirmation.
    Outcome::Kind wouldOutcome() const;
    void scheduleWatch(int row);
    void record(const JobResult& result);
    void changed(int row);
    void checkDone();

    ApiConfig m_config;
    Options m_options;
    QPointer<ActivityLog> m_log;
    FineTuningClient* m_client;
    QList<BatchItem> m_items;
    QHash<QString, int> m_rowById;
    QList<int> m_listedRefused; // rows of the last addListed() with an id not sent
    QList<Pending> m_queue;
    QHash<JobRequest*, Pending> m_requests; // in flight
    QHash<int, QTimer*> m_watchTimers; // rows waiting for their next poll
    QHash<int, JobResult> m_refusals; // rows being read back after a refused cancel
    State m_state = State::Idle;
    QElapsedTimer m_elapsed;
    QDeadlineTimer m_pausedUntil; // a 429 asked the whole batch to wait this long, which it does on its own
    QTimer* m_resumeTimer;
    bool m_paused = false; // a 429 asked for longer: held until retryNow()
    QDateTime m_rateLimitedUntil;
    QSet<int> m_rateLimitedRows; // rows a long 429 sent back to wait
    AuditLog m_audit; // kept open while the batch runs
    AuditEntry m_auditAccount; // what each of its lines holds alike, through the gate once
    bool m_stopping = false;
    bool m_inStop = false;
    bool m_halted = false; // nothing more is sent (key rejected, or wound down); what is in flight finishes
    QString m_haltNote; // why, for rows that end unsent meanwhile
    QString m_haltLabel;
    QString m_haltWhy;
    QString m_keyRejected; // why the key is not used again (the API's answer), empty while it is not rejected
    QString m_stopReason;
    // Most rows end with it: translated once, one text shared by all of them instead of a copy in each.
    const QString m_cancelledMessage;
};
