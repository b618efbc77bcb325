#pragma once

#include "jobresult.h"
#include "secretstore.h"

#include <QDeadlineTimer>
#include <QMainWindow>
#include <QPointer>
#include <memory>

namespace Ui {
class MainWindow;
}
class ActivityLog;
class FineTuningClient;
class HistoryDialog;
class JobRequest;
class QTimer;

// The FtCancel window: credentials (kept by SecretStore), a job id, a Cancel/Stop button, the outcome and the
// log. Wiring only: ids are parsed by JobId, requests made by FineTuningClient, lines kept by ActivityLog.
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

private:
    void cancelOrStop();
    void startCancel();
    void onCancelFinished(const JobResult& result);
    void recordAttempt(const JobResult& result);
    void showResult(const JobResult& result);
    void setBusy(bool busy);
    void onRetryScheduled(int attempt, int maxAttempts, int delayMs, const QString& reason);
    void updateCountdown();

    void setCredentialsLoading(bool loading);
    void onCredentialsLoaded(const Credentials& credentials, const SecretStore::Outcome& outcome);
    void saveCredentials();
    void forgetCredentials();
    void onKeychainFailure(const SecretStore::Outcome& outcome, const QString& consequence);
    Credentials credentialsFromFields() const;
    void updateCredentialsState();

    void showJobIdMessage(const QString& text, bool isError);
    void copyLog();
    void saveLog();
    void openSettings();
    void openHistory();
    void showAbout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ActivityLog* m_log;
    FineTuningClient* m_client;
    SecretStore* m_store;
    QPointer<JobRequest> m_request;
    QTimer* m_countdownTimer;
    QDeadlineTimer m_retryAt;
    QString m_retryText; // "attempt 2 of 3: HTTP 500", shown under the countdown
    QPointer<HistoryDialog> m_history;
    Credentials m_savedCredentials; // what the keyring holds, to tell "saved" from "edited"
    bool m_credentialsLoading = false;
    bool m_keychainBusy = false;
    // The last keyring failure (Ok when it works): the key lives in memory only.
    SecretStore::Status m_keyringProblem = SecretStore::Status::Ok;
};
