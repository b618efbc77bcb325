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
        if (reached(result.job))
            return acceptedCancel(row);
    }
    if (item.watchUntil.hasExpired() || m_stopping || m_halted) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::StillStopping;
        if (m_options.action != Action::Cancel)
            item.label = m_options.action == Action::Pause ? tr("pause requested") : tr("resume requested");
        const QString why = OutputGate::clean(result.error.message, OutputGate::lineBytes);
        if (result.isOk() || item.after().status.isEmpty())
            item.message = stillMessage(OutputGate::clean(item.status()));
        else if (m_options.action == Action::Cancel)
            item.message = tr("Cancel requested, still %1 when last seen; checking again failed: %2")
                               .arg(OutputGate::clean(item.status()), why);
        else
            item.message = stillMessage(OutputGate::clean(item.status())) + QLatin1Char(' ')
                + tr("Checking again failed: %1").arg(why);
        return changed(row);
    }
    item.message = watchingMessage(OutputGate::clean(item.status()));
    scheduleWatch(row);
    changed(row);
}

bool CancelBatch::reached(const FineTuningJob& job) const
{
    switch (m_options.action) {
    case Action::Pause:
        return job.isTerminal() || (job.statusClass == StatusClass::Paused && job.status == QLatin1String("paused"));
    case Action::Resume:
        return job.isTerminal() || job.statusClass == StatusClass::Active;
    case Action::Cancel:
        break;
    }
    return job.isTerminal();
}

QString CancelBatch::stillMessage(const QString& status) const
{
    switch (m_options.action) {
    case Action::Pause:
        return tr("Pause requested, still %1.").arg(status);
    case Action::Resume:
        return tr("Resume requested, still %1.").arg(status);
    case Action::Cancel:
        break;
    }
    return tr("Cancel requested, still %1.").arg(status);
}

QString CancelBatch::watchingMessage(const QString& status) const
{
    switch (m_options.action) {
    case Action::Pause:
        return tr("Pause requested, now %1; watching until it is paused.").arg(status);
    case Action::Resume:
        return tr("Resume requested, now %1; watching until it runs.").arg(status);
    case Action::Cancel:
        break;
    }
    return tr("Cancel requested, now %1; watching until it stops.").arg(status);
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
