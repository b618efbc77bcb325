// Anthropic's Message Batches as the JobSimulator speaks them: /v1/messages/batches[/{id}[/cancel]], headers
// x-api-key and anthropic-version (2023-06-01; Authorization is not Anthropic's), msgbatch_ ids, processing_status
// in_progress → canceling → ended, request_counts {processing, succeeded, errored, canceled, expired}, RFC 3339
// times, cursor pages (after_id, limit up to 1000; has_more, first_id, last_id) and errors
// {"type":"error","error":{"type":…,"message":…}}. No fine-tuning.
#include "simdialect.h"

namespace {

constexpr int kAnthropicMaxLimit = 1000;

class SimAnthropic final : public SimDialect
{
public:
    Provider provider() const override { return Provider::Anthropic; }
    bool hasFineTuning() const override { return false; }

    Route route(const RecordedRequest& request) const override
    {
        return routeJobs(request, {"v1", "messages", "batches"}, JobKind::Batch, {"cancel"});
    }

    std::optional<FakeResponse> checkAuth(const RecordedRequest& request, const QByteArray& expectedKey) const override
    {
        const QByteArray key = request.header("x-api-key");
        if (key.size() < 5)
            return error(401, ErrorKind::Unauthorized, QStringLiteral("x-api-key header is required"));
        if (!expectedKey.isEmpty() && key != expectedKey)
            return error(401, ErrorKind::Unauthorized, QStringLiteral("invalid x-api-key"));
        const QByteArray version = request.header("anthropic-version");
        if (version.isEmpty())
            return error(400, ErrorKind::BadRequest, QStringLiteral("anthropic-version: header is required"));
        if (version != "2023-06-01")
            return error(400, ErrorKind::BadRequest,
                         QStringLiteral("anthropic-version: unknown version %1").arg(QString::fromLatin1(version)));
        return std::nullopt;
    }

    FakeResponse error(int status, ErrorKind kind, const QString& message, const QString& = QString()) const override
    {
        QString type = QStringLiteral("invalid_request_error");
        if (kind == ErrorKind::Unauthorized)
            type = QStringLiteral("authentication_error");
        else if (kind == ErrorKind::NotFound || kind == ErrorKind::InvalidUrl)
            type = QStringLiteral("not_found_error");
        else if (kind == ErrorKind::Internal)
            type = QStringLiteral("api_error");
        const QJsonObject body{{QStringLiteral("type"), type}, {QStringLiteral("message"), message}};
        return jsonAnswer(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("error"), body}}, status);
    }

    QString makeId(int number) const override { return makeBatchId(number); }
    QString makeBatchId(int number) const override { return QStringLiteral("msgbatch_01") + hexOf(number, 22); }
    QString defaultModel() const override { return QStringLiteral("claude-sonnet-4-5"); }

    Phase batchPhaseOf(const QString& status) const override
    {
        if (status == QLatin1String("in_progress"))
            return Phase::Running;
        if (status == QLatin1String("canceling"))
            return Phase::Stopping;
        if (status == QLatin1String("ended"))
            return Phase::Succeeded; // ended, cancelled or not: nothing more to cancel
        return Phase::Unknown;
    }

    QString batchWord(Phase phase) const override
    {
        switch (phase) {
        case Phase::Running:
            return QStringLiteral("in_progress");
        case Phase::Stopping:
            return QStringLiteral("canceling");
        case Phase::Succeeded:
        case Phase::Failed:
        case Phase::Cancelled:
            return QStringLiteral("ended");
        default:
            return QString();
        }
    }

    JobSimulator::StatusMix realisticMix() const override { return realisticBatchMix(); }
    JobSimulator::StatusMix realisticBatchMix() const override
    {
        return {{QStringLiteral("in_progress"), 60}, {QStringLiteral("ended"), 35}, {QStringLiteral("canceling"), 5}};
    }

    QJsonObject batchJson(const SimulatedJob& job) const override
    {
        const bool ended = job.status == QLatin1String("ended");
        const Phase phase
            = ended ? (job.cancelRequestedAt > 0 ? Phase::Cancelled : Phase::Succeeded) : batchPhaseOf(job.status);
        const RequestCounts counts = countsOf(job, phase);
        const auto time = [](qint64 seconds) {
            return seconds > 0 ? QJsonValue(isoTime(seconds)) : QJsonValue();
        };
        return QJsonObject{
            {QStringLiteral("id"), job.id},
            {QStringLiteral("type"), QStringLiteral("message_batch")},
            {QStringLiteral("processing_status"), job.status},
            {QStringLiteral("request_counts"),
             QJsonObject{{QStringLiteral("processing"), counts.processing},
                         {QStringLiteral("succeeded"), counts.succeeded},
                         {QStringLiteral("errored"), counts.failed},
                         {QStringLiteral("canceled"), counts.canceled},
                         {QStringLiteral("expired"), 0}}},
            {QStringLiteral("ended_at"), time(ended ? job.modifiedAt : 0)},
            {QStringLiteral("created_at"), isoTime(job.createdAt)},
            {QStringLiteral("expires_at"), isoTime(job.createdAt + 24 * 3600)},
            {QStringLiteral("archived_at"), QJsonValue()},
            {QStringLiteral("cancel_initiated_at"), time(job.cancelRequestedAt)},
            {QStringLiteral("results_url"),
             ended ? QJsonValue(QStringLiteral("https://api.anthropic.com/v1/messages/batches/%1/results").arg(job.id))
                   : QJsonValue()},
        };
    }

    ListSlice batchListSlice(const QUrlQuery& query, const QStringList& ids) const override
    {
        ListSlice slice;
        int limit = 20;
        if (query.hasQueryItem(QStringLiteral("limit"))) {
            bool ok = false;
            limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
            if (!ok || limit < 1 || limit > kAnthropicMaxLimit) {
                slice.refusal = error(400, ErrorKind::BadRequest,
                                      QStringLiteral("limit: Input should be less than or equal to 1000"));
                return slice;
            }
        }
        slice.count = limit;
        slice.pageSize = limit;
        if (query.hasQueryItem(QStringLiteral("after_id"))) {
            const qsizetype index = ids.indexOf(query.queryItemValue(QStringLiteral("after_id"), QUrl::FullyDecoded));
            if (index < 0) {
                slice.refusal = error(400, ErrorKind::BadRequest, QStringLiteral("after_id: no such batch"));
                return slice;
            }
            slice.start = index + 1;
        }
        return slice;
    }

    FakeResponse batchList(const QJsonArray& data, bool hasMore, qsizetype) const override
    {
        const auto idAt = [&data](qsizetype i) {
            return data.isEmpty() ? QJsonValue() : data.at(i).toObject().value(QStringLiteral("id"));
        };
        return jsonAnswer(QJsonObject{
            {QStringLiteral("data"), data},
            {QStringLiteral("has_more"), hasMore},
            {QStringLiteral("first_id"), idAt(0)},
            {QStringLiteral("last_id"), idAt(data.size() - 1)},
        });
    }
};

} // namespace

std::unique_ptr<SimDialect> makeSimAnthropic()
{
    return std::make_unique<SimAnthropic>();
}
