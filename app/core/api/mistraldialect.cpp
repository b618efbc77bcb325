#include "dialect.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace {

constexpr qsizetype maxFieldChars = 64 * 1024;

// {"detail":[{"loc":["query","page"],"msg":"…","type":"…"}]} (FastAPI's HTTPValidationError, the spec's 422) as
// "query.page: …; …".
QString validationText(const QJsonArray& detail)
{
    QStringList parts;
    for (const QJsonValue& entry : detail) {
        const QJsonObject e = entry.toObject();
        QStringList loc;
        for (const QJsonValue& piece : e.value(QLatin1String("loc")).toArray())
            loc << (piece.isString() ? piece.toString().left(64) : QString::number(piece.toInt()));
        const QString msg = e.value(QLatin1String("msg")).toString().left(1024);
        parts << (loc.isEmpty() ? msg : loc.join(u'.') + QStringLiteral(": ") + msg);
        if (parts.size() >= 8)
            break;
    }
    return parts.join(QStringLiteral("; ")).left(maxFieldChars);
}

// Mistral AI: https://api.mistral.ai/v1, Bearer, UUID ids (fine-tuning /fine_tuning/jobs, batches /batch/jobs),
// upper-case statuses, a page-numbered list ({"data":[…], "total":N}, page / page_size), events carried by the job
// (name, data, created_at). The 2026-08 spec marks these endpoints deprecated: what the API says when they go is shown
// as it says it (official spec: mistral-openapi.yaml).
class MistralDialect final : public Dialect
{
public:
    Provider provider() const override { return Provider::Mistral; }

    bool offers(Operation operation, JobKind /*kind*/) const override
    {
        return operation == Operation::Cancel || operation == Operation::Retrieve;
    }
    Paging paging(JobKind /*kind*/) const override { return Paging::PageNumber; }
    EventsSource eventsSource(JobKind kind) const override
    {
        return kind == JobKind::FineTuning ? EventsSource::InJob : EventsSource::None;
    }

    void authorise(QNetworkRequest& request, const ApiConfig& config) const override { setBearer(request, config); }

    StatusClass statusClass(const QString& raw, JobKind kind) const override
    {
        if (kind == JobKind::Batch) {
            static const QHash<QString, StatusClass> batches = {
                {QStringLiteral("QUEUED"), StatusClass::Active},
                {QStringLiteral("RUNNING"), StatusClass::Active},
                {QStringLiteral("CANCELLATION_REQUESTED"), StatusClass::Stopping},
                {QStringLiteral("SUCCESS"), StatusClass::Succeeded},
                {QStringLiteral("FAILED"), StatusClass::Failed},
                {QStringLiteral("TIMEOUT_EXCEEDED"), StatusClass::Failed},
                {QStringLiteral("CANCELLED"), StatusClass::Cancelled},
            };
            return batches.value(raw, StatusClass::Unknown);
        }
        static const QHash<QString, StatusClass> classes = {
            {QStringLiteral("QUEUED"), StatusClass::Active},
            {QStringLiteral("STARTED"), StatusClass::Active},
            {QStringLiteral("VALIDATING"), StatusClass::Active},
            {QStringLiteral("VALIDATED"), StatusClass::Active},
            {QStringLiteral("RUNNING"), StatusClass::Active},
            {QStringLiteral("CANCELLATION_REQUESTED"), StatusClass::Stopping},
            {QStringLiteral("FAILED_VALIDATION"), StatusClass::Failed},
            {QStringLiteral("FAILED"), StatusClass::Failed},
            {QStringLiteral("SUCCESS"), StatusClass::Succeeded},
            {QStringLiteral("CANCELLED"), StatusClass::Cancelled},
        };
        return classes.value(raw, StatusClass::Unknown);
    }

