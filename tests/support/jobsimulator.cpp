#include "jobsimulator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <utility>

namespace {

constexpr qint64 kFirstCreatedAt = 1721764800; // 2024-07-23 20:00 UTC, as in the API reference's examples
constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;
const QString kDefaultModel = QStringLiteral("gpt-4o-mini-2024-07-18");

bool isTerminal(const QString& status)
{
    return status == QLatin1String("succeeded") || status == QLatin1String("failed")
        || status == QLatin1String("cancelled");
}

FakeResponse invalidRequest(int status, const QString& message, const QString& param = QString(),
                            const QString& code = QString())
{
    const QJsonObject error{
        {QStringLiteral("message"), message},
        {QStringLiteral("type"), QStringLiteral("invalid_request_error")},
        {QStringLiteral("param"), param.isEmpty() ? QJsonValue() : QJsonValue(param)},
        {QStringLiteral("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code)},
    };
    return FakeResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact));
}

FakeResponse notFound(const QString& id)
{
    return invalidRequest(404, QStringLiteral("Could not find fine tune: %1").arg(id), QStringLiteral("fine_tune_id"),
                          QStringLiteral("fine_tune_not_found"));
}

FakeResponse alreadyCompleted(const QString& id)
{
    return invalidRequest(400, QStringLiteral("Job has already completed: %1").arg(id));
}

FakeResponse jsonAnswer(const QJsonObject& object)
{
    return FakeResponse::json(200, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject listEnvelope(const QJsonArray& data, bool hasMore)
{
    return QJsonObject{
        {QStringLiteral("object"), QStringLiteral("list")},
        {QStringLiteral("data"), data},
        {QStringLiteral("has_more"), hasMore},
    };
}

// Reads `limit` from the query: default 20, at most 100; anything but a positive number is refused.
std::optional<int> parseLimit(const QUrlQuery& query, FakeResponse* error)
{
    if (!query.hasQueryItem(QStringLiteral("limit")))
        return kDefaultLimit;
    const QString text = query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded);
    bool ok = false;
    const int limit = text.toInt(&ok);
    if (!ok || limit < 1) {
        *error
            = invalidRequest(400, QStringLiteral("Invalid 'limit': expected a positive integer, got '%1'.").arg(text),
                             QStringLiteral("limit"));
        return std::nullopt;
    }
    return std::min(limit, kMaxLimit);
}

QUrlQuery queryOf(const RecordedRequest& request)
{
    const qsizetype mark = request.target.indexOf('?');
    return QUrlQuery(mark < 0 ? QString() : QString::fromUtf8(request.target.mid(mark + 1)));
}

} // namespace

JobSimulator::JobSimulator(FakeOpenAiServer* server, QObject* parent) : QObject(parent)
{
    if (server)
        attach(server);
}

JobSimulator::~JobSimulator()
{
    if (m_server)
        m_server->setHandler(FakeOpenAiServer::Handler());
}

void JobSimulator::attach(FakeOpenAiServer* server)
{
    if (m_server && m_server != server)
        m_server->setHandler(FakeOpenAiServer::Handler());
    m_server = server;
    if (!server)
        return;
    const QPointer<JobSimulator> self(this);
    server->setHandler([self](const RecordedRequest& request) {
        if (!self) // the server outlived the simulator without being told
            return FakeResponse::apiError(500, QStringLiteral("JobSimulator: deleted"), QStringLiteral("server_error"),
                                          QString());
        return self->handle(request);
    });
}

// ---- jobs ----

void JobSimulator::add(const QString& id, const QString& status, const QString& model, qint64 createdAt)
{
    JobState state;
    state.sequence = m_nextSequence++;
    state.job.id = id;
    state.job.status = status;
    state.job.model = model.isEmpty() ? kDefaultModel : model;
    if (createdAt <= 0)
        createdAt = m_newestCreatedAt == 0 ? kFirstCreatedAt : m_newestCreatedAt + 60;
    state.job.createdAt = createdAt;
    m_newestCreatedAt = std::max(m_newestCreatedAt, createdAt);
    if (status == QLatin1String("succeeded") || status == QLatin1String("failed"))
        state.job.finishedAt = createdAt + 3600;
    if (status == QLatin1String("cancelling"))
        state.cancellingReadsLeft = m_cancellingReads;
    seedEvents(state);
    m_jobs.insert(id, state);
    m_listOrderValid = false;
}

QStringList JobSimulator::addMany(int count, const StatusMix& mix, const QString& idPrefix)
{
    // Smooth weighted round robin: every status appears in proportion to its weight, interleaved, so even a few jobs
    // get a mix, and the order is the same on every run.
    int totalWeight = 0;
    for (const auto& entry : mix)
        totalWeight += std::max(0, entry.second);
    QList<int> current(mix.size(), 0);
    QStringList ids;
    for (int i = 0; i < count && totalWeight > 0; ++i) {
        qsizetype pick = 0;
        for (qsizetype k = 0; k < mix.size(); ++k) {
            current[k] += std::max(0, mix.at(k).second);
            if (current.at(k) > current.at(pick))
                pick = k;
        }
        current[pick] -= totalWeight;
        const QString id = idPrefix + QStringLiteral("%1").arg(m_nextManyNumber++, 6, 10, QLatin1Char('0'));
        add(id, mix.at(pick).first);
        ids.append(id);
    }
    return ids;
}

JobSimulator::StatusMix JobSimulator::realisticMix()
{
    return {
        {QStringLiteral("running"), 40},   {QStringLiteral("queued"), 20}, {QStringLiteral("validating_files"), 15},
        {QStringLiteral("succeeded"), 12}, {QStringLiteral("failed"), 7},  {QStringLiteral("cancelled"), 6},
    };
}

bool JobSimulator::contains(const QString& id) const
{
    return m_jobs.contains(id);
}

SimulatedJob JobSimulator::job(const QString& id) const
{
    const auto it = m_jobs.constFind(id);
    return it == m_jobs.cend() ? SimulatedJob() : it->job;
}

QStringList JobSimulator::jobIds() const
{
    // Kept between calls (only add() changes the order): each list page asks for it.
    if (m_listOrderValid)
        return m_listOrder;
    QList<const JobState*> states;
    states.reserve(m_jobs.size());
    for (const JobState& state : m_jobs)
        states.append(&state);
    std::sort(states.begin(), states.end(), [](const JobState* a, const JobState* b) {
        if (a->job.createdAt != b->job.createdAt)
            return a->job.createdAt > b->job.createdAt;
        return a->sequence > b->sequence;
    });
    QStringList ids;
    ids.reserve(states.size());
    for (const JobState* state : states)
        ids.append(state->job.id);
    m_listOrder = ids;
    m_listOrderValid = true;
    return ids;
}

int JobSimulator::jobCount() const
{
    return int(m_jobs.size());
}

void JobSimulator::setStatus(const QString& id, const QString& status)
{
    auto it = m_jobs.find(id);
    if (it != m_jobs.end())
        changeStatus(*it, status);
}

void JobSimulator::addEvent(const QString& id, const QString& level, const QString& message)
{
    auto it = m_jobs.find(id);
    if (it != m_jobs.end())
        appendEvent(*it, level, message);
}

void JobSimulator::setMetadata(const QString& id, const QJsonObject& metadata)
{
    auto it = m_jobs.find(id);
    if (it != m_jobs.end())
        it->job.metadata = metadata;
}

void JobSimulator::setUnknownJobHook(UnknownJobHook hook)
{
    m_unknownJobHook = std::move(hook);
}

// ---- cancel, latency, faults ----

void JobSimulator::setCancelMode(CancelMode mode)
{
    m_cancelMode = mode;
}

void JobSimulator::setCancelMode(const QString& id, CancelMode mode)
{
    auto it = m_jobs.find(id);
    if (it != m_jobs.end())
        it->cancelMode = mode;
}

void JobSimulator::setCancellingReads(int reads)
{
    m_cancellingReads = std::max(0, reads);
}

void JobSimulator::setLatency(int ms)
{
    m_latencyMs = std::max(0, ms);
}

void JobSimulator::setJobLatency(const QString& id, int ms)
{
    m_jobLatencyMs.insert(id, std::max(0, ms));
}

void JobSimulator::failNext(const QString& id, int times, const FakeResponse& response)
{
    if (times > 0)
        m_faults[id].append({response, times, std::nullopt, false});
}

void JobSimulator::failNext(const QString& id, RequestKind kind, int times, const FakeResponse& response)
{
    if (times > 0)
        m_faults[id].append({response, times, kind, false});
}

void JobSimulator::failNextAfterEffect(const QString& id, RequestKind kind, int times, const FakeResponse& response)
{
    if (times > 0)
        m_faults[id].append({response, times, kind, true});
}

void JobSimulator::failListPage(int page, int times, const FakeResponse& response)
{
    if (times > 0 && page > 0)
        m_listPageFaults[page].append({response, times, RequestKind::List, false});
}

FakeResponse JobSimulator::listPage(const QStringList& ids, bool hasMore) const
{
    QJsonArray data;
    for (const QString& id : ids) {
        const auto it = m_jobs.constFind(id);
        if (it != m_jobs.cend())
            data.append(jobJson(it->job));
    }
    return jsonAnswer(listEnvelope(data, hasMore));
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
            data.append(eventJson(*found));
    }
    return jsonAnswer(listEnvelope(data, hasMore));
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

void JobSimulator::resetCounters()
{
    m_requestCount = 0;
    m_requestsByKind.clear();
    m_cancelsById.clear();
    m_maxInFlight = m_inFlight;
}

// ---- requests ----

JobSimulator::Route JobSimulator::route(const RecordedRequest& request)
{
    // /v1/fine_tuning/jobs[/{id}[/action]]
    const QList<QByteArray> parts = request.path().split('/');
    Route result;
    if (parts.size() < 4 || parts.size() > 6 || !parts.at(0).isEmpty() || parts.at(1) != "v1"
        || parts.at(2) != "fine_tuning" || parts.at(3) != "jobs") {
        return result;
    }
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (parts.size() == 4) {
        result.valid = get;
        result.kind = get ? RequestKind::List : RequestKind::Other;
        return result;
    }
    result.id = QString::fromUtf8(QByteArray::fromPercentEncoding(parts.at(4)));
    if (result.id.isEmpty())
        return result;
    if (parts.size() == 5) {
        result.valid = get;
        result.kind = get ? RequestKind::Retrieve : RequestKind::Other;
        return result;
    }
    const QByteArray action = parts.at(5);
    if (action == "cancel")
        result.kind = RequestKind::Cancel;
    else if (action == "events")
        result.kind = RequestKind::Events;
    else if (action == "pause")
        result.kind = RequestKind::Pause;
    else if (action == "resume")
        result.kind = RequestKind::Resume;
    result.valid = result.kind == RequestKind::Events ? get : post && result.kind != RequestKind::Other;
    if (!result.valid)
        result.kind = RequestKind::Other; // counted as what it is: no request the API knows
    return result;
}

FakeResponse JobSimulator::handle(const RecordedRequest& request)
{
    ++m_requestCount;
    const Route where = route(request);
    ++m_requestsByKind[where.kind];
    if (where.kind == RequestKind::Cancel)
        ++m_cancelsById[where.id];

    FakeResponse response = answer(request, where);
    response.delayMs += m_latencyMs + (where.id.isEmpty() ? 0 : m_jobLatencyMs.value(where.id));
    response.withHeader("x-request-id", "req_sim_" + QByteArray::number(++m_requestNumber));
    trackInFlight(response);
    const bool answered = response.behavior != FakeResponse::Behavior::NeverAnswer
        && response.behavior != FakeResponse::Behavior::CloseConnection;
    emit requestHandled(request, answered ? response.status : 0);
    return response;
}

FakeResponse JobSimulator::answer(const RecordedRequest& request, const Route& where)
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.startsWith("Bearer ") || authorization.size() < 12) {
        return FakeResponse::apiError(401,
                                      QStringLiteral("You didn't provide an API key. You need to provide your API key "
                                                     "in an Authorization header using Bearer auth (i.e. "
                                                     "Authorization: Bearer YOUR_KEY)."),
                                      QStringLiteral("invalid_request_error"), QString());
    }
    if (!where.valid) {
        return invalidRequest(404,
                              QStringLiteral("Invalid URL (%1 %2)")
                                  .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path())));
    }
    if (where.kind == RequestKind::List)
        return listJobs(request);

    if (!m_jobs.contains(where.id) && m_unknownJobHook)
        m_unknownJobHook(where.id);
    if (std::optional<FakeResponse> fault = takeFault(where.id, where.kind, false))
        return *fault;
    if (!m_jobs.contains(where.id))
        return notFound(where.id);
    FakeResponse response = act(request, where);
    if (std::optional<FakeResponse> fault = takeFault(where.id, where.kind, true))
        return *fault;
    return response;
}

