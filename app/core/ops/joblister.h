#pragma once

#include "apiconfig.h"
#include "finetuningjob.h"
#include "joblimits.h"
#include "jobpage.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <utility>

class ActivityLog;
class FineTuningClient;
class PageRequest;

// Reads the account's jobs, page after page as the provider pages them (Dialect::paging: after / has_more; page
// numbers until the total or an empty page; one unpaged read), until the list ends or a cap is reached. What was
// read stays when a page fails mid-way: jobs() then holds the pages before it and error() says what happened. A list
// that says "has_more" but does not move on (a page that repeats a job or brings none) is such an error too ("The
// list did not end: …"), never a complete list. pageRead(jobs) with the jobs each page added, then
// pageLoaded(total); finished() once. It reads the kinds of job it is given (setKinds(): fine-tuning jobs unless
// told), one after the other, each its own list up to the cap; kinds the provider does not run are passed over.
class JobLister final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobLister)

public:
    static constexpr int defaultCap = Limits::defaultListCap;
    static constexpr int pageSize = 100; // the API's largest page

    JobLister(const ApiConfig& config, ActivityLog* log, QObject* parent = nullptr);
    ~JobLister() override;

    // The kinds of job to read, in this order (those the provider does not run are passed over). Not while running.
    void setKinds(const QList<JobKind>& kinds);
    const QList<JobKind>& kinds() const { return m_kinds; }

    // Reads at most cap jobs of each kind.
    void start(int cap = defaultCap);
    void abort();
    bool isRunning() const { return m_running; }

    const QList<FineTuningJob>& jobs() const { return m_jobs; } // as the API lists them: newest first
    QList<FineTuningJob> takeJobs() { return std::exchange(m_jobs, {}); } // jobs(), given away
    const QSet<QString>& ids() const { return m_seen; } // the ids of the jobs read (also after takeJobs())
    const ApiError& error() const { return m_error; }
    bool reachedCap() const { return m_reachedCap; } // more jobs (of some kind) exist than were read
    int pages() const { return m_pages; }
    // Kinds after the first whose list the server does not have (HTTP 404 on its first page: an OpenAI-compatible
    // server without batches, an Azure API version without them): nothing of that kind can run there, so the read
    // goes on without them, and says so in the log.
    const QList<JobKind>& missingKinds() const { return m_missingKinds; }

    // Jobs that can still be cancelled (not succeeded, failed or cancelled) first, then newest first.
    static void sortActiveFirst(QList<FineTuningJob>& jobs);
    // The order of sortActiveFirst: a before b.
    static bool listsBefore(const FineTuningJob& a, const FineTuningJob& b);

signals:
    void pageRead(const QList<FineTuningJob>& added); // the jobs this page added, in the API's order
    void pageLoaded(int total);
    void finished();

private:
    void requestPage();
    // Goes on with the next kind the provider runs, or finishes.
    void nextKind();
    JobKind kind() const { return m_kinds.value(m_kindIndex, JobKind::FineTuning); }
    // Jobs read of the kind being read.
    int ofKind() const { return int(m_jobs.size() - m_kindStart); }
    void onPage(const PageResult& page);
    void finish();
    QString loopOf(const PageResult& page) const;
    // Whether the list goes on after this page, as the provider says it.
    bool hasMore(const PageResult& page) const;
    // How many jobs of the page were not listed before.
    int newOn(const PageResult& page) const;

    ApiConfig m_config;
    FineTuningClient* m_client;
    QPointer<PageRequest> m_request;
    QList<FineTuningJob> m_jobs;
    QSet<QString> m_seen; // the ids in m_jobs
    ApiError m_error;
    int m_cap = defaultCap;
    int m_pages = 0; // of every kind
    QList<JobKind> m_kinds = {JobKind::FineTuning};
    int m_kindIndex = 0;
    int m_kindPages = 0; // of the kind being read
    qsizetype m_kindStart = 0; // where its jobs start in m_jobs
    bool m_running = false;
    bool m_reachedCap = false;
    QList<JobKind> m_missingKinds;
    QPointer<ActivityLog> m_log;
};
