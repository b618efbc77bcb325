#include "dialect.h"

namespace {

// Together AI: https://api.together.ai/v1, Bearer. Batches: /batches/{id}[/cancel], UUID ids, upper-case statuses,
// one unpaged list (a bare array), progress 0–100. Fine-tuning: /fine-tunes/{id}[/cancel|/events], ft-<uuid> ids,
// one unpaged list ({"data":[…]}), events as {"data":[…]} without ids; statuses pending … cancel_requested (stopping) →
// cancelled, error, completed; times as ISO 8601 strings (official spec: together-openapi.yaml).
class TogetherDialect final : public Dialect
{
public:
    Provider provider() const override { return Provider::Together; }

    Paging paging(JobKind /*kind*/) const override { return Paging::None; }

    void authorise(QNetworkRequest& request, const ApiConfig& config) const override { setBearer(request, config); }

    StatusClass statusClass(const QString& raw, JobKind kind) const override
    {
        if (kind == JobKind::Batch) {
            static const QHash<QString, StatusClass> batches = {
                {QStringLiteral("VALIDATING"), StatusClass::Active},
                {QStringLiteral("IN_PROGRESS"), StatusClass::Active},
                {QStringLiteral("COMPLETED"), StatusClass::Succeeded},
                {QStringLiteral("FAILED"), StatusClass::Failed},
                {QStringLiteral("EXPIRED"), StatusClass::Failed},
                {QStringLiteral("CANCELLED"), StatusClass::Cancelled},
            };
            return batches.value(raw, StatusClass::Unknown);
        }
        static const QHash<QString, StatusClass> classes = {
            {QStringLiteral("pending"), StatusClass::Active},
            {QStringLiteral("queued"), StatusClass::Active},
            {QStringLiteral("running"), StatusClass::Active},
            {QStringLiteral("compressing"), StatusClass::Active},
            {QStringLiteral("uploading"), StatusClass::Active},
            {QStringLiteral("cancel_requested"), StatusClass::Stopping},
            {QStringLiteral("cancelled"), StatusClass::Cancelled},
            {QStringLiteral("error"), StatusClass::Failed},
            {QStringLiteral("completed"), StatusClass::Succeeded},
        };
        return classes.value(raw, StatusClass::Unknown);
    }

    FineTuningJob jobFromJson(const QJsonObject& object, JobKind kind) const override
    {
        FineTuningJob job = Dialect::jobFromJson(object, kind);
        if (job.createdAt == 0)
            job.createdAt = isoSeconds(object.value(QLatin1String("created_at")));
        if (kind == JobKind::Batch) {
            // {"model_id":…, "progress":75.0, "error":"…", "completed_at":"…"}
            if (job.model.isEmpty() || job.model.startsWith(u'/'))
                job.model = object.value(QLatin1String("model_id")).toString(job.model).left(256);
            if (const QJsonValue progress = object.value(QLatin1String("progress")); progress.isDouble())
                job.requestCounts = tr("%1% done").arg(qBound(0.0, progress.toDouble(), 100.0), 0, 'f', 0);
            if (job.finishedAt == 0)
                job.finishedAt = isoSeconds(object.value(QLatin1String("completed_at")));
            if (const QJsonValue error = object.value(QLatin1String("error")); error.isString())
                job.errorMessage = error.toString().left(1024);
            return job;
        }
        if (job.fineTunedModel.isEmpty())
            job.fineTunedModel = object.value(QLatin1String("model_output_name")).toString().left(1024);
        if (job.suffix.isEmpty())
            job.suffix = object.value(QLatin1String("suffix")).toString().left(1024);
        return job;
    }

    JobEvent eventFromJson(const QJsonObject& object) const override
    {
        JobEvent event = Dialect::eventFromJson(object);
        if (event.createdAt == 0)
            event.createdAt = isoSeconds(object.value(QLatin1String("created_at")));
        return event;
    }

    QString cancelNote(JobKind kind) const override
    {
        return kind == JobKind::FineTuning ? tr("Together AI bills the steps already trained when a job is cancelled.")
                                           : QString();
    }

    bool ownsUrl(const QUrl& url) const override
    {
        const QString host = url.host().toLower();
        return host == QLatin1String("api.together.ai") || host == QLatin1String("api.together.xyz")
            || host == QLatin1String("together.ai") || host == QLatin1String("www.together.ai");
    }

    IdFit fitsId(const QString& id, JobKind kind, QString* /*warning*/) const override
    {
        // Batches: a bare UUID.
        if (kind == JobKind::Batch)
            return isUuid(id) ? IdFit::Yes : IdFit::No;
        // ft-<uuid>; the spec's own example is ft-<20 digits>: any ft- id that is not OpenAI's ftjob-.
        return id.startsWith(QLatin1String("ft-")) && id.size() > 3 ? IdFit::Yes : IdFit::No;
    }

    QString idExample(JobKind kind) const override
    {
        return kind == JobKind::Batch ? QStringLiteral("01234567-8901-2345-6789-012345678901")
                                      : QStringLiteral("ft-3b883474-f39c-40d9-9d5a-7f97ba9eeb9f");
    }
    QString idRule(JobKind kind) const override
    {
        return kind == JobKind::Batch ? tr("Together AI batch ids are UUIDs.")
                                      : tr("Together AI job ids start with ft-.");
    }

protected:
    QString jobsPath(JobKind kind) const override
    {
        return kind == JobKind::Batch ? QStringLiteral("/batches") : QStringLiteral("/fine-tunes");
    }
};

} // namespace

const Dialect& togetherDialect()
{
    static const TogetherDialect dialect;
    return dialect;
}
