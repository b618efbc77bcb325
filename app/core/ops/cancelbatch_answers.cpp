// CancelBatch: what an answer makes of a row — a look-up, a cancel (and its audit line), a read-back after a refusal.

#include "cancelbatch.h"

#include "activitylog.h"
#include "cancelverdict.h"
#include "outputgate.h"
#include "providerfacts.h"

void CancelBatch::record(const JobResult& result)
{
    // One audit line per cancel sent, with the account it was sent as (the batch's own configuration).
    if (!m_options.audit || !AuditEntry::isAttempt(result))
        return;
    QString error;
    AuditEntry entry = AuditEntry::fromResult(result, m_auditAccount);
    entry.action = actionKey(m_options.action);
    if (!m_audit.append(entry, &error)) {
        error = OutputGate::clean(error, OutputGate::lineBytes);
        if (m_log)
            m_log->add(tr("Could not record %1 in the history: %2").arg(result.requestedId, error));
        emit auditFailed(result.requestedId, error);
    }
}

void CancelBatch::onLookedUp(int row, const JobResult& result)
{
    BatchItem& item = m_items[row];
    item.phase = BatchItem::Phase::Done;
    if (!result.isOk()) {
        item.setFailure(result);
        if (item.outcome == Outcome::Stopped) {
            item.outcome = Outcome::NotSent; // only a lookup was stopped: no cancel was sent
            item.message = tr("Not sent: stopped while looking the job up.");
        } else if (item.outcome != Outcome::NotFound) {
            item.message = tr("Could not look the job up, so no cancel was sent: %1").arg(item.message);
        }
        return changed(row);
    }
    takeJob(item, result.job);
    item.httpStatus = result.httpStatus;
    item.requestId = OutputGate::clean(result.requestId);
    const QString status = OutputGate::clean(item.before().status);
    const StatusClass statusClass = item.before().statusClass;
    if (item.before().isTerminal()) {
        item.outcome = Outcome::AlreadyFinished;
        item.message = m_options.action == Action::Cancel ? tr("Nothing to cancel \u2014 already %1.").arg(status)
            : m_options.action == Action::Pause           ? tr("Nothing to pause \u2014 already %1.").arg(status)
                                                          : tr("Nothing to resume \u2014 already %1.").arg(status);
    } else if (m_options.action == Action::Pause && statusClass != StatusClass::Active) {
        item.outcome = Outcome::Skipped;
        item.message = tr("Nothing to pause \u2014 it is %1, not running.").arg(status);
    } else if (m_options.action == Action::Resume && statusClass != StatusClass::Paused) {
        item.outcome = Outcome::Skipped;
        item.message = tr("Nothing to resume \u2014 it is %1, not paused.").arg(status);
    } else if (m_halted) {
        item.outcome = Outcome::NotSent;
        item.label = m_haltLabel;
        item.message = m_haltNote;
    } else {
        item.phase = BatchItem::Phase::Ready;
        item.outcome = wouldOutcome();
        item.message.clear();
    }
    changed(row);
}

void CancelBatch::onCancelled(int row, const JobResult& answer)
{
    JobResult result = answer;
    if (result.error.kind == ApiError::Kind::Stopped && !m_stopReason.isEmpty())
        result.error.message = m_stopReason;
    record(result);
    BatchItem& item = m_items[row];
    item.attempts = result.attempts;
    if (!result.isOk() && m_options.action != Action::Cancel) {
        // A pause or resume refused stands as it is (no read-back: "already cancelled" means nothing here).
        item.setFailure(result);
        if (item.outcome == Outcome::Refused && item.httpStatus != 401) {
            // The API's own words, not a cancel's explanation of them.
            const QString said
                = OutputGate::clean(result.error.apiMessage.isEmpty() ? result.error.message : result.error.apiMessage,
                                    OutputGate::lineBytes);
            item.message = m_options.action == Action::Pause
                ? tr("The API refused to pause the job (HTTP %1): %2").arg(item.httpStatus).arg(said)
                : tr("The API refused to resume the job (HTTP %1): %2").arg(item.httpStatus).arg(said);
        }
        const QString note = m_options.action == Action::Pause && (result.httpStatus == 400 || result.httpStatus == 409)
            ? ProviderFacts::pauseRefusedNote(m_config.provider)
            : QString();
        if (!note.isEmpty())
            item.message = note + QLatin1Char(' ') + item.message;
        item.phase = BatchItem::Phase::Done;
        return changed(row);
    }
    if (!result.isOk()) {
        item.setFailure(result);
        // A refusal of a job that may have finished meanwhile (or with --no-preview): read it back and say what
        // it really is, instead of matching the API's wording.
        if (item.outcome == Outcome::Refused && CancelVerdict::deservesReadBack(result) && !m_stopping && !m_halted) {
            // Read back once: JobRequest did already when it retried (the refusal then carries the job).
            if (!result.job.status.isEmpty()) {
                JobResult read;
                read.job = result.job;
                read.httpStatus = 200;
                return onReadBack(row, read, result);
            }
            m_refusals.insert(row, result);
            enqueue(row, Task::ReadBack);
            return changed(row);
        }
        item.phase = BatchItem::Phase::Done;
        return changed(row);
    }
    item.setAfter(result.job);
    item.setError(ApiError());
    item.httpStatus = result.httpStatus;
    item.requestId = OutputGate::clean(result.requestId);
    acceptedCancel(row);
}

