// CancelBatch: the watch — reading a job whose cancel was accepted until it stops, and checking such jobs again.

#include "cancelbatch.h"

#include "activitylog.h"
#include "outputgate.h"

#include <QTimer>

#include <algorithm>
#include <utility>

namespace {
constexpr int maxWatchIntervalMs = 10000;
} // namespace

void CancelBatch::scheduleWatch(int row)
{
    BatchItem& item = m_items[row];
    double interval = m_options.watchIntervalMs;
    for (int i = 0; i < item.watchPolls; ++i)
        interval = std::min(interval * 1.5, double(maxWatchIntervalMs));
    const int wait = int(std::min<qint64>(qint64(interval), qMax<qint64>(0, item.watchUntil.remainingTime())));
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    m_watchTimers.insert(row, timer);
    connect(timer, &QTimer::timeout, this, [this, row, timer] {
        m_watchTimers.remove(row);
        timer->deleteLater();
        ++m_items[row].watchPolls;
        enqueue(row, Task::Watch);
        pump();
    });
    timer->start(wait);
}

void CancelBatch::onWatched(int row, const JobResult& result)
{
    BatchItem& item = m_items[row];
    if (result.isOk()) {
        item.setAfter(result.job);
        if (result.job.isTerminal())
            return acceptedCancel(row);
    }
    if (item.watchUntil.hasExpired() || m_stopping || m_halted) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::StillStopping;
        item.message = result.isOk() || item.after().status.isEmpty()
            ? tr("Cancel requested, still %1.").arg(OutputGate::clean(item.status()))
            : tr("Cancel requested, still %1 when last seen; checking again failed: %2")
                  .arg(OutputGate::clean(item.status()),
                       OutputGate::clean(result.error.message, OutputGate::lineBytes));
        return changed(row);
    }
    item.message = tr("Cancel requested, now %1; watching until it stops.").arg(OutputGate::clean(item.status()));
    scheduleWatch(row);
    changed(row);
}

qint64 CancelBatch::watchMsFor(JobKind kind) const
{
    if (!m_options.watch)
        return 0;
    return qint64(kind == JobKind::Batch ? m_options.batchWatchSeconds : m_options.watchSeconds) * 1000;
}

QList<int> CancelBatch::checkableRows() const
{
    QList<int> rows;
    for (int row = 0; row < rowCount(); ++row) {
        if (m_items.at(row).phase == BatchItem::Phase::Done && m_items.at(row).outcome == Outcome::StillStopping)
            rows << row;
    }
    return rows;
}

int CancelBatch::checkAgain(const QList<int>& wanted)
{
    if (isRunning() || m_state == State::AwaitingConfirmation || !cannotSend().isEmpty())
        return 0;
    const QList<int> checkable = checkableRows();
    QList<int> rows;
    for (const int row : wanted.isEmpty() ? checkable : wanted) {
        if (checkable.contains(row) && !rows.contains(row))
            rows << row;
    }
    if (rows.isEmpty())
        return 0;
    resetForRun();
    m_elapsed.start();
    // Read now, then watched as after an accepted cancel (or read once when watching is off).
    for (const int row : std::as_const(rows)) {
        BatchItem& item = m_items[row];
        const qint64 watchMs = watchMsFor(item.kind);
        item.phase = BatchItem::Phase::Watching;
        item.outcome = Outcome::Pending;
        item.message = tr("Checking again\u2026");
        item.label.clear();
        item.seenStatus.clear();
        item.watchPolls = 0;
        item.watchUntil.setRemainingTime(watchMs);
        enqueue(row, Task::Watch);
        changed(row);
    }
    if (m_log)
        m_log->add(tr("Checking %n job(s) again (no cancel is sent again).", nullptr, int(rows.size())));
    setState(State::Cancelling);
    pump();
    checkDone();
    return int(rows.size());
}
