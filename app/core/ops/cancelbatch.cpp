#include "cancelbatch.h"

#include "activitylog.h"
#include "auditlog.h"
#include "cancelverdict.h"
#include "finetuningclient.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "retrypolicy.h"

#include <QTimer>

#include <algorithm>
#include <numeric>
#include <utility>

namespace {
constexpr int maxWatchIntervalMs = 10000;
constexpr int breakdownEntries = 6; // statuses, and models, named in a confirmation before "others"

QString gated(const QString& text)
{
    return OutputGate::clean(text);
}

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

bool isRestartable(const BatchItem& item)
{
    return item.carried && item.phase == BatchItem::Phase::Done && item.outcome != Outcome::Cancelled
        && item.outcome != Outcome::AlreadyFinished && item.outcome != Outcome::RefusedId
        && item.outcome != Outcome::Invalid;
}
} // namespace

QString BatchItem::outcomeLabel() const
{
    return label.isEmpty() ? Outcome::label(outcome) : label;
}

const FineTuningJob& BatchItem::before() const
{
    static const FineTuningJob none;
    return m_before ? *m_before : none;
}

const FineTuningJob& BatchItem::after() const
{
    static const FineTuningJob none;
    return m_after ? *m_after : none;
}

const ApiError& BatchItem::error() const
{
    static const ApiError none;
    return m_error ? *m_error : none;
}

void BatchItem::setBefore(const FineTuningJob& job)
{
    m_before = std::make_shared<const FineTuningJob>(job);
}

void BatchItem::setAfter(const FineTuningJob& job)
{
    m_after = std::make_shared<const FineTuningJob>(job);
}

void BatchItem::setError(const ApiError& error)
{
    // Kept only when it is one: most rows end without.
    m_error = error.isError() ? std::make_shared<const ApiError>(error) : nullptr;
}

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

int CancelBatch::addIds(const QList<JobId::Parsed>& ids)
{
    if (isRunning())
        return 0;
    // Which ids become rows first (each once, none that is a row already), then the rows, made in place: a list of
    // rows of its own, copied over, held every row of 10,000 twice, and finding duplicates in it was quadratic.
    QList<qsizetype> fresh;
    QSet<QString> seen;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const JobId::Parsed& parsed = ids.at(i);
        if (!parsed.isValid() || m_rowById.contains(parsed.id) || seen.contains(parsed.id))
            continue;
        seen.insert(parsed.id);
        fresh << i;
    }
    seen = QSet<QString>(); // freed before the rows are made
    if (fresh.isEmpty())
        return 0;
    const int first = rowCount();
    const int last = first + int(fresh.size()) - 1;
    emit rowsAboutToBeAdded(first, last);
    makeRoom(fresh.size());
    for (const qsizetype i : std::as_const(fresh)) {
        BatchItem& item = m_items.emplace_back();
        item.id = ids.at(i).id;
        item.warning = ids.at(i).warning;
        m_rowById.insert(item.id, rowCount() - 1);
    }
    emit rowsAdded(first, last);
    if (m_state == State::Finished)
        setState(State::Idle);
    return int(fresh.size());
}

void CancelBatch::makeRoom(qsizetype more)
{
    // Room for all of them at once (10,000 rows are not moved midway, old and new block side by side), and at least
    // twice the room there was, so that ids added a few at a time do not reallocate every time.
    const qsizetype rows = m_items.size() + more;
    if (rows > m_items.capacity())
        m_items.reserve(std::max(rows, 2 * m_items.capacity()));
    if (rows > m_rowById.capacity())
        m_rowById.reserve(std::max(rows, 2 * m_rowById.capacity()));
}

void CancelBatch::appendRows(QList<BatchItem>& rows)
{
    makeRoom(rows.size());
    for (BatchItem& item : rows) {
        m_rowById.insert(item.id, rowCount());
        m_items.append(std::move(item));
    }
    rows.clear();
}

void CancelBatch::takeJob(BatchItem& item, const FineTuningJob& job)
{
    item.setBefore(job);
    const QString configured = m_config.organization;
    item.otherOrganization = !configured.isEmpty() && !job.organizationId.isEmpty() && job.organizationId != configured;
}

