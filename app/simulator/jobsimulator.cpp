#include "jobsimulator.h"

#include "simdialect.h"

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

QUrlQuery queryOf(const RecordedRequest& request)
{
    const qsizetype mark = request.target.indexOf('?');
    return QUrlQuery(mark < 0 ? QString() : QString::fromUtf8(request.target.mid(mark + 1)));
}

} // namespace

JobSimulator::JobSimulator(FakeOpenAiServer* server, QObject* parent)
    : QObject(parent), m_dialect(SimDialect::create(Provider::OpenAI))
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

// ---- provider ----

void JobSimulator::setProvider(Provider provider)
{
    m_dialect = SimDialect::create(provider);
    m_cancelMode = provider == Provider::Together || provider == Provider::Mistral ? CancelMode::ViaCancelling
                                                                                   : CancelMode::Immediate;
}

void JobSimulator::setUntrained(const QString& id, bool untrained)
{
    if (m_jobs.contains(id))
        m_jobs[id].untrained = untrained;
}

Provider JobSimulator::provider() const
{
    return m_dialect->provider();
}

QUrl JobSimulator::baseUrl() const
{
    if (!m_server)
        return QUrl();
    QUrl url = m_server->baseUrl();
    url.setPath(m_dialect->basePath());
    return url;
}

void JobSimulator::setExpectedKey(const QByteArray& key)
{
    m_expectedKey = key;
}

void JobSimulator::setGone(int httpStatus, const QString& message)
{
    m_goneStatus = std::max(0, httpStatus);
    m_goneMessage = message;
}

JobSimulator::Phase JobSimulator::phaseOf(const QString& status) const
{
    return m_dialect->phaseOf(status);
}

QString JobSimulator::statusWord(Phase phase) const
{
    return m_dialect->word(phase);
}

FakeResponse JobSimulator::errorResponse(int httpStatus, const QString& message) const
{
    return m_dialect->error(httpStatus, SimDialect::ErrorKind::BadRequest, message);
}

// ---- jobs ----

void JobSimulator::add(const QString& id, const QString& status, const QString& model, qint64 createdAt)
{
    addOfKind(JobKind::FineTuning, id, status, model, createdAt);
}

void JobSimulator::addBatch(const QString& id, const QString& status, qint64 createdAt)
{
    addOfKind(JobKind::Batch, id, status, QString(), createdAt);
}

void JobSimulator::addOfKind(JobKind kind, const QString& id, const QString& status, const QString& model,
                             qint64 createdAt)
{
    if (!m_dialect->hasFineTuning())
        kind = JobKind::Batch;
    JobState state;
    state.sequence = m_nextSequence++;
    state.job.id = id;
    state.job.status = status;
    state.job.kind = kind;
    const QString defaultModel = kind == JobKind::Batch ? m_dialect->defaultBatchModel() : m_dialect->defaultModel();
    state.job.model = model.isEmpty() ? defaultModel : model;
    state.job.requestTotal = kind == JobKind::Batch ? 1000 : 0;
    if (createdAt <= 0)
        createdAt = m_newestCreatedAt == 0 ? kFirstCreatedAt : m_newestCreatedAt + 60;
    state.job.createdAt = createdAt;
    state.job.modifiedAt = createdAt;
    m_newestCreatedAt = std::max(m_newestCreatedAt, createdAt);
    const Phase where = phase(state);
    if (where == Phase::Succeeded || where == Phase::Failed || where == Phase::Cancelled)
        state.job.modifiedAt = createdAt + 3600;
    if (where == Phase::Succeeded || where == Phase::Failed)
        state.job.finishedAt = createdAt + 3600;
    if (where == Phase::Stopping) {
        state.cancellingReadsLeft = m_cancellingReads;
        state.job.cancelRequestedAt = createdAt + 600;
    }
    seedEvents(state);
    if (const auto old = m_jobs.constFind(id); old != m_jobs.cend() && old->job.kind == JobKind::Batch)
        --m_batchCount;
    if (kind == JobKind::Batch)
        ++m_batchCount;
    m_jobs.insert(id, state);
    m_listOrderValid = false;
}

