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

void JobsModel::setJobs(QList<FineTuningJob> fresh)
{
    // 10,000 rows are read into the window at once and this runs on its thread: rows are matched through the index of
    // ids kept anyway, jobs are moved rather than copied, and one signal covers the rows that stay.
    std::vector<int> freshOfRow(size_t(m_jobs.size()), -1); // the fresh job each row becomes; -1: gone
    QList<int> added;
    QSet<QString> addedIds;
    for (int i = 0; i < fresh.size(); ++i) {
        const QString& id = fresh.at(i).id;
        if (id.isEmpty())
            continue;
        const int row = m_rowById.value(id, -1);
        if (row >= 0) {
            if (freshOfRow[size_t(row)] < 0) // the first one of an id counts
                freshOfRow[size_t(row)] = i;
        } else if (!addedIds.contains(id)) {
            addedIds.insert(id);
            added << i;
        }
    }
    bool rowsRemoved = false;
    // Rows that are gone, a run of neighbours at a time, from the bottom up so row numbers stay right.
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row) {
        if (freshOfRow[size_t(row)] >= 0)
            continue;
        int first = row;
        while (first > 0 && freshOfRow[size_t(first - 1)] < 0)
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_jobs.remove(first, row - first + 1);
        freshOfRow.erase(freshOfRow.begin() + first, freshOfRow.begin() + row + 1);
        endRemoveRows();
        rowsRemoved = true;
        row = first;
    }
    if (rowsRemoved)
        reindex();
    // Rows that stay: updated in place.
    for (int row = 0; row < m_jobs.size(); ++row)
        m_jobs[row] = std::move(fresh[freshOfRow[size_t(row)]]);
    if (!m_jobs.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_jobs.size()) - 1, ColumnCount - 1));
    // New rows, at the end for now, in their own order (so that the first read of a list needs no reordering after).
    std::stable_sort(added.begin(), added.end(),
                     [&fresh](int a, int b) { return JobLister::listsBefore(fresh.at(a), fresh.at(b)); });
    if (!added.isEmpty()) {
        beginInsertRows(QModelIndex(), int(m_jobs.size()), int(m_jobs.size() + added.size()) - 1);
        m_jobs.reserve(m_jobs.size() + added.size());
        for (int i : std::as_const(added)) {
            m_rowById.insert(fresh.at(i).id, int(m_jobs.size()));
            m_jobs.append(std::move(fresh[i]));
        }
        endInsertRows();
    }
    sortRows();
}

void JobsModel::sortRows()
{
    // Active first, then newest (JobLister::listsBefore); persistent indexes (the selection) follow their jobs. Row
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
        if (x.terminal != y.terminal)
            return !x.terminal;
        return x.createdAt > y.createdAt;
    });
    bool same = true;
    for (int row = 0; row < order.size() && same; ++row)
        same = order.at(row) == row;
    if (same)
        return; // m_rowById is right
    emit layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    QList<FineTuningJob> sorted;
    sorted.reserve(m_jobs.size());
    for (int row : std::as_const(order))
        sorted.append(std::move(m_jobs[row]));
    m_jobs = std::move(sorted);
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
    const int row = rowOf(job.id);
    if (row < 0)
        return false;
    m_jobs[row] = job;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    sortRows();
    return true;
}

void JobsModel::clear()
{
    beginResetModel();
    m_jobs.clear();
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
    const FineTuningJob& job = m_jobs.at(row);
    switch (column) {
    case IdColumn:
        return OutputGate::clean(job.id, 200);
    case StatusColumn:
        return OutputGate::clean(job.status, 100);
    case ModelColumn:
        return OutputGate::clean(job.model, 200);
    case FineTunedModelColumn:
        return OutputGate::clean(job.fineTunedModel, 200);
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
        return OutputGate::clean(parts.join(QStringLiteral(" · ")), 300);
    }
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
    default:
        return QVariant();
    }
}
