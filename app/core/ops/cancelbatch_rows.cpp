// CancelBatch: its rows — added from ids or a list, carried over from another batch, made to wait again, cleared.

#include "cancelbatch.h"

#include "outputgate.h"

#include <algorithm>
#include <utility>

namespace {
bool isRestartable(const BatchItem& item)
{
    return item.carried && item.phase == BatchItem::Phase::Done && item.outcome != Outcome::Cancelled
        && item.outcome != Outcome::AlreadyFinished && item.outcome != Outcome::RefusedId
        && item.outcome != Outcome::Invalid;
}
} // namespace

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
        item.kind = ids.at(i).kind;
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
        const JobId::Parsed parsed = JobId::parse(job.id, m_config.provider, job.kind);
        BatchItem item;
        takeJob(item, job);
        if (parsed.isValid()) {
            // The list just read is the look-up: no GET of each job before the question.
            item.id = parsed.id;
            item.kind = job.kind;
            item.warning = parsed.warning;
            item.phase = BatchItem::Phase::Ready;
            item.outcome = Outcome::WouldCancel;
        } else {
            // Named and counted, never sent: shown as the server sent it, through the gate.
            item.id = job.id.isEmpty() ? tr("(no id)") : OutputGate::clean(job.id, 200);
            item.phase = BatchItem::Phase::Done;
            item.outcome = Outcome::RefusedId;
            item.setError(ApiError::input(OutputGate::clean(parsed.error)));
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
            // Rows that ended under another action (a pause, a resume, a cancel) keep what became of them and are
            // never woken by restartCarried(): a cancel never follows from a pause's rows, nor the reverse.
            item.carried = old.m_options.action == m_options.action;
            item.confirmed = false; // the consent was given for the other account or settings
            item.watchPolls = 0;
            item.watchUntil = QDeadlineTimer();
        } else {
            // Never started (or listed and never asked about): looked up as this account when started.
            item.id = was.id;
            item.kind = was.kind;
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
        fresh.kind = m_items.at(row).kind;
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
        fresh.kind = m_items.at(row).kind;
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