QStringList JobSimulator::addMany(int count, const StatusMix& statusMix, const QString& idPrefix)
{
    return addManyOfKind(JobKind::FineTuning, count, statusMix, idPrefix);
}

QStringList JobSimulator::addManyBatches(int count, const StatusMix& statusMix)
{
    return addManyOfKind(JobKind::Batch, count, statusMix, QString());
}

QStringList JobSimulator::addManyOfKind(JobKind kind, int count, const StatusMix& statusMix, const QString& idPrefix)
{
    if (!m_dialect->hasFineTuning())
        kind = JobKind::Batch;
    const bool batch = kind == JobKind::Batch;
    // Smooth weighted round robin: every status appears in proportion to its weight, interleaved, so even a few jobs
    // get a mix, and the order is the same on every run.
    const StatusMix mix = !statusMix.isEmpty() ? statusMix
        : batch                                ? m_dialect->realisticBatchMix()
                                               : m_dialect->realisticMix();
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
        const int number = m_nextManyNumber++;
        const QString id = !idPrefix.isEmpty() ? idPrefix + QStringLiteral("%1").arg(number, 6, 10, QLatin1Char('0'))
            : batch                            ? m_dialect->makeBatchId(number)
                                               : m_dialect->makeId(number);
        addOfKind(kind, id, mix.at(pick).first, QString(), 0);
        ids.append(id);
    }
    return ids;
}

JobSimulator::StatusMix JobSimulator::realisticMix()
{
    return realisticMix(Provider::OpenAI);
}

JobSimulator::StatusMix JobSimulator::realisticMix(Provider provider)
{
    return SimDialect::create(provider)->realisticMix();
}

JobSimulator::StatusMix JobSimulator::realisticBatchMix(Provider provider)
{
    return SimDialect::create(provider)->realisticBatchMix();
}

JobSimulator::Phase JobSimulator::phaseOf(const QString& status, JobKind kind) const
{
    return m_dialect->phaseIn(status, kind);
}

QString JobSimulator::statusWord(Phase phase, JobKind kind) const
{
    return m_dialect->wordIn(phase, kind);
}

QString JobSimulator::unknownStatus(Provider provider)
{
    return provider == Provider::Mistral ? QStringLiteral("PREEMPTED") : QStringLiteral("preempted");
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

// ---- requests ----

FakeResponse JobSimulator::handle(const RecordedRequest& request)
{
    ++m_requestCount;
    const Route where = m_dialect->route(request);
    ++m_requestsByKind[where.kind];
    if (where.kind == RequestKind::Cancel)
        ++m_cancelsById[where.id];
    if (where.kind == RequestKind::List)
        ++m_listsByKind[where.jobKind];

    FakeResponse response = answer(request, where);
    response.delayMs += m_latencyMs + (where.id.isEmpty() ? 0 : m_jobLatencyMs.value(where.id));
    response.withHeader("x-request-id", "req_sim_" + QByteArray::number(++m_requestNumber));
    trackInFlight(response);
    const bool answered = response.behavior != FakeResponse::Behavior::NeverAnswer
        && response.behavior != FakeResponse::Behavior::CloseConnection;
    record(request, where, answered ? response.status : 0);
    emit requestHandled(request, answered ? response.status : 0);
    return response;
}

FakeResponse JobSimulator::answer(const RecordedRequest& request, const Route& where)
{
    if (std::optional<FakeResponse> refused = m_dialect->checkAuth(request, m_expectedKey))
        return *refused;
    if (m_goneStatus > 0 && where.fineTuning)
        return m_dialect->gone(m_goneStatus, m_goneMessage);
    if (where.refusal)
        return *where.refusal;
    if (!where.valid) {
        return m_dialect->error(404, SimDialect::ErrorKind::InvalidUrl,
                                QStringLiteral("Invalid URL (%1 %2)")
                                    .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path())));
    }
    if (where.kind == RequestKind::List)
        return listJobs(request, where);

    if (!m_jobs.contains(where.id) && m_unknownJobHook)
        m_unknownJobHook(where.id, where.jobKind);
    if (std::optional<FakeResponse> fault = takeFault(where.id, where.kind, false))
        return *fault;
    const auto found = m_jobs.constFind(where.id);
    if (found == m_jobs.cend() || found->job.kind != where.jobKind) // a batch is not found under fine-tuning's paths
        return m_dialect->error(404, SimDialect::ErrorKind::NotFound,
                                where.jobKind == JobKind::Batch
                                    ? QStringLiteral("No batch found with id '%1'.").arg(where.id)
                                    : QStringLiteral("Could not find fine tune: %1").arg(where.id));
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
        return retrieve(state, where);
    case RequestKind::Cancel:
        return cancel(state, where);
    case RequestKind::Events:
        return m_dialect->events(state.job, queryOf(request));
    case RequestKind::Pause:
        return pause(state, where);
    case RequestKind::Resume:
        return resume(state, where);
    case RequestKind::List:
    case RequestKind::Other:
        break;
    }
    return m_dialect->error(500, SimDialect::ErrorKind::Internal, QStringLiteral("JobSimulator: unrouted request"));
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

