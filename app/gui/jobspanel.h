#pragma once

#include "activitylog.h"
#include "apiconfig.h"
#include "finetuningjob.h"
#include "outcome.h"

#include <QDateTime>
#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>

namespace Ui {
class JobsPanel;
}
class AccountJobsProxyModel;
class JobLister;
class JobsModel;
class QAction;
class QTimer;

// The account's jobs in the main window, laid out as qBittorrent lays out its transfers: a status filter on the
// side with counts (all, active, finished, each status: the raw words of the list, ordered by their class, those not
// finished first — an unknown status among them), a text filter and the window's actions above the table
// (a JobsModel behind an AccountJobsProxyModel), and a line that says what was read and when, or what failed.
// refresh() reads the list with a JobLister (one read at a time): each page's rows show as it arrives, and rows the
// read did not see go when it completes; a read that fails keeps every row (those of the pages read are updated).
// The header (sort column and order, widths) is the operator's: kept across reads and, through AppSettings, runs.
// It decides nothing about cancelling: the window takes selectedJobs() through its CancelBatch.
// Signals: readFinished(ok) after every read (ok false when it ended in an error; what was read is shown);
// currentJobChanged() and selectionChanged() as the operator moves; countsChanged() when the counts changed;
// enterPressed() for Enter on the table (the window cancels the selection, after its confirmation).
class QTableView;

class JobsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPanel)

public:
    explicit JobsPanel(QWidget* parent = nullptr);
    ~JobsPanel() override;

    void setLog(ActivityLog* log) { m_log = log; }
    // The tool buttons above the table show these (the window's actions, also in its menu).
    void setActions(QAction* refresh, QAction* cancelSelected, QAction* stopEverything);
    // Pause and Resume beside Cancel, shown only for a provider that pauses jobs (ProviderFacts::canPause).
    void setPauseActions(QAction* pauseSelected, QAction* resumeSelected);
    // The table's context menu (right click): what acts on its rows.
    void setRowActions(const QList<QAction*>& actions);

    // The account whose jobs are listed. Another account (key, organization, project or host) empties the list and
    // stops a read under way: those jobs are not this account's.
    void setAccount(const ApiConfig& config);
    // Reads the list as the account set, up to cap jobs, newest first. Ignored while a read runs (returns false).
    bool refresh(int cap);
    // A read under way ends now, keeping the rows shown (those of its pages included); readFinished() is not emitted.
    void abortRead();
    bool isReading() const;
    // Whether the list has been read (at least partly) for the account set.
    bool hasRead() const { return m_readAt.isValid(); }
    const ApiError& readError() const { return m_readError; }
    // The last read stopped at its cap: the account has older jobs than those listed.
    bool reachedCap() const { return m_reachedCap; }

    JobsModel* model() const { return m_model; }
    // The jobs selected in the table, as the view orders them.
    QList<FineTuningJob> selectedJobs() const;
    // The job of the table's current row, if any.
    std::optional<FineTuningJob> currentJob() const;
    // A job changed elsewhere (a cancel, a watch): its row shows it, if it is listed.
    void updateJob(const FineTuningJob& job);
    // Many jobs changed elsewhere (a batch's answers): their rows show it, the table sorted once for all.
    void updateJobs(const QList<FineTuningJob>& jobs);
    int activeCount() const;

    void focusFilter();

signals:
    void readFinished(bool ok);
    void currentJobChanged();
    void selectionChanged();
    void countsChanged();
    void enterPressed();

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void setUpTable(QTableView* view);
    void onPageRead(const QList<FineTuningJob>& jobs);
    void onPageLoaded(int total);
    void onReadFinished();
    QString listSummary() const;
    void rebuildStatusFilter();
    void applyStatusFilter();
    void setStatusText(const QString& text, Outcome::Category category);
    void showStatusText();
    void applyColors();

    std::unique_ptr<Ui::JobsPanel> m_ui;
    JobsModel* m_model;
    AccountJobsProxyModel* m_proxy;
    QPointer<ActivityLog> m_log;
    QPointer<JobLister> m_lister;
    QTimer* m_countsTimer; // the side counts, at most every 100 ms however many rows change
    ApiConfig m_config;
    ApiError m_readError;
    QDateTime m_readAt; // when the list shown was read; invalid when it was not
    bool m_reachedCap = false; // the last read stopped at the cap: older jobs exist
    QString m_statusText; // the line under the table, whole (the label shows it elided)
    Outcome::Category m_statusCategory = Outcome::Category::Neutral;
};
