#include "jobsmodel.h"

#include "displaytext.h"
#include "joblister.h"
#include "outputgate.h"

#include <QLocale>
#include <QSet>

#include <algorithm>
#include <numeric>
#include <vector>

JobsModel::JobsModel(QObject* parent) : QAbstractTableModel(parent) { }

void JobsModel::reindex()
{
    m_rowById.clear();
    for (int row = 0; row < m_jobs.size(); ++row)
        m_rowById.insert(m_jobs.at(row).id, row);
}

namespace {
bool sameJob(const FineTuningJob& a, const FineTuningJob& b)
{
    return a.id == b.id && a.status == b.status && a.statusClass == b.statusClass && a.provider == b.provider
        && a.model == b.model && a.fineTunedModel == b.fineTunedModel && a.organizationId == b.organizationId
        && a.errorMessage == b.errorMessage && a.suffix == b.suffix && a.metadata == b.metadata
        && a.createdAt == b.createdAt && a.finishedAt == b.finishedAt && a.estimatedFinish == b.estimatedFinish
        && a.trainedTokens == b.trainedTokens && a.kind == b.kind && a.requestCounts == b.requestCounts;
}

// Where a column's gated text is kept in Shown; -1 for the columns made from numbers.
int shownSlot(int column)
{
    switch (column) {
    case JobsModel::IdColumn:
        return 0;
    case JobsModel::StatusColumn:
        return 1;
    case JobsModel::ModelColumn:
        return 2;
    case JobsModel::FineTunedModelColumn:
        return 3;
    case JobsModel::SuffixColumn:
        return 4;
    case JobsModel::RequestsColumn:
        return 5;
    default:
        return -1;
    }
}
} // namespace

void JobsModel::setJobs(QList<FineTuningJob> fresh)
{
    QSet<QString> ids;
    ids.reserve(fresh.size());
    for (const FineTuningJob& job : std::as_const(fresh))
        ids.insert(job.id);
    removeJobsNotIn(ids);
    mergeJobs(std::move(fresh));
}

void JobsModel::mergeJobs(QList<FineTuningJob> fresh)
{
    // A page at a time while a read goes on, on the window's thread: rows are matched through the index of ids kept
    // anyway, jobs are moved rather than copied, and only the rows that changed are signalled (a view sorted by a
    // column sorts those again, not the whole table).
    QList<int> changed;
    QList<int> added;
    QSet<QString> taken; // the first one of an id counts
    for (int i = 0; i < fresh.size(); ++i) {
        const QString& id = fresh.at(i).id;
        if (id.isEmpty() || taken.contains(id))
            continue;
        taken.insert(id);
        const int row = m_rowById.value(id, -1);
        if (row < 0) {
            added << i;
        } else if (!sameJob(m_jobs.at(row), fresh.at(i))) {
            m_jobs[row] = std::move(fresh[i]);
            m_shown[row] = Shown();
            changed << row;
        }
    }
    signalChanged(changed);
    if (!changed.isEmpty())
        sortRows();
    if (added.isEmpty())
        return;
    // New rows where they belong (the rows are in order now), a run of neighbours at a time, from the bottom up so
    // that the places found stay right.
    std::stable_sort(added.begin(), added.end(),
                     [&fresh](int a, int b) { return FineTuningJob::listsBefore(fresh.at(a), fresh.at(b)); });
    QList<int> placeOf(added.size());
    for (int k = 0; k < added.size(); ++k)
        placeOf[k]
            = int(std::upper_bound(m_jobs.cbegin(), m_jobs.cend(), fresh.at(added.at(k)), &FineTuningJob::listsBefore)
                  - m_jobs.cbegin());
    m_jobs.reserve(m_jobs.size() + added.size());
    m_shown.reserve(m_jobs.size() + added.size());
    for (int last = int(added.size()) - 1; last >= 0;) {
        int first = last;
        while (first > 0 && placeOf.at(first - 1) == placeOf.at(last))
            --first;
        const int place = placeOf.at(last);
        const int count = last - first + 1;
        beginInsertRows(QModelIndex(), place, place + count - 1);
        QList<FineTuningJob> run;
        run.reserve(count);
        for (int k = first; k <= last; ++k)
            run.append(std::move(fresh[added.at(k)]));
        m_jobs.insert(place, count, FineTuningJob());
        std::move(run.begin(), run.end(), m_jobs.begin() + place);
        m_shown.insert(place, count, Shown());
        endInsertRows(); // what listens reads rows by number; the index of ids is made once, below
        last = first - 1;
    }
    reindex();
}

