// CancelBatch: the rate limit hold — a 429 holds every request of the batch, for its wait or until retryNow().

#include "cancelbatch.h"

#include "activitylog.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "retrypolicy.h"

#include <QTimer>

void CancelBatch::pauseForRateLimit(int row, Task task, const JobResult& result)
{
    BatchItem& item = m_items[row];
    if (task == Task::Cancel) {
        record(result); // it reached the API: an attempt like any other
        item.attempts = result.attempts;
    }
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime until = now.addMSecs(result.serverWaitMs);
    if (!m_rateLimitedUntil.isValid() || until > m_rateLimitedUntil)
        m_rateLimitedUntil = until;
    m_paused = true;
    m_resumeTimer->stop();
    const QString when = RetryPolicy::untilText(m_rateLimitedUntil, now);
    // Not failed: it waits, first in line, for the operator's retry.
    item.setError(result.error);
    item.httpStatus = result.httpStatus;
    if (!result.requestId.isEmpty())
        item.requestId = OutputGate::clean(result.requestId);
    item.label = tr("rate limited \u2014 waiting");
    item.message
        = tr("Rate limited: the server asks to wait until %1. Nothing is sent meanwhile; retry now or then.").arg(when);
    m_rateLimitedRows.insert(row);
    m_queue.prepend({row, task});
    holdInFlight(nullptr);
    changed(row);
    if (m_log)
        m_log->add(tr("%1: rate limited until %2; the batch is paused, nothing more is sent until you retry.")
                       .arg(item.id, when));
    emit rateLimitChanged();
}

void CancelBatch::holdForRetry(JobRequest* request, int delayMs)
{
    // One row's rate limit is the account's: the whole batch waits as long, new requests and the retries of the
    // others alike.
    if (m_pausedUntil.hasExpired() || m_pausedUntil.remainingTime() < delayMs)
        m_pausedUntil.setRemainingTime(delayMs);
    holdInFlight(request);
    if (!m_paused)
        m_resumeTimer->start(int(qMax<qint64>(1, m_pausedUntil.remainingTime())));
}

void CancelBatch::holdInFlight(JobRequest* except)
{
    // Requests sent already get their answers; none of them sends a retry meanwhile.
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        if (JobRequest* request = it.key(); request && request != except)
            request->hold();
    }
}

void CancelBatch::releaseHeld()
{
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        if (JobRequest* request = it.key())
            request->release();
    }
}

bool CancelBatch::retryNow()
{
    if (!m_paused)
        return false;
    m_paused = false;
    m_pausedUntil = QDeadlineTimer();
    if (m_log)
        m_log->add(tr("Retrying now, before the time the server asked for: what was held goes out."));
    emit rateLimitChanged();
    pump();
    checkDone();
    return true;
}

QString CancelBatch::rateLimitedUntilText() const
{
    return m_rateLimitedUntil.isValid() ? RetryPolicy::untilText(m_rateLimitedUntil, QDateTime::currentDateTime())
                                        : QString();
}
