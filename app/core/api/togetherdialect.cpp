#include "dialect.h"

#include <QDateTime>

namespace {

// ISO 8601 ("2023-05-17T17:35:45.123Z") in seconds since the epoch; 0 when it is none.
qint64 isoSeconds(const QJsonValue& value)
{
    if (!value.isString())
        return 0;
    const QDateTime time = QDateTime::fromString(value.toString().left(64), Qt::ISODateWithMs);
    return time.isValid() ? time.toSecsSinceEpoch() : 0;
}

// Together AI: https://api.together.ai/v1, Bearer, /fine-tunes/{id}[/cancel|/events], ft-<uuid> ids, one unpaged
// list ({"data":[…]}), events as {"data":[…]} without ids; statuses pending … cancel_requested (stopping) →
// cancelled, error, completed; times as ISO 8601 strings (official spec: together-openapi.yaml).
class TogetherDialect final : public Dialect
{
public:
    Provider provider() const override { return Provider::Together; }

    bool offers(Operation operation) const override
    {
        return operation == Operation::Cancel || operation == Operation::Retrieve || operation == Operation::Events;
    }
    Paging paging() const override { return Paging::None; }

    void authorise(QNetworkRequest& request, const ApiConfig& config) const override { setBearer(request, config); }

    StatusClass statusClass(const QString& raw) const override
    {
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

    FineTuningJob jobFromJson(const QJsonObject& object) const override
    {
        FineTuningJob job = Dialect::jobFromJson(object);
        if (job.createdAt == 0)
            job.createdAt = isoSeconds(object.value(QLatin1String("created_at")));
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

    QString cancelNote() const override
    {
        return tr("Together AI bills the steps already trained when a job is cancelled.");
    }

    bool ownsUrl(const QUrl& url) const override
    {
        const QString host = url.host().toLower();
        return host == QLatin1String("api.together.ai") || host == QLatin1String("api.together.xyz")
            || host == QLatin1String("together.ai") || host == QLatin1String("www.together.ai");
    }

    IdFit fitsId(const QString& id, QString* /*warning*/) const override
    {
        // ft-<uuid>; the spec's own example is ft-<20 digits>: any ft- id that is not OpenAI's ftjob-.
        return id.startsWith(QLatin1String("ft-")) && id.size() > 3 ? IdFit::Yes : IdFit::No;
    }

    QString idExample() const override { return QStringLiteral("ft-3b883474-f39c-40d9-9d5a-7f97ba9eeb9f"); }
    QString idRule() const override { return tr("Together AI job ids start with ft-."); }

protected:
    QString jobsPath() const override { return QStringLiteral("/fine-tunes"); }
};

} // namespace

const Dialect& togetherDialect()
{
    static const TogetherDialect dialect;
    return dialect;
}
