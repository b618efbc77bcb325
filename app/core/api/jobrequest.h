#pragma once

#include "apiconfig.h"
#include "jobresult.h"

#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class ActivityLog;
class ApiCall;
class QNetworkAccessManager;
struct ApiReply;

// One operation on one job — cancel it, or read it — as a thin reading of an ApiCall's reply: a job, or an error in
// words. A retried cancel that is refused (400/409) reads the job back, since an earlier attempt whose answer was lost
// may have done it; CancelVerdict judges the two (a job stopping or cancelled is accepted, and so is one the API says
// is being cancelled). Emits retryScheduled() before each wait and finished()
// exactly once, then deletes itself: hold it in a QPointer. abort() stops it at any point (ApiError::Kind::Stopped).
// Every log line it and its calls write starts with the job id. hold()/release() and stopRetrying() reach its call.
class JobRequest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobRequest)

public:
    enum class Action { Cancel, Retrieve, Pause, Resume };

    static constexpr qint64 maxJobBodyBytes = 8 * 1024 * 1024;

    // actionRequest: the POST (cancel) or GET (retrieve) to send; readRequest: the GET that reads the job back.
    // problem: config.problem(), asked once by the client for all its requests (it parses the base URL again); when
    // not empty, nothing is sent and the request finishes with it.
    JobRequest(QNetworkAccessManager* manager, const ApiConfig& config, const QString& problem, Action action,
               const QString& jobId, const QNetworkRequest& actionRequest, const QNetworkRequest& readRequest,
               ActivityLog* log, QObject* parent = nullptr);

    // What the job is (a fine-tuning job unless set before start()): how its answers parse.
    void setJobKind(JobKind kind) { m_jobKind = kind; }
    JobKind jobKind() const { return m_jobKind; }

    void start();
    void abort();
    // See ApiCall: a retry waits until release(); stopRetrying() makes the last answer final (and no job is read
    // back after a refusal).
    void hold();
    void release();
    void stopRetrying(const QString& note);

    QString jobId() const { return m_jobId; }
    Action action() const { return m_action; }
    bool isRunning() const { return !m_done; }
    // The HTTP status of the last attempt's answer (0 when there was none), e.g. 429 when a retry waits.
    int lastHttpStatus() const;
    // For tests: the retry policy (its random source and clock) of the call, once start() made it.
    ApiCall* call() const;

signals:
    // The next attempt (2, 3, …) starts after delayMs; maxAttempts counts the first one.
    void retryScheduled(int nextAttempt, int maxAttempts, int delayMs, const QString& reason);
    void finished(const JobResult& result);

private:
    ApiCall* makeCall(const QNetworkRequest& request, const QByteArray& verb, int maxRetries, int deadlineSeconds);
    JobResult resultOf(const ApiReply& reply) const;
    void onFinished(const ApiReply& reply);
    void onReadBack(const ApiReply& reply, const JobResult& refused);
    void finish(JobResult result);
    void log(const QString& message);

    QNetworkAccessManager* m_manager;
    ApiConfig m_config;
    QString m_problem;
    Action m_action;
    QString m_jobId;
    JobKind m_jobKind = JobKind::FineTuning;
    QNetworkRequest m_actionRequest;
    QNetworkRequest m_readRequest;
    QPointer<ActivityLog> m_log;
    QPointer<ApiCall> m_call;
    int m_lastStatus = 0;
    int m_attempts = 0;
    qint64 m_elapsedMs = 0;
    bool m_started = false;
    bool m_done = false;
    bool m_aborted = false;
    bool m_held = false;
    bool m_noRetry = false;
    QString m_noRetryNote;
};
