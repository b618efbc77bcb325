#include "joblister.h"

#include "activitylog.h"
#include "dialect.h"
#include "finetuningclient.h"
#include "outputgate.h"
#include "pagerequest.h"

#include <QSet>
#include <algorithm>

JobLister::JobLister(const ApiConfig& config, ActivityLog* log, QObject* parent)
    : QObject(parent), m_config(config), m_client(new FineTuningClient(this)), m_log(log)
{
    OutputGate::addSecret(m_config.apiKey);
    m_client->setConfig(m_config);
    m_client->setLog(log);
}

JobLister::~JobLister()
{
    if (m_request)
        m_request->disconnect(this);
}

void JobLister::start(int cap)
{
    if (m_running)
        return;
    m_cap = qMax(1, cap);
    m_jobs.clear();
    m_seen.clear();
    m_error = ApiError();
    m_pages = 0;
    m_reachedCap = false;
    m_missingKinds.clear();
    m_running = true;
    m_kindIndex = -1;
    nextKind();
}

void JobLister::setKinds(const QList<JobKind>& kinds)
{
    if (!m_running && !kinds.isEmpty())
        m_kinds = kinds;
}

void JobLister::nextKind()
{
    const Dialect& dialect = Dialect::of(m_config.provider);
    while (++m_kindIndex < m_kinds.size()) {
        if (dialect.hasList(kind())) {
            m_kindPages = 0;
            m_kindStart = m_jobs.size();
            return requestPage();
        }
    }
    finish();
}

void JobLister::abort()
{
    if (m_request)
        m_request->abort(); // finishes synchronously with "stopped"
}

void JobLister::requestPage()
{
    const Dialect::Paging paging = Dialect::of(m_config.provider).paging(kind());
    QString cursor;
    int limit = pageSize;
    if (paging == Dialect::Paging::Cursor) {
        // The cursor: the last id of the page before (new, as loopOf() saw to).
        cursor = m_jobs.size() == m_kindStart ? QString() : m_jobs.constLast().id;
        limit = qMin(pageSize, m_cap - ofKind());
    } else if (paging == Dialect::Paging::PageNumber) {
        // Numbered pages keep their size: a smaller last one would move where every page starts.
        cursor = QString::number(m_kindPages);
    }
    m_request = m_client->listJobs(cursor, limit, kind());
    connect(m_request, &PageRequest::finished, this, &JobLister::onPage);
}

void JobLister::onPage(const PageResult& page)
{
    m_request = nullptr;
    if (!page.isOk() && page.error.httpStatus == 404 && m_kindPages == 0 && m_kindIndex > 0) {
        // No such list on this server (404 before any page of the kind): none of that kind runs here.
        m_missingKinds << kind();
        if (m_log)
            m_log->add(tr("The server has no list of %1 (HTTP 404); read without them.")
                           .arg(kind() == JobKind::Batch ? tr("batches") : tr("fine-tuning jobs")));
        return nextKind();
    }
    if (!page.isOk()) {
        m_error = page.error;
        return finish();
    }
    ++m_pages;
    ++m_kindPages;
    const bool more = hasMore(page);
    // A list that says there is more but does not move on is not complete: reading it to the end would loop, and
    // stopping quietly would pass the jobs read so far off as all there are (and "stop everything" would cancel
    // those and miss the rest). Nothing of such a page is taken.
    if (more) {
        if (const QString loop = loopOf(page); !loop.isEmpty()) {
            m_error = ApiError::listDidNotEnd(page.httpStatus, loop);
            m_error.requestId = page.requestId;
            return finish();
        }
    }
    // The set grows with the list (rebuilding it for every page made reading 10,000 jobs quadratic). The last page
    // may repeat a job (the list ended): each job is kept once.
    const qsizetype before = m_jobs.size();
    for (const FineTuningJob& job : page.jobs) {
        if (m_seen.contains(job.id) || ofKind() >= m_cap)
            continue;
        m_seen.insert(job.id);
        m_jobs << job;
    }
    if (m_jobs.size() > before)
        emit pageRead(m_jobs.mid(before));
    emit pageLoaded(int(m_jobs.size()));
    if (!more)
        return nextKind();
    if (ofKind() >= m_cap) {
        m_reachedCap = true;
        return nextKind();
    }
    requestPage();
}

bool JobLister::hasMore(const PageResult& page) const
{
    switch (Dialect::of(m_config.provider).paging(kind())) {
    case Dialect::Paging::Cursor:
        return page.hasMore;
    case Dialect::Paging::PageNumber:
        // Until an empty page, or as many jobs as the list's total (when it says one) have been listed.
        return !page.jobs.isEmpty() && (page.total < 0 || ofKind() + int(newOn(page)) < page.total);
    case Dialect::Paging::None:
        break;
    }
    return false;
}

int JobLister::newOn(const PageResult& page) const
{
    QSet<QString> fresh;
    for (const FineTuningJob& job : page.jobs) {
        if (!m_seen.contains(job.id))
            fresh.insert(job.id);
    }
    return int(fresh.size());
}

// Why a page that says "has_more" does not lead on, in words for the operator; empty when it does. A repeated cursor
// needs no rule of its own: the next one is the page's last id, which is new when no job of the page was seen.
QString JobLister::loopOf(const PageResult& page) const
{
    if (page.jobs.isEmpty())
        return tr("page %1 brought no job while saying there were more.").arg(m_kindPages);
    // Numbered pages may overlap when jobs are created meanwhile: only a page with nothing new is a loop.
    if (Dialect::of(m_config.provider).paging(kind()) == Dialect::Paging::PageNumber)
        return newOn(page) > 0
            ? QString()
            : tr("page %1 brought only jobs already listed while the total said there were more.").arg(m_kindPages);
    QSet<QString> onPage;
    QStringList repeated;
    for (const FineTuningJob& job : page.jobs) {
        if (m_seen.contains(job.id) || onPage.contains(job.id))
            repeated << job.id;
        onPage.insert(job.id);
    }
    if (repeated.isEmpty())
        return QString();
    QStringList named;
    for (const QString& id : repeated.mid(0, 3))
        named << OutputGate::clean(id, 100);
    if (repeated.size() > named.size())
        named << QStringLiteral("…");
    return tr("page %1 repeated %n job(s) already listed (%2) while saying there were more.", nullptr,
              int(repeated.size()))
        .arg(m_kindPages)
        .arg(named.join(QStringLiteral(", ")));
}

void JobLister::finish()
{
    m_running = false;
    emit finished();
}

bool JobLister::listsBefore(const FineTuningJob& a, const FineTuningJob& b)
{
    return FineTuningJob::listsBefore(a, b);
}

void JobLister::sortActiveFirst(QList<FineTuningJob>& jobs)
{
    std::stable_sort(jobs.begin(), jobs.end(),
                     [](const FineTuningJob& a, const FineTuningJob& b) { return FineTuningJob::listsBefore(a, b); });
}
