#pragma once

#include <QPalette>
#include <QSortFilterProxyModel>

// The jobs table's view of a BatchModel: sorts by BatchModel::SortRole (times as numbers, not as text) and colours
// the Outcome column by BatchModel::CategoryRole with StatusColors for the palette it is given (the view's), so a
// dark theme gets light colours. The word in the cell says the same as the colour.
class JobsProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsProxyModel)

public:
    explicit JobsProxyModel(QObject* parent = nullptr);
    ~JobsProxyModel() override;

    // The palette the colours are chosen for; repaints the coloured column.
    void setPalette(const QPalette& palette);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QPalette m_palette;
};
