#pragma once

#include "cancelbatch.h"

#include <QDeadlineTimer>
#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <memory>

namespace Ui {
class MainWindow;
}
class AccountPane;
class ActivityLog;
class AskingOffNotice;
class BatchModel;
class DesktopNotifier;
class HistoryDialog;
class JobsPanel;
class JobsProxyModel;
class QFrame;
class QLabel;
class QPushButton;
class QTimer;

// The FtCancel window: the account (AccountPane: the profile in use and its key), a field that takes one job id or
// many, the account's jobs (JobsPanel: read, filter, select), the cancels table, the selected job's details and events,
// and the log. It binds a CancelBatch: pasted ids, jobs selected in the list and "stop everything running" all become
// the same batch calls (addIds/requeue, start, confirm/decline through ConfirmDialog, stop, retryFailed, clear);
// the cancels table shows its BatchModel and the jobs list follows its rows. Every workflow decision — what is an
// id, what is sent, what is skipped, how a row ends — is the batch's.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ActivityLog* activityLog() const { return m_log; }
    // Closes the window without asking: a batch that runs is stopped (each row in flight ends "stopped", with its
    // audit line; reason is their message, e.g. "Outcome unknown: stopped by SIGTERM …"), one waiting for its
    // confirmation ends with nothing sent. Closing or quitting while a batch runs asks first and comes here after
    // "Stop and quit"; a signal that ends the session (SIGTERM, SIGHUP, Ctrl+C where it was started) comes here
    // directly.
    void quitNow(const QString& reason);

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Jobs and the batch
    void takeField();
    void pasteIds(const QString& text);
    bool takeText(const QString& text);
    // wakeCarried: rows carried from another account or settings are looked up again too (the operator starts
    // everything listed); not for "stop everything", which asks about the jobs it has just read only.
    bool addAndStart(const QList<JobId::Parsed>& ids, bool wakeCarried = true);
    bool hasWaitingRows() const;
    bool batchBusy() const;
    bool setupChanged() const;
    void ensureBatch();
    void attachBatch(CancelBatch* batch);
    ApiConfig currentConfig(QString* baseUrlError) const;
    CancelBatch::Options currentOptions() const;
    void reportNotSent(const QString& problem);
    void cancelOrStop();
    void stopBatch();
    void retryFailed();
    void checkAgain();
    void clearJobs();
    void onRateLimitChanged();
    void onKeyRejected(const QString& message);
    void focusKeyField(const QString& why);
    void onLookupFinished();
    void onBatchFinished();
    void onRetryScheduled(int row, int attempt, int maxAttempts, int delayMs, const QString& reason);
    void askToQuit();
    int pendingCount() const;
    int restartableRows() const;
    void selectRow(int sourceRow);

    // The account's jobs
    void accountChanged();
    void refreshJobs();
    void maybeReadJobs();
    void autoRefresh();
    void applyAutoRefreshSetting();
    void cancelSelected();
    void stopEverything();
    void onJobsRead(bool ok);
    bool sendToBatch(const QList<JobId::Parsed>& ids);
    bool sendListedToBatch(const QList<FineTuningJob>& jobs);
    void updateListedJobs();
    bool accountTabShown() const;
    QString selectedJobId() const;
    // The valid ids of the rows selected in the tab shown, in the view's order.
    QStringList selectedJobIds() const;
    // The Cancels rows selected, as batch rows, in the view's order.
    QList<int> selectedBatchRows() const;
    // Of those, the rows "Cancel selected" takes again (not those already cancelled or finished).
    QList<int> resendableSelectedRows() const;
    void copyJobId();
    void openDashboard();
    void showEvents();
    void updateTabTitles();

    // What the window shows
    void updateActions();
    void updateSummary();
    void updateAccount();
    void showDetails();
    void showListedJobDetails(const FineTuningJob& job);
    void showFieldMessage(const QStringList& lines, Outcome::Category category);
    void applyColors();
    void setLabelColor(QWidget* label, Outcome::Category category);
    void scheduleHistoryRefresh();
    void updateAskingNotice();
    void turnAskingOn();

    // The account
    void onAccountLoaded();
    void onProfileSwitched(const QString& name);

    // Log, settings, about
    void copyLog();
    void saveLog();
    void openSettings();
    void openHistory();
    void showAbout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ActivityLog* m_log;
    AccountPane* m_pane = nullptr;
    BatchModel* m_model;
    JobsProxyModel* m_proxy;
    JobsPanel* m_jobsPanel;
    DesktopNotifier* m_notifier;
    QLabel* m_accountLabel;
    AskingOffNotice* m_listAskingOff; // next to the jobs list's "Cancel selected" (the job field has its own)
    // "Rate limited until …" with Retry now / Stop, while a long rate limit holds the batch (made in code: the form
    // is shared).
    QFrame* m_rateLimitBar = nullptr;
    QLabel* m_rateLimitLabel = nullptr;
    QPushButton* m_retryNowButton = nullptr;
    QPushButton* m_rateLimitStopButton = nullptr;
    QPushButton* m_checkAgainButton = nullptr;
    QAction* m_checkAgainAction = nullptr;
    QPointer<CancelBatch> m_batch;
    QTimer* m_tick; // elapsed time and retry countdown while a batch runs
    QTimer* m_historyRefresh;
    QTimer* m_autoRefresh; // reads the account's jobs again, when Settings say so (never while a batch runs)
    QTimer* m_listUpdate; // the jobs list follows the batch's rows, at most every 100 ms
    QTimer* m_eventsUpdate; // the Events tab follows the selection, once it rests
    QSet<int> m_runRows; // batch rows changed since the last run ended: what the next notification reports
    QSet<QString> m_touchedJobs; // ids whose batch row changed since the list last followed
    bool m_stopEverythingRead = false; // the read under way is the first step of "stop everything running"
    bool m_stopEverythingRun = false; // the batch running now is "stop everything running"
    QDeadlineTimer m_retryAt;
    QString m_retryText; // "ftjob-…: attempt 2 of 3: HTTP 500"
    QString m_notSent; // why the last start() sent nothing (no key …), until the next start
    QStringList m_fieldIds; // the ids in the job field now, for the button's count
    QString m_summary; // the summary line, whole (the label shows it elided)
    qint64 m_tookMs = -1;
    int m_messageMaxHeight
        = 0; // of the problems listed under the job field // how long the last batch ran, once it finished
    QPointer<HistoryDialog> m_history;
    QPointer<QWidget> m_quitQuestion; // "Stop and quit" / "Keep running", while it is open
    bool m_quitting = false; // quitNow() was called: the window closes without asking
    QPointer<QObject> m_firstFrameHook; // waits for the first frame to start the keyring read
    Outcome::Category m_fieldMessageCategory = Outcome::Category::Neutral;
};
