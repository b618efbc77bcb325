// Together AI as the JobSimulator speaks it: /v1/fine-tunes[/{id}[/cancel|/events]], Bearer auth, ft-<uuid> ids,
// ISO timestamps, an unpaged list and events ({"data":[…]}), cancel into cancel_requested, and the ErrorData shape
// ({"error":{"message","type","param","code"}}, like OpenAI's) that the spec gives its other endpoints.
#include "simdialect.h"

namespace {

class SimTogether final : public SimDialect
{
public:
    Provider provider() const override { return Provider::Together; }

    Route route(const RecordedRequest& request) const override
    {
        const QList<QByteArray> parts = request.path().split('/');
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
