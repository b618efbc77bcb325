#pragma once

#include "apiconfig.h"
#include "jobpage.h"

#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class ActivityLog;
class ApiCall;
class QNetworkAccessManager;
struct ApiReply;

// One page of a list — the account's jobs, or a job's events — read through an ApiCall (retries, deadline, cap)
// and parsed into a PageResult. Emits finished() exactly once, then deletes itself: hold it in a QPointer.
// abort() stops it (ApiError::Kind::Stopped).
class PageRequest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PageRequest)

public:
    enum class Kind { Jobs, Events };

    static constexpr qint64 maxPageBodyBytes = 16 * 1024 * 1024; // 100 jobs are far less

    PageRequest(QNetworkAccessManager* manager, const ApiConfig& config, Kind kind, const QNetworkRequest& request,
                ActivityLog* log, QObject* parent = nullptr);

    void start();
    void abort();
    Kind kind() const { return m_kind; }
    // What the jobs of a list are (fine-tuning jobs unless set before start()).
    void setJobKind(JobKind kind) { m_jobKind = kind; }

signals:
    void retryScheduled(int nextAttempt, int maxAttempts, int delayMs, const QString& reason);
    void finished(const PageResult& result);

private:
    void onFinished(const ApiReply& reply);
    void finish(const PageResult& result);
    // "jobs list after ftjob-…", "events of ftjob-…": the start of each of its log lines.
    QString subject() const;

    QNetworkAccessManager* m_manager;
    ApiConfig m_config;
    Kind m_kind;
    JobKind m_jobKind = JobKind::FineTuning;
    QNetworkRequest m_request;
    QPointer<ActivityLog> m_log;
    QPointer<ApiCall> m_call;
    bool m_started = false;
    bool m_done = false;
};
