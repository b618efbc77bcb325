#pragma once

#include "apiconfig.h"
#include "jobresult.h"
#include "retrypolicy.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class ActivityLog;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

// One operation on one job (cancel it, or read it), with the SDKs' retry policy, a per-attempt timeout, an overall
// deadline and a cap on what is read. Emits retryScheduled() before each wait and finished() exactly once, then
// deletes itself: hold it in a QPointer. abort() stops it at any point and reports ApiError::Kind::Stopped.
class JobRequest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobRequest)

public:
    enum class Action { Cancel, Retrieve };

    static constexpr qint64 maxJobBodyBytes = 8 * 1024 * 1024;

    JobRequest(QNetworkAccessManager* manager, const ApiConfig& config, Action action, const QString& jobId,
               ActivityLog* log, QObject* parent = nullptr);

    void start();
    void abort();

    QString jobId() const { return m_jobId; }
    Action action() const { return m_action; }
    bool isRunning() const { return m_phase != Phase::Done; }
    // The HTTP status of the last attempt's answer (0 when there was none), e.g. 429 when a retry waits.
    int lastHttpStatus() const { return m_lastResult.httpStatus; }
    // For tests: the policy's random source and clock.
    RetryPolicy& retryPolicy() { return m_policy; }

signals:
    // The next attempt (2, 3, …) starts after delayMs; maxAttempts counts the first one.
    void retryScheduled(int nextAttempt, int maxAttempts, int delayMs, const QString& reason);
    void finished(const JobResult& result);

private:
    enum class Phase { Idle, Sending, Waiting, Verifying, Done };

    void sendAttempt();
    void send(bool retrieve);
    void onReadyRead();
    void onMetaDataChanged();
    void onReplyFinished();
    void onDeadline();
    JobResult resultOfReply(QNetworkReply* reply);
    void afterAttempt(JobResult result, const RetryPolicy::Attempt& attempt);
    void verifyAfterRefusal(const JobResult& refused);
    void finish(JobResult result);
    void log(const QString& message);
    int remainingMs() const;

    QNetworkAccessManager* m_manager;
    ApiConfig m_config;
    Action m_action;
    QString m_jobId;
    QPointer<ActivityLog> m_log;
    QPointer<QNetworkReply> m_reply;
    QTimer* m_waitTimer;
    QTimer* m_deadlineTimer;
    RetryPolicy m_policy;
    QElapsedTimer m_elapsed;
    QElapsedTimer m_attemptElapsed;
    QDeadlineTimer m_deadline;
    Phase m_phase = Phase::Idle;
    int m_attempts = 0;
    qint64 m_attemptTimeoutMs = 0; // the transfer timeout of the attempt in flight
    QByteArray m_body;
    bool m_tooLarge = false;
    QStringList m_sslErrors;
    bool m_abortedByUser = false;
    bool m_deadlineHit = false;
    JobResult m_lastResult; // of the last attempt, for when a wait is interrupted
};
