// CancelBatch: the run itself (start, confirmation, the queue of requests and what ends a run). The rows, the
// answers, the watch, the rate limit hold, stopping and the summary text live in cancelbatch_*.cpp beside it.

#include "cancelbatch.h"

#include "activitylog.h"
#include "finetuningclient.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "providerfacts.h"

#include <QTimer>

#include <algorithm>

namespace {
// A 429 whose retry-after is longer than FtCancel waits on its own: the operator decides when to go on.
bool isLongRateLimit(const JobResult& result)
{
    return result.httpStatus == 429 && result.serverWaitMs > 0;
}

// The API's own answer that the key is not valid: a 401 with the API's JSON error. A proxy's or gateway's page with
// a 401 (not JSON: its content type is kept) says nothing about the key the API would take; it reads as a refusal.
bool isKeyRejection(const JobResult& result)
{
    return result.error.kind == ApiError::Kind::Http && result.httpStatus == 401 && result.error.contentType.isEmpty();
}
} // namespace

CancelBatch::CancelBatch(const ApiConfig& config, const Options& options, ActivityLog* log, QObject* parent)
    : QObject(parent),
      m_config(config),
      m_options(options),
      m_log(log),
      m_client(new FineTuningClient(this)),
      m_resumeTimer(new QTimer(this)),
      m_auditAccount(AuditEntry::forAccount(config, options.source)),
      m_cancelledMessage(tr("Cancelled."))
{
    m_options.concurrency = qBound(1, m_options.concurrency, maxConcurrency);
    m_options.watchSeconds = qMax(0, m_options.watchSeconds);
    m_options.batchWatchSeconds = qMax(0, m_options.batchWatchSeconds);
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

bool CancelBatch::isRunning() const
{
    return m_state == State::LookingUp || m_state == State::Cancelling
        || (m_state == State::AwaitingConfirmation && hasWork());
}

QString CancelBatch::cannotSend() const
{
    if (const QString problem = m_config.problem(); !problem.isEmpty())
        return OutputGate::clean(problem);
    if (!m_keyRejected.isEmpty())
        return tr("The API rejected this key, so nothing more is sent with it (%1). Enter another key.")
            .arg(m_keyRejected);
    return QString();
}

void CancelBatch::resetForRun()
{
    m_stopping = false;
    m_stopReason.clear();
    m_halted = false;
    m_haltNote.clear();
    m_haltLabel.clear();
    m_paused = false;
    m_rateLimitedUntil = QDateTime();
    m_rateLimitedRows.clear();
    m_pausedUntil = QDeadlineTimer();
}

QString CancelBatch::start()
{
    if (isRunning())
        return QString();
    // Validated here, once, before anything is sent.
    if (const QString problem = cannotSend(); !problem.isEmpty())
        return problem;
    // A pause or resume the provider does not offer for a kind of job: refused whole, before anything is sent.
    for (const BatchItem& item : std::as_const(m_items)) {
        if (item.phase != BatchItem::Phase::Waiting)
            continue;
        if (const QString problem = unsupported(item.kind); !problem.isEmpty())
            return problem;
    }
    resetForRun();
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
            item.outcome = wouldOutcome();
        }
        changed(row);
    }
    if (m_log && waiting > 0 && m_options.preview)
        m_log->add(tr("Looking up %n job(s) first.", nullptr, waiting));
    // Rows ready already (without preview, or taken from a list) go straight to the confirmation (checkDone).
    setState(State::LookingUp);
    pump();
    checkDone();
    return QString();
}

QString CancelBatch::actionKey(Action action)
{
    switch (action) {
    case Action::Pause:
        return QStringLiteral("pause");
    case Action::Resume:
        return QStringLiteral("resume");
    case Action::Cancel:
        break;
    }
    return QStringLiteral("cancel");
}

QString CancelBatch::unsupported(JobKind kind) const
{
    if (m_options.action == Action::Cancel || ProviderFacts::canPause(m_config.provider, kind))
        return QString();
    const QString provider = ProviderInfo::of(m_config.provider).displayName;
    if (kind == JobKind::Batch)
        return m_options.action == Action::Pause ? tr("%1 does not pause batches; nothing was sent.").arg(provider)
                                                 : tr("%1 does not resume batches; nothing was sent.").arg(provider);
    return m_options.action == Action::Pause ? tr("%1 does not pause jobs; nothing was sent.").arg(provider)
                                             : tr("%1 does not resume jobs; nothing was sent.").arg(provider);
}

