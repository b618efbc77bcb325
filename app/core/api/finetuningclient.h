#pragma once

#include "apiconfig.h"
#include "jobid.h"

#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QSet>

class ActivityLog;
class JobRequest;
class PageRequest;
class QNetworkAccessManager;
class QNetworkReply;

// Entry point to the fine-tuning API of the configuration's provider (its Dialect says where and how): holds the
// network managers and the configuration, builds the requests and hands out one JobRequest per operation, which sends
// them through an ApiCall and never calls back here. Requests only take ids that went through JobId::parse. As many
// requests go out at once as are started: over HTTP/2 on one connection, over HTTP/1.1 spread over as many managers as
// it takes.
class FineTuningClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FineTuningClient)

public:
    explicit FineTuningClient(QObject* parent = nullptr);

    void setConfig(const ApiConfig& config);
    const ApiConfig& config() const { return m_config; }
    void setLog(ActivityLog* log);

    // Started requests; each finishes (asynchronously) with a JobResult and deletes itself. The id's kind says which
    // of the provider's APIs is asked (fine-tuning, batches).
    JobRequest* cancelJob(const JobId::Parsed& jobId);
    JobRequest* retrieveJob(const JobId::Parsed& jobId);
    // POST …/pause and …/resume (OpenAI and Azure fine-tuning). For a provider or kind without them (Dialect::offers)
    // nothing is sent: the request finishes with an input error.
    JobRequest* pauseJob(const JobId::Parsed& jobId);
    JobRequest* resumeJob(const JobId::Parsed& jobId);
    // A page of the account's jobs, newest first, as the provider pages (Dialect::paging): limit (1–100) after the
    // job id `cursor` (empty: from the newest), or page number `cursor` ("" = 0), or the whole list unpaged.
    PageRequest* listJobs(const QString& cursor, int limit, JobKind kind = JobKind::FineTuning);
    // A page of a job's events, newest first: from the provider's events list, or the job itself (Mistral). A
    // provider with neither gets a request that finishes with an input error (EventLister asks first).
    PageRequest* listEvents(const JobId::Parsed& jobId, const QString& after, int limit);

    // OpenAI's {base}/fine_tuning/jobs/{id}[/{action}], the id percent-encoded as one path segment; an invalid QUrl
    // for an id that cannot be one segment (empty, or starting with a dot). Other providers: Dialect::url.
    static QUrl jobUrl(const QUrl& base, const QString& jobId, const QString& action);
    // The request to url with the headers every request of the configuration carries, the provider's authorisation
    // (Dialect::authorise) among them.
    static QNetworkRequest buildRequest(const ApiConfig& config, const QUrl& url);
    // OpenAI's {base}/fine_tuning/jobs[/{id}/events]?limit=…[&after=…], keeping the base URL's own query.
    static QUrl listUrl(const QUrl& base, const QString& jobId, const QString& after, int limit);

    // Qt opens at most this many HTTP/1.1 connections to one host per QNetworkAccessManager (and has no setting for
    // it in 6.4), queueing the other requests: a manager takes this many requests at once before another is made.
    static constexpr int requestsPerManager = 6;
    // For tests: the managers made so far (one to begin with).
    int managerCount() const { return int(m_managers.size()); }

private:
    struct Manager
    {
        QNetworkAccessManager* manager = nullptr;
        int running = 0; // requests handed out and not finished
    };

    JobRequest* startRequest(int action, const JobId::Parsed& jobId);
    // buildRequest() for this client's configuration, from the headers built once in setConfig(); a POST also has
    // a content type.
    QNetworkRequest requestFor(const QUrl& url, bool post = false) const;
    // Which manager sends the next request: the first with room for it, a new one when none has.
    int pickManager();
    // The request counts against its manager until it finishes.
    template <typename Request> void track(Request* request, int manager);
    void addManager();
    void onReplyFinished(QNetworkReply* reply);

    QList<Manager> m_managers;
    QSet<QString> m_http2Origins; // scheme://host:port that answered over HTTP/2: one connection carries them all
    QString m_origin; // the base URL's
    ApiConfig m_config;
    QPointer<ActivityLog> m_log;
    QNetworkRequest m_template; // what every request of the configuration carries: headers, timeout, attributes
    QNetworkRequest m_postTemplate;
    QString m_problem; // the configuration's problem(), asked once
    bool m_usable = false; // it has none
    QString m_description; // describe(), when usable
    QString m_lastDescription; // the configuration as last logged
};
