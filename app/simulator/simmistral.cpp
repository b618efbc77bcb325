// Mistral AI as the JobSimulator speaks it: /v1/fine_tuning/jobs[/{uuid}[/cancel]], Bearer auth, UUID ids, upper-case
// statuses, a page-numbered list ({"object":"list","data":[…],"total":N}), jobs that carry their events and
// checkpoints (no events endpoint), and the error shapes of a FastAPI service: {"detail":…} from the framework
// (validation: a list; unknown paths and retired endpoints: a sentence) and {"object":"error","message":…} from the
// service itself.
#include "simdialect.h"

#include <QRegularExpression>

namespace {

bool isUuid(const QString& text)
{
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return uuid.match(text).hasMatch();
}

// FastAPI's answer to a parameter it cannot parse.
FakeResponse validationError(const QStringList& location, const QString& type, const QString& message,
                             const QString& input)
{
    const QJsonObject item{
        {QStringLiteral("type"), type},
        {QStringLiteral("loc"), QJsonArray::fromStringList(location)},
        {QStringLiteral("msg"), message},
        {QStringLiteral("input"), input},
    };
    return SimDialect::jsonAnswer(QJsonObject{{QStringLiteral("detail"), QJsonArray{item}}}, 422);
}

// page and page_size: integers, page 0 or more, page_size 1 or more; nullopt (and *refusal) otherwise.
std::optional<int> intItem(const QUrlQuery& query, const QString& name, int fallback, int minimum,
                           FakeResponse* refusal)
{
    if (!query.hasQueryItem(name))
        return fallback;
    const QString text = query.queryItemValue(name, QUrl::FullyDecoded);
    bool ok = false;
    const int value = text.toInt(&ok);
    if (ok && value >= minimum)
        return value;
    *refusal = ok ? validationError({QStringLiteral("query"), name}, QStringLiteral("greater_than_equal"),
                                    QStringLiteral("Input should be greater than or equal to %1").arg(minimum), text)
                  : validationError({QStringLiteral("query"), name}, QStringLiteral("int_parsing"),
                                    QStringLiteral("Input should be a valid integer, unable to parse string as an "
                                                   "integer"),
                                    text);
    return std::nullopt;
}

class SimMistral final : public SimDialect
{
public:
    Provider provider() const override { return Provider::Mistral; }

    Route route(const RecordedRequest& request) const override
    {
        Route result = routeFineTuningJobs(request, {"v1"}, false);
        if (!result.fineTuning)
            result = routeJobs(request, {"v1", "batch", "jobs"}, JobKind::Batch, {"cancel"});
        if (result.kind == RequestKind::Events) { // a Mistral job carries its events; there is no endpoint
            result.kind = RequestKind::Other;
            result.valid = false;
        }
        if (result.valid && !result.id.isEmpty() && !isUuid(result.id)) {
            result.refusal = validationError(
                {QStringLiteral("path"), QStringLiteral("job_id")}, QStringLiteral("uuid_parsing"),
                QStringLiteral("Input should be a valid UUID, invalid character: expected an optional prefix of "
                               "`urn:uuid:` followed by [0-9a-fA-F-]"),
                result.id);
        }
        return result;
    }

    std::optional<FakeResponse> checkAuth(const RecordedRequest& request, const QByteArray& expectedKey) const override
    {
        const QByteArray authorization = request.header("authorization");
        const QByteArray key = authorization.mid(7);
        if (authorization.startsWith("Bearer ") && key.size() >= 5 && (expectedKey.isEmpty() || key == expectedKey))
            return std::nullopt;
        return jsonAnswer(QJsonObject{{QStringLiteral("message"), QStringLiteral("Unauthorized")},
                                      {QStringLiteral("request_id"), hexOf(int(key.size()), 32)}},
                          401);
    }

    FakeResponse error(int status, ErrorKind kind, const QString& message,
                       const QString& param = QString()) const override
    {
        if (kind == ErrorKind::InvalidUrl)
            return jsonAnswer(QJsonObject{{QStringLiteral("detail"), QStringLiteral("Not Found")}}, 404);
        const QJsonObject body{
            {QStringLiteral("object"), QStringLiteral("error")},
            {QStringLiteral("message"), message},
            {QStringLiteral("type"),
             kind == ErrorKind::Internal ? QStringLiteral("internal_server_error")
                                         : QStringLiteral("invalid_request_error")},
            {QStringLiteral("param"), param.isEmpty() ? QJsonValue() : QJsonValue(param)},
            {QStringLiteral("code"), QJsonValue()},
        };
        return jsonAnswer(body, status);
    }

    FakeResponse gone(int status, const QString& message) const override
    {
        return jsonAnswer(QJsonObject{{QStringLiteral("detail"), message}}, status);
    }

