#pragma once

#include "apiconfig.h"
#include "jobid.h"
#include "jobpage.h"

#include <QObject>
#include <QPointer>
#include <QSet>

class ActivityLog;
class FineTuningClient;
class PageRequest;

// Reads a job's events, newest first, page after page, up to a limit, each event once (one seen before is dropped).
// What was read stays when a page fails: events() holds it and error() says what happened. A page that says
// "has_more" but brings no new event, or leads to a request made already, is such an error too ("The list did not
// end: …"), and then hasMore() is false. finished() once per start() or loadMore(). Events come as the provider
// keeps them (Dialect::eventsSource): a list of their own, or the job itself read once (hasMore() false); a provider
// with none finishes with isUnsupported() and no error: the view says unsupportedText() instead of failing.
class EventLister final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLister)

public:
    static constexpr int defaultLimit = 100;

    EventLister(const ApiConfig& config, ActivityLog* log, QObject* parent = nullptr);
    ~EventLister() override;

    void start(const JobId::Parsed& jobId, int limit = defaultLimit);
    // Reads up to count older events after those read (when hasMore()), keeping them; ignored while running.
    void loadMore(int count = defaultLimit);
    void abort();
    bool isRunning() const { return m_running; }

    QString jobId() const { return m_jobId.id; }
    const QList<JobEvent>& events() const { return m_events; }
    const ApiError& error() const { return m_error; }
    bool hasMore() const { return m_hasMore; } // the job has older events than were read
    bool isUnsupported() const { return m_unsupported; } // the provider keeps no events of its jobs
    QString unsupportedText() const; // "Together AI has no events list for its jobs." (translated)

signals:
    void finished();

private:
    void requestPage();
    void onPage(const PageResult& page);
    QString loopOf(const PageResult& page, const QList<JobEvent>& fresh, const QString& next) const;
    void finish();

    ApiConfig m_config;
    FineTuningClient* m_client;
    QPointer<PageRequest> m_request;
    JobId::Parsed m_jobId;
    QList<JobEvent> m_events;
    QSet<QString> m_seen; // the ids in m_events
    QSet<QString> m_cursorsUsed; // every "after" asked for since start()
    QString m_after; // the cursor of the next page: the last id of the page before
    int m_pages = 0;
    ApiError m_error;
    int m_limit = defaultLimit;
    bool m_running = false;
    bool m_hasMore = false;
    bool m_unsupported = false;
};