void CancelBatch::acceptedCancel(int row)
{
    if (m_options.action == Action::Pause)
        return acceptedPause(row);
    if (m_options.action == Action::Resume)
        return acceptedResume(row);
    BatchItem& item = m_items[row];
    const QString status = OutputGate::clean(item.after().status);
    if (item.after().statusClass == StatusClass::Cancelled) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::Cancelled;
        item.message = m_cancelledMessage;
    } else if (item.after().isTerminal()) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("It finished as %1 before the cancel took effect.").arg(status);
    } else if (watchMsFor(item.kind) > 0 && !m_stopping && !m_halted) {
        item.phase = BatchItem::Phase::Watching;
        item.outcome = Outcome::Pending;
        item.message = tr("Cancel requested, now %1; watching until it stops.").arg(status);
        item.watchPolls = 0;
        item.watchUntil.setRemainingTime(watchMsFor(item.kind));
        scheduleWatch(row);
    } else {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::StillStopping;
        item.message = tr("Cancel requested, still %1.").arg(status);
    }
    changed(row);
}

void CancelBatch::onReadBack(int row, const JobResult& result, const JobResult& refusal)
{
    BatchItem& item = m_items[row];
    item.phase = BatchItem::Phase::Done;
    const CancelVerdict::Verdict verdict = CancelVerdict::of(refusal, result);
    if (verdict == CancelVerdict::Verdict::Accepted) {
        // Being cancelled (or cancelled by an earlier attempt): accepted, and watched until it is finished.
        item.setAfter(result.job);
        item.setError(ApiError());
        item.httpStatus = refusal.httpStatus;
        item.requestId = OutputGate::clean(refusal.requestId);
        return acceptedCancel(row);
    }
    if (verdict == CancelVerdict::Verdict::Finished) {
        item.setAfter(result.job);
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("Nothing to cancel \u2014 already %1.").arg(OutputGate::clean(result.job.status));
    } else if (result.isOk()) {
        item.setAfter(result.job);
        item.setFailure(refusal);
        item.message += QLatin1Char(' ') + tr("Its status now is %1.").arg(OutputGate::clean(result.job.status));
    } else {
        item.setFailure(refusal);
    }
    changed(row);
}

void CancelBatch::acceptedPause(int row)
{
    const FineTuningJob& after = m_items.at(row).after();
    acceptedChange(row, after.statusClass == StatusClass::Paused && after.status == QLatin1String("paused"),
                   Outcome::Paused, tr("Paused: it spends nothing until it is resumed."),
                   tr("It finished as %1 before the pause took effect."), tr("pause requested"));
}

void CancelBatch::acceptedResume(int row)
{
    const QString status = OutputGate::clean(m_items.at(row).after().status);
    acceptedChange(row, m_items.at(row).after().statusClass == StatusClass::Active, Outcome::Resumed,
                   tr("Resumed: it runs again (%1).").arg(status),
                   tr("It finished as %1 before the resume took effect."), tr("resume requested"));
}

// A pause or resume the API accepted: done when the job reached what was asked (reached), finished when it ended
// first (finishedMessage: %1 the status), else watched as a cancel is, or "requested" when the watch may not run.
void CancelBatch::acceptedChange(int row, bool reached, Outcome::Kind done, const QString& doneMessage,
                                 const QString& finishedMessage, const QString& requestedLabel)
{
    BatchItem& item = m_items[row];
    const QString status = OutputGate::clean(item.after().status);
    if (reached) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = done;
        item.message = doneMessage;
    } else if (item.after().isTerminal()) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::AlreadyFinished;
        item.message = finishedMessage.arg(status);
    } else if (watchMsFor(item.kind) > 0 && !m_stopping && !m_halted) {
        item.phase = BatchItem::Phase::Watching;
        item.outcome = Outcome::Pending;
        item.message = watchingMessage(status);
        item.watchPolls = 0;
        item.watchUntil.setRemainingTime(watchMsFor(item.kind));
        scheduleWatch(row);
    } else {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::StillStopping;
        item.label = requestedLabel;
        item.message = stillMessage(status);
    }
    changed(row);
}
