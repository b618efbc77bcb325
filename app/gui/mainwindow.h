#pragma once

#include "cancelbatch.h"
#include "secretstore.h"

#include <QDeadlineTimer>
#include <QMainWindow>
#include <QPointer>
#include <memory>

namespace Ui {
class MainWindow;
}
class ActivityLog;
class BatchModel;
class DesktopNotifier;
class HistoryDialog;
class JobsProxyModel;
class QLabel;
class QTimer;

// The FtCancel window: the account (credentials kept by SecretStore), a field that takes one job id or many, the
// jobs table, the selected job's details and the log. It binds a CancelBatch: clicks become batch calls (addIds,
// start, confirm/decline through ConfirmDialog, stop, retryFailed, clear) and the table shows its BatchModel.
// Every workflow decision — what is an id, what is sent, what is skipped, how a row ends — is the batch's.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ActivityLog* activityLog() const { return m_log; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Jobs and the batch
    void takeField();
    void pasteIds(const QString& text);
    bool takeText(const QString& text);
    bool addAndStart(const QList<JobId::Parsed>& ids);
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
    void clearJobs();
    void onLookupFinished();
    void onBatchFinished();
    void onRetryScheduled(int row, int attempt, int maxAttempts, int delayMs, const QString& reason);
    int pendingCount() const;
    int restartableRows() const;
    void selectRow(int sourceRow);

    // What the window shows
    void updateActions();
    void updateSummary();
    void updateAccount();
    void showDetails();
    void showFieldMessage(const QStringList& lines, Outcome::Category category);
    void applyColors();
    void setLabelColor(QWidget* label, Outcome::Category category);
    void scheduleHistoryRefresh();

    // Credentials
    void setCredentialsLoading(bool loading);
    void onCredentialsLoaded(const Credentials& credentials, const SecretStore::Outcome& outcome);
    void saveCredentials();
    void forgetCredentials();
    void onKeychainFailure(const SecretStore::Outcome& outcome, const QString& consequence);
    Credentials credentialsFromFields() const;
    void updateCredentialsState();

    // Log, settings, about
    void copyLog();
    void saveLog();
    void openSettings();
    void openHistory();
    void showAbout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ActivityLog* m_log;
    SecretStore* m_store;
    BatchModel* m_model;
    JobsProxyModel* m_proxy;
    DesktopNotifier* m_notifier;
    QLabel* m_accountLabel;
    QPointer<CancelBatch> m_batch;
    QTimer* m_tick; // elapsed time and retry countdown while a batch runs
    QTimer* m_historyRefresh;
    QDeadlineTimer m_retryAt;
    QString m_retryText; // "ftjob-…: attempt 2 of 3: HTTP 500"
    QString m_notSent; // why the last start() sent nothing (no key …), until the next start
    QStringList m_fieldIds; // the ids in the job field now, for the button's count
    QString m_summary; // the summary line, whole (the label shows it elided)
    qint64 m_tookMs = -1;
    int m_messageMaxHeight = 0; // of the problems listed under the job field // how long the last batch ran, once it finished
    QPointer<HistoryDialog> m_history;
    Credentials m_savedCredentials; // what the keyring holds, to tell "saved" from "edited"
    bool m_credentialsLoading = false;
    bool m_keychainBusy = false;
    // The last keyring failure (Ok when it works): the key lives in memory only.
    SecretStore::Status m_keyringProblem = SecretStore::Status::Ok;
    Outcome::Category m_fieldMessageCategory = Outcome::Category::Neutral;
};
