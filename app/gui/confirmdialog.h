#pragma once

#include "provider.h"

#include <QDialog>
#include <QList>
#include <QStringList>
#include <memory>

namespace Ui {
class ConfirmDialog;
}
struct ApiConfig;
class CancelBatch;
class QTreeWidgetItem;

// Asks before a batch sends its cancels: says exactly what will be cancelled (how many, each id with its model and
// status, and counted by status and model), as which account (base host, organization, project), and flags jobs
// of another organization than the configured one; for "stop everything running" it also names the listed jobs
// whose id will not be sent. "Cancel 1 job" is the default button (Enter) for one job of the configured
// organization; for several jobs, any flagged one or "stop everything running" the default is "Keep running", so
// Enter cancels nothing. "Don't ask again" is not offered for "stop everything running". Escape always rejects. Open
// it with open(); accepted()/rejected() are the answer, dontAskAgain() whether the operator ticked "Don't ask again".
// What is listed is read once, when the dialog is made: the batch waits meanwhile.
class ConfirmDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfirmDialog)

public:
    enum class Kind {
        ChosenJobs, // ids pasted or jobs selected
        StopEverything, // every job of the account that has not finished
    };

    explicit ConfirmDialog(const CancelBatch& batch, QWidget* parent = nullptr, Kind kind = Kind::ChosenJobs);
    ~ConfirmDialog() override;

    bool dontAskAgain() const;
    int jobCount() const { return m_count; }

private:
    struct JobRows
    {
        int otherOrganization = 0; // jobs of another organization than the configured one
        QStringList unknownStatuses; // the statuses unknown to FtCancel, one per job
        QList<JobKind> kinds; // the kinds of job among them, each once
    };
    void showTitle(bool everything, bool someRefused);
    void showRefused(const CancelBatch& batch, const QList<int>& refused);
    JobRows showJobs(const CancelBatch& batch, const QList<int>& rows);
    void showOtherOrganization(const ApiConfig& config, int others);
    void chooseDefault(bool everything, int others);
    // A pause or a resume instead of a cancel: its own title and button words (both can be undone).
    void wordAction(const CancelBatch& batch);
    void fitColumns(const QList<QTreeWidgetItem*>& items);
    static QString accountLine(const ApiConfig& config);
    void showProviderNote(const ApiConfig& config, const JobRows& listed);

    std::unique_ptr<Ui::ConfirmDialog> m_ui;
    int m_count = 0;
};