FakeResponse JobSimulator::act(const RecordedRequest& request, const Route& where)
{
    JobState& state = m_jobs[where.id];
    switch (where.kind) {
    case RequestKind::Retrieve:
        return retrieve(state);
    case RequestKind::Cancel:
        return cancel(state);
    case RequestKind::Events:
        return listEvents(state, request);
    case RequestKind::Pause:
        return pause(state);
    case RequestKind::Resume:
        return resume(state);
    case RequestKind::List:
    case RequestKind::Other:
        break;
    }
    return FakeResponse::apiError(500, QStringLiteral("JobSimulator: unrouted request"), QStringLiteral("server_error"),
                                  QString());
}

std::optional<FakeResponse> JobSimulator::takeFault(const QString& id, RequestKind kind, bool afterEffect)
{
    auto it = m_faults.find(id);
    if (it == m_faults.end())
        return std::nullopt;
    QList<Fault>& faults = *it;
    for (qsizetype i = 0; i < faults.size(); ++i) {
        Fault& fault = faults[i];
        if (fault.afterEffect != afterEffect || (fault.kind && *fault.kind != kind))
            continue;
        FakeResponse response = fault.response;
        if (--fault.times <= 0)
            faults.removeAt(i);
        if (faults.isEmpty())
            m_faults.erase(it);
        return response;
    }
    return std::nullopt;
}

