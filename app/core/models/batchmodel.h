#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>

class CancelBatch;
class QTimer;

// A table over a CancelBatch for views (the window's jobs table): one row per job, columns for the id, the status
// (before → after), model, times, the outcome and its message. Every text from the server passes the output gate.
// Row changes are batched: dataChanged is emitted at most every 50 ms, so a thousand rows updating at once cost a
// handful of repaints. Colours are left to the view: CategoryRole says how a row reads (Outcome::Category).
class BatchModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchModel)

public:
    enum Column {
        IdColumn,
        StatusColumn,
        ModelColumn,
        CreatedColumn,
        FinishColumn,
        OutcomeColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        OutcomeRole = Qt::UserRole + 1, // Outcome::Kind
        CategoryRole, // int(Outcome::Category)
        SortRole, // what sorting compares (times as numbers)
        JobIdRole, // the job id
    };

    explicit BatchModel(QObject* parent = nullptr);
    ~BatchModel() override;

    void setBatch(CancelBatch* batch);
    CancelBatch* batch() const { return m_batch; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The text of a cell as shown (for tests and copying).
    QString text(int row, int column) const;

private:
    void markDirty(int row);
    void flush();

    QPointer<CancelBatch> m_batch;
    QSet<int> m_dirty;
    QTimer* m_flushTimer;
};
