#pragma once

#include <QPointer>
#include <QWidget>
#include <memory>

namespace Ui {
class CancelsPane;
}
class BatchModel;
class CancelBatch;
class JobsProxyModel;
class QAction;

// The Cancels tab: the rows of the window's CancelBatch in one table (a BatchModel behind a JobsProxyModel: one row
// per job, no widget per row, in the order pasted until a column is clicked), with the window's actions on its rows
// as its right-click menu. It decides nothing: the window reads which batch rows are current or selected.
// Signals: currentRowChanged() and selectionChanged() as the operator moves; rowsChanged() when rows read otherwise
// (an answer came), rowsAdded() when rows were added, rowsReset() when the rows were replaced or cleared.
class CancelsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CancelsPane)

public:
    explicit CancelsPane(QWidget* parent = nullptr);
    ~CancelsPane() override;

    void setBatch(CancelBatch* batch);
    // The table's context menu (right click): what acts on its rows.
    void setRowActions(const QList<QAction*>& actions);
    const BatchModel& model() const { return *m_model; }

    // The batch row of the table's current row, or -1.
    int currentRow() const;
    bool hasCurrentIndex() const;
    // The batch rows selected, in the view's order.
    QList<int> selectedRows() const;
    // The batch rows selected, in the order they were selected.
    QList<int> selectionRows() const;
    // Makes the batch row current (and the only one selected), scrolled into view.
    void selectRow(int row);
    void applyColors();

signals:
    void currentRowChanged();
    void selectionChanged();
    void rowsChanged();
    void rowsAdded();
    void rowsReset();

private:
    void setUpColumns();

    std::unique_ptr<Ui::CancelsPane> m_ui;
    BatchModel* m_model;
    JobsProxyModel* m_proxy;
    QPointer<CancelBatch> m_batch;
};