int CancelBatch::addListed(const QList<FineTuningJob>& jobs)
{
    if (isRunning() || m_state == State::AwaitingConfirmation)
        return 0;
    QList<BatchItem> added;
    QSet<QString> addedIds;
    QSet<QString> refused;
    int taken = 0;
    for (const FineTuningJob& job : jobs) {
        if (job.isTerminal())
            continue;
        const JobId::Parsed parsed = JobId::parse(job.id, m_config.provider);
        BatchItem item;
        takeJob(item, job);
        if (parsed.isValid()) {
            // The list just read is the look-up: no GET of each job before the question.
            item.id = parsed.id;
            item.warning = parsed.warning;
            item.phase = BatchItem::Phase::Ready;
            item.outcome = Outcome::WouldCancel;
        } else {
            // Named and counted, never sent: shown as the server sent it, through the gate.
            item.id = job.id.isEmpty() ? tr("(no id)") : OutputGate::clean(job.id, 200);
            item.phase = BatchItem::Phase::Done;
            item.outcome = Outcome::RefusedId;
            item.setError(ApiError::input(gated(parsed.error)));
            item.message
                = tr("Not sent: the server listed an id FtCancel will not send (%1).").arg(item.error().message);
        }
        if (item.outcome == Outcome::RefusedId)
            refused.insert(item.id);
        if (const int row = rowOf(item.id); row >= 0) {
            m_items[row] = std::move(item);
            changed(row);
            ++taken;
        } else if (!addedIds.contains(item.id)) {
            addedIds.insert(item.id);
            added << std::move(item);
        }
    }
    const int addedRows = int(added.size());
    if (addedRows > 0) {
        const int first = rowCount();
        emit rowsAboutToBeAdded(first, first + addedRows - 1);
        appendRows(added);
        emit rowsAdded(first, first + addedRows - 1);
    }
    m_listedRefused.clear();
    for (const QString& id : std::as_const(refused))
        m_listedRefused << rowOf(id);
    std::sort(m_listedRefused.begin(), m_listedRefused.end());
    const int count = taken + addedRows;
    if (count > 0 && m_state == State::Finished)
        setState(State::Idle);
    return count;
}

void CancelBatch::takeOver(const CancelBatch& old)
{
    if (rowCount() > 0 || old.isRunning())
        return;
    QList<BatchItem> carried;
    carried.reserve(old.m_items.size());
    for (const BatchItem& was : old.m_items) {
        BatchItem item;
        if (was.phase == BatchItem::Phase::Done) {
            item = was;
            item.carried = true;
            item.confirmed = false; // the consent was given for the other account or settings
            item.watchPolls = 0;
            item.watchUntil = QDeadlineTimer();
        } else {
            // Never started (or listed and never asked about): looked up as this account when started.
            item.id = was.id;
            item.warning = was.warning;
        }
        carried << item;
    }
    if (!old.m_keyRejected.isEmpty() && old.m_config.apiKey == m_config.apiKey)
        m_keyRejected = old.m_keyRejected;
    if (carried.isEmpty())
        return;
    const int last = int(carried.size()) - 1;
    emit rowsAboutToBeAdded(0, last);
    appendRows(carried);
    emit rowsAdded(0, last);
}

