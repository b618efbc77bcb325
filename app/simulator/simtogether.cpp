// Together AI as the JobSimulator speaks it: /v1/fine-tunes[/{id}[/cancel|/events]], Bearer auth, ft-<uuid> ids,
// ISO timestamps, an unpaged list and events ({"data":[…]}), cancel into cancel_requested, and the ErrorData shape
// ({"error":{"message","type","param","code"}}, like OpenAI's) that the spec gives its other endpoints; batches
// under /v1/batches.
#include "simdialect.h"

#include <QJsonDocument>

namespace {

class SimTogether final : public SimDialect
{
public:
    Provider provider() const override { return Provider::Together; }

    Route route(const RecordedRequest& request) const override
    {
        const QList<QByteArray> parts = request.path().split('/');
        if (parts.size() >= 3 && parts.at(1) == "v1" && parts.at(2) == "batches")
            return routeJobs(request, {"v1", "batches"}, JobKind::Batch, {"cancel"});
        Route result;
        if (parts.size() < 3 || !parts.at(0).isEmpty() || parts.at(1) != "v1" || parts.at(2) != "fine-tunes")
            return result;
        result.fineTuning = true;
        const bool get = request.method == "GET";
        if (parts.size() == 3) {
            result.valid = get;
            result.kind = get ? RequestKind::List : RequestKind::Other;
            return result;
        }
        if (parts.size() > 5)
            return result;
        result.id = QString::fromUtf8(QByteArray::fromPercentEncoding(parts.at(3)));
        if (result.id.isEmpty())
            return result;
        if (parts.size() == 4) {
            result.valid = get;
            result.kind = get ? RequestKind::Retrieve : RequestKind::Other;
        } else if (parts.at(4) == "cancel" && request.method == "POST") {
            result.valid = true;
            result.kind = RequestKind::Cancel;
        } else if (parts.at(4) == "events" && get) {
            result.valid = true;
            result.kind = RequestKind::Events;
        }
        return result;
    }

    std::optional<FakeResponse> checkAuth(const RecordedRequest& request, const QByteArray& expectedKey) const override
    {
        const QByteArray authorization = request.header("authorization");
        const QByteArray key = authorization.mid(7);
        if (authorization.startsWith("Bearer ") && key.size() >= 5 && (expectedKey.isEmpty() || key == expectedKey))
            return std::nullopt;
        return error(401, ErrorKind::Unauthorized,
                     QStringLiteral("Invalid API key provided. You can find your API key at "
                                    "https://api.together.xyz/settings/api-keys."));
    }

    FakeResponse error(int status, ErrorKind kind, const QString& message,
                       const QString& param = QString()) const override
    {
        QJsonValue code;
        QString type = QStringLiteral("invalid_request_error");
        if (kind == ErrorKind::Unauthorized)
            code = QStringLiteral("invalid_api_key");
        else if (kind == ErrorKind::Internal)
            type = QStringLiteral("server_error");
        const QJsonObject body{
            {QStringLiteral("message"), message},
            {QStringLiteral("type"), type},
            {QStringLiteral("param"), param.isEmpty() ? QJsonValue() : QJsonValue(param)},
            {QStringLiteral("code"), code},
        };
        return jsonAnswer(QJsonObject{{QStringLiteral("error"), body}}, status);
    }

    QString makeId(int number) const override { return QStringLiteral("ft-") + uuidOf(number); }
    QString defaultModel() const override { return QStringLiteral("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"); }

    JobSimulator::StatusMix realisticMix() const override
    {
        return {
            {QStringLiteral("running"), 35},
            {QStringLiteral("queued"), 15},
            {QStringLiteral("pending"), 10},
            {QStringLiteral("uploading"), 3},
            {QStringLiteral("compressing"), 2},
            {QStringLiteral("completed"), 12},
            {QStringLiteral("error"), 7},
            {QStringLiteral("cancelled"), 6},
            {JobSimulator::unknownStatus(Provider::Together), 2},
        };
    }

    Phase phaseOf(const QString& status) const override
    {
        if (status == QLatin1String("compressing") || status == QLatin1String("uploading"))
            return Phase::Running;
        if (status == QLatin1String("paused")) // Together has no pause: not one of its words
            return Phase::Unknown;
        return SimDialect::phaseOf(status);
    }

    QString word(Phase phase) const override
    {
        switch (phase) {
        case Phase::Validating:
            return QStringLiteral("pending");
        case Phase::Stopping:
            return QStringLiteral("cancel_requested");
        case Phase::Succeeded:
            return QStringLiteral("completed");
        case Phase::Failed:
            return QStringLiteral("error");
        default:
            return SimDialect::word(phase);
        }
    }

    QJsonObject jobJson(const SimulatedJob& job, const Route&, bool detailed) const override
    {
        QJsonArray events;
        for (const SimulatedEvent& event : job.events) {
            if (detailed)
                events.append(eventJson(event));
        }
        const Phase phase = phaseOf(job.status);
        QJsonObject object{
            {QStringLiteral("id"), job.id},
            {QStringLiteral("status"), job.status},
            {QStringLiteral("created_at"), isoTime(job.createdAt)},
            {QStringLiteral("updated_at"), isoTime(job.modifiedAt)},
            {QStringLiteral("user_id"), QStringLiteral("user_sim0123456789")},
            {QStringLiteral("owner_address"), QStringLiteral("0xsim0123456789")},
            {QStringLiteral("total_price"), phase == Phase::Succeeded ? 1500 : 0},
            {QStringLiteral("token_count"), 850000},
            {QStringLiteral("events"), events},
            {QStringLiteral("model"), job.model},
            {QStringLiteral("model_output_name"),
             QStringLiteral("sim-org/%1-%2").arg(job.model.section(u'/', -1), job.id.right(8))},
            {QStringLiteral("n_epochs"), 3},
            {QStringLiteral("training_file"), QStringLiteral("file-") + job.id.right(12)},
        };
        if (phase != Phase::Validating && phase != Phase::Queued)
            object.insert(QStringLiteral("started_at"), isoTime(job.createdAt + 30));
        return object;
    }

