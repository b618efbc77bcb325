#include "cancelbatch.h"

#include "activitylog.h"
#include "auditlog.h"
#include "finetuningclient.h"
#include "jobrequest.h"
#include "outputgate.h"

#include <QTimer>

#include <algorithm>

namespace {
constexpr int maxWatchIntervalMs = 10000;

QString gated(const QString& text)
{
    return OutputGate::clean(text);
}
} // namespace

CancelBatch::CancelBatch(const ApiConfig& config, const Options& options, ActivityLog* log, QObject* parent)
    : QObject(parent),
      m_config(config),
      m_options(options),
      m_log(log),
      m_client(new FineTuningClient(this)),
      m_resumeTimer(new QTimer(this))
{
    m_options.concurrency = qBound(1, m_options.concurrency, maxConcurrency);
    m_options.watchSeconds = qMax(0, m_options.watchSeconds);
    m_options.watchIntervalMs = qMax(1, m_options.watchIntervalMs);
    // Every output of this process masks the key from now on, whatever the server echoes.
    OutputGate::addSecret(m_config.apiKey);
    m_client->setConfig(m_config);
    m_client->setLog(log);
    m_resumeTimer->setSingleShot(true);
    connect(m_resumeTimer, &QTimer::timeout, this, &CancelBatch::pump);
    m_audit.setKeepOpen(true);
}

CancelBatch::~CancelBatch()
{
    // Requests are children of the client and die with it; nothing may call back into a half-destroyed batch.
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        if (JobRequest* request = it.key())
            request->disconnect(this);
    }
}

int CancelBatch::addIds(const QList<JobId::Parsed>& ids)
{
    if (isRunning())
        return 0;
    QList<BatchItem> added;
    for (const JobId::Parsed& parsed : ids) {
        if (!parsed.isValid() || m_rowById.contains(parsed.id))
            continue;
        bool duplicate = false;
        for (const BatchItem& item : std::as_const(added))
            duplicate = duplicate || item.id == parsed.id;
        if (duplicate)
            continue;
        BatchItem item;
        item.id = parsed.id;
        item.warning = parsed.warning;
        added << item;
    }
    if (added.isEmpty())
        return 0;
    const int first = rowCount();
    const int last = first + int(added.size()) - 1;
    emit rowsAboutToBeAdded(first, last);
    for (const BatchItem& item : std::as_const(added)) {
        m_rowById.insert(item.id, rowCount());
        m_items << item;
    }
    emit rowsAdded(first, last);
    if (m_state == State::Finished)
        setState(State::Idle);
    return int(added.size());
}

int CancelBatch::requeue(const QStringList& ids)
{
    if (isRunning() || m_state == State::AwaitingConfirmation)
        return 0;
    int count = 0;
    for (const QString& id : ids) {
        const int row = rowOf(id);
        if (row < 0 || m_items.at(row).phase != BatchItem::Phase::Done)
            continue;
        // A done row has nothing queued, in flight or timed: a fresh item is all there is to reset.
        BatchItem fresh;
        fresh.id = m_items.at(row).id;
        fresh.warning = m_items.at(row).warning;
        m_items[row] = fresh;
        changed(row);
        ++count;
    }
    if (count > 0 && m_state == State::Finished)
        setState(State::Idle);
    return count;
}

void CancelBatch::clear()
{
    if (isRunning())
        return;
    emit aboutToClear();
    m_items.clear();
    m_rowById.clear();
    m_queue.clear();
    m_refusals.clear();
    qDeleteAll(m_watchTimers);
    m_watchTimers.clear();
    m_state = State::Idle;
    emit cleared();
}

QString CancelBatch::start()
{
    if (isRunning())
        return QString();
    // Validated here, once, before anything is sent.
    if (const QString problem = m_config.problem(); !problem.isEmpty())
        return gated(problem);
    m_stopping = false;
    m_stopReason.clear();
    m_elapsed.start();
    int waiting = 0;
    for (int row = 0; row < rowCount(); ++row) {
        BatchItem& item = m_items[row];
        if (item.phase != BatchItem::Phase::Waiting)
            continue;
        ++waiting;
        if (m_options.preview) {
            item.phase = BatchItem::Phase::LookingUp;
            enqueue(row, Task::Lookup);
        } else {
            item.phase = BatchItem::Phase::Ready;
            item.outcome = Outcome::WouldCancel;
        }
        changed(row);
    }
    if (m_log && waiting > 0 && m_options.preview)
        m_log->add(tr("Looking up %n job(s) first.", nullptr, waiting));
    setState(m_options.preview ? State::LookingUp : State::AwaitingConfirmation);
    if (m_options.preview)
        pump();
    checkDone();
    return QString();
}