JobSimulator::Phase JobSimulator::phase(const JobState& state) const
{
    return m_dialect->phaseIn(state.job.status, state.job.kind);
}

QString JobSimulator::word(const JobState& state, Phase phase) const
{
    return m_dialect->wordIn(phase, state.job.kind);
}

FakeResponse JobSimulator::retrieve(JobState& state, const Route& where)
{
    if (phase(state) == Phase::Stopping) {
        if (state.cancellingReadsLeft > 0) {
            --state.cancellingReadsLeft;
        } else {
            changeStatus(state, word(state, Phase::Cancelled));
            appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job cancelled"));
        }
    }
    return SimDialect::jsonAnswer(jobJson(state.job, where, true));
}

FakeResponse JobSimulator::cancel(JobState& state, const Route& where)
{
    const Phase now = phase(state);
    if (now == Phase::Succeeded || now == Phase::Failed || now == Phase::Cancelled)
        return m_dialect->error(400, SimDialect::ErrorKind::AlreadyFinished,
                                QStringLiteral("Job has already completed: %1").arg(state.job.id));
    if (now != Phase::Stopping) {
        // Batches stop through their stopping status wherever the provider has one (OpenAI: "up to 10 minutes").
        const bool batch = state.job.kind == JobKind::Batch;
        const CancelMode mode = state.cancelMode.value_or(batch ? CancelMode::ViaCancelling : m_cancelMode);
        state.job.cancelRequestedAt = std::max(QDateTime::currentSecsSinceEpoch(), state.job.createdAt);
        if (mode == CancelMode::ViaCancelling && !word(state, Phase::Stopping).isEmpty()) {
            changeStatus(state, word(state, Phase::Stopping));
            appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job cancellation requested"));
        } else {
            changeStatus(state, word(state, Phase::Cancelled));
            appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job cancelled"));
        }
    }
    return SimDialect::jsonAnswer(jobJson(state.job, where, true));
}

FakeResponse JobSimulator::pause(JobState& state, const Route& where)
{
    const Phase now = phase(state);
    if (now == Phase::Succeeded || now == Phase::Failed || now == Phase::Cancelled)
        return m_dialect->error(400, SimDialect::ErrorKind::AlreadyFinished,
                                QStringLiteral("Job has already completed: %1").arg(state.job.id));
    if (now == Phase::Stopping)
        return m_dialect->error(400, SimDialect::ErrorKind::BadRequest,
                                QStringLiteral("Job is being cancelled: %1").arg(state.job.id));
    if (provider() == Provider::Azure && now != Phase::Paused && (now != Phase::Running || state.untrained))
        return m_dialect->error(400, SimDialect::ErrorKind::BadRequest,
                                QStringLiteral("Fine-tuning job %1 cannot be paused: only a running job that has "
                                               "completed at least one training step can be paused.")
                                    .arg(state.job.id));
    if (now != Phase::Paused) {
        state.statusBeforePause = state.job.status;
        changeStatus(state, word(state, Phase::Paused));
        appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job paused"));
    }
    return SimDialect::jsonAnswer(jobJson(state.job, where, true));
}

