#pragma once

#include "apierror.h"
#include "finetuningjob.h"
#include "jobresult.h"
#include "outcome.h"

#include <QDeadlineTimer>
#include <QString>

#include <memory>

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
    JobKind kind = JobKind::FineTuning; // what the job is: which of the provider's APIs its requests go to
    QString warning; // about the id (legacy ft-), translated
    Phase phase = Phase::Waiting;
    Outcome::Kind outcome = Outcome::Pending;
    QString message; // for the operator, through the output gate
    int httpStatus = 0; // of the last answer
    QString requestId; // of the last answer, through the output gate
    int attempts = 0; // HTTP attempts of the cancel, retries included
    bool otherOrganization = false; // the job belongs to another organization than the configured one
    bool confirmed = false; // confirm() sent (or queued) its cancel: only such rows are retried without asking
    bool carried = false; // came from a batch of another account or settings; looked up again when started
    int watchPolls = 0;
    QDeadlineTimer watchUntil;
    // Words that say more than the outcome's label ("key rejected", "key rejected — not sent"), translated;
    // empty for the label itself.
    QString label;
    // The job's status as the account's list showed it after the row ended (raw), when that differs: the row keeps
    // what became of it, with what the job is now beside it.
    QString seenStatus;

    // The job as the preview (or the list) showed it; an empty job without one.
    const FineTuningJob& before() const;
    // The job as the cancel's answer and the watch showed it; an empty job until then.
    const FineTuningJob& after() const;
    // The last error, raw (for --json's type, code, api_message: pass them through the gate); none when it is none.
    const ApiError& error() const;
    void setBefore(const FineTuningJob& job);
    void setAfter(const FineTuningJob& job);
    void setError(const ApiError& error);
    // A failed answer: its error, HTTP status (0 without an HTTP answer), request id and message, and the outcome
    // the error means (not found, rate limited, failed, refused, no answer …).
    void setFailure(const JobResult& result);

    // The job's status as last seen (after the cancel if there was one), raw: pass it through the gate to show it.
    QString status() const { return after().status.isEmpty() ? before().status : after().status; }
    // How the outcome reads in a table cell: label, else Outcome::label(outcome).
    QString outcomeLabel() const;

private:
    // Out of line, shared by copies of the row and absent until set: two jobs and an error in every row were 700 of
    // its 900 bytes, most of them empty (no preview, no error), a third of what a batch of 10,000 ids held.
    std::shared_ptr<const FineTuningJob> m_before;
    std::shared_ptr<const FineTuningJob> m_after;
    std::shared_ptr<const ApiError> m_error;
};