    QString makeId(int number) const override { return uuidOf(number); }
    QString defaultModel() const override { return QStringLiteral("open-mistral-7b"); }

    JobSimulator::StatusMix realisticMix() const override
    {
        return {
            {QStringLiteral("RUNNING"), 35},  {QStringLiteral("QUEUED"), 15},
            {QStringLiteral("STARTED"), 5},   {QStringLiteral("VALIDATING"), 8},
            {QStringLiteral("VALIDATED"), 5}, {QStringLiteral("SUCCESS"), 12},
            {QStringLiteral("FAILED"), 4},    {QStringLiteral("FAILED_VALIDATION"), 3},
            {QStringLiteral("CANCELLED"), 6}, {JobSimulator::unknownStatus(Provider::Mistral), 2},
        };
    }

    Phase phaseOf(const QString& status) const override
    {
        if (status == QLatin1String("VALIDATED"))
            return Phase::Queued;
        if (status == QLatin1String("STARTED"))
            return Phase::Running;
        if (status == QLatin1String("FAILED_VALIDATION"))
            return Phase::Failed;
        return SimDialect::phaseOf(status);
    }

    QString word(Phase phase) const override
    {
        switch (phase) {
        case Phase::Validating:
            return QStringLiteral("VALIDATING");
        case Phase::Queued:
            return QStringLiteral("QUEUED");
        case Phase::Running:
            return QStringLiteral("RUNNING");
        case Phase::Stopping:
            return QStringLiteral("CANCELLATION_REQUESTED");
        case Phase::Paused:
            return QString(); // Mistral has no pause
        case Phase::Succeeded:
            return QStringLiteral("SUCCESS");
        case Phase::Failed:
            return QStringLiteral("FAILED");
        case Phase::Cancelled:
            return QStringLiteral("CANCELLED");
        case Phase::Unknown:
            break;
        }
        return QString();
    }

    QJsonObject jobJson(const SimulatedJob& job, const Route&, bool detailed) const override
    {
        const Phase phase = phaseOf(job.status);
        const bool trained = phase == Phase::Running || phase == Phase::Stopping || phase == Phase::Succeeded
            || phase == Phase::Cancelled;
        QJsonObject object{
            {QStringLiteral("id"), job.id},
            {QStringLiteral("auto_start"), true},
            {QStringLiteral("model"), job.model},
            {QStringLiteral("status"), job.status},
            {QStringLiteral("job_type"), QStringLiteral("completion")},
            {QStringLiteral("created_at"), job.createdAt},
            {QStringLiteral("modified_at"), job.modifiedAt},
            {QStringLiteral("training_files"), QJsonArray{uuidOf(int(job.createdAt % 100000))}},
            {QStringLiteral("validation_files"), QJsonArray()},
            {QStringLiteral("object"), QStringLiteral("job")},
            {QStringLiteral("fine_tuned_model"),
             phase == Phase::Succeeded
                 ? QJsonValue(QStringLiteral("ft:%1:%2:20240723:%3").arg(job.model, hexOf(7, 8), job.id.left(8)))
                 : QJsonValue()},
            {QStringLiteral("suffix"), QJsonValue()},
            {QStringLiteral("integrations"), QJsonArray()},
            {QStringLiteral("trained_tokens"), trained ? QJsonValue(120000) : QJsonValue()},
            {QStringLiteral("metadata"), QJsonValue()},
            {QStringLiteral("hyperparameters"),
             QJsonObject{{QStringLiteral("training_steps"), 10}, {QStringLiteral("learning_rate"), 0.0001}}},
            {QStringLiteral("repositories"), QJsonArray()},
        };
        if (detailed) {
            object.insert(QStringLiteral("events"), eventsJson(job));
            object.insert(QStringLiteral("checkpoints"), trained ? checkpointsJson(job) : QJsonArray());
        }
        return object;
    }

    ListSlice listSlice(const QUrlQuery& query, const QStringList&) const override
    {
        ListSlice slice;
        FakeResponse refusal;
        const std::optional<int> page = intItem(query, QStringLiteral("page"), 0, 0, &refusal);
        const std::optional<int> size
            = page ? intItem(query, QStringLiteral("page_size"), 100, 1, &refusal) : std::nullopt;
        if (!page || !size) {
            slice.refusal = refusal;
            return slice;
        }
        slice.start = qsizetype(*page) * *size;
        slice.count = *size;
        slice.pageSize = *size;
        return slice;
    }

    QJsonObject listEnvelope(const QJsonArray& data, bool, qsizetype total) const override
    {
        return QJsonObject{
            {QStringLiteral("object"), QStringLiteral("list")},
            {QStringLiteral("data"), data},
            {QStringLiteral("total"), total},
        };
    }

