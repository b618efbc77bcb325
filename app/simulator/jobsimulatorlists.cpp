// The list, events and observability parts of JobSimulator (jobsimulator.cpp holds jobs, requests and state).
#include "jobsimulator.h"

#include "simdialect.h"

#include <QJsonArray>
#include <QUrlQuery>

#include <algorithm>

namespace {

QUrlQuery queryOf(const RecordedRequest& request)
{
    const qsizetype mark = request.target.indexOf('?');
    return QUrlQuery(mark < 0 ? QString() : QString::fromUtf8(request.target.mid(mark + 1)));
}

} // namespace

FakeResponse JobSimulator::listPage(const QStringList& ids, bool hasMore) const
{
    QJsonArray data;
    bool batches = false; // the page of the kind of the jobs it shows
    for (const QString& id : ids) {
        const auto it = m_jobs.constFind(id);
        if (it != m_jobs.cend()) {
            data.append(jobJson(it->job, Route(), false));
            batches = it->job.kind == JobKind::Batch;
        }
    }
    if (batches)
        return m_dialect->batchList(data, hasMore, jobCount());
    return SimDialect::jsonAnswer(m_dialect->listEnvelope(data, hasMore, jobCount()));
}

FakeResponse JobSimulator::eventsPage(const QString& id, const QStringList& eventIds, bool hasMore) const
{
    QJsonArray data;
    const auto it = m_jobs.constFind(id);
    for (const QString& eventId : eventIds) {
        if (it == m_jobs.cend())
            break;
        const auto found = std::find_if(it->job.events.cbegin(), it->job.events.cend(),
                                        [&eventId](const SimulatedEvent& event) { return event.id == eventId; });
        if (found != it->job.events.cend())
            data.append(m_dialect->eventJson(*found));
    }
    return SimDialect::jsonAnswer(m_dialect->listEnvelope(data, hasMore, data.size()));
}

FakeResponse JobSimulator::overloaded()
{
    return FakeResponse::apiError(503, QStringLiteral("The server is overloaded or not ready yet."),
                                  QStringLiteral("server_error"), QString());
}

FakeResponse JobSimulator::rateLimited(int retryAfterSeconds)
{
    return FakeResponse::apiError(429, QStringLiteral("Rate limit reached for requests. Please try again later."),
                                  QStringLiteral("requests"), QStringLiteral("rate_limit_exceeded"))
        .withHeader("retry-after", QByteArray::number(retryAfterSeconds));
}

FakeResponse JobSimulator::rateLimitedMs(int retryAfterMs)
{
    return FakeResponse::apiError(429, QStringLiteral("Rate limit reached for requests. Please try again later."),
                                  QStringLiteral("requests"), QStringLiteral("rate_limit_exceeded"))
        .withHeader("retry-after-ms", QByteArray::number(retryAfterMs));
}

FakeResponse JobSimulator::serverError(bool shouldRetry)
{
    return FakeResponse::apiError(500,
                                  QStringLiteral("The server had an error while processing your request. Sorry about "
                                                 "that!"),
                                  QStringLiteral("server_error"), QString())
        .withHeader("x-should-retry", shouldRetry ? "true" : "false");
}

FakeResponse JobSimulator::hang()
{
    return FakeResponse().withBehavior(FakeResponse::Behavior::NeverAnswer);
}

FakeResponse JobSimulator::closeConnection()
{
    return FakeResponse().withBehavior(FakeResponse::Behavior::CloseConnection);
}

// ---- observability ----

int JobSimulator::requestCount(RequestKind kind) const
{
    return m_requestsByKind.value(kind);
}

int JobSimulator::cancelRequestCount(const QString& id) const
{
    return m_cancelsById.value(id);
}

int JobSimulator::listRequestCount(JobKind kind) const
{
    return m_listsByKind.value(kind);
}

void JobSimulator::resetCounters()
{
    m_requestCount = 0;
    m_requestsByKind.clear();
    m_listsByKind.clear();
    m_cancelsById.clear();
    m_maxInFlight = m_inFlight;
    m_log.clear();
}

QList<SimulatedRequest> JobSimulator::requests(RequestKind kind) const
{
    QList<SimulatedRequest> matching;
    for (const SimulatedRequest& request : m_log) {
        if (request.kind == int(kind))
            matching.append(request);
    }
    return matching;
}

SimulatedRequest JobSimulator::lastRequest() const
{
    return m_log.isEmpty() ? SimulatedRequest() : m_log.constLast();
}