FakeResponse JobSimulator::resume(JobState& state, const Route& where)
{
    if (phase(state) != Phase::Paused)
        return m_dialect->error(400, SimDialect::ErrorKind::BadRequest,
                                QStringLiteral("Job is not paused: %1").arg(state.job.id));
    changeStatus(state, state.statusBeforePause.isEmpty() ? word(state, Phase::Running) : state.statusBeforePause);
    appendEvent(state, QStringLiteral("info"), QStringLiteral("Fine-tuning job resumed"));
    return SimDialect::jsonAnswer(jobJson(state.job, where, true));
}

// ---- state ----

void JobSimulator::changeStatus(JobState& state, const QString& status)
{
    if (state.job.status == status)
        return;
    state.job.status = status;
    state.job.modifiedAt = std::max(QDateTime::currentSecsSinceEpoch(), state.job.createdAt);
    const Phase now = phase(state);
    if (now == Phase::Stopping)
        state.cancellingReadsLeft = m_cancellingReads;
    if ((now == Phase::Succeeded || now == Phase::Failed) && state.job.finishedAt == 0)
        state.job.finishedAt = state.job.modifiedAt;
    emit statusChanged(state.job.id, status);
}

void JobSimulator::appendEvent(JobState& state, const QString& level, const QString& message)
{
    if (state.job.kind == JobKind::Batch) // batches have no events
        return;
    qint64 createdAt = std::max(QDateTime::currentSecsSinceEpoch(), state.job.createdAt);
    if (!state.job.events.isEmpty()) // keep the list in time order even if the clock steps back
        createdAt = std::max(createdAt, state.job.events.constLast().createdAt);
    const QString id = QStringLiteral("ftevent-sim%1").arg(m_nextEventNumber++, 8, 10, QLatin1Char('0'));
    state.job.events.append({id, createdAt, level, message, state.job.status});
}

// The events a job in this status has already been through, timed just after its creation.
void JobSimulator::seedEvents(JobState& state)
{
    if (state.job.kind == JobKind::Batch)
        return;
    const Phase now = phase(state);
    const qint64 start = state.job.createdAt;
    int step = 0;
    const auto seed = [&](const QString& level, const QString& message, Phase at) {
        const QString id = QStringLiteral("ftevent-sim%1").arg(m_nextEventNumber++, 8, 10, QLatin1Char('0'));
        state.job.events.append({id, start + 10 * step++, level, message, m_dialect->word(at)});
    };
    const QString info = QStringLiteral("info");
    seed(info, QStringLiteral("Created fine-tuning job: %1").arg(state.job.id), Phase::Validating);
    seed(info, QStringLiteral("Validating training file: file-abc123"), Phase::Validating);
    if (now == Phase::Validating)
        return;
    seed(info, QStringLiteral("Files validated, moving job to queued state"), Phase::Queued);
    if (now == Phase::Queued)
        return;
    if (now == Phase::Failed) {
        seed(QStringLiteral("error"), QStringLiteral("The training file could not be parsed."), Phase::Failed);
        return;
    }
    seed(info, QStringLiteral("Fine-tuning job started"), Phase::Running);
    if (now == Phase::Succeeded) {
        seed(info,
             QStringLiteral("New fine-tuned model created: ft:%1:fake-org::%2")
                 .arg(state.job.model, state.job.id.right(8)),
             Phase::Running);
        seed(info, QStringLiteral("The job has successfully completed"), Phase::Succeeded);
    } else if (now == Phase::Cancelled) {
        seed(info, QStringLiteral("Fine-tuning job cancelled"), Phase::Cancelled);
    } else if (now == Phase::Stopping) {
        seed(info, QStringLiteral("Fine-tuning job cancellation requested"), Phase::Stopping);
    } else if (now == Phase::Paused) {
        state.statusBeforePause = word(state, Phase::Running);
        seed(info, QStringLiteral("Fine-tuning job paused"), Phase::Paused);
    }
    if (now == Phase::Unknown) // what a job in a status no spec knows went through last is unknown too
        state.job.events.last().status = state.job.status;
}

QJsonObject JobSimulator::jobJson(const SimulatedJob& job, const Route& where, bool detailed) const
{
    return job.kind == JobKind::Batch ? m_dialect->batchJson(job) : m_dialect->jobJson(job, where, detailed);
}