int CancelBatch::restartCarried()
{
    if (isRunning() || m_state == State::AwaitingConfirmation)
        return 0;
    int count = 0;
    for (int row = 0; row < rowCount(); ++row) {
        if (!isRestartable(m_items.at(row)))
            continue;
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

int CancelBatch::startableCount() const
{
    const bool asking = m_state == State::AwaitingConfirmation;
    return int(std::count_if(m_items.cbegin(), m_items.cend(), [asking](const BatchItem& item) {
        return item.phase == BatchItem::Phase::Waiting || (!asking && item.phase == BatchItem::Phase::Ready)
            || isRestartable(item);
    }));
}

void CancelBatch::noteListed(const QList<FineTuningJob>& jobs)
{
    for (const FineTuningJob& job : jobs) {
        const int row = rowOf(job.id);
        if (row < 0 || m_items.at(row).phase != BatchItem::Phase::Done)
            continue;
        BatchItem& item = m_items[row];
        const QString now = job.status == item.status() ? QString() : job.status;
        if (item.seenStatus != now) {
            item.seenStatus = now;
            changed(row);
        }
    }
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
    m_listedRefused.clear();
    m_queue.clear();
    m_refusals.clear();
    qDeleteAll(m_watchTimers);
    m_watchTimers.clear();
    m_state = State::Idle;
    emit cleared();
}

QString CancelBatch::cannotSend() const
{
    if (const QString problem = m_config.problem(); !problem.isEmpty())
        return gated(problem);
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
            item.outcome = Outcome::WouldCancel;
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

QString CancelBatch::breakdown(const QList<int>& rows) const
{
    // Counted as shown (through the gate), in order of first appearance for ties.
    QList<QPair<QString, int>> statuses;
    QList<QPair<QString, int>> models;
    const auto count = [](QList<QPair<QString, int>>& counts, const QString& name) {
        for (auto& entry : counts) {
            if (entry.first == name) {
                ++entry.second;
                return;
            }
        }
        counts.append({name, 1});
    };
    for (const int row : rows) {
        if (row < 0 || row >= rowCount())
            continue;
        const BatchItem& item = m_items.at(row);
        count(statuses, item.status().isEmpty() ? tr("no status") : OutputGate::clean(item.status(), 100));
        const FineTuningJob& job = item.before().model.isEmpty() ? item.after() : item.before();
        count(models, job.model.isEmpty() ? tr("no model") : OutputGate::clean(job.model, 100));
    }
    const auto byCount = [](const QPair<QString, int>& a, const QPair<QString, int>& b) {
        return a.second > b.second;
    };
    std::stable_sort(statuses.begin(), statuses.end(), byCount);
    std::stable_sort(models.begin(), models.end(), byCount);
    QStringList statusParts;
    QStringList modelParts;
    int otherStatuses = 0;
    int otherModels = 0;
    for (int i = 0; i < statuses.size(); ++i) {
        if (i < breakdownEntries)
            statusParts << QStringLiteral("%1 %2").arg(statuses.at(i).second).arg(statuses.at(i).first);
        else
            otherStatuses += statuses.at(i).second;
    }
    for (int i = 0; i < models.size(); ++i) {
        if (i < breakdownEntries)
            modelParts << QStringLiteral("%1 \u00D7%2").arg(models.at(i).first).arg(models.at(i).second);
        else
            otherModels += models.at(i).second;
    }
    if (otherStatuses > 0)
        statusParts << tr("%n in other statuses", nullptr, otherStatuses);
    if (otherModels > 0)
        modelParts << tr("other models \u00D7%1").arg(otherModels);
    if (statusParts.isEmpty())
        return QString();
    return QStringLiteral("%1 \u00B7 %2")
        .arg(statusParts.join(QStringLiteral(", ")), modelParts.join(QStringLiteral(", ")));
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
    if (hasWork()) {
        // Cancels retried meanwhile still run: finished() when they end.
        setState(State::Cancelling);
        return;
    }
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
    m_rateLimitedRows.clear();
    if (m_log)
        m_log->add(tr("Stopped."));
    m_inStop = false;
    if (wasPaused)
        emit rateLimitChanged();
    checkDone();
}

QString CancelBatch::rateLimitedUntilText() const
{
    return m_rateLimitedUntil.isValid() ? RetryPolicy::untilText(m_rateLimitedUntil, QDateTime::currentDateTime())
                                        : QString();
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
        setError(item, m_refusals.take(row));
        break;
    case Task::Watch:
        m_rateLimitedRows.remove(row);
        item.outcome = Outcome::StillStopping;
        item.message = tr("Cancel requested, still %1; not checked again: %2.").arg(gated(item.status()), m_haltWhy);
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
    const qint64 watchMs = m_options.watch ? qint64(m_options.watchSeconds) * 1000 : 0;
    for (const int row : std::as_const(rows)) {
        BatchItem& item = m_items[row];
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
    QList<int> rows(rowCount());
    std::iota(rows.begin(), rows.end(), 0);
    return summary(rows);
}

QString CancelBatch::summary(const QList<int>& rows) const
{
    QHash<int, int> counts;
    for (const int row : rows) {
        if (row >= 0 && row < rowCount())
            ++counts[int(m_items.at(row).outcome)];
    }
    QStringList parts;
    for (const Outcome::Kind kind :
         {Outcome::Cancelled, Outcome::StillStopping, Outcome::AlreadyFinished, Outcome::NotFound, Outcome::Refused,
          Outcome::RateLimited, Outcome::Failed, Outcome::Unknown, Outcome::Stopped, Outcome::NotSent,
          Outcome::RefusedId, Outcome::WouldCancel, Outcome::Pending}) {
        const int n = counts.value(int(kind));
        if (n > 0)
            parts << QStringLiteral("%1 %2").arg(n).arg(Outcome::label(kind));
    }
    if (!parts.isEmpty() && isKeyRejected())
        parts << tr("the API rejected the key");
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
        item.requestId = gated(result.requestId);
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

void CancelBatch::startTask(const Pending& pending)
{
    const BatchItem& item = m_items.at(pending.row);
    JobId::Parsed parsed;
    parsed.id = item.id;
    JobRequest* request = pending.task == Task::Cancel ? m_client->cancelJob(parsed) : m_client->retrieveJob(parsed);
    m_requests.insert(request, pending);
    if (m_rateLimitedRows.remove(pending.row) && m_items.at(pending.row).phase != BatchItem::Phase::Watching) {
        m_items[pending.row].label.clear();
        m_items[pending.row].message = tr("Sent again after the rate limit.");
        changed(pending.row);
    }
    connect(request, &JobRequest::retryScheduled, this,
            [this, request, row = pending.row](int attempt, int maxAttempts, int delayMs, const QString& reason) {
                if (request->lastHttpStatus() == 429) {
                    // One row's rate limit is the account's: the whole batch waits as long, new requests and the
                    // retries of the others alike.
                    if (m_pausedUntil.hasExpired() || m_pausedUntil.remainingTime() < delayMs)
                        m_pausedUntil.setRemainingTime(delayMs);
                    holdInFlight(request);
                    if (!m_paused)
                        m_resumeTimer->start(int(qMax<qint64>(1, m_pausedUntil.remainingTime())));
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

// ---- Results ------------------------------------------------------------------------------------------------

void CancelBatch::setError(BatchItem& item, const JobResult& result)
{
    const ApiError& error = result.error;
    item.setError(error);
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
        else if (item.httpStatus == 429)
            item.outcome = Outcome::RateLimited; // retries exhausted, or a wait too long: try again later
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
    takeJob(item, result.job);
    item.httpStatus = result.httpStatus;
    item.requestId = gated(result.requestId);
    if (item.before().isTerminal()) {
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("Nothing to cancel \u2014 already %1.").arg(gated(item.before().status));
    } else if (m_halted) {
        item.outcome = Outcome::NotSent;
        item.label = m_haltLabel;
        item.message = m_haltNote;
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
    if (!m_audit.append(AuditEntry::fromResult(result, m_auditAccount), &error)) {
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
    item.requestId = gated(result.requestId);
    acceptedCancel(row);
}

void CancelBatch::acceptedCancel(int row)
{
    BatchItem& item = m_items[row];
    const QString status = gated(item.after().status);
    if (item.after().statusClass == StatusClass::Cancelled) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::Cancelled;
        item.message = m_cancelledMessage;
    } else if (item.after().isTerminal()) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("It finished as %1 before the cancel took effect.").arg(status);
    } else if (m_options.watch && m_options.watchSeconds > 0 && !m_stopping && !m_halted) {
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
    const CancelVerdict::Verdict verdict = CancelVerdict::of(refusal, result);
    if (verdict == CancelVerdict::Verdict::Accepted) {
        // Being cancelled (or cancelled by an earlier attempt): accepted, and watched until it is finished.
        item.setAfter(result.job);
        item.setError(ApiError());
        item.httpStatus = refusal.httpStatus;
        item.requestId = gated(refusal.requestId);
        return acceptedCancel(row);
    }
    if (verdict == CancelVerdict::Verdict::Finished) {
        item.setAfter(result.job);
        item.outcome = Outcome::AlreadyFinished;
        item.message = tr("Nothing to cancel \u2014 already %1.").arg(gated(result.job.status));
    } else if (result.isOk()) {
        item.setAfter(result.job);
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
        item.setAfter(result.job);
        if (result.job.isTerminal())
            return acceptedCancel(row);
    }
    if (item.watchUntil.hasExpired() || m_stopping || m_halted) {
        item.phase = BatchItem::Phase::Done;
        item.outcome = Outcome::StillStopping;
        item.message = result.isOk() || item.after().status.isEmpty()
            ? tr("Cancel requested, still %1.").arg(gated(item.status()))
            : tr("Cancel requested, still %1 when last seen; checking again failed: %2")
                  .arg(gated(item.status()), OutputGate::clean(result.error.message, OutputGate::lineBytes));
        return changed(row);
    }
    item.message = tr("Cancel requested, now %1; watching until it stops.").arg(gated(item.status()));
    scheduleWatch(row);
    changed(row);
}
