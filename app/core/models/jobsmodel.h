#pragma once

#include "finetuningjob.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

// The account's jobs as a table for views (the window's jobs view): one row per job, jobs that can still be
// cancelled first, then the newest. mergeJobs() takes a page of a read as it arrives (rows matched by id, updated in
// place when they changed, new ones inserted where they belong), removeJobsNotIn() ends a complete read, setJobs()
// does both at once; a refresh keeps the selection. updateJobs() changes rows already listed (the answers of a batch),
// sorting once for all of them; updateJob() one. Only rows that
// changed are signalled, so a view sorted by a column is not sorted again for a read that changed little. Every text
// from the server passes the output gate, once per job and column (kept until the job changes).
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
        KindColumn, // fine-tuning job or batch
        RequestsColumn, // a batch's request counts, as the provider gives them
        ColumnCount
    };
    enum Role {
        JobIdRole = Qt::UserRole + 1, // the job id
        StatusRole, // the raw status (compare, never show without the gate)
        FinishedRole, // bool: succeeded, failed or cancelled (by its class; an Unknown status is not finished)
        SortRole, // what sorting compares (times and tokens as numbers)
        StatusClassRole, // int(StatusClass): what the status means, whatever the provider's word (reason on this)
        KindRole, // int(JobKind)
    };

    explicit JobsModel(QObject* parent = nullptr);

    void setJobs(QList<FineTuningJob> jobs); // taken: pass it with std::move when it is not needed after
    void mergeJobs(QList<FineTuningJob> jobs); // no row is removed
    void removeJobsNotIn(const QSet<QString>& ids);
    // Replaces the row of job.id, if there is one; returns whether there was.
    bool updateJob(const FineTuningJob& job);
    // Replaces the rows of those jobs that are listed; returns how many were. One sort for all of them.
    int updateJobs(const QList<FineTuningJob>& jobs);
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
    // The gated text of the id, status, model, fine-tuned model and suffix / metadata columns of one row, made when
    // first asked for: sorting and the text filter ask for them over and over.
    struct Shown
    {
        QString text[6];
        quint8 made = 0; // bit per text
    };

    void reindex();
    void sortRows();
    void signalChanged(QList<int> rows);

    QList<FineTuningJob> m_jobs;
    mutable QList<Shown> m_shown; // in step with m_jobs
    QHash<QString, int> m_rowById;
};
