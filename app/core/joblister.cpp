#include "joblister.h"

#include "activitylog.h"
#include "finetuningclient.h"
#include "outputgate.h"
#include "pagerequest.h"

#include <QSet>
#include <algorithm>

JobLister::JobLister(const ApiConfig& config, ActivityLog* log, QObject* parent)
    : QObject(parent), m_config(config), m_client(new FineTuningClient(this))
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
    m_running = true;
    requestPage();
}

void JobLister::abort()
{
    if (m_request)
        m_request->abort(); // finishes synchronously with "stopped"
}

void JobLister::requestPage()
{
    const QString after = m_jobs.isEmpty() ? QString() : m_jobs.constLast().id;
    const int limit = qMin(pageSize, m_cap - int(m_jobs.size()));
    m_request = m_client->listJobs(after, limit);
    connect(m_request, &PageRequest::finished, this, &JobLister::onPage);
}

void JobLister::onPage(const PageResult& page)
{
    m_request = nullptr;
    if (!page.isOk()) {
        m_error = page.error;
        return finish();
    }
    ++m_pages;
    // A server that repeats itself must not make the list loop: an id seen before ends it. The set grows with the
    // list (rebuilding it for every page made reading 10,000 jobs quadratic).
    int added = 0;
    for (const FineTuningJob& job : page.jobs) {
        if (m_seen.contains(job.id) || int(m_jobs.size()) >= m_cap)
            continue;
        m_seen.insert(job.id);
        m_jobs << job;
        ++added;
    }
    emit pageLoaded(int(m_jobs.size()));
    if (!page.hasMore || added == 0)
        return finish();
    if (int(m_jobs.size()) >= m_cap) {
        m_reachedCap = true;
        return finish();
    }
    requestPage();
}

void JobLister::finish()
{
    m_running = false;
    emit finished();
}

bool JobLister::listsBefore(const FineTuningJob& a, const FineTuningJob& b)
{
    if (a.isTerminal() != b.isTerminal())
        return !a.isTerminal();
    return a.createdAt > b.createdAt;
}

void JobLister::sortActiveFirst(QList<FineTuningJob>& jobs)
{
    std::stable_sort(jobs.begin(), jobs.end(), &JobLister::listsBefore);
}
