#pragma once

#include "apiconfig.h"
#include "jobresult.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class ActivityLog;
class QNetworkAccessManager;
class QNetworkReply;

// One request about one job (cancel it, or read it). Emits finished() exactly once, then deletes itself;
// hold it in a QPointer. abort() stops it and reports ApiError::Kind::Cancelled.
class JobRequest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobRequest)

public:
    enum class Action { Cancel, Retrieve };

    JobRequest(QNetworkAccessManager* manager, const ApiConfig& config, Action action, const QString& jobId,
               ActivityLog* log, QObject* parent = nullptr);

    void start();
    void abort();

    QString jobId() const { return m_jobId; }
    Action action() const { return m_action; }
    bool isRunning() const { return !m_done; }

signals:
    void finished(const JobResult& result);

private:
    void onReplyFinished();
    void finish(JobResult result);
    void log(const QString& message);

    QNetworkAccessManager* m_manager;
    ApiConfig m_config;
    Action m_action;
    QString m_jobId;
    QPointer<ActivityLog> m_log;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_elapsed;
    bool m_abortedByUser = false;
    bool m_done = false;
};