Outcome::Kind CancelBatch::wouldOutcome() const
{
    switch (m_options.action) {
    case Action::Pause:
        return Outcome::WouldPause;
    case Action::Resume:
        return Outcome::WouldResume;
    case Action::Cancel:
        break;
    }
    return Outcome::WouldCancel;
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

QList<int> CancelBatch::refusedIdRows() const
{
    QList<int> rows;
    for (const int row : m_listedRefused) {
        if (row < rowCount() && m_items.at(row).outcome == Outcome::RefusedId)
            rows << row;
    }
    return rows;
}

void CancelBatch::confirm()
{
    if (m_state != State::AwaitingConfirmation)
        return;
    const QList<int> rows = cancellableRows();
    if (m_log && !rows.isEmpty()) {
        const int n = int(rows.size());
        switch (m_options.action) {
        case Action::Cancel:
            m_log->add(tr("Cancelling %n job(s), at most %1 at a time.", nullptr, n).arg(m_options.concurrency));
            break;
        case Action::Pause:
            m_log->add(tr("Pausing %n job(s), at most %1 at a time.", nullptr, n).arg(m_options.concurrency));
            break;
        case Action::Resume:
            m_log->add(tr("Resuming %n job(s), at most %1 at a time.", nullptr, n).arg(m_options.concurrency));
            break;
        }
    }
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
        m_items[row].message = m_options.action == Action::Resume ? tr("Not sent: you chose to keep it paused.")
                                                                  : tr("Not sent: you chose to keep it running.");
        changed(row);
    }
    if (m_log)
        m_log->add(m_options.action == Action::Cancel ? tr("Nothing cancelled: the confirmation was declined.")
                                                      : tr("Nothing sent: the confirmation was declined."));
    if (hasWork()) {
        // Cancels retried meanwhile still run: finished() when they end.
        setState(State::Cancelling);
        return;
    }
    setState(State::Finished);
    emit finished();
}

void CancelBatch::checkDone()
{
    if (m_inStop)
        return;
    if (m_state == State::LookingUp && !m_stopping && !m_halted && !lookupsPending()) {
        // Every job is looked up (cancels a Retry failed sent again may still run): ask, or go on without asking.
        if (!cancellableRows().isEmpty()) {
            setState(State::AwaitingConfirmation);
            emit lookupFinished();
            return;
        }
        setState(State::Cancelling);
    }
    if (hasWork())
        return;
    switch (m_state) {
    case State::Idle:
    case State::Finished:
        return;
    case State::AwaitingConfirmation:
        if (!cancellableRows().isEmpty())
            return; // confirm() or decline()
        break;
    case State::LookingUp:
    case State::Cancelling:
        break;
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

void CancelBatch::setState(State state)
{
    m_state = state;
}

void CancelBatch::enqueue(int row, Task task)
{
    m_queue.append({row, task});
}

bool CancelBatch::hasWork() const
{
    return !m_queue.isEmpty() || !m_requests.isEmpty() || !m_watchTimers.isEmpty();
}

bool CancelBatch::lookupsPending() const
{
    const auto isLookup = [](const Pending& pending) {
        return pending.task == Task::Lookup;
    };
    return std::any_of(m_queue.cbegin(), m_queue.cend(), isLookup)
        || std::any_of(m_requests.cbegin(), m_requests.cend(), isLookup);
}

void CancelBatch::pump()
{
    if (m_stopping || m_halted || m_paused)
        return; // paused: until retryNow()
    if (!m_pausedUntil.hasExpired()) {
        // Rate limited: nothing new starts until the server's wait is over.
        m_resumeTimer->start(int(qMax<qint64>(1, m_pausedUntil.remainingTime())));
        return;
    }
    releaseHeld();
    while (m_requests.size() < m_options.concurrency && !m_queue.isEmpty())
        startTask(m_queue.takeFirst());
}

void CancelBatch::startTask(const Pending& pending)
{
    const BatchItem& item = m_items.at(pending.row);
    JobId::Parsed parsed;
    parsed.id = item.id;
    parsed.kind = item.kind;
    JobRequest* request = nullptr;
    if (pending.task != Task::Cancel)
        request = m_client->retrieveJob(parsed);
    else if (m_options.action == Action::Pause)
        request = m_client->pauseJob(parsed);
    else if (m_options.action == Action::Resume)
        request = m_client->resumeJob(parsed);
    else
        request = m_client->cancelJob(parsed);
    m_requests.insert(request, pending);
    if (m_rateLimitedRows.remove(pending.row) && m_items.at(pending.row).phase != BatchItem::Phase::Watching) {
        m_items[pending.row].label.clear();
        m_items[pending.row].message = tr("Sent again after the rate limit.");
        changed(pending.row);
    }
    connect(request, &JobRequest::retryScheduled, this,
            [this, request, row = pending.row](int attempt, int maxAttempts, int delayMs, const QString& reason) {
                if (request->lastHttpStatus() == 429)
                    holdForRetry(request, delayMs);
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
    if (isLongRateLimit(result) && !m_stopping && !m_halted)
        return pauseForRateLimit(row, task, result);
    const bool rejected = isKeyRejection(result) && !m_stopping;
    if (rejected)
        rejectKey(result); // first: nothing this answer leads to (a read-back, a watch) is sent
    switch (task) {
    case Task::Lookup:
        onLookedUp(row, result);
        break;
    case Task::Cancel:
        onCancelled(row, result);
        break;
    case Task::ReadBack:
        onReadBack(row, result, m_refusals.take(row));
        break;
    case Task::Watch:
        onWatched(row, result);
        break;
    }
    BatchItem& item = m_items[row];
    if (rejected && item.phase == BatchItem::Phase::Done && item.outcome == Outcome::Refused
        && item.httpStatus == 401) {
        item.label = tr("key rejected");
        changed(row);
    }
}
