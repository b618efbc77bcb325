#pragma once

#include "finetuningjob.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

// The account's jobs as a table for views (the window's jobs view): one row per job, jobs that can still be
// cancelled first, then the newest. setJobs() merges a fresh list into the rows (a refresh keeps the selection:
// rows are matched by id, updated in place, added and removed); updateJob() changes one row (a watched cancel).
// Every text from the server passes the output gate.
class JobsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsModel)

public:
    enum Column {
        IdColumn,
        StatusColumn,
        ModelColumn,
        FineTunedModelColumn,
        CreatedColumn,
        FinishColumn,
        TokensColumn,
        SuffixColumn,
        ColumnCount
    };
    enum Role {
        JobIdRole = Qt::UserRole + 1, // the job id
        StatusRole, // the raw status (compare, never show without the gate)
        FinishedRole, // bool: succeeded, failed or cancelled
        SortRole, // what sorting compares (times and tokens as numbers)
    };

    explicit JobsModel(QObject* parent = nullptr);

    void setJobs(QList<FineTuningJob> jobs); // taken: pass it with std::move when it is not needed after
    // Replaces the row of job.id, if there is one; returns whether there was.
    bool updateJob(const FineTuningJob& job);
    void clear();

    const QList<FineTuningJob>& jobs() const { return m_jobs; }
    const FineTuningJob& job(int row) const { return m_jobs.at(row); }
    int rowOf(const QString& id) const { return m_rowById.value(id, -1); }
    int activeCount() const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QString text(int row, int column) const;

private:
    void reindex();
    void sortRows();

    QList<FineTuningJob> m_jobs;
    QHash<QString, int> m_rowById;
};
