#pragma once

#include "apiconfig.h"
#include "auditlog.h"
#include "finetuningjob.h"
#include "jobid.h"
#include "jobresult.h"
#include "outcome.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

class ActivityLog;
class FineTuningClient;
class JobRequest;
class QTimer;

// One row of a cancel batch: a job, what the preview found, what the cancel and the watch made of it.
struct BatchItem
{
    enum class Phase {
        Waiting, // added, not looked up yet
        LookingUp, // GET in flight (or queued for it)
        Ready, // looked up (or not to be), waits for the confirmation
        Cancelling, // cancel queued or in flight (or the job read back after a refusal)
        Watching, // cancel accepted; polling until the job reaches a final status
        Done,
    };
    QString id;
    QString warning; // about the id (legacy ft-), translated
    Phase phase = Phase::Waiting;
    FineTuningJob before; // from the preview; empty without one
    FineTuningJob after; // from the cancel answer and the watch
    Outcome::Kind outcome = Outcome::Pending;
    QString message; // for the operator, through the output gate
    ApiError error; // the last error, raw (for --json's type, code, api_message: pass them through the gate)
    int httpStatus = 0; // of the last answer
    QString requestId; // of the last answer, through the output gate
    int attempts = 0; // HTTP attempts of the cancel, retries included
    bool otherOrganization = false; // the job belongs to another organization than the configured one
    bool confirmed = false; // confirm() sent (or queued) its cancel: only such rows are retried without asking
    int watchPolls = 0;
    QDeadlineTimer watchUntil;

    // The job's status as last seen (after the cancel if there was one), raw: pass it through the gate to show it.
    QString status() const { return after.status.isEmpty() ? before.status : after.status; }
};

// The one place a cancel workflow is decided, for the window and the command line alike: it validates, registers
// the key for masking, looks every job up first (GET) and skips those with nothing to cancel, waits for the
// binding's confirmation, cancels with at most `concurrency` requests in flight (a 429's retry-after pauses the
// whole batch), reads a refused job back to tell "already finished" from a refusal, watches accepted cancels until
// the job stops, writes one audit line per cancel, and classifies every row into one Outcome.
// Signals: rowsAboutToBeAdded/rowsAdded around addIds(); itemChanged(row) whenever a row changes; lookupFinished()
// when every row is looked up and the batch waits for confirm() or decline(); finished() when nothing is left to
// do. A finished batch takes more ids and can run again (start()), keeping its rows.
class CancelBatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CancelBatch)

public:
    static constexpr int defaultConcurrency = 4;
    // 32: what one HTTP/2 connection carries at once with room to spare (Qt takes 100 streams, servers offer 100 or
    // more), six managers' worth over HTTP/1.1; more would mostly meet the organization's rate limit sooner (README).
    static constexpr int maxConcurrency = 32;
    static constexpr int defaultWatchSeconds = 120;

    struct Options
    {
        bool preview = true; // GET each job first, skip those already finished
        int concurrency = defaultConcurrency; // requests in flight at most (1..maxConcurrency)
        bool watch = true; // poll accepted cancels until the job reaches a final status
        int watchSeconds = defaultWatchSeconds; // how long at most
        int watchIntervalMs = 2000; // first poll after this, then growing (x1.5, at most 10 s)
        QString source = QStringLiteral("window"); // for the audit trail: "window" or "cli"
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
    bool isRunning() const { return m_state == State::LookingUp || m_state == State::Cancelling; }

    // Appends rows for ids not already in the batch; returns how many were added. Not while running.
    int addIds(const QList<JobId::Parsed>& ids);
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
    // Empty when it started; otherwise why nothing was sent (a bad configuration: no key, a base URL …).
    QString start();
    // The rows a confirm() would cancel.
    QList<int> cancellableRows() const;
    void confirm();
    void decline();
    // Halts what has not started and aborts what is in flight (those rows: "stopped", outcome unknown). reason,
    // when given, becomes the message of the rows stopped in flight and of their audit lines.
    void stop(const QString& reason = QString());
    // The rows retryFailed() would take again: confirmed ones whose outcome is retryable (failed, no answer,
    // stopped, refused, not sent) — cancelled again; or, when there are none, rows whose look-up failed (no answer,
    // a failing service) — looked up again, then confirmed as new rows are. A declined row is never among them.
    QList<int> retryableRows() const;
    // Takes the retryableRows() again (see there); returns how many.
    int retryFailed();

    QList<Outcome::Kind> outcomes() const;
    int count(Outcome::Kind kind) const;
    // "3 cancelled, 1 nothing to cancel, 1 not found, 2 failed"
    QString summary() const;
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

private:
    enum class Task { Lookup, Cancel, ReadBack, Watch };
    struct Pending
    {
        int row;
        Task task;
    };

    void setState(State state);
    void enqueue(int row, Task task);
    void pump();
    void startTask(const Pending& pending);
    void onFinished(int row, Task task, const JobResult& result);
    void onLookedUp(int row, const JobResult& result);
    void onCancelled(int row, const JobResult& result);
    void onReadBack(int row, const JobResult& result, const JobResult& refusal);
    void onWatched(int row, const JobResult& result);
    void acceptedCancel(int row);
    void scheduleWatch(int row);
    void setError(BatchItem& item, const JobResult& result);
    void record(const JobResult& result);
    void changed(int row);
    void checkDone();

    ApiConfig m_config;
    Options m_options;
    QPointer<ActivityLog> m_log;
    FineTuningClient* m_client;
    QList<BatchItem> m_items;
    QHash<QString, int> m_rowById;
    QList<Pending> m_queue;
    QHash<JobRequest*, Pending> m_requests; // in flight
    QHash<int, QTimer*> m_watchTimers; // rows waiting for their next poll
    QHash<int, JobResult> m_refusals; // rows being read back after a refused cancel
    State m_state = State::Idle;
    QElapsedTimer m_elapsed;
    QDeadlineTimer m_pausedUntil; // a 429 asked the whole batch to wait
    QTimer* m_resumeTimer;
    AuditLog m_audit; // kept open while the batch runs
    bool m_stopping = false;
    bool m_inStop = false;
    QString m_stopReason;
};
