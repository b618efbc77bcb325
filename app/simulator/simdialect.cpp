#include "simdialect.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonValue>

#include <algorithm>

// The base class speaks OpenAI (the API the simulator began with); the other providers override what differs.

namespace {

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;

class SimOpenAi final : public SimDialect
{
public:
    Provider provider() const override { return Provider::OpenAI; }
    Route route(const RecordedRequest& request) const override
    {
        const Route fineTuning = routeFineTuningJobs(request, {"v1"}, true);
        return fineTuning.fineTuning ? fineTuning : routeJobs(request, {"v1", "batches"}, JobKind::Batch, {"cancel"});
    }
};

} // namespace

std::unique_ptr<SimDialect> SimDialect::create(Provider provider)
{
    switch (provider) {
    case Provider::Azure:
        return makeSimAzure();
    case Provider::Together:
        return makeSimTogether();
    case Provider::Mistral:
        return makeSimMistral();
    case Provider::Anthropic:
        return makeSimAnthropic();
    case Provider::OpenAI:
        break;
    }
    return std::make_unique<SimOpenAi>();
}

std::optional<FakeResponse> SimDialect::checkAuth(const RecordedRequest& request, const QByteArray& expectedKey) const
{
    const QByteArray authorization = request.header("authorization");
    const QByteArray key = authorization.mid(7);
    if (!authorization.startsWith("Bearer ") || key.size() < 5) {
        return error(401, ErrorKind::Unauthorized,
                     QStringLiteral("You didn't provide an API key. You need to provide your API key in an "
                                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
    }
    if (!expectedKey.isEmpty() && key != expectedKey)
        return error(401, ErrorKind::Unauthorized, QStringLiteral("Incorrect API key provided."));
    return std::nullopt;
}

FakeResponse SimDialect::error(int status, ErrorKind kind, const QString& message, const QString& param) const
{
    QString type = QStringLiteral("invalid_request_error");
    QJsonValue code;
    if (kind == ErrorKind::NotFound)
        code = QStringLiteral("fine_tune_not_found");
    else if (kind == ErrorKind::Internal)
        type = QStringLiteral("server_error");
    else if (kind == ErrorKind::Unauthorized && message.startsWith(QLatin1String("Incorrect")))
        code = QStringLiteral("invalid_api_key");
    const QJsonObject body{
        {QStringLiteral("message"), message},
        {QStringLiteral("type"), type},
        {QStringLiteral("param"),
         kind == ErrorKind::NotFound ? QJsonValue(QStringLiteral("fine_tune_id"))
             : param.isEmpty()       ? QJsonValue()
                                     : QJsonValue(param)},
        {QStringLiteral("code"), code},
    };
    return jsonAnswer(QJsonObject{{QStringLiteral("error"), body}}, status);
}

FakeResponse SimDialect::gone(int status, const QString& message) const
{
    return error(status, ErrorKind::Gone, message);
}

// ---- ids and statuses ----

QString SimDialect::makeId(int number) const
{
    return QStringLiteral("ftjob-sim%1").arg(number, 6, 10, QLatin1Char('0'));
}

QString SimDialect::defaultModel() const
{
    return QStringLiteral("gpt-4o-mini-2024-07-18");
}

JobSimulator::StatusMix SimDialect::realisticMix() const
{
    return {
        {word(Phase::Running), 40},   {word(Phase::Queued), 20}, {word(Phase::Validating), 15},
        {word(Phase::Succeeded), 12}, {word(Phase::Failed), 7},  {word(Phase::Cancelled), 6},
    };
}

SimDialect::Phase SimDialect::phaseOf(const QString& status) const
{
    for (Phase phase : {Phase::Validating, Phase::Queued, Phase::Running, Phase::Stopping, Phase::Paused,
                        Phase::Succeeded, Phase::Failed, Phase::Cancelled}) {
        if (status == word(phase))
            return phase;
    }
    return Phase::Unknown;
}

QString SimDialect::word(Phase phase) const
{
    switch (phase) {
    case Phase::Validating:
        return QStringLiteral("validating_files");
    case Phase::Queued:
        return QStringLiteral("queued");
    case Phase::Running:
        return QStringLiteral("running");
    case Phase::Stopping:
        return QStringLiteral("cancelling");
    case Phase::Paused:
        return QStringLiteral("paused");
    case Phase::Succeeded:
        return QStringLiteral("succeeded");
    case Phase::Failed:
        return QStringLiteral("failed");
    case Phase::Cancelled:
        return QStringLiteral("cancelled");
    case Phase::Unknown:
        break;
    }
    return QString();
}

// ---- bodies ----

QJsonObject SimDialect::jobJson(const SimulatedJob& job, const Route&, bool) const
{
    QJsonObject object = FakeResponse::jobObject(job.id, job.status);
    object.insert(QStringLiteral("model"), job.model);
    object.insert(QStringLiteral("created_at"), job.createdAt);
    object.insert(QStringLiteral("finished_at"), job.finishedAt > 0 ? QJsonValue(job.finishedAt) : QJsonValue());
    if (phaseOf(job.status) == Phase::Succeeded)
        object.insert(QStringLiteral("fine_tuned_model"),
                      QStringLiteral("ft:%1:fake-org::%2").arg(job.model, job.id.right(8)));
    object.insert(QStringLiteral("estimated_finish"),
                  phaseOf(job.status) == Phase::Running ? QJsonValue(job.createdAt + 2 * 3600) : QJsonValue());
    object.insert(QStringLiteral("metadata"), job.metadata.isEmpty() ? QJsonValue() : QJsonValue(job.metadata));
    return object;
}

SimDialect::ListSlice SimDialect::listSlice(const QUrlQuery& query, const QStringList& ids) const
{
    return cursorSlice(query, ids, *this);
}

QJsonObject SimDialect::listEnvelope(const QJsonArray& data, bool hasMore, qsizetype) const
{
    return QJsonObject{
        {QStringLiteral("object"), QStringLiteral("list")},
        {QStringLiteral("data"), data},
        {QStringLiteral("has_more"), hasMore},
    };
}

FakeResponse SimDialect::events(const SimulatedJob& job, const QUrlQuery& query) const
{
    FakeResponse refusal;
    const std::optional<int> limit = parseLimit(query, *this, &refusal);
    if (!limit)
        return refusal;
    QList<SimulatedEvent> newestFirst = job.events;
    std::reverse(newestFirst.begin(), newestFirst.end());
    qsizetype start = 0;
    if (query.hasQueryItem(QStringLiteral("after"))) {
        const QString after = query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
        const auto found = std::find_if(newestFirst.cbegin(), newestFirst.cend(),
                                        [&after](const SimulatedEvent& event) { return event.id == after; });
        if (found == newestFirst.cend())
            return error(400, ErrorKind::BadRequest,
                         QStringLiteral("Invalid 'after': no event %1 for this job.").arg(after),
                         QStringLiteral("after"));
        start = (found - newestFirst.cbegin()) + 1;
    }
    QJsonArray data;
    const qsizetype end = std::min<qsizetype>(newestFirst.size(), start + *limit);
    for (qsizetype i = start; i < end; ++i)
        data.append(eventJson(newestFirst.at(i)));
    return jsonAnswer(listEnvelope(data, end < newestFirst.size(), newestFirst.size()));
}

QJsonObject SimDialect::eventJson(const SimulatedEvent& event) const
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

// ---- batches ----

QString SimDialect::makeBatchId(int number) const
{
    return QStringLiteral("batch_sim%1").arg(number, 6, 10, QLatin1Char('0'));
}

JobSimulator::StatusMix SimDialect::realisticBatchMix() const
{
    JobSimulator::StatusMix mix;
    for (const auto& [phase, weight] : QList<QPair<Phase, int>>{{Phase::Running, 45},
                                                                {Phase::Validating, 15},
                                                                {Phase::Queued, 10},
                                                                {Phase::Succeeded, 15},
                                                                {Phase::Failed, 8},
                                                                {Phase::Cancelled, 7}}) {
        const QString word = batchWord(phase);
        if (!word.isEmpty())
            mix.append({word, weight});
    }
    return mix;
}

SimDialect::Phase SimDialect::batchPhaseOf(const QString& status) const
{
    if (status == QLatin1String("finalizing"))
        return Phase::Running;
    if (status == QLatin1String("expired"))
        return Phase::Failed;
    for (Phase phase : {Phase::Validating, Phase::Queued, Phase::Running, Phase::Stopping, Phase::Succeeded,
                        Phase::Failed, Phase::Cancelled}) {
        if (status == batchWord(phase))
            return phase;
    }
    return Phase::Unknown;
}

QString SimDialect::batchWord(Phase phase) const
{
    switch (phase) {
    case Phase::Validating:
        return QStringLiteral("validating");
    case Phase::Running:
        return QStringLiteral("in_progress");
    case Phase::Stopping:
        return QStringLiteral("cancelling");
    case Phase::Succeeded:
        return QStringLiteral("completed");
    case Phase::Failed:
        return QStringLiteral("failed");
    case Phase::Cancelled:
        return QStringLiteral("cancelled");
    case Phase::Queued: // OpenAI's batches have no queue of their own
    case Phase::Paused:
    case Phase::Unknown:
        break;
    }
    return QString();
}

QJsonObject SimDialect::batchJson(const SimulatedJob& job) const
{
    const Phase phase = batchPhaseOf(job.status);
    const RequestCounts counts = countsOf(job, phase);
    const auto at = [](qint64 seconds) {
        return seconds > 0 ? QJsonValue(seconds) : QJsonValue();
    };
    const bool started = phase != Phase::Validating && phase != Phase::Queued;
    return QJsonObject{
        {QStringLiteral("id"), job.id},
        {QStringLiteral("object"), QStringLiteral("batch")},
        {QStringLiteral("endpoint"), QStringLiteral("/v1/chat/completions")},
        {QStringLiteral("model"), job.model},
        {QStringLiteral("errors"), QJsonValue()},
        {QStringLiteral("input_file_id"), QStringLiteral("file-") + job.id.right(8)},
        {QStringLiteral("completion_window"), QStringLiteral("24h")},
        {QStringLiteral("status"), job.status},
        {QStringLiteral("output_file_id"),
         counts.succeeded > 0 ? QJsonValue(QStringLiteral("file-out")) : QJsonValue()},
        {QStringLiteral("error_file_id"), QJsonValue()},
        {QStringLiteral("created_at"), job.createdAt},
        {QStringLiteral("in_progress_at"), at(started ? job.createdAt + 60 : 0)},
        {QStringLiteral("expires_at"), job.createdAt + 24 * 3600},
        {QStringLiteral("cancelling_at"), at(job.cancelRequestedAt)},
        {QStringLiteral("cancelled_at"), at(phase == Phase::Cancelled ? job.modifiedAt : 0)},
        {QStringLiteral("completed_at"), at(phase == Phase::Succeeded ? job.finishedAt : 0)},
        {QStringLiteral("failed_at"), at(phase == Phase::Failed ? job.finishedAt : 0)},
        {QStringLiteral("request_counts"),
         QJsonObject{{QStringLiteral("total"), counts.total},
                     {QStringLiteral("completed"), counts.succeeded},
                     {QStringLiteral("failed"), counts.failed}}},
        {QStringLiteral("metadata"), job.metadata.isEmpty() ? QJsonValue() : QJsonValue(job.metadata)},
    };
}

SimDialect::ListSlice SimDialect::batchListSlice(const QUrlQuery& query, const QStringList& ids) const
{
    return cursorSlice(query, ids, *this);
}

FakeResponse SimDialect::batchList(const QJsonArray& data, bool hasMore, qsizetype) const
{
    const auto idAt = [&data](qsizetype i) {
        return data.isEmpty() ? QJsonValue() : data.at(i).toObject().value(QStringLiteral("id"));
    };
    return jsonAnswer(QJsonObject{
        {QStringLiteral("object"), QStringLiteral("list")},
        {QStringLiteral("data"), data},
        {QStringLiteral("first_id"), idAt(0)},
        {QStringLiteral("last_id"), idAt(data.size() - 1)},
        {QStringLiteral("has_more"), hasMore},
    });
}

SimDialect::Phase SimDialect::phaseIn(const QString& status, JobKind kind) const
{
    return kind == JobKind::Batch ? batchPhaseOf(status) : phaseOf(status);
}

QString SimDialect::wordIn(Phase phase, JobKind kind) const
{
    return kind == JobKind::Batch ? batchWord(phase) : word(phase);
}

SimDialect::RequestCounts SimDialect::countsOf(const SimulatedJob& job, Phase phase)
{
    RequestCounts counts;
    counts.total = job.requestTotal;
    const int done = counts.total * 2 / 5; // what a running batch has got through
    const int failed = counts.total / 100;
    switch (phase) {
    case Phase::Running:
    case Phase::Stopping:
        counts.succeeded = done;
        counts.failed = failed;
        counts.processing = counts.total - done - failed;
        break;
    case Phase::Succeeded:
        counts.succeeded = counts.total - failed;
        counts.failed = failed;
        break;
    case Phase::Cancelled:
        counts.succeeded = done;
        counts.failed = failed;
        counts.canceled = counts.total - done - failed;
        break;
    case Phase::Failed:
        counts.failed = job.cancelRequestedAt > 0 ? failed : 0;
        break;
    default:
        counts.processing = counts.total;
        break;
    }
    return counts;
}

// ---- helpers ----

FakeResponse SimDialect::jsonAnswer(const QJsonObject& object, int status)
{
    return FakeResponse::json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString SimDialect::hexOf(int number, int digits)
{
    QByteArray hex;
    for (int round = 0; hex.size() < digits; ++round) {
        const QByteArray seed = "ftcancel-sim-" + QByteArray::number(number) + '-' + QByteArray::number(round);
        hex += QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex();
    }
    return QString::fromLatin1(hex.left(digits));
}

QString SimDialect::uuidOf(int number)
{
    QString hex = hexOf(number, 32);
    hex[12] = QLatin1Char('4'); // version 4
    hex[16] = QLatin1Char("89ab"[hex.at(16).unicode() % 4]); // variant 1
    return QStringLiteral("%1-%2-%3-%4-%5")
        .arg(hex.left(8), hex.mid(8, 4), hex.mid(12, 4), hex.mid(16, 4), hex.mid(20, 12));
}

QString SimDialect::isoTime(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

SimDialect::Route SimDialect::routeFineTuningJobs(const RecordedRequest& request, const QList<QByteArray>& prefix,
                                                  bool withPauseResume)
{
    QList<QByteArray> actions{"cancel", "events"};
    if (withPauseResume)
        actions << "pause"
                << "resume";
    return routeJobs(request,
                     QList<QByteArray>(prefix) << "fine_tuning"
                                               << "jobs",
                     JobKind::FineTuning, actions);
}

SimDialect::Route SimDialect::routeJobs(const RecordedRequest& request, const QList<QByteArray>& collection,
                                        JobKind kind, const QList<QByteArray>& actions)
{
    const QList<QByteArray> parts = request.path().split('/');
    Route result;
    const qsizetype base = 1 + collection.size(); // index of the id
    if (parts.size() < base || !parts.at(0).isEmpty() || parts.mid(1, collection.size()) != collection)
        return result;
    result.fineTuning = kind == JobKind::FineTuning;
    result.jobKind = kind;
    if (parts.size() > base + 2)
        return result;
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (parts.size() == base) {
        result.valid = get;
        result.kind = get ? RequestKind::List : RequestKind::Other;
        return result;
    }
    result.id = QString::fromUtf8(QByteArray::fromPercentEncoding(parts.at(base)));
    if (result.id.isEmpty())
        return result;
    if (parts.size() == base + 1) {
        result.valid = get;
        result.kind = get ? RequestKind::Retrieve : RequestKind::Other;
        return result;
    }
    const QByteArray action = parts.at(base + 1);
    if (!actions.contains(action))
        return result;
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

std::optional<int> SimDialect::parseLimit(const QUrlQuery& query, const SimDialect& dialect, FakeResponse* error)
{
    if (!query.hasQueryItem(QStringLiteral("limit")))
        return kDefaultLimit;
    const QString text = query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded);
    bool ok = false;
    const int limit = text.toInt(&ok);
    if (!ok || limit < 1) {
        *error = dialect.error(400, ErrorKind::BadRequest,
                               QStringLiteral("Invalid 'limit': expected a positive integer, got '%1'.").arg(text),
                               QStringLiteral("limit"));
        return std::nullopt;
    }
    return std::min(limit, kMaxLimit);
}

SimDialect::ListSlice SimDialect::cursorSlice(const QUrlQuery& query, const QStringList& ids, const SimDialect& dialect)
{
    ListSlice slice;
    FakeResponse refusal;
    const std::optional<int> limit = parseLimit(query, dialect, &refusal);
    if (!limit) {
        slice.refusal = refusal;
        return slice;
    }
    slice.count = *limit;
    slice.pageSize = *limit;
    if (query.hasQueryItem(QStringLiteral("after"))) {
        const QString after = query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
        const qsizetype index = ids.indexOf(after);
        if (index < 0) { // the API's answer here is undocumented; be loud rather than return a quiet empty page
            slice.refusal = dialect.error(400, ErrorKind::BadRequest,
                                          QStringLiteral("Invalid 'after': no fine-tuning job %1.").arg(after),
                                          QStringLiteral("after"));
            return slice;
        }
        slice.start = index + 1;
    }
    return slice;
}
