#include "jobsproxymodel.h"

#include "cancelbatch.h" // before batchmodel.h, whose QPointer<CancelBatch> needs the whole class

#include "batchmodel.h"
#include "statuscolors.h"

#include <QBrush>

JobsProxyModel::JobsProxyModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(BatchModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

JobsProxyModel::~JobsProxyModel() = default;

void JobsProxyModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (rowCount() > 0)
        emit dataChanged(index(0, BatchModel::OutcomeColumn), index(rowCount() - 1, BatchModel::OutcomeColumn),
                         {Qt::ForegroundRole});
}

QVariant JobsProxyModel::data(const QModelIndex& index, int role) const
{
    if (role == Qt::ForegroundRole && index.column() == BatchModel::OutcomeColumn) {
        const QVariant category = QSortFilterProxyModel::data(index, BatchModel::CategoryRole);
        if (category.isValid())
            return QBrush(StatusColors::forCategory(Outcome::Category(category.toInt()), m_palette));
    }
    return QSortFilterProxyModel::data(index, role);
}
