#include "jobsmodel.h"

#include "displaytext.h"
#include "joblister.h"
#include "outputgate.h"

#include <QLocale>
#include <QSet>

JobsModel::JobsModel(QObject* parent) : QAbstractTableModel(parent) { }

void JobsModel::reindex()
{
    m_rowById.clear();
    for (int row = 0; row < m_jobs.size(); ++row)
        m_rowById.insert(m_jobs.at(row).id, row);
}

void JobsModel::setJobs(const QList<FineTuningJob>& fresh)
{
    QHash<QString, FineTuningJob> byId;
    QStringList order;
    for (const FineTuningJob& job : fresh) {
        if (job.id.isEmpty() || byId.contains(job.id))
            continue;
        byId.insert(job.id, job);
        order << job.id;
    }
    // Rows that are gone, from the bottom up so row numbers stay right.
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row) {
        if (byId.contains(m_jobs.at(row).id))
            continue;
        beginRemoveRows(QModelIndex(), row, row);
        m_jobs.removeAt(row);
        endRemoveRows();
    }
    reindex();
    // Rows that stay: updated in place.
    for (int row = 0; row < m_jobs.size(); ++row) {
        m_jobs[row] = byId.take(m_jobs.at(row).id);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    // New rows, at the end for now.
    QList<FineTuningJob> added;
    for (const QString& id : std::as_const(order)) {
        if (byId.contains(id))
            added << byId.value(id);
    }
    if (!added.isEmpty()) {
        beginInsertRows(QModelIndex(), int(m_jobs.size()), int(m_jobs.size() + added.size()) - 1);
        m_jobs += added;
        endInsertRows();
    }
    sortRows();
}

void JobsModel::sortRows()
{
    // Active first, then newest; persistent indexes (the selection) follow their jobs.
    QList<FineTuningJob> sorted = m_jobs;
    JobLister::sortActiveFirst(sorted);
    bool same = true;
    for (int row = 0; row < sorted.size() && same; ++row)
        same = sorted.at(row).id == m_jobs.at(row).id;
    if (same) {
        reindex();
        return;
    }
    emit layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    QStringList ids;
    for (const QModelIndex& index : before)
        ids << m_jobs.at(index.row()).id;
    m_jobs = sorted;
    reindex();
    QModelIndexList after;
    for (int i = 0; i < before.size(); ++i)
        after << index(m_rowById.value(ids.at(i)), before.at(i).column());
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
