#include "eventlister.h"

#include "finetuningclient.h"
#include "outputgate.h"
#include "pagerequest.h"

EventLister::EventLister(const ApiConfig& config, ActivityLog* log, QObject* parent)
    : QObject(parent), m_config(config), m_client(new FineTuningClient(this))
{
    OutputGate::addSecret(m_config.apiKey);
    m_client->setConfig(m_config);
    m_client->setLog(log);
}

EventLister::~EventLister()
{
    if (m_request)
        m_request->disconnect(this);
}

void EventLister::start(const JobId::Parsed& jobId, int limit)
{
    if (m_running)
        return;
    m_jobId = jobId;
    m_limit = qMax(1, limit);
    m_events.clear();
    m_error = ApiError();
    m_hasMore = false;
    m_running = true;
    requestPage();
}

void EventLister::loadMore(int count)
{
    if (m_running || !m_hasMore || m_jobId.id.isEmpty() || m_events.isEmpty() || m_events.constLast().id.isEmpty())
        return;
    m_limit = int(m_events.size()) + qMax(1, count);
    m_error = ApiError();
    m_running = true;
    requestPage();
}

void EventLister::abort()
{
    if (m_request)
        m_request->abort();
}

void EventLister::requestPage()
{
    const QString after = m_events.isEmpty() ? QString() : m_events.constLast().id;
    m_request = m_client->listEvents(m_jobId, after, qMin(100, m_limit - int(m_events.size())));
    connect(m_request, &PageRequest::finished, this, &EventLister::onPage);
}

void EventLister::onPage(const PageResult& page)
{
    m_request = nullptr;
    if (!page.isOk()) {
        m_error = page.error;
        m_running = false;
        emit finished();
        return;
    }
    const qsizetype before = m_events.size();
    for (const JobEvent& event : page.events) {
        if (int(m_events.size()) < m_limit)
            m_events << event;
    }
    m_hasMore = page.hasMore;
    // More wanted, more there, and this page moved on (an event without an id cannot be paged after).
    if (page.hasMore && int(m_events.size()) < m_limit && m_events.size() > before
        && !m_events.constLast().id.isEmpty())
        return requestPage();
    m_running = false;
    emit finished();
}
