#pragma once

#include "apierror.h"
#include "retrypolicy.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMetaType>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class ActivityLog;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

// What one logical HTTP call ended with: the last attempt's answer (status, content type, a capped body, the
// request id), or the transport failure that left it without one. Knows nothing of jobs.
struct ApiReply
{
    int httpStatus = 0; // of the last answer; 0 when there was none
    QByteArray contentType;
    QByteArray body; // at most the call's cap
    QString requestId; // x-request-id, raw (through the output gate before showing it)
    // No complete answer (network, timeout, the deadline, Stop), or one that is refused before reading it (too
    // large, a redirect). None when an answer arrived whole, whatever its status.
    ApiError error;
    QString note; // why no further attempt was made (a retry-after too long, the deadline), translated
    // The wait the server asked for when it was too long to sleep through (RetryPolicy::maxServerWaitMs); 0 otherwise.
    qint64 serverWaitMs = 0;
    int attempts = 0;
    qint64 elapsedMs = 0;

    bool hasAnswer() const { return !error.isError(); }
};
Q_DECLARE_METATYPE(ApiReply)

// One logical HTTP call: attempts under the official SDKs' RetryPolicy, each with its transfer timeout, all within
// an overall deadline, the body read up to a cap (Content-Length checked first, then every byte read), redirects
// refused and TLS errors named, never ignored. It knows nothing of jobs: the operation above it reads the reply.
// Signals: attemptStarted(n, of) as each attempt goes out, retryScheduled() before each wait, finished() exactly
// once, after which it deletes itself (hold it in a QPointer). abort() ends it at any point (error Stopped). Its log
// lines start with its subject ("ftjob-abc: HTTP 200 …"), so that calls running side by side can be told apart.
// hold() keeps a retry from going out until release(); stopRetrying() makes the last answer final.
class ApiCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiCall)

public:
    struct Limits
    {
        int maxRetries = RetryPolicy::defaultMaxRetries;
        int deadlineSeconds = 180; // the whole call, waits included
        qint64 maxBodyBytes = 8 * 1024 * 1024;
    };

    ApiCall(QNetworkAccessManager* manager, const QNetworkRequest& request, const QByteArray& verb,
            const Limits& limits, ActivityLog* log, QObject* parent = nullptr);

    void start();
    void abort();
    // What the call is about, for its log lines: a job id, "jobs list after ftjob-…". Set it before start().
    void setSubject(const QString& subject) { m_subject = subject; }
    // Holds the next attempt: a retry that is due (or becomes due) waits, and so does the overall deadline, until
    // release(); then the wait goes on with what was left of it. An attempt in flight is not touched.
    void hold();
    void release();
    bool isHeld() const { return m_held; }
    // No attempt after this one: a call waiting to retry ends at once with its last answer, one in flight when its
    // answer comes. note (translated) says why, after the answer's own message.
    void stopRetrying(const QString& note);
    // The HTTP status of the last answer (0 when there was none), e.g. 429 while a retry waits.
    int lastHttpStatus() const { return m_last.httpStatus; }
    // For tests: the policy's random source and clock.
    RetryPolicy& retryPolicy() { return m_policy; }

    // The proxy manager uses for url, found the way QNetworkAccessManager finds it (its own proxy or factory, else
    // the application's: the desktop's settings and HTTPS_PROXY / NO_PROXY once system configuration is on, or
    // QNetworkProxy::setApplicationProxy). NoProxy when the request goes straight to the host.
    static QNetworkProxy proxyFor(const QNetworkAccessManager* manager, const QUrl& url);
    // "host:port" of that proxy, for messages; empty when there is none.
    static QString proxyAddress(const QNetworkAccessManager* manager, const QUrl& url);

signals:
    void attemptStarted(int attempt, int maxAttempts);
    // The next attempt (2, 3, …) starts after delayMs; maxAttempts counts the first one.
    void retryScheduled(int nextAttempt, int maxAttempts, int delayMs, const QString& reason);
    void finished(const ApiReply& reply);

private:
    enum class Phase { Idle, Sending, Waiting, Done };

    void sendAttempt();
    void onMetaDataChanged();
    void onReadyRead();
    void onReplyFinished();
    void onDeadline();
    void takeBody(QNetworkReply* reply);
    ApiReply replyOf(QNetworkReply* reply);
    void scheduleRetry(const RetryPolicy::Decision& decision, ApiReply& result);
    ApiError noAnswerError(QNetworkReply* reply, int status, bool truncated) const;
    void finish(ApiReply reply);
    void log(const QString& message);
    int remainingMs() const;
    void suspendWait();

    QNetworkAccessManager* m_manager;
    QNetworkRequest m_request;
    QByteArray m_verb;
    Limits m_limits;
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
    bool m_sslUnknownIssuerOnly = false; // every TLS error of the attempt was about who issued the certificate
    bool m_aborted = false;
    bool m_deadlineHit = false;
    ApiReply m_last; // the last attempt's, for when a wait is interrupted
    QString m_subject;
    bool m_held = false;
    qint64 m_heldWaitMs = 0; // what was left of the wait when it was held
    qint64 m_heldDeadlineMs = 0; // what was left of the overall deadline then
    bool m_noRetry = false;
    QString m_noRetryNote;
};
