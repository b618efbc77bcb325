// CancelBatch: ending early — stop(), windDown(), and the halt a rejected key brings.

#include "cancelbatch.h"

#include "activitylog.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "retrypolicy.h"

#include <QTimer>

#include <utility>

void CancelBatch::stop(const QString& reason)
{
    if (m_state == State::Finished || m_state == State::Idle)
        return;
    m_stopping = true;
    m_inStop = true; // finished() once, at the end, when every row has its outcome
    m_stopReason = reason;
    m_queue.clear();
    m_resumeTimer->stop();
    const bool wasPaused = std::exchange(m_paused, false);
    // In flight: each aborts synchronously and reports "stopped" through onFinished().
    const QList<JobRequest*> requests = m_requests.keys();
    for (JobRequest* request : requests) {
        if (request)
            request->abort();
    }
    for (int row = 0; row < rowCount(); ++row) {
        BatchItem& item = m_items[row];
        switch (item.phase) {
        case BatchItem::Phase::Waiting:
        case BatchItem::Phase::LookingUp:
        case BatchItem::Phase::Ready:
        case BatchItem::Phase::Cancelling:
            item.phase = BatchItem::Phase::Done;
            item.label.clear();
            if (m_rateLimitedRows.contains(row)) {
                // Sent, answered 429, and waiting for the operator's retry when the batch was stopped.
                item.outcome = Outcome::RateLimited;
                item.message = OutputGate::clean(item.error().message, OutputGate::lineBytes) + QLatin1Char(' ')
                    + tr("Stopped before it was sent again.");
            } else {
                item.outcome = Outcome::NotSent;
                item.message = tr("Not sent: stopped before its turn.");
            }
            changed(row);
            break;
        case BatchItem::Phase::Watching:
            item.phase = BatchItem::Phase::Done;
            item.outcome = Outcome::StillStopping;
            item.message
                = tr("Cancel requested, still %1 when watching was stopped.").arg(OutputGate::clean(item.status()));
            changed(row);
            break;
        case BatchItem::Phase::Done:
            break;
        }
    }
    qDeleteAll(m_watchTimers);
    m_watchTimers.clear();
    m_refusals.clear();
    m_rateLimitedRows.clear();
    if (m_log)
        m_log->add(tr("Stopped."));
    m_inStop = false;
    if (wasPaused)
        emit rateLimitChanged();
    checkDone();
}

void CancelBatch::windDown()
{
    if (m_state == State::Idle || m_state == State::Finished || m_halted)
        return;
    QString note;
    QString why;
    if (m_rateLimitedUntil.isValid()) {
        const QString until = RetryPolicy::untilText(m_rateLimitedUntil, QDateTime::currentDateTime());
        note = tr("Not sent: rate limited until %1; retry then.").arg(until);
        why = tr("rate limited until %1").arg(until);
    } else {
        note = tr("Not sent: the run ended before its turn.");
        why = tr("the run ended");
    }
    if (m_log)
        m_log->add(tr("Ending the run: nothing more is sent; the requests in flight finish."));
    halt(note, QString(), why);
    checkDone();
}

void CancelBatch::halt(const QString& note, const QString& label, const QString& why)
{
    m_halted = true;
    m_haltNote = note;
    m_haltLabel = label;
    m_haltWhy = why;
    const bool wasPaused = std::exchange(m_paused, false);
    m_resumeTimer->stop();
    m_inStop = true; // finished() once, by the caller's checkDone(), when every row has its outcome
    const QList<Pending> queued = std::exchange(m_queue, {});
    for (const Pending& pending : queued)
        endUnsent(pending.row, pending.task);
    for (const int row : cancellableRows())
        endUnsent(row, Task::Cancel);
    const QList<int> watched = m_watchTimers.keys();
    for (const int row : watched) {
        delete m_watchTimers.take(row);
        endUnsent(row, Task::Watch);
    }
    // In flight: the answer each gets is its last; one waiting to retry ends now with the answer it had.
    const QList<JobRequest*> requests = m_requests.keys();
    for (JobRequest* request : requests) {
        if (request)
            request->stopRetrying(why);
    }
    m_inStop = false;
    if (wasPaused)
        emit rateLimitChanged();
}

void CancelBatch::endUnsent(int row, Task task)
{
    BatchItem& item = m_items[row];
    item.phase = BatchItem::Phase::Done;
    item.label.clear();
    switch (task) {
    case Task::Lookup:
    case Task::Cancel:
        if (m_rateLimitedRows.remove(row)) {
            // Its 429 says how long the server asks to wait, and until when.
            item.outcome = Outcome::RateLimited;
            item.message = OutputGate::clean(item.error().message, OutputGate::lineBytes);
        } else {
            item.outcome = Outcome::NotSent;
            item.label = m_haltLabel;
            item.message = m_haltNote;
        }
        break;
    case Task::ReadBack:
        // The refusal stands; whether the job had finished meanwhile is not known.
        item.setFailure(m_refusals.take(row));
        break;
    case Task::Watch:
        m_rateLimitedRows.remove(row);
        item.outcome = Outcome::StillStopping;
        item.message
            = tr("Cancel requested, still %1; not checked again: %2.").arg(OutputGate::clean(item.status()), m_haltWhy);
        break;
    }
    changed(row);
}

void CancelBatch::rejectKey(const JobResult& result)
{
    if (!m_keyRejected.isEmpty())
        return;
    m_keyRejected = OutputGate::clean(result.error.message, OutputGate::lineBytes);
    if (m_log)
        m_log->add(
            tr("%1: the API rejected the key (HTTP 401); nothing more is sent with it.").arg(result.requestedId));
    if (!m_halted)
        halt(tr("Key rejected \u2014 not sent."), tr("key rejected \u2014 not sent"), tr("the API rejected the key"));
    emit keyRejected(tr("The API rejected the key: %1").arg(m_keyRejected));
}
