#include "jobsmodel.h"

#include "displaytext.h"
#include "joblister.h"
#include "outputgate.h"

#include <QLocale>
#include <QSet>

#include <algorithm>
#include <numeric>

JobsModel::JobsModel(QObject* parent) : QAbstractTableModel(parent) { }

void JobsModel::reindex()
{
    m_rowById.clear();
    for (int row = 0; row < m_jobs.size(); ++row)
        m_rowById.insert(m_jobs.at(row).id, row);
}

void JobsModel::setJobs(const QList<FineTuningJob>& fresh)
{
    // Where each fresh job is (the first of an id wins); the jobs themselves are not copied around: 10,000 rows are
    // read into the window at once and this runs on its thread.
    QHash<QString, int> freshRow;
    freshRow.reserve(fresh.size());
    for (int i = int(fresh.size()) - 1; i >= 0; --i) { // backwards: the first one of an id is kept
        if (!fresh.at(i).id.isEmpty())
            freshRow.insert(fresh.at(i).id, i);
    }
    // Rows that are gone, a run of neighbours at a time, from the bottom up so row numbers stay right.
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row) {
        if (freshRow.contains(m_jobs.at(row).id))
            continue;
        int first = row;
        while (first > 0 && !freshRow.contains(m_jobs.at(first - 1).id))
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_jobs.remove(first, row - first + 1);
        endRemoveRows();
        row = first;
    }
    // Rows that stay: updated in place, one signal for them all.
    QSet<int> kept;
    kept.reserve(m_jobs.size());
    for (FineTuningJob& job : m_jobs) {
        const int i = freshRow.value(job.id);
        kept.insert(i);
        job = fresh.at(i);
    }
    if (!m_jobs.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_jobs.size()) - 1, ColumnCount - 1));
    // New rows, at the end for now, in the order read.
    QList<int> added;
    for (int i = 0; i < fresh.size(); ++i) {
        const FineTuningJob& job = fresh.at(i);
        if (!job.id.isEmpty() && freshRow.value(job.id) == i && !kept.contains(i))
            added << i;
    }
    if (!added.isEmpty()) {
        beginInsertRows(QModelIndex(), int(m_jobs.size()), int(m_jobs.size() + added.size()) - 1);
        m_jobs.reserve(m_jobs.size() + added.size());
        for (int i : std::as_const(added))
            m_jobs.append(fresh.at(i));
        endInsertRows();
    }
    sortRows();
}

void JobsModel::sortRows()
{
    // Active first, then newest; persistent indexes (the selection) follow their jobs. Row numbers are sorted, not
    // the jobs (each is some twenty fields).
    QList<int> order(m_jobs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
        return JobLister::listsBefore(m_jobs.at(a), m_jobs.at(b));
    });
    bool same = true;
    for (int row = 0; row < order.size() && same; ++row)
        same = order.at(row) == row;
    if (same) {
        reindex();
        return;
    }
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