QList<int> CancelBatch::cancellableRows() const
{
    QList<int> rows;
    for (int row = 0; row < rowCount(); ++row) {
        if (m_items.at(row).phase == BatchItem::Phase::Ready)
            rows << row;
    }
    return rows;
}

void CancelBatch::confirm()
{
    if (m_state != State::AwaitingConfirmation)
        return;
    const QList<int> rows = cancellableRows();
    if (m_log && !rows.isEmpty())
        m_log->add(
            tr("Cancelling %n job(s), at most %1 at a time.", nullptr, int(rows.size())).arg(m_options.concurrency));
    for (const int row : rows) {
        m_items[row].phase = BatchItem::Phase::Cancelling;
        m_items[row].outcome = Outcome::Pending;
        m_items[row].confirmed = true;
        enqueue(row, Task::Cancel);
        changed(row);
    }
    setState(State::Cancelling);
    pump();
    checkDone();
}

void CancelBatch::decline()
{
    if (m_state != State::AwaitingConfirmation)
        return;
    for (const int row : cancellableRows()) {
        m_items[row].phase = BatchItem::Phase::Done;
        m_items[row].outcome = Outcome::NotSent;
        m_items[row].message = tr("Not sent: you chose to keep it running.");
        changed(row);
    }
    if (m_log)
        m_log->add(tr("Nothing cancelled: the confirmation was declined."));
    setState(State::Finished);
    emit finished();
}

void CancelBatch::stop(const QString& reason)
{
    if (m_state == State::Finished || m_state == State::Idle)
        return;
    m_stopping = true;
    m_inStop = true; // finished() once, at the end, when every row has its outcome
    m_stopReason = reason;
    m_queue.clear();
    m_resumeTimer->stop();
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
            item.outcome = Outcome::NotSent;
            item.message = tr("Not sent: stopped before its turn.");
            changed(row);
            break;
        case BatchItem::Phase::Watching:
            item.phase = BatchItem::Phase::Done;
            item.outcome = Outcome::StillStopping;
            item.message = tr("Cancel requested, still %1 when watching was stopped.").arg(gated(item.status()));
            changed(row);
            break;
        case BatchItem::Phase::Done:
            break;
        }
    }
    qDeleteAll(m_watchTimers);
    m_watchTimers.clear();
    m_refusals.clear();
    if (m_log)
        m_log->add(tr("Stopped."));
    m_inStop = false;
    checkDone();
}

int CancelBatch::retryFailed()
{
    if (isRunning() || m_state == State::AwaitingConfirmation)
        return 0;
    if (!m_config.problem().isEmpty())
        return 0;
    const QList<int> rows = retryableRows();
    if (rows.isEmpty())
        return 0;
    m_stopping = false;
    m_stopReason.clear();
    if (!m_items.at(rows.first()).confirmed) {
        // Only look-ups failed: look those jobs up again; the confirmation follows as for new rows.
        for (const int row : rows) {
            BatchItem& item = m_items[row];
            item.phase = BatchItem::Phase::Waiting;
            item.outcome = Outcome::Pending;
            item.message.clear();
            changed(row);
        }
        start();
        return int(rows.size());
    }
    for (const int row : rows) {
        BatchItem& item = m_items[row];
        item.phase = BatchItem::Phase::Cancelling;
        item.outcome = Outcome::Pending;
        item.message.clear();
        enqueue(row, Task::Cancel);
        changed(row);
    }
    if (m_log)
        m_log->add(tr("Retrying %n failed job(s).", nullptr, int(rows.size())));
    m_elapsed.start();
    setState(State::Cancelling);
    pump();
    return int(rows.size());
}

QList<int> CancelBatch::retryableRows() const
{
    QList<int> confirmed;
    QList<int> lookups;
    for (int row = 0; row < rowCount(); ++row) {
        const BatchItem& item = m_items.at(row);
        if (item.phase != BatchItem::Phase::Done)
            continue;
        // Never a cancel the operator did not confirm: a declined row is not retried, and a row whose look-up
        // failed (no answer, a failing service) is only looked up again.
        if (item.confirmed && Outcome::isRetryable(item.outcome))
            confirmed << row;
        else if (!item.confirmed && (item.outcome == Outcome::Unknown || item.outcome == Outcome::Failed))
            lookups << row;
    }
    return confirmed.isEmpty() ? lookups : confirmed;
}

QList<Outcome::Kind> CancelBatch::outcomes() const
{
    QList<Outcome::Kind> list;
    list.reserve(m_items.size());
    for (const BatchItem& item : m_items)
        list << item.outcome;
    return list;
}

int CancelBatch::count(Outcome::Kind kind) const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [kind](const BatchItem& item) { return item.outcome == kind; }));
}

