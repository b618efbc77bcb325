#pragma once

#include "apiconfig.h"
#include "jobid.h"
#include "jobpage.h"

#include <QObject>
#include <QPointer>

class ActivityLog;
class FineTuningClient;
class PageRequest;

// Reads a job's events, newest first, page after page, up to a limit. What was read stays when a page fails:
// events() holds it and error() says what happened. finished() once per start() or loadMore().
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

signals:
    void finished();

private:
    void requestPage();
    void onPage(const PageResult& page);

    ApiConfig m_config;
    FineTuningClient* m_client;
    QPointer<PageRequest> m_request;
    JobId::Parsed m_jobId;
    QList<JobEvent> m_events;
    ApiError m_error;
    int m_limit = defaultLimit;
    bool m_running = false;
    bool m_hasMore = false;
};
