#include "eventlister.h"

#include "dialect.h"
#include "finetuningclient.h"
#include "outputgate.h"
#include "pagerequest.h"

#include <algorithm>

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
    m_seen.clear();
    m_cursorsUsed.clear();
    m_after.clear();
    m_pages = 0;
    m_error = ApiError();
    m_hasMore = false;
    m_unsupported = Dialect::of(m_config.provider).eventsSource(jobId.kind) == Dialect::EventsSource::None;
    m_running = true;
    if (m_unsupported) {
        // Not a failure: nothing to read. finished() stays asynchronous.
        QMetaObject::invokeMethod(
            this, [this] { finish(); }, Qt::QueuedConnection);
        return;
    }
    requestPage();
}

QString EventLister::unsupportedText() const
{
    if (m_jobId.kind == JobKind::Batch)
        return tr("Batches have no events list.");
    return tr("%1 has no events list for its jobs.").arg(Dialect::of(m_config.provider).info().displayName);
}

void EventLister::loadMore(int count)
{
    if (m_running || !m_hasMore || m_unsupported || m_jobId.id.isEmpty() || m_after.isEmpty())
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
    if (!m_after.isEmpty())
        m_cursorsUsed.insert(m_after);
    m_request = m_client->listEvents(m_jobId, m_after, qMin(100, m_limit - int(m_events.size())));
    connect(m_request, &PageRequest::finished, this, &EventLister::onPage);
}

void EventLister::onPage(const PageResult& page)
{
    m_request = nullptr;
    if (!page.isOk()) {
        m_error = page.error;
        return finish();
    }
    ++m_pages;
    // Each event once: one seen before is dropped (a page may overlap the one before). The next cursor is the last
    // id of the page as far as it was taken, also when that event was known already.
    QList<JobEvent> fresh;
    QSet<QString> onPage;
    QString next;
    for (const JobEvent& event : page.events) {
        if (!event.id.isEmpty() && (m_seen.contains(event.id) || onPage.contains(event.id))) {
            next = event.id;
            continue;
        }
        if (int(m_events.size() + fresh.size()) >= m_limit)
            break;
        if (!event.id.isEmpty()) {
            onPage.insert(event.id);
            next = event.id;
        }
        fresh << event;
    }
    if (const QString loop = page.hasMore ? loopOf(page, fresh, next) : QString(); !loop.isEmpty()) {
        m_error = ApiError::listDidNotEnd(page.httpStatus, loop);
        m_error.requestId = page.requestId;
        m_hasMore = false; // "load older" would ask the same again
        return finish();
    }
    for (const JobEvent& event : std::as_const(fresh)) {
        if (!event.id.isEmpty())
            m_seen.insert(event.id);
        m_events << event;
    }
    m_after = next;
    m_hasMore = page.hasMore;
    // More wanted, more there, and a cursor to ask for it with.
    if (page.hasMore && int(m_events.size()) < m_limit && !m_after.isEmpty())
        return requestPage();
    finish();
}

// A list that says there is more but does not move on would loop, or end quietly as if it were complete: why this
// page does not move on, or "" when it does. An event without an id is kept, but it is no progress: nothing can be
// asked for after it.
QString EventLister::loopOf(const PageResult& page, const QList<JobEvent>& fresh, const QString& next) const
{
    QString loop;
    const auto hasId = [](const JobEvent& e) {
        return !e.id.isEmpty();
    };
    const auto firstWithId = std::find_if(page.events.cbegin(), page.events.cend(), hasId);
    if (std::none_of(fresh.cbegin(), fresh.cend(), hasId)) {
        loop = firstWithId == page.events.cend()
            ? tr("page %1 of the events brought no new event while saying there were more.").arg(m_pages)
            : tr("page %1 of the events brought only events already read (%2) while saying there were more.")
                  .arg(m_pages)
                  .arg(OutputGate::clean(firstWithId->id, 100));
    } else if (m_cursorsUsed.contains(next)) {
        loop = tr("page %1 of the events leads back to a request made already (after %2) while saying there "
                  "were more.")
                   .arg(m_pages)
                   .arg(OutputGate::clean(next, 100));
    }
    return loop;
}

void EventLister::finish()
{
    m_running = false;
    emit finished();
}