void JobsModel::removeJobsNotIn(const QSet<QString>& ids)
{
    // Runs of neighbours at a time, from the bottom up so row numbers stay right.
    bool removed = false;
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row) {
        if (ids.contains(m_jobs.at(row).id))
            continue;
        int first = row;
        while (first > 0 && !ids.contains(m_jobs.at(first - 1).id))
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_jobs.remove(first, row - first + 1);
        m_shown.remove(first, row - first + 1);
        endRemoveRows();
        removed = true;
        row = first;
    }
    if (removed)
        reindex();
}

void JobsModel::signalChanged(QList<int> rows)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    // One signal per run of neighbours; many runs make one signal from the first to the last (each signal makes a
    // sorted view move the rows in it, which costs more the more often it happens).
    constexpr int maxSignals = 16;
    int runs = 1;
    for (int k = 1; k < rows.size(); ++k)
        runs += rows.at(k) != rows.at(k - 1) + 1;
    if (runs > maxSignals) {
        emit dataChanged(index(rows.first(), 0), index(rows.last(), ColumnCount - 1));
        return;
    }
    for (int k = 0; k < rows.size();) {
        int end = k;
        while (end + 1 < rows.size() && rows.at(end + 1) == rows.at(end) + 1)
            ++end;
        emit dataChanged(index(rows.at(k), 0), index(rows.at(end), ColumnCount - 1));
        k = end + 1;
    }
}

void JobsModel::sortRows()
{
    // Active first, then newest (FineTuningJob::listsBefore); persistent indexes (the selection) follow their jobs. Row
    // numbers are sorted, by keys read once, not the jobs (each is some twenty fields).
    struct Key
    {
        bool terminal;
        qint64 createdAt;
    };
    std::vector<Key> keys;
    keys.reserve(size_t(m_jobs.size()));
    for (const FineTuningJob& job : std::as_const(m_jobs))
        keys.push_back({job.isTerminal(), job.createdAt});
    QList<int> order(m_jobs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&keys](int a, int b) {
        const Key& x = keys[size_t(a)];
        const Key& y = keys[size_t(b)];
        return FineTuningJob::keysListBefore(x.terminal, x.createdAt, y.terminal, y.createdAt);
    });
    bool same = true;
    for (int row = 0; row < order.size() && same; ++row)
        same = order.at(row) == row;
    if (same)
        return; // m_rowById is right
    emit layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    QList<FineTuningJob> sorted;
    QList<Shown> shown;
    sorted.reserve(m_jobs.size());
    shown.reserve(m_jobs.size());
    for (int row : std::as_const(order)) {
        sorted.append(std::move(m_jobs[row]));
        shown.append(std::move(m_shown[row]));
    }
    m_jobs = std::move(sorted);
    m_shown = std::move(shown);
    QList<int> newRowOf(order.size());
    for (int row = 0; row < order.size(); ++row)
        newRowOf[order.at(row)] = row;
    reindex();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& index : before)
        after << this->index(newRowOf.at(index.row()), index.column());
    changePersistentIndexList(before, after);
    emit layoutChanged();
}

bool JobsModel::updateJob(const FineTuningJob& job)
{
    return updateJobs({job}) > 0;
}

