#include "accountjobsproxymodel.h"

#include "jobsmodel.h"
#include "statuscolors.h"

#include <QBrush>

AccountJobsProxyModel::AccountJobsProxyModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(JobsModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

AccountJobsProxyModel::~AccountJobsProxyModel() = default;

void AccountJobsProxyModel::setGroup(Group group, const QString& status)
{
    const QString wanted = group == Group::Status ? status : QString();
    if (group == m_group && wanted == m_status)
        return;
    m_group = group;
    m_status = wanted;
    invalidateFilter();
}

void AccountJobsProxyModel::setText(const QString& text)
{
    const QString wanted = text.trimmed();
    if (wanted == m_text)
        return;
    m_text = wanted;
    invalidateFilter();
}

void AccountJobsProxyModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (rowCount() > 0)
        emit dataChanged(index(0, JobsModel::StatusColumn), index(rowCount() - 1, JobsModel::StatusColumn),
                         {Qt::ForegroundRole});
}

Outcome::Category AccountJobsProxyModel::categoryOf(const QString& status)
{
    if (status == QLatin1String("succeeded"))
        return Outcome::Category::Success;
    if (status == QLatin1String("failed"))
        return Outcome::Category::Error;
    if (status == QLatin1String("paused") || status == QLatin1String("pausing")
        || status == QLatin1String("cancelling"))
        return Outcome::Category::Warning;
    if (status == QLatin1String("running") || status == QLatin1String("queued")
        || status == QLatin1String("validating_files"))
        return Outcome::Category::Busy;
    return Outcome::Category::Neutral;
}

QVariant AccountJobsProxyModel::data(const QModelIndex& index, int role) const
{
    if (role == Qt::ForegroundRole && index.column() == JobsModel::StatusColumn)
        return QBrush(StatusColors::forCategory(
            categoryOf(QSortFilterProxyModel::data(index, JobsModel::StatusRole).toString()), m_palette));
    return QSortFilterProxyModel::data(index, role);
}

bool AccountJobsProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    switch (m_group) {
    case Group::All:
        break;
    case Group::Active:
        if (first.data(JobsModel::FinishedRole).toBool())
            return false;
        break;
    case Group::Finished:
        if (!first.data(JobsModel::FinishedRole).toBool())
            return false;
        break;
    case Group::Status:
        if (first.data(JobsModel::StatusRole).toString() != m_status)
            return false;
        break;
    }
    if (m_text.isEmpty())
        return true;
    // What the operator sees is what the filter matches: the gated text of the cells.
    for (const int column : {JobsModel::IdColumn, JobsModel::StatusColumn, JobsModel::ModelColumn,
                             JobsModel::FineTunedModelColumn, JobsModel::SuffixColumn}) {
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}