void JobSimulator::trackInFlight(FakeResponse& response)
{
    if (response.behavior == FakeResponse::Behavior::NeverAnswer)
        return;
    ++m_inFlight;
    m_maxInFlight = std::max(m_maxInFlight, m_inFlight);
    // Counted until the connection acts on the answer (just before its first byte), or goes away first: a client
    // that sends its next request on receiving the answer never finds it still counted.
    const QPointer<JobSimulator> self(this);
    response.onDone = [self] {
        if (self)
            --self->m_inFlight;
    };
}

FakeResponse JobSimulator::retrieve(JobState& state)
{
    if (state.job.status == QLatin1String("cancelling")) {
        if (state.cancellingReadsLeft > 0) {
            --state.cancellingReadsLeft;
        } else {
            changeStatus(state, QStringLiteral("cancelled"));
            appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job cancelled"));
        }
    }
    return jsonAnswer(jobJson(state.job));
}

FakeResponse JobSimulator::cancel(JobState& state)
{
    const QString& status = state.job.status;
    if (isTerminal(status))
        return alreadyCompleted(state.job.id);
    if (status != QLatin1String("cancelling")) {
        if (state.cancelMode.value_or(m_cancelMode) == CancelMode::ViaCancelling) {
            changeStatus(state, QStringLiteral("cancelling"));
            appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job cancellation requested"));
        } else {
            changeStatus(state, QStringLiteral("cancelled"));
            appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job cancelled"));
        }
    }
    return jsonAnswer(jobJson(state.job));
}

