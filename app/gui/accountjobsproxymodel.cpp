#include "accountjobsproxymodel.h"

#include "displaytext.h"
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

Outcome::Category AccountJobsProxyModel::categoryOf(StatusClass statusClass)
{
    switch (statusClass) {
    case StatusClass::Active:
        return Outcome::Category::Busy;
    case StatusClass::Succeeded:
        return Outcome::Category::Success;
    case StatusClass::Failed:
        return Outcome::Category::Error;
    case StatusClass::Stopping:
    case StatusClass::Paused:
        return Outcome::Category::Warning;
    case StatusClass::Cancelled:
        return Outcome::Category::Neutral;
    case StatusClass::Unknown:
        break;
    }
    // Not finished, and nothing says what it spends: a warning, never the quiet colour of a finished job.
    return Outcome::Category::Warning;
}

QString AccountJobsProxyModel::unknownStatusNote(const QString& shownStatus)
{
    return shownStatus.isEmpty()
        ? tr("The job has no status: FtCancel treats it as not finished, and it can be cancelled.")
        : tr("The status \u201C%1\u201D is unknown to FtCancel: the job is treated as not finished, and it can be "
             "cancelled.")
              .arg(shownStatus);
}

QVariant AccountJobsProxyModel::data(const QModelIndex& index, int role) const
{
    if (index.column() != JobsModel::StatusColumn || (role != Qt::ForegroundRole && role != Qt::ToolTipRole))
        return QSortFilterProxyModel::data(index, role);
    const auto statusClass = StatusClass(QSortFilterProxyModel::data(index, JobsModel::StatusClassRole).toInt());
    if (role == Qt::ForegroundRole)
        return QBrush(StatusColors::forCategory(categoryOf(statusClass), m_palette));
    const QVariant own = QSortFilterProxyModel::data(index, role); // the job's error, if any
    if (statusClass != StatusClass::Unknown)
        return own;
    const QString note
        = DisplayText::toolTip(unknownStatusNote(QSortFilterProxyModel::data(index, Qt::DisplayRole).toString()));
    return own.toString().isEmpty() ? note : note + own.toString();
}

void AccountJobsProxyModel::setKind(std::optional<JobKind> kind)
{
    if (m_kind == kind)
        return;
    m_kind = kind;
    invalidateFilter();
}

bool AccountJobsProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    if (m_kind && first.data(JobsModel::KindRole).toInt() != int(*m_kind))
        return false;
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