QString CancelBatch::summary() const
{
    QStringList parts;
    for (const Outcome::Kind kind : {Outcome::Cancelled, Outcome::StillStopping, Outcome::AlreadyFinished,
                                     Outcome::NotFound, Outcome::Refused, Outcome::Failed, Outcome::Unknown,
                                     Outcome::Stopped, Outcome::NotSent, Outcome::WouldCancel, Outcome::Pending}) {
        const int n = count(kind);
        if (n > 0)
            parts << QStringLiteral("%1 %2").arg(n).arg(Outcome::label(kind));
    }
    return parts.isEmpty() ? tr("No jobs.") : parts.join(QStringLiteral(", "));
}

// ---- Scheduling ---------------------------------------------------------------------------------------------

void CancelBatch::setState(State state)
{
    m_state = state;
}

void CancelBatch::enqueue(int row, Task task)
{
    m_queue.append({row, task});
}

void CancelBatch::pump()
{
    if (m_stopping)
        return;
    if (!m_pausedUntil.hasExpired()) {
        // Rate limited: nothing new starts until the server's wait is over.
        m_resumeTimer->start(int(qMax<qint64>(1, m_pausedUntil.remainingTime())));
        return;
    }
    while (m_requests.size() < m_options.concurrency && !m_queue.isEmpty())
        startTask(m_queue.takeFirst());
}

void CancelBatch::startTask(const Pending& pending)
{
    const BatchItem& item = m_items.at(pending.row);
    JobId::Parsed parsed;
    parsed.id = item.id;
    JobRequest* request = pending.task == Task::Cancel ? m_client->cancelJob(parsed) : m_client->retrieveJob(parsed);
    m_requests.insert(request, pending);
    connect(request, &JobRequest::retryScheduled, this,
            [this, request, row = pending.row](int attempt, int maxAttempts, int delayMs, const QString& reason) {
                if (request->lastHttpStatus() == 429) {
                    // One row's rate limit is the account's: the whole batch waits as long.
                    m_pausedUntil.setRemainingTime(delayMs);
                }
                emit retryScheduled(row, attempt, maxAttempts, delayMs, reason);
            });
    connect(request, &JobRequest::finished, this, [this, request](const JobResult& result) {
        const Pending done = m_requests.take(request);
        onFinished(done.row, done.task, result);
        pump();
        checkDone();
    });
}

void CancelBatch::onFinished(int row, Task task, const JobResult& result)
{
    switch (task) {
    case Task::Lookup:
        return onLookedUp(row, result);
    case Task::Cancel:
        return onCancelled(row, result);
    case Task::ReadBack:
        return onReadBack(row, result, m_refusals.take(row));
    case Task::Watch:
        return onWatched(row, result);
    }
}

void CancelBatch::checkDone()
{
    if (m_inStop || !m_queue.isEmpty() || !m_requests.isEmpty() || !m_watchTimers.isEmpty())
        return;
    if (m_state == State::LookingUp && !m_stopping) {
        if (!cancellableRows().isEmpty()) {
            setState(State::AwaitingConfirmation);
            emit lookupFinished();
            return;
        }
    } else if (m_state == State::AwaitingConfirmation) {
        if (!cancellableRows().isEmpty()) {
            emit lookupFinished();
            return;
        }
    } else if (m_state != State::Cancelling && !(m_state == State::LookingUp && m_stopping)) {
        return;
    }
    setState(State::Finished);
    m_audit.close();
    if (m_log && rowCount() > 0)
        m_log->add(tr("Done: %1.").arg(summary()));
    emit finished();
}

void CancelBatch::changed(int row)
{
    emit itemChanged(row);
}

// ---- Results ------------------------------------------------------------------------------------------------

void CancelBatch::setError(BatchItem& item, const JobResult& result)
{
    const ApiError& error = result.error;
    item.error = error;
    // No HTTP answer (network, timeout, stopped): 0, even when an earlier attempt had one.
    item.httpStatus = error.isTransport() || error.kind == ApiError::Kind::Stopped
        ? 0
        : (result.httpStatus != 0 ? result.httpStatus : error.httpStatus);
    if (!result.requestId.isEmpty())
        item.requestId = gated(result.requestId);
    item.message = OutputGate::clean(error.message, OutputGate::lineBytes);
    switch (error.kind) {
    case ApiError::Kind::None:
        break;
    case ApiError::Kind::Input:
    case ApiError::Kind::Keychain:
        item.outcome = Outcome::Invalid;
        break;
    case ApiError::Kind::Network:
    case ApiError::Kind::Timeout:
        item.outcome = Outcome::Unknown;
        break;
    case ApiError::Kind::Stopped:
        item.outcome = Outcome::Stopped;
        break;
    case ApiError::Kind::Http:
        if (item.httpStatus == 404)
            item.outcome = Outcome::NotFound;
        else if (item.httpStatus >= 500)
            item.outcome = Outcome::Failed;
        else
            item.outcome = Outcome::Refused;
        break;
    case ApiError::Kind::BadResponse:
        item.outcome = Outcome::Failed;
        break;
    }
}

