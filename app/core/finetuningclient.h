#pragma once

#include "apiconfig.h"
#include "jobid.h"

#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class ActivityLog;
class JobRequest;
class PageRequest;
class QNetworkAccessManager;

// Entry point to the fine-tuning API (OpenAI's addressing and headers): holds the network manager and the
// configuration, builds the requests and hands out one JobRequest per operation, which sends them through an
// ApiCall and never calls back here. Requests only take ids that went through JobId::parse.
class FineTuningClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FineTuningClient)

public:
    explicit FineTuningClient(QObject* parent = nullptr);

    void setConfig(const ApiConfig& config) { m_config = config; }
    const ApiConfig& config() const { return m_config; }
    void setLog(ActivityLog* log);

    // Started requests; each finishes (asynchronously) with a JobResult and deletes itself.
    JobRequest* cancelJob(const JobId::Parsed& jobId);
    JobRequest* retrieveJob(const JobId::Parsed& jobId);
    // A page of the account's jobs, newest first: limit (1–100) after the job id `after` (empty: from the newest).
    PageRequest* listJobs(const QString& after, int limit);
    // A page of a job's events, newest first.
    PageRequest* listEvents(const JobId::Parsed& jobId, const QString& after, int limit);

    // {base}/fine_tuning/jobs/{id}[/{action}], the id percent-encoded as one path segment; an invalid QUrl for an
    // id that cannot be one segment (empty, or starting with a dot).
    static QUrl jobUrl(const QUrl& base, const QString& jobId, const QString& action);
    static QNetworkRequest buildRequest(const ApiConfig& config, const QUrl& url);
    // {base}/fine_tuning/jobs[/{id}/events]?limit=…[&after=…], keeping the base URL's own query (api-version).
    static QUrl listUrl(const QUrl& base, const QString& jobId, const QString& after, int limit);

private:
    JobRequest* startRequest(int action, const JobId::Parsed& jobId);

    QNetworkAccessManager* m_manager;
    ApiConfig m_config;
    QPointer<ActivityLog> m_log;
    QString m_lastDescription; // the configuration as last logged
};