    ListSlice listSlice(const QUrlQuery&, const QStringList&) const override { return ListSlice(); }

    QJsonObject listEnvelope(const QJsonArray& data, bool, qsizetype) const override
    {
        return QJsonObject{{QStringLiteral("data"), data}};
    }

    FakeResponse events(const SimulatedJob& job, const QUrlQuery&) const override
    {
        QJsonArray data;
        for (const SimulatedEvent& event : job.events)
            data.append(eventJson(event));
        return jsonAnswer(QJsonObject{{QStringLiteral("data"), data}});
    }

    QJsonObject eventJson(const SimulatedEvent& event) const override
    {
        return QJsonObject{
            {QStringLiteral("object"), QStringLiteral("fine-tune-event")},
            {QStringLiteral("created_at"), isoTime(event.createdAt)},
            {QStringLiteral("level"), event.level == QLatin1String("warn") ? QStringLiteral("warning") : event.level},
            {QStringLiteral("message"), event.message},
            {QStringLiteral("type"), eventType(event.status)},
            {QStringLiteral("param_count"), 0},
            {QStringLiteral("token_count"), 0},
            {QStringLiteral("total_steps"), 0},
            {QStringLiteral("wandb_url"), QString()},
            {QStringLiteral("step"), 0},
            {QStringLiteral("checkpoint_path"), QString()},
            {QStringLiteral("model_path"), QString()},
            {QStringLiteral("training_offset"), 0},
            {QStringLiteral("hash"), QString()},
        };
    }

    // Batches: /v1/batches, bare UUIDs, upper-case statuses without a stopping one (a cancel is CANCELLED at once),
    // progress 0–100 instead of request counts, an unpaged list that is a bare JSON array.
    QString makeBatchId(int number) const override { return uuidOf(number); }
    QString defaultBatchModel() const override { return QStringLiteral("deepseek-ai/DeepSeek-V3"); }

    Phase batchPhaseOf(const QString& status) const override
    {
        return status == QLatin1String("EXPIRED") ? Phase::Failed : SimDialect::batchPhaseOf(status);
    }

    QString batchWord(Phase phase) const override
    {
        switch (phase) {
        case Phase::Validating:
            return QStringLiteral("VALIDATING");
        case Phase::Running:
            return QStringLiteral("IN_PROGRESS");
        case Phase::Succeeded:
            return QStringLiteral("COMPLETED");
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
        const double progress = counts.total > 0 ? 100.0 * (counts.succeeded + counts.failed) / counts.total : 0.0;
        QJsonObject object{
            {QStringLiteral("id"), job.id},
            {QStringLiteral("user_id"), QStringLiteral("user_sim0123456789")},
            {QStringLiteral("input_file_id"), QStringLiteral("file-") + job.id.right(12)},
            {QStringLiteral("file_size_bytes"), 1048576},
            {QStringLiteral("status"), job.status},
            {QStringLiteral("job_deadline"), isoTime(job.createdAt + 24 * 3600)},
            {QStringLiteral("created_at"), isoTime(job.createdAt)},
            {QStringLiteral("endpoint"), QStringLiteral("/v1/chat/completions")},
            {QStringLiteral("progress"), progress},
            {QStringLiteral("model_id"), job.model},
            {QStringLiteral("output_file_id"), counts.succeeded > 0 ? QStringLiteral("file-out") : QString()},
            {QStringLiteral("error_file_id"), QString()},
        };
        if (phase == Phase::Failed)
            object.insert(QStringLiteral("error"), QStringLiteral("The input file could not be parsed."));
        if (phase == Phase::Succeeded || phase == Phase::Cancelled || phase == Phase::Failed)
            object.insert(QStringLiteral("completed_at"), isoTime(job.modifiedAt));
        return object;
    }

    ListSlice batchListSlice(const QUrlQuery&, const QStringList&) const override { return ListSlice(); }

    FakeResponse batchList(const QJsonArray& data, bool, qsizetype) const override
    {
        return FakeResponse::json(200, QJsonDocument(data).toJson(QJsonDocument::Compact));
    }

private:
    QString eventType(const QString& status) const
    {
        switch (phaseOf(status)) {
        case Phase::Validating:
        case Phase::Queued:
            return QStringLiteral("job_pending");
        case Phase::Running:
            return QStringLiteral("job_start");
        case Phase::Stopping:
            return QStringLiteral("cancel_requested");
        case Phase::Cancelled:
            return QStringLiteral("job_stopped");
        case Phase::Succeeded:
            return QStringLiteral("job_complete");
        case Phase::Failed:
            return QStringLiteral("job_error");
        default:
            return QStringLiteral("warning");
        }
    }
};

} // namespace

std::unique_ptr<SimDialect> makeSimTogether()
{
    return std::make_unique<SimTogether>();
}
