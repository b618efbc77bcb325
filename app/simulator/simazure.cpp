// Azure OpenAI as the JobSimulator speaks it: the v1 style (/openai/v1/fine_tuning/jobs/…, OpenAI's statuses) and
// the dated style (/openai/fine_tuning/jobs/…?api-version=2024-10-21, the FineTuningState words), both with the
// api-key header, the same under …/batches for batches, and Azure's error shape ({"error":{"code":…,"message":…}}, no
// type).
#include "simdialect.h"

#include <QRegularExpression>

namespace {

class SimAzure final : public SimDialect
{
public:
    Provider provider() const override { return Provider::Azure; }
    QString basePath() const override { return QString(); } // the endpoint: the paths add /openai/…

    Route route(const RecordedRequest& request) const override
    {
        Route v1 = routeFineTuningJobs(request, {"openai", "v1"}, true);
        if (!matched(v1))
            v1 = routeJobs(request, {"openai", "v1", "batches"}, JobKind::Batch, {"cancel"});
        if (matched(v1))
            return v1;
        Route dated = routeFineTuningJobs(request, {"openai"}, false);
        if (!matched(dated))
            dated = routeJobs(request, {"openai", "batches"}, JobKind::Batch, {"cancel"});
        dated.dated = true;
        if (!matched(dated))
            return dated;
        const qsizetype mark = request.target.indexOf('?');
        const QUrlQuery query(mark < 0 ? QString() : QString::fromUtf8(request.target.mid(mark + 1)));
        static const QRegularExpression version(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}(-preview)?$"));
        if (!version.match(query.queryItemValue(QStringLiteral("api-version"), QUrl::FullyDecoded)).hasMatch())
            dated.refusal = error(404, ErrorKind::InvalidUrl, QStringLiteral("Resource not found"));
        return dated;
    }

    static bool matched(const Route& route) { return route.fineTuning || route.jobKind == JobKind::Batch; }

    std::optional<FakeResponse> checkAuth(const RecordedRequest& request, const QByteArray& expectedKey) const override
    {
        const QByteArray key = request.header("api-key");
        if (key.size() >= 5 && (expectedKey.isEmpty() || key == expectedKey))
            return std::nullopt;
        return error(401, ErrorKind::Unauthorized,
                     QStringLiteral("Access denied due to invalid subscription key or wrong API endpoint. Make sure "
                                    "to provide a valid key for an active subscription and use a correct regional "
                                    "API endpoint for your resource."));
    }

    FakeResponse error(int status, ErrorKind kind, const QString& message, const QString& = QString()) const override
    {
        // Azure's gateway answers 401 and unknown paths with the status as code; the service uses words.
        QString code;
        switch (kind) {
        case ErrorKind::Unauthorized:
        case ErrorKind::InvalidUrl:
            code = QString::number(status);
            break;
        case ErrorKind::NotFound:
            code = QStringLiteral("NotFound");
            break;
        case ErrorKind::AlreadyFinished:
            code = QStringLiteral("unexpectedEntityState");
            break;
        case ErrorKind::BadRequest:
            code = QStringLiteral("invalidPayload");
            break;
        case ErrorKind::Gone:
            code = status == 404 ? QStringLiteral("NotFound") : QStringLiteral("OperationNotSupported");
            break;
        case ErrorKind::Internal:
            code = QStringLiteral("internalFailure");
            break;
        }
        const QJsonObject body{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
        return jsonAnswer(QJsonObject{{QStringLiteral("error"), body}}, status);
    }

    QString makeId(int number) const override { return QStringLiteral("ftjob-") + hexOf(number, 32); }
    QString makeBatchId(int number) const override { return QStringLiteral("batch_") + uuidOf(number); }

    JobSimulator::StatusMix realisticMix() const override
    {
        JobSimulator::StatusMix mix = SimDialect::realisticMix();
        mix.append({JobSimulator::unknownStatus(Provider::Azure), 2});
        return mix;
    }

    QJsonObject jobJson(const SimulatedJob& job, const Route& route, bool detailed) const override
    {
        QJsonObject object = SimDialect::jobJson(job, route, detailed);
        object.remove(QStringLiteral("organization_id"));
        if (route.dated) {
            // FineTuningState has no validating_files or queued: both are "pending" (not yet running).
            const Phase phase = phaseOf(job.status);
            if (phase == Phase::Validating || phase == Phase::Queued)
                object.insert(QStringLiteral("status"), QStringLiteral("pending"));
        }
        return object;
    }
};

} // namespace

std::unique_ptr<SimDialect> makeSimAzure()
{
    return std::make_unique<SimAzure>();
}