void JobSimulator::clearRequests()
{
    m_log.clear();
}

void JobSimulator::setRecording(bool on)
{
    m_recording = on;
}

void JobSimulator::record(const RecordedRequest& request, const Route& where, int status)
{
    if (!m_recording)
        return;
    SimulatedRequest entry;
    entry.method = request.method;
    entry.path = QString::fromUtf8(request.path());
    const qsizetype mark = request.target.indexOf('?');
    if (mark >= 0)
        entry.query = QString::fromUtf8(request.target.mid(mark + 1));
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it)
        entry.headers.append({it.key(), it.value()});
    entry.kind = int(where.kind);
    entry.jobId = where.id;
    entry.status = status;
    m_log.append(entry);
}

bool SimulatedRequest::hasHeader(const QByteArray& name) const
{
    const QByteArray lower = name.toLower();
    return std::any_of(headers.cbegin(), headers.cend(), [&lower](const auto& h) { return h.first == lower; });
}

QByteArray SimulatedRequest::header(const QByteArray& name) const
{
    const QByteArray lower = name.toLower();
    for (const auto& h : headers) {
        if (h.first == lower)
            return h.second;
    }
    return QByteArray();
}

QString SimulatedRequest::queryItem(const QString& name) const
{
    return QUrlQuery(query).queryItemValue(name, QUrl::FullyDecoded);
}

bool SimulatedRequest::hasQueryItem(const QString& name) const
{
    return QUrlQuery(query).hasQueryItem(name);
}

// ---- lists ----

FakeResponse JobSimulator::listJobs(const RecordedRequest& request, const Route& where)
{
    const QUrlQuery query = queryOf(request);
    QStringList ids = jobIds();
    // Only with a metadata filter, and without copying each job: a list of 10,000 jobs is read 100 times a run.
    const auto items = query.queryItems();
    const bool filtered = std::any_of(items.cbegin(), items.cend(), [](const auto& item) {
        return item.first.startsWith(QLatin1String("metadata"));
    });
    if (filtered)
        ids.removeIf([&](const QString& id) { return !matchesMetadataFilter(m_jobs.constFind(id)->job, query); });
    const bool batches = where.jobKind == JobKind::Batch;
    // A list of one kind never shows the other (and the filter costs nothing while there are no batches).
    if (batches && m_batchCount == 0)
        ids.clear();
    else if (m_batchCount > 0)
        ids.removeIf([&](const QString& id) { return m_jobs.constFind(id)->job.kind != where.jobKind; });
    const SimDialect::ListSlice slice
        = batches ? m_dialect->batchListSlice(query, ids) : m_dialect->listSlice(query, ids);
    if (slice.refusal)
        return *slice.refusal;
    const int page = slice.pageSize > 0 ? int(slice.start / slice.pageSize) + 1 : 1;
    if (std::optional<FakeResponse> fault = takeListPageFault(page))
        return *fault;

    QJsonArray data;
    const qsizetype start = std::min<qsizetype>(slice.start, ids.size());
    const qsizetype end = slice.count < 0 ? ids.size() : std::min<qsizetype>(ids.size(), start + slice.count);
    for (qsizetype i = start; i < end; ++i)
        data.append(jobJson(m_jobs.value(ids.at(i)).job, where, false));
    if (batches)
        return m_dialect->batchList(data, end < ids.size(), ids.size());
    return SimDialect::jsonAnswer(m_dialect->listEnvelope(data, end < ids.size(), ids.size()));
}

std::optional<FakeResponse> JobSimulator::takeListPageFault(int page)
{
    auto pageFaults = m_listPageFaults.find(page);
    if (pageFaults == m_listPageFaults.end())
        return std::nullopt;
    Fault& fault = pageFaults->first();
    const FakeResponse response = fault.response;
    if (--fault.times <= 0)
        pageFaults->removeFirst();
    if (pageFaults->isEmpty())
        m_listPageFaults.erase(pageFaults);
    return response;
}

bool JobSimulator::matchesMetadataFilter(const SimulatedJob& job, const QUrlQuery& query) const
{
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto& item : items) {
        const QString& key = item.first;
        if (key == QLatin1String("metadata") && item.second == QLatin1String("null")) {
            if (!job.metadata.isEmpty())
                return false;
        } else if (key.startsWith(QLatin1String("metadata[")) && key.endsWith(QLatin1Char(']'))) {
            const QString name = key.mid(9, key.size() - 10);
            if (job.metadata.value(name) != QJsonValue(item.second))
                return false;
        }
    }
    return true;
}
