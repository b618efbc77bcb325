#include "dialect.h"

#include <QUrlQuery>

namespace {

bool isV1(const ApiConfig& config)
{
    const QString version = config.apiVersion.trimmed();
    return version.isEmpty() || version.compare(QLatin1String("v1"), Qt::CaseInsensitive) == 0;
}

// Azure OpenAI: OpenAI's job APIs (fine-tuning and batches) under a resource's endpoint, header api-key. Two addressing
// styles, chosen by the API version: v1 ({endpoint}/openai/v1/fine_tuning/jobs/…, no api-version) or a dated one
// ({endpoint}/openai/fine_tuning/jobs/…?api-version=2024-10-21). Dated statuses (FineTuningState): created, pending,
// running, succeeded, cancelled, failed; v1 reports OpenAI's. Errors {"error":{"code":"NotFound","message":…}}.
class AzureDialect final : public Dialect
{
public:
    Provider provider() const override { return Provider::Azure; }

    // The endpoint as pasted may end in /openai or /openai/v1 already: understood, not doubled.
    QUrl apiRoot(const ApiConfig& config) const override
    {
        QUrl root = config.baseUrl;
        QString path = root.path(QUrl::FullyEncoded);
        while (path.endsWith(u'/'))
            path.chop(1);
        if (path.endsWith(QLatin1String("/openai/v1"), Qt::CaseInsensitive))
            path.chop(10);
        else if (path.endsWith(QLatin1String("/openai"), Qt::CaseInsensitive))
            path.chop(7);
        path += isV1(config) ? QStringLiteral("/openai/v1") : QStringLiteral("/openai");
        root.setPath(path, QUrl::TolerantMode);
        return root;
    }

    bool offers(Operation operation, JobKind kind) const override
    {
        // Fine-tuning: pause/resume too, as Azure's documentation offers them (not the 2024-10-21 spec).
        return kind == JobKind::FineTuning || Dialect::offers(operation, kind);
    }

    QString pauseRefusedNote() const override
    {
        return tr("Azure OpenAI pauses only a running job that has trained at least one step.");
    }

    void addQuery(QUrl& url, const ApiConfig& config) const override
    {
        if (isV1(config))
            return;
        QUrlQuery query(url);
        query.removeAllQueryItems(QStringLiteral("api-version"));
        query.addQueryItem(QStringLiteral("api-version"),
                           QString::fromLatin1(QUrl::toPercentEncoding(config.apiVersion.trimmed())));
        url.setQuery(query);
    }

    // api-key alone: no Authorization (an Azure key sent as Bearer gets 401) and none of OpenAI's headers.
    void authorise(QNetworkRequest& request, const ApiConfig& config) const override
    {
        request.setRawHeader("api-key", config.apiKey.toUtf8());
    }

    StatusClass statusClass(const QString& raw, JobKind kind) const override
    {
        if (kind == JobKind::Batch)
            return openAiBatchStatusClass(raw);
        static const QHash<QString, StatusClass> classes = {
            {QStringLiteral("created"), StatusClass::Active},
            {QStringLiteral("pending"), StatusClass::Active},
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

    bool ownsUrl(const QUrl& url) const override
    {
        const QString host = url.host().toLower();
        return host.endsWith(QLatin1String(".openai.azure.com")) || host.endsWith(QLatin1String(".ai.azure.com"))
            || host == QLatin1String("ai.azure.com") || host == QLatin1String("oai.azure.com");
    }

    IdFit fitsId(const QString& id, JobKind kind, QString* /*warning*/) const override
    {
        if (kind == JobKind::Batch)
            return isOpenAiBatchId(id) ? IdFit::Yes : IdFit::No;
        if (id.startsWith(QLatin1String("ftjob-")) && id.size() > 6)
            return IdFit::Yes;
        // Older resources: ft-<hex>. Together's ft-<uuid> is not one.
        if (id.startsWith(QLatin1String("ft-")) && id.size() > 3 && !isUuid(QStringView(id).mid(3)))
            return IdFit::Yes;
        return IdFit::No;
    }

    QString idExample(JobKind kind) const override
    {
        return kind == JobKind::Batch ? QStringLiteral("batch_abc123") : QStringLiteral("ftjob-abc123");
    }
    QString idRule(JobKind kind) const override
    {
        return kind == JobKind::Batch ? tr("Azure OpenAI batch ids start with batch_.")
                                      : tr("Azure OpenAI job ids start with ftjob- (older ones with ft-).");
    }
};

} // namespace

const Dialect& azureDialect()
{
    static const AzureDialect dialect;
    return dialect;
}
