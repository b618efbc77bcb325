#include "dialect.h"

#include <QStringList>

namespace {

// Anthropic: batches only (Message Batches). https://api.anthropic.com/v1, headers x-api-key and
// anthropic-version: 2023-06-01 (no Authorization), /messages/batches/{id}[/cancel], msgbatch_ ids, cursor pages
// (after_id / has_more / last_id, up to 1000), processing_status in_progress → canceling → ended, request_counts
// {processing, succeeded, errored, canceled, expired}, times as RFC 3339 strings, errors
// {"type":"error","error":{"type","message"}}.
class AnthropicDialect final : public Dialect
{
public:
    Provider provider() const override { return Provider::Anthropic; }

    QList<JobKind> kinds() const override { return {JobKind::Batch}; }
    int maxPageSize(JobKind /*kind*/) const override { return 1000; }

    void authorise(QNetworkRequest& request, const ApiConfig& config) const override
    {
        request.setRawHeader("x-api-key", config.apiKey.toUtf8());
        request.setRawHeader("anthropic-version", "2023-06-01");
    }

    StatusClass statusClass(const QString& raw, JobKind kind) const override
    {
        if (kind != JobKind::Batch)
            return StatusClass::Unknown;
        // "ended" alone: finished; jobFromJson tells a cancelled batch (cancel_initiated_at) from one that ran out.
        static const QHash<QString, StatusClass> classes = {
            {QStringLiteral("in_progress"), StatusClass::Active},
            {QStringLiteral("canceling"), StatusClass::Stopping},
            {QStringLiteral("ended"), StatusClass::Succeeded},
        };
        return classes.value(raw, StatusClass::Unknown);
    }

    FineTuningJob jobFromJson(const QJsonObject& object, JobKind kind) const override
    {
        FineTuningJob job;
        job.id = object.value(QLatin1String("id")).toString().left(256);
        job.status = object.value(QLatin1String("processing_status")).toString().left(256);
        job.provider = provider();
        job.kind = kind;
        job.statusClass = statusClass(job.status, kind);
        const bool cancelInitiated = isoSeconds(object.value(QLatin1String("cancel_initiated_at"))) > 0;
        if (job.statusClass == StatusClass::Succeeded && cancelInitiated)
            job.statusClass = StatusClass::Cancelled;
        job.createdAt = isoSeconds(object.value(QLatin1String("created_at")));
        job.finishedAt = isoSeconds(object.value(QLatin1String("ended_at")));
        job.estimatedFinish = isoSeconds(object.value(QLatin1String("expires_at")));
        const QJsonObject counts = object.value(QLatin1String("request_counts")).toObject();
        if (!counts.isEmpty()) {
            const auto count = [&](const char* name) {
                return qMax<qint64>(0, qint64(counts.value(QLatin1String(name)).toDouble(0)));
            };
            QStringList parts = {tr("%1 canceled").arg(count("canceled")), tr("%1 succeeded").arg(count("succeeded")),
                                 tr("%1 errored").arg(count("errored"))};
            if (const qint64 expired = count("expired"); expired > 0)
                parts << tr("%1 expired").arg(expired);
            if (const qint64 processing = count("processing"); processing > 0)
                parts << tr("%1 still processing").arg(processing);
            job.requestCounts = parts.join(QStringLiteral(", "));
        }
        return job;
    }

    QString cancelNote(JobKind /*kind*/) const override
    {
        return tr("Anthropic finishes the requests already being processed; the others are canceled.");
    }

    bool ownsUrl(const QUrl& url) const override
    {
        const QString host = url.host().toLower();
        return host == QLatin1String("api.anthropic.com") || host == QLatin1String("console.anthropic.com")
            || host == QLatin1String("platform.claude.com");
    }

    IdFit fitsId(const QString& id, JobKind kind, QString* /*warning*/) const override
    {
        return kind == JobKind::Batch && id.startsWith(QLatin1String("msgbatch_")) && id.size() > 9 ? IdFit::Yes
                                                                                                    : IdFit::No;
    }

    QString idExample(JobKind /*kind*/) const override { return QStringLiteral("msgbatch_013Zva2CMHLNnXjNJJKqJ2EF"); }
    QString idRule(JobKind /*kind*/) const override
    {
        return tr("Anthropic runs batches only; their ids start with msgbatch_.");
    }

protected:
    QString jobsPath(JobKind /*kind*/) const override { return QStringLiteral("/messages/batches"); }
    QString cursorParameter(JobKind /*kind*/) const override { return QStringLiteral("after_id"); }
};

} // namespace

const Dialect& anthropicDialect()
{
    static const AnthropicDialect dialect;
    return dialect;
}
