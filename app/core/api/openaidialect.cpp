#include "dialect.h"

namespace {

// OpenAI: https://api.openai.com/v1, Bearer plus OpenAI-Organization / OpenAI-Project, cursor pages (after /
// has_more). Fine-tuning: ftjob- ids, events of their own, pause and resume. Batches: /batches, batch_ ids, no
// events (official spec: openai-openapi.yaml).
class OpenAiDialect final : public Dialect
{
public:
    Provider provider() const override { return Provider::OpenAI; }

    bool offers(Operation operation, JobKind kind) const override
    {
        return kind == JobKind::FineTuning || Dialect::offers(operation, kind);
    }

    void authorise(QNetworkRequest& request, const ApiConfig& config) const override
    {
        setBearer(request, config);
        if (!config.organization.isEmpty())
            request.setRawHeader("OpenAI-Organization", config.organization.toUtf8());
        if (!config.project.isEmpty())
            request.setRawHeader("OpenAI-Project", config.project.toUtf8());
    }

    StatusClass statusClass(const QString& raw, JobKind kind) const override
    {
        if (kind == JobKind::Batch)
            return openAiBatchStatusClass(raw);
        // The spec's enum, plus what the API reports around a pause (pausing, paused) and a cancel (cancelling).
        static const QHash<QString, StatusClass> classes = {
            {QStringLiteral("validating_files"), StatusClass::Active},
            {QStringLiteral("queued"), StatusClass::Active},
            {QStringLiteral("running"), StatusClass::Active},
            {QStringLiteral("pausing"), StatusClass::Paused},
            {QStringLiteral("paused"), StatusClass::Paused},
            {QStringLiteral("cancelling"), StatusClass::Stopping},
            {QStringLiteral("succeeded"), StatusClass::Succeeded},
            {QStringLiteral("failed"), StatusClass::Failed},
            {QStringLiteral("cancelled"), StatusClass::Cancelled},
        };
        return classes.value(raw, StatusClass::Unknown);
    }

    QString dashboardUrl(const QString& jobId, JobKind kind) const override
    {
        return (kind == JobKind::Batch ? QStringLiteral("https://platform.openai.com/batches/")
                                       : QStringLiteral("https://platform.openai.com/finetune/"))
            + jobId;
    }

    bool ownsUrl(const QUrl& url) const override
    {
        const QString host = url.host().toLower();
        return host == QLatin1String("platform.openai.com") || host == QLatin1String("api.openai.com");
    }

    IdFit fitsId(const QString& id, JobKind kind, QString* warning) const override
    {
        if (kind == JobKind::Batch)
            return isOpenAiBatchId(id) ? IdFit::Yes : IdFit::No;
        if (id.startsWith(QLatin1String("ftjob-")) && id.size() > 6)
            return IdFit::Yes;
        // The legacy fine-tunes API's ft-<24 letters and digits>; Together's ft-<uuid> is not one.
        if (id.startsWith(QLatin1String("ft-")) && id.size() > 3 && !isUuid(QStringView(id).mid(3))) {
            if (warning)
                *warning = tr("\u201Cft-\u201D is a legacy job id; the API that used them was retired in January "
                              "2024, so the request will probably fail. Current job ids start with ftjob-.");
            return IdFit::YesWithWarning;
        }
        return IdFit::No;
    }

    QString idExample(JobKind kind) const override
    {
        return kind == JobKind::Batch ? QStringLiteral("batch_abc123") : QStringLiteral("ftjob-abc123");
    }
    QString idRule(JobKind kind) const override
    {
        return kind == JobKind::Batch ? tr("Batch ids start with batch_.") : tr("Job ids start with ftjob-.");
    }
};

} // namespace

const Dialect& openAiDialect()
{
    static const OpenAiDialect dialect;
    return dialect;
}
