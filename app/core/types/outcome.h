#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

// What became of one job in a cancel batch, as every front-end reads it: the window's words and colours, the
// command line's lines and exit code all derive from this one classification (CancelBatch decides it).
class Outcome
{
    Q_DECLARE_TR_FUNCTIONS(Outcome)

public:
    enum Kind {
        Pending, // not decided yet (being looked up, waiting, in flight)
        WouldCancel, // looked up, cancellable: waits for the confirmation (or a dry run ends here)
        Cancelled, // the API confirmed the job is cancelled
        StillStopping, // the cancel was accepted but the job has not reached a final status (yet)
        AlreadyFinished, // nothing to cancel: the job had already succeeded, failed or been cancelled
        NotFound, // the API does not know the job (for this key and organization)
        Refused, // the API refused (permissions, bad key, another 4xx)
        Failed, // the service failed or answered nonsense; the job was probably not cancelled
        Unknown, // no answer (network, timeout): the cancel may or may not have happened
        Stopped, // stopped by the operator (or a signal) while in flight: may or may not have happened
        NotSent, // never sent: declined, or stopped before its turn
        Invalid, // not a job id; nothing sent
        RateLimited, // the API answered 429 and no retry was left (or the wait was too long): try again later
        RefusedId, // the server listed a job whose id FtCancel will not send (a/../b, spaces, look-alikes)
        WouldPause, // looked up, running: waits for the confirmation of a pause (or a dry run ends here)
        WouldResume, // looked up, paused: waits for the confirmation of a resume
        Paused, // the API confirmed the job is paused
        Resumed, // the API confirmed the job runs again
        Skipped, // nothing to pause or resume: the job is not running (or not paused); nothing sent
    };
    // How it reads at a glance; each category also has words, never a colour alone.
    enum class Category { Neutral, Busy, Success, Warning, Error };

    static Category category(Kind kind);
    // Short words for a table cell ("cancelled", "nothing to cancel", "not found" …).
    static QString label(Kind kind);
    // Machine name for --json and the audit trail ("cancelled", "already_finished" …).
    static QString name(Kind kind);

    // The command line's exit code for a set of outcomes: 0 when every job ended cancelled, paused or resumed (or,
    // in a dry run, would be), 4 when any had no answer (network, timeout) or was rate limited — it wins — else 1 (a
    // listed id that was refused included); 2 when an id was invalid.
    static int exitCode(const QList<Kind>& outcomes, bool dryRun = false);
    // Whether a row counts as failed, for "Retry failed".
    static bool isRetryable(Kind kind);
    // Whether the row reached what was asked (cancelled, paused, resumed).
    static bool isDone(Kind kind) { return kind == Cancelled || kind == Paused || kind == Resumed; }
    // Whether the row waits for a confirmation (will be cancelled, paused, resumed).
    static bool isWould(Kind kind) { return kind == WouldCancel || kind == WouldPause || kind == WouldResume; }
};
