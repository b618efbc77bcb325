#pragma once

#include "cancelbatch.h"
#include "stopeverywhere.h"

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
class DesktopNotifier;
class HistoryDialog;
class QLabel;
class QTimer;

// The FtCancel window, a shell over its panes: the account (AccountPane: the profile in use and its key), the job
// field (JobFieldPane: one job id or many), the account's jobs (JobsPanel: read, filter, select), the cancels table
// (CancelsPane) and the line under the tables (BatchBar), the selected job's details (DetailsPane) and events
// (EventsPane), and the log (LogPane). It holds the menus and actions and binds a CancelBatch: pasted ids, jobs
// selected in the list and "stop everything running" all become the same batch calls (addIds/requeue, start,
// confirm/decline through ConfirmDialog, stop, retryFailed, clear); the cancels table shows its rows and the jobs list
// follows them. Every workflow decision — what is an id, what is sent, what is skipped, how a row ends — is the
// batch's. The batch and the account's jobs are driven from mainwindowjobs.cpp.
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

private:
    // Building the window (mainwindow.cpp)
    void setUpPanes();
    void setUpListAskingOff();
    void connectJobField();
    void connectCancels();
    void connectJobsList();
    void connectAccount();
    void connectMenus();
    void restoreSize();
    void showMessage(const QString& text, int timeoutMs);

    // Jobs and the batch (mainwindowjobs.cpp)
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
    bool reportCannotSend();
    void cancelOrStop();
    void stopBatch();
    void retryFailed();
    void checkAgain();
    void clearJobs();
    void onRateLimitChanged();
    void onRetryScheduled(int row, int attempt, int maxAttempts, int delayMs, const QString& reason);
    void focusKeyField(const QString& why);
    void onLookupFinished();
    void onConfirmationAnswered();
    void onBatchFinished();
    void askToQuit();
    int pendingCount() const;
    int restartableRows() const;

    // The account's jobs (mainwindowjobs.cpp)
    void accountChanged();
    void refreshJobs();
    void maybeReadJobs();
    void autoRefresh();
    void applyAutoRefreshSetting();
    void cancelSelected();
    // The selected jobs the provider pauses (resumes), through the same look-up, confirmation and Cancels rows.
    void pauseSelected();
    void resumeSelected();
    void sendSelected(CancelBatch::Action action);
    void stopEverything();
    // Stop everything in every profile (mainwindoweverywhere.cpp): every profile's keys and jobs, one grouped
    // question, then a batch per account; what happened in each is logged and said in the status bar.
    void stopEverywhere();
    void onEveryAccountRead(const QList<StopEverywhere::Account>& accounts);
    void onEverywhereRead();
    void onEverywhereFinished();
    void onJobsRead(bool ok);
    bool sendToBatch(const QList<JobId::Parsed>& ids);
    bool sendListedToBatch(const QList<FineTuningJob>& jobs);
    void updateListedJobs();
    bool accountTabShown() const;
    QString selectedJobId(JobKind* kind = nullptr) const; // kind: set to the job's, when one is given
    // The valid ids of the rows selected in the tab shown, in the view's order.
    QStringList selectedJobIds() const;
    // Of the Cancels rows selected, the rows "Cancel selected" takes again (not those already cancelled or finished).
    QList<int> resendableSelectedRows() const;
    void copyJobId();
    void openDashboard();
    void showEvents();
    void updateTabTitles();

    // What the window shows (mainwindow.cpp)
    void updateActions();
    void updateFieldButton();
    void updateListActions(bool busy);
    void updateJobActions();
    void updateSummary();
    void updateAccount();
    void showDetails();
    void showFieldMessage(const QStringList& lines, Outcome::Category category);
    void applyColors();
    void scheduleHistoryRefresh();
    void updateAskingNotice();
    void turnAskingOn();

    // The account, settings, about (mainwindow.cpp)
    void onAccountLoaded();
    void onProfileSwitched(const QString& name);
    void openSettings();
    void openHistory();
    void showAbout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ActivityLog* m_log;
    AccountPane* m_pane = nullptr;
    DesktopNotifier* m_notifier;
    QLabel* m_accountLabel;
    AskingOffNotice* m_listAskingOff; // next to the jobs list's "Cancel selected" (the job field has its own)
    QPointer<CancelBatch> m_batch;
    QTimer* m_historyRefresh;
    QTimer* m_autoRefresh; // reads the account's jobs again, when Settings say so (never while a batch runs)
    QTimer* m_listUpdate; // the jobs list follows the batch's rows, at most every 100 ms
    QTimer* m_eventsUpdate; // the Events tab follows the selection, once it rests
    QSet<int> m_runRows; // batch rows changed since the last run ended: what the next notification reports
    QSet<QString> m_touchedJobs; // ids whose batch row changed since the list last followed
    bool m_stopEverythingRead = false; // the read under way is the first step of "stop everything running"
    CancelBatch::Action m_action = CancelBatch::Action::Cancel; // what the next batch made sends
    bool m_stopEverythingRun = false; // the batch running now is "stop everything running"
    QPointer<StopEverywhere> m_everywhere; // "stop everything in every profile", from the read to the end
    QString m_notSent; // why the last start() sent nothing (no key …), until the next start
    QStringList m_fieldIds; // the ids in the job field now, for the button's count
    QPointer<HistoryDialog> m_history;
    QPointer<QWidget> m_quitQuestion; // "Stop and quit" / "Keep running", while it is open
    bool m_quitting = false; // quitNow() was called: the window closes without asking
    QPointer<QObject> m_firstFrameHook; // waits for the first frame to start the keyring read
};