void CancelBatch::onLookedUp(int row, const JobResult& result)
{
    BatchItem& item = m_items[row];
    item.phase = BatchItem::Phase::Done;
    if (!result.isOk()) {
        setError(item, result);
        if (item.outcome == Outcome::Stopped) {
            item.outcome = Outcome::NotSent; // only a lookup was stopped: no cancel was sent
            item.message = tr("Not sent: stopped while looking the job up.");
        } else if (item.outcome != Outcome::NotFound) {
            item.message = tr("Could not look the job up, so no cancel was sent: %1").arg(item.message);
        }
        return changed(row);
    }
    item.before = result.job;
    item.httpStatus = result.httpStatus;
    item.requestId = gated(result.requestId);
    const QString configured = m_config.organization;
    item.otherOrganization
        = !configured.isEmpty() && !item.before.organizationId.isEmpty() && item.before.organizationId != configured;
    if (item.before.isTerminal()) {
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("Nothing to cancel \u2014 already %1.").arg(gated(item.before.status));
    } else {
        item.phase = BatchItem::Phase::Ready;
        item.outcome = Outcome::WouldCancel;
        item.message.clear();
    }
    changed(row);
}

void CancelBatch::record(const JobResult& result)
{
    // One audit line per cancel sent, with the account it was sent as (the batch's own configuration).
    if (!AuditEntry::isAttempt(result))
        return;
    QString error;
    if (!m_audit.append(AuditEntry::fromResult(result, m_config, m_options.source), &error)) {
        error = OutputGate::clean(error, OutputGate::lineBytes);
        if (m_log)
            m_log->add(tr("Could not record %1 in the history: %2").arg(result.requestedId, error));
        emit auditFailed(result.requestedId, error);
    }
}

void CancelBatch::onCancelled(int row, const JobResult& answer)
{
    JobResult result = answer;
    if (result.error.kind == ApiError::Kind::Stopped && !m_stopReason.isEmpty())
        result.error.message = m_stopReason;
    record(result);
    BatchItem& item = m_items[row];
    item.attempts = result.attempts;
    if (!result.isOk()) {
        setError(item, result);
        // A refusal of a job that may have finished meanwhile (or with --no-preview): read it back and say what
        // it really is, instead of matching the API's wording.
        if (item.outcome == Outcome::Refused && (item.httpStatus == 400 || item.httpStatus == 409) && !m_stopping) {
            m_refusals.insert(row, result);
            enqueue(row, Task::ReadBack);
            return changed(row);
        }
        item.phase = BatchItem::Phase::Done;
        return changed(row);
    }
    item.after = result.job;
    item.error = ApiError();
    item.httpStatus = result.httpStatus;
    item.requestId = gated(result.requestId);
    acceptedCancel(row);
}

void CancelBatch::acceptedCancel(int row)
{
    BatchItem& item = m_items[row];
    const QString status = gated(item.after.status);
    if (item.after.status == QLatin1String("cancelled")) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::Cancelled;
        item.message = tr("Cancelled.");
    } else if (item.after.isTerminal()) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("It finished as %1 before the cancel took effect.").arg(status);
    } else if (m_options.watch && m_options.watchSeconds > 0 && !m_stopping) {
        item.phase = BatchItem::Phase::Watching;
        item.outcome = Outcome::Pending;
        item.message = tr("Cancel requested, now %1; watching until it stops.").arg(status);
        item.watchPolls = 0;
        item.watchUntil.setRemainingTime(qint64(m_options.watchSeconds) * 1000);
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
    if (result.isOk() && result.job.isTerminal()) {
        item.after = result.job;
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("Nothing to cancel \u2014 already %1.").arg(gated(result.job.status));
    } else if (result.isOk()) {
        item.after = result.job;
        setError(item, refusal);
        item.message += QLatin1Char(' ') + tr("Its status now is %1.").arg(gated(result.job.status));
    } else {
        setError(item, refusal);
    }
    changed(row);
}

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
        item.after = result.job;
        if (result.job.isTerminal())
            return acceptedCancel(row);
    }
    if (item.watchUntil.hasExpired() || m_stopping) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::StillStopping;
        item.message = result.isOk() || item.after.status.isEmpty()
            ? tr("Cancel requested, still %1.").arg(gated(item.status()))
            : tr("Cancel requested, still %1 when last seen; checking again failed: %2")
                  .arg(gated(item.status()), OutputGate::clean(result.error.message, OutputGate::lineBytes));
        return changed(row);
    }
    item.message = tr("Cancel requested, now %1; watching until it stops.").arg(gated(item.status()));
    scheduleWatch(row);
    changed(row);
}