    FineTuningJob jobFromJson(const QJsonObject& object, JobKind kind) const override
    {
        FineTuningJob job = Dialect::jobFromJson(object, kind);
        if (kind == JobKind::Batch) {
            // total_requests, succeeded_requests, failed_requests, completed_requests
            const auto count = [&](const char* name) {
                return qint64(object.value(QLatin1String(name)).toDouble(-1));
            };
            const qint64 total = count("total_requests");
            if (total >= 0)
                job.requestCounts = tr("%1 succeeded, %2 failed of %3 requests")
                                        .arg(qMax<qint64>(0, count("succeeded_requests")))
                                        .arg(qMax<qint64>(0, count("failed_requests")))
                                        .arg(total);
            if (job.finishedAt == 0)
                job.finishedAt = qint64(object.value(QLatin1String("completed_at")).toDouble(0));
        }
        return job;
    }

    JobEvent eventFromJson(const QJsonObject& object) const override
    {
        // {"name":"status-updated","data":{"status":"RUNNING"},"created_at":1716963433}
        JobEvent event = Dialect::eventFromJson(object);
        event.type = object.value(QLatin1String("name")).toString().left(256);
        QString message = event.type;
        const QJsonObject data = object.value(QLatin1String("data")).toObject();
        QStringList pairs;
        for (auto it = data.constBegin(); it != data.constEnd() && pairs.size() < 8; ++it) {
            if (it->isString() || it->isDouble())
                pairs << it.key().left(64) + u'='
                        + (it->isString() ? it->toString().left(512) : QString::number(it->toDouble()));
        }
        if (!pairs.isEmpty())
            message += QStringLiteral(": ") + pairs.join(QStringLiteral(", "));
        event.message = message;
        return event;
    }

    ApiError errorOf(int httpStatus, const QByteArray& contentType, const QByteArray& body) const override
    {
        // OpenAI's {"error":{…}} is read as OpenAI's; besides it: {"detail":[…]} (422), {"detail":"…"} and
        // {"object":"error","message":"…","type":"…","code":…}.
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        const QJsonObject o = doc.object();
        if (httpStatus < 400 || !doc.isObject() || o.contains(QLatin1String("error")))
            return openAiStyleError(httpStatus, contentType, body);
        QString message;
        const QJsonValue detail = o.value(QLatin1String("detail"));
        if (detail.isArray())
            message = validationText(detail.toArray());
        else if (detail.isString())
            message = detail.toString().left(maxFieldChars);
        else if (const QJsonValue m = o.value(QLatin1String("message")); m.isString())
            message = m.toString().left(maxFieldChars);
        const QJsonValue code = o.value(QLatin1String("code"));
        const QString codeText = code.isString() ? code.toString().left(256)
            : code.isDouble()                    ? QString::number(code.toDouble())
                                                 : QString();
        return ApiError::http(httpStatus, message, o.value(QLatin1String("type")).toString().left(256), codeText);
    }

    bool ownsUrl(const QUrl& url) const override
    {
        const QString host = url.host().toLower();
        return host == QLatin1String("api.mistral.ai") || host == QLatin1String("console.mistral.ai")
            || host == QLatin1String("admin.mistral.ai");
    }

    // Both kinds are UUIDs: an id alone is taken as a fine-tuning job unless the kind is said (--kind batch).
    IdFit fitsId(const QString& id, JobKind /*kind*/, QString* /*warning*/) const override
    {
        return isUuid(id) ? IdFit::Yes : IdFit::No;
    }

    QString idExample(JobKind /*kind*/) const override
    {
        return QStringLiteral("7d3e1c2a-5b4f-4e6d-9a8b-0c1d2e3f4a5b");
    }
    QString idRule(JobKind kind) const override
    {
        Q_UNUSED(kind);
        return tr("Mistral AI job ids are UUIDs such as 7d3e1c2a-5b4f-4e6d-9a8b-0c1d2e3f4a5b (batch ids too).");
    }

protected:
    QString jobsPath(JobKind kind) const override
    {
        return kind == JobKind::Batch ? QStringLiteral("/batch/jobs") : QStringLiteral("/fine_tuning/jobs");
    }
};

} // namespace

const Dialect& mistralDialect()
{
    static const MistralDialect dialect;
    return dialect;
}