FakeResponse JobSimulator::pause(JobState& state)
{
    const QString& status = state.job.status;
    if (isTerminal(status))
        return alreadyCompleted(state.job.id);
    if (status == QLatin1String("cancelling"))
        return invalidRequest(400, QStringLiteral("Job is being cancelled: %1").arg(state.job.id));
    if (status != QLatin1String("paused")) {
        state.statusBeforePause = status;
        changeStatus(state, QStringLiteral("paused"));
        appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job paused"));
    }
    return jsonAnswer(jobJson(state.job));
}

FakeResponse JobSimulator::resume(JobState& state)
{
    if (state.job.status != QLatin1String("paused"))
        return invalidRequest(400, QStringLiteral("Job is not paused: %1").arg(state.job.id));
    changeStatus(state, state.statusBeforePause.isEmpty() ? QStringLiteral("running") : state.statusBeforePause);
    appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job resumed"));
    return jsonAnswer(jobJson(state.job));
}

FakeResponse JobSimulator::listJobs(const RecordedRequest& request)
{
    const QUrlQuery query = queryOf(request);
    FakeResponse error;
    const std::optional<int> limit = parseLimit(query, &error);
    if (!limit)
        return error;
    QStringList ids = jobIds();
    // Only with a metadata filter, and without copying each job: a list of 10,000 jobs is read 100 times a run.
    const auto items = query.queryItems();
    const bool filtered = std::any_of(items.cbegin(), items.cend(), [](const auto& item) {
        return item.first.startsWith(QLatin1String("metadata"));
    });
    if (filtered)
        ids.removeIf([&](const QString& id) { return !matchesMetadataFilter(m_jobs.constFind(id)->job, query); });
    qsizetype start = 0;
    if (query.hasQueryItem(QStringLiteral("after"))) {
        const QString after = query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
        const qsizetype index = ids.indexOf(after);
        if (index < 0) // the API's answer here is undocumented; be loud rather than return a quiet empty page
            return invalidRequest(400, QStringLiteral("Invalid 'after': no fine-tuning job %1.").arg(after),
                                  QStringLiteral("after"));
        start = index + 1;
    }

    auto pageFaults = m_listPageFaults.find(int(start / *limit) + 1);
    if (pageFaults != m_listPageFaults.end()) {
        Fault& fault = pageFaults->first();
        const FakeResponse response = fault.response;
        if (--fault.times <= 0)
            pageFaults->removeFirst();
        if (pageFaults->isEmpty())
            m_listPageFaults.erase(pageFaults);
        return response;
    }

    QJsonArray data;
    const qsizetype end = std::min<qsizetype>(ids.size(), start + *limit);
    for (qsizetype i = start; i < end; ++i)
        data.append(jobJson(m_jobs.value(ids.at(i)).job));
    return jsonAnswer(listEnvelope(data, end < ids.size()));
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

FakeResponse JobSimulator::listEvents(const JobState& state, const RecordedRequest& request)
{
    const QUrlQuery query = queryOf(request);
    FakeResponse error;
    const std::optional<int> limit = parseLimit(query, &error);
    if (!limit)
        return error;
    QList<SimulatedEvent> newestFirst = state.job.events;
    std::reverse(newestFirst.begin(), newestFirst.end());
    qsizetype start = 0;
    if (query.hasQueryItem(QStringLiteral("after"))) {
        const QString after = query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
        const auto found = std::find_if(newestFirst.cbegin(), newestFirst.cend(),
                                        [&after](const SimulatedEvent& event) { return event.id == after; });
        if (found == newestFirst.cend())
            return invalidRequest(400, QStringLiteral("Invalid 'after': no event %1 for this job.").arg(after),
                                  QStringLiteral("after"));
        start = (found - newestFirst.cbegin()) + 1;
    }
    QJsonArray data;
    const qsizetype end = std::min<qsizetype>(newestFirst.size(), start + *limit);
    for (qsizetype i = start; i < end; ++i)
        data.append(eventJson(newestFirst.at(i)));
    return jsonAnswer(listEnvelope(data, end < newestFirst.size()));
}

QJsonObject JobSimulator::eventJson(const SimulatedEvent& event)
{
    return QJsonObject{
        {QStringLiteral("object"), QStringLiteral("fine_tuning.job.event")},
        {QStringLiteral("id"), event.id},
        {QStringLiteral("created_at"), event.createdAt},
        {QStringLiteral("level"), event.level},
        {QStringLiteral("message"), event.message},
        {QStringLiteral("data"), QJsonValue()},
        {QStringLiteral("type"), QStringLiteral("message")},
    };
}

// ---- state ----

void JobSimulator::changeStatus(JobState& state, const QString& status)
{
    if (state.job.status == status)
        return;
    state.job.status = status;
    if (status == QLatin1String("cancelling"))
        state.cancellingReadsLeft = m_cancellingReads;
    if ((status == QLatin1String("succeeded") || status == QLatin1String("failed")) && state.job.finishedAt == 0)
        state.job.finishedAt = std::max(QDateTime::currentSecsSinceEpoch(), state.job.createdAt);
    emit statusChanged(state.job.id, status);
}

void JobSimulator::appendEvent(JobState& state, const QString& level, const QString& message)
{
    qint64 createdAt = std::max(QDateTime::currentSecsSinceEpoch(), state.job.createdAt);
    if (!state.job.events.isEmpty()) // keep the list in time order even if the clock steps back
        createdAt = std::max(createdAt, state.job.events.constLast().createdAt);
    const QString id = QStringLiteral("ftevent-sim%1").arg(m_nextEventNumber++, 8, 10, QLatin1Char('0'));
    state.job.events.append({id, createdAt, level, message});
}

// The events a job in this status has already been through, timed just after its creation.
void JobSimulator::seedEvents(JobState& state)
{
    const QString& status = state.job.status;
    const qint64 start = state.job.createdAt;
    int step = 0;
    const auto seed = [&](const QString& level, const QString& message) {
        const QString id = QStringLiteral("ftevent-sim%1").arg(m_nextEventNumber++, 8, 10, QLatin1Char('0'));
        state.job.events.append({id, start + 10 * step++, level, message});
    };
    const QString info = QStringLiteral("info");
    seed(info, QStringLiteral("Created fine-tuning job: %1").arg(state.job.id));
    seed(info, QStringLiteral("Validating training file: file-abc123"));
    if (status == QLatin1String("validating_files"))
        return;
    seed(info, QStringLiteral("Files validated, moving job to queued state"));
    if (status == QLatin1String("queued"))
        return;
    if (status == QLatin1String("failed")) {
        seed(QStringLiteral("error"), QStringLiteral("The training file could not be parsed."));
        return;
    }
    seed(info, QStringLiteral("Fine-tuning job started"));
    if (status == QLatin1String("succeeded")) {
        seed(info,
             QStringLiteral("New fine-tuned model created: ft:%1:fake-org::%2")
                 .arg(state.job.model, state.job.id.right(8)));
        seed(info, QStringLiteral("The job has successfully completed"));
    } else if (status == QLatin1String("cancelled")) {
        seed(info, QStringLiteral("Fine-tuning job cancelled"));
    } else if (status == QLatin1String("cancelling")) {
        seed(info, QStringLiteral("Fine-tuning job cancellation requested"));
    } else if (status == QLatin1String("paused")) {
        state.statusBeforePause = QStringLiteral("running");
        seed(info, QStringLiteral("Fine-tuning job paused"));
    }
}

QJsonObject JobSimulator::jobJson(const SimulatedJob& job) const
{
    QJsonObject object = FakeResponse::jobObject(job.id, job.status);
    object.insert(QStringLiteral("model"), job.model);
    object.insert(QStringLiteral("created_at"), job.createdAt);
    object.insert(QStringLiteral("finished_at"), job.finishedAt > 0 ? QJsonValue(job.finishedAt) : QJsonValue());
    if (job.status == QLatin1String("succeeded"))
        object.insert(QStringLiteral("fine_tuned_model"),
                      QStringLiteral("ft:%1:fake-org::%2").arg(job.model, job.id.right(8)));
    object.insert(QStringLiteral("estimated_finish"),
                  job.status == QLatin1String("running") ? QJsonValue(job.createdAt + 2 * 3600) : QJsonValue());
    object.insert(QStringLiteral("metadata"), job.metadata.isEmpty() ? QJsonValue() : QJsonValue(job.metadata));
    return object;
}