int JobsModel::updateJobs(const QList<FineTuningJob>& jobs)
{
    // The answers of a batch come some hundred at a time, each moving its job among the finished ones: sorting (and
    // changing the layout, which makes a sorted view sort every row again) once per job took a third of the window's
    // time while 1,000 jobs were stopped.
    int listed = 0;
    QList<int> changed;
    for (const FineTuningJob& job : jobs) {
        const int row = rowOf(job.id);
        if (row < 0)
            continue;
        ++listed;
        if (sameJob(m_jobs.at(row), job))
            continue;
        m_jobs[row] = job;
        m_shown[row] = Shown();
        changed << row;
    }
    signalChanged(changed);
    if (!changed.isEmpty())
        sortRows();
    return listed;
}

void JobsModel::clear()
{
    beginResetModel();
    m_jobs.clear();
    m_shown.clear();
    m_rowById.clear();
    endResetModel();
}

int JobsModel::activeCount() const
{
    return int(std::count_if(m_jobs.cbegin(), m_jobs.cend(), [](const FineTuningJob& j) { return !j.isTerminal(); }));
}

int JobsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobsModel::text(int row, int column) const
{
    if (row < 0 || row >= m_jobs.size())
        return QString();
    const int slot = shownSlot(column);
    if (slot >= 0 && (m_shown.at(row).made & (1 << slot)))
        return m_shown.at(row).text[slot];
    const FineTuningJob& job = m_jobs.at(row);
    // Made once: the secrets the gate masks are the account's, and another account empties the model.
    const auto keep = [this, row, slot](const QString& shown) {
        Shown& kept = m_shown[row];
        kept.text[slot] = shown;
        kept.made |= quint8(1 << slot);
        return shown;
    };
    switch (column) {
    case IdColumn:
        return keep(OutputGate::clean(job.id, 200));
    case StatusColumn:
        return keep(OutputGate::clean(job.status, 100));
    case ModelColumn:
        return keep(OutputGate::clean(job.model, 200));
    case FineTunedModelColumn:
        return keep(OutputGate::clean(job.fineTunedModel, 200));
    case CreatedColumn:
        return DisplayText::localTime(job.createdAt);
    case FinishColumn:
        return job.estimatedFinish > 0 ? QStringLiteral("~") + DisplayText::localTime(job.estimatedFinish) : QString();
    case TokensColumn:
        return job.trainedTokens >= 0 ? QLocale().toString(job.trainedTokens) : QString();
    case SuffixColumn: {
        QStringList parts;
        if (!job.suffix.isEmpty())
            parts << job.suffix;
        if (!job.metadata.isEmpty())
            parts << job.metadata;
        return keep(OutputGate::clean(parts.join(QStringLiteral(" · ")), 300));
    }
    case KindColumn:
        return job.kind == JobKind::Batch ? tr("Batch") : tr("Fine-tuning");
    case RequestsColumn:
        return keep(OutputGate::clean(job.requestCounts, 200));
    default:
        return QString();
    }
}

QVariant JobsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size())
        return QVariant();
    const FineTuningJob& job = m_jobs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return text(index.row(), index.column());
    case Qt::ToolTipRole:
        return job.errorMessage.isEmpty() ? QVariant() : QVariant(DisplayText::toolTip(job.errorMessage));
    case JobIdRole:
        return job.id;
    case StatusRole:
        return job.status;
    case FinishedRole:
        return job.isTerminal();
    case StatusClassRole:
        return int(job.statusClass);
    case KindRole:
        return int(job.kind);
    case SortRole:
        switch (index.column()) {
        case CreatedColumn:
            return job.createdAt;
        case FinishColumn:
            return job.estimatedFinish;
        case TokensColumn:
            return job.trainedTokens;
        default:
            return text(index.row(), index.column());
        }
    default:
        return QVariant();
    }
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Job id");
    case StatusColumn:
        return tr("Status");
    case ModelColumn:
        return tr("Model");
    case FineTunedModelColumn:
        return tr("Fine-tuned model");
    case CreatedColumn:
        return tr("Created");
    case FinishColumn:
        return tr("Finishes");
    case TokensColumn:
        return tr("Trained tokens");
    case SuffixColumn:
        return tr("Suffix / metadata");
    case KindColumn:
        return tr("Kind");
    case RequestsColumn:
        return tr("Requests");
    default:
        return QVariant();
    }
}