    QJsonObject eventJson(const SimulatedEvent& event) const override
    {
        return QJsonObject{
            {QStringLiteral("name"), QStringLiteral("status-updated")},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("status"), event.status}}},
            {QStringLiteral("created_at"), event.createdAt},
        };
    }

    // Batches: /v1/batch/jobs, UUIDs, QUEUED, RUNNING, CANCELLATION_REQUESTED → SUCCESS, FAILED, TIMEOUT_EXCEEDED,
    // CANCELLED; request counts as fields of their own; the same page-numbered list.
    QString makeBatchId(int number) const override { return uuidOf(100000 + number); }

    Phase batchPhaseOf(const QString& status) const override
    {
        return status == QLatin1String("TIMEOUT_EXCEEDED") ? Phase::Failed : SimDialect::batchPhaseOf(status);
    }

    QString batchWord(Phase phase) const override
    {
        switch (phase) {
        case Phase::Queued:
            return QStringLiteral("QUEUED");
        case Phase::Running:
            return QStringLiteral("RUNNING");
        case Phase::Stopping:
            return QStringLiteral("CANCELLATION_REQUESTED");
        case Phase::Succeeded:
            return QStringLiteral("SUCCESS");
        case Phase::Failed:
            return QStringLiteral("FAILED");
        case Phase::Cancelled:
            return QStringLiteral("CANCELLED");
        default:
            return QString();
        }
    }

    QJsonObject batchJson(const SimulatedJob& job) const override
    {
        const Phase phase = batchPhaseOf(job.status);
        const RequestCounts counts = countsOf(job, phase);
        const bool ended = phase == Phase::Succeeded || phase == Phase::Failed || phase == Phase::Cancelled;
        return QJsonObject{
            {QStringLiteral("id"), job.id},
            {QStringLiteral("object"), QStringLiteral("batch")},
            {QStringLiteral("input_files"), QJsonArray{uuidOf(int(job.createdAt % 100000))}},
            {QStringLiteral("metadata"), QJsonValue()},
            {QStringLiteral("endpoint"), QStringLiteral("/v1/chat/completions")},
            {QStringLiteral("model"), job.model},
            {QStringLiteral("output_file"), counts.succeeded > 0 ? QJsonValue(uuidOf(7)) : QJsonValue()},
            {QStringLiteral("error_file"), QJsonValue()},
            {QStringLiteral("errors"), QJsonArray()},
            {QStringLiteral("status"), job.status},
            {QStringLiteral("created_at"), job.createdAt},
            {QStringLiteral("total_requests"), counts.total},
            {QStringLiteral("completed_requests"), counts.succeeded + counts.failed},
            {QStringLiteral("succeeded_requests"), counts.succeeded},
            {QStringLiteral("failed_requests"), counts.failed},
            {QStringLiteral("started_at"), phase == Phase::Queued ? QJsonValue() : QJsonValue(job.createdAt + 30)},
            {QStringLiteral("completed_at"), ended ? QJsonValue(job.modifiedAt) : QJsonValue()},
        };
    }

    ListSlice batchListSlice(const QUrlQuery& query, const QStringList& ids) const override
    {
        return listSlice(query, ids);
    }

    FakeResponse batchList(const QJsonArray& data, bool hasMore, qsizetype total) const override
    {
        return jsonAnswer(listEnvelope(data, hasMore, total));
    }

private:
    // "Event items are created every time the status of a fine-tuning job changes": one per status, oldest first.
    QJsonArray eventsJson(const SimulatedJob& job) const
    {
        QJsonArray events;
        QString previous;
        for (const SimulatedEvent& event : job.events) {
            if (event.status.isEmpty() || event.status == previous)
                continue;
            previous = event.status;
            events.append(eventJson(event));
        }
        return events;
    }

    static QJsonArray checkpointsJson(const SimulatedJob& job)
    {
        QJsonArray checkpoints;
        for (int step = 1; step <= 2; ++step) {
            const QJsonObject metrics{
                {QStringLiteral("train_loss"), 1.5 / step},
                {QStringLiteral("valid_loss"), 1.7 / step},
                {QStringLiteral("valid_mean_token_accuracy"), 0.6 + 0.1 * step},
            };
            checkpoints.append(QJsonObject{
                {QStringLiteral("metrics"), metrics},
                {QStringLiteral("step_number"), step * 5},
                {QStringLiteral("created_at"), job.createdAt + 600 * step},
            });
        }
        return checkpoints;
    }
};

} // namespace

std::unique_ptr<SimDialect> makeSimMistral()
{
    return std::make_unique<SimMistral>();
}
