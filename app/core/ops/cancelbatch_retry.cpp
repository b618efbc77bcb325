// CancelBatch: Retry failed — the rows that may be taken again, and taking them.

#include "cancelbatch.h"

#include "activitylog.h"

QList<int> CancelBatch::retryableRows() const
{
    QList<int> rows;
    for (int row = 0; row < rowCount(); ++row) {
        const BatchItem& item = m_items.at(row);
        if (item.phase != BatchItem::Phase::Done)
            continue;
        // Never a cancel the operator did not confirm: a declined row is not retried, and a row whose look-up
        // failed (no answer, a failing service, a rate limit) is only looked up again, then asked about.
        if (item.confirmed && Outcome::isRetryable(item.outcome))
            rows << row;
        else if (!item.confirmed
                 && (item.outcome == Outcome::Unknown || item.outcome == Outcome::Failed
                     || item.outcome == Outcome::RateLimited))
            rows << row;
    }
    return rows;
}

int CancelBatch::retryFailed()
{
    if (isRunning() || m_state == State::AwaitingConfirmation)
        return 0;
    if (!cannotSend().isEmpty())
        return 0;
    const QList<int> rows = retryableRows();
    if (rows.isEmpty())
        return 0;
    resetForRun();
    m_elapsed.start();
    // Look-ups first, so that the question about those jobs comes while the cancels sent again run.
    int lookups = 0;
    for (const int row : rows) {
        BatchItem& item = m_items[row];
        if (item.confirmed)
            continue;
        item.phase = BatchItem::Phase::LookingUp;
        item.outcome = Outcome::Pending;
        item.message.clear();
        item.label.clear();
        item.seenStatus.clear();
        enqueue(row, Task::Lookup);
        changed(row);
        ++lookups;
    }
    for (const int row : rows) {
        BatchItem& item = m_items[row];
        if (!item.confirmed)
            continue;
        item.phase = BatchItem::Phase::Cancelling;
        item.outcome = Outcome::Pending;
        item.message.clear();
        item.label.clear();
        item.seenStatus.clear();
        enqueue(row, Task::Cancel);
        changed(row);
    }
    const int cancels = int(rows.size()) - lookups;
    if (m_log && cancels > 0)
        m_log->add(tr("Retrying %n failed cancel(s).", nullptr, cancels));
    if (m_log && lookups > 0)
        m_log->add(tr("Looking up %n job(s) again; their cancels wait for your confirmation.", nullptr, lookups));
    setState(lookups > 0 ? State::LookingUp : State::Cancelling);
    pump();
    checkDone();
    return int(rows.size());
}
