#include "simdialect.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonValue>

#include <algorithm>

// The base class speaks OpenAI (the API the simulator began with); the other providers override what differs.

namespace {

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;

class SimOpenAi final : public SimDialect
{
public:
    Provider provider() const override { return Provider::OpenAI; }
    Route route(const RecordedRequest& request) const override { return routeFineTuningJobs(request, {"v1"}, true); }
};

} // namespace

std::unique_ptr<SimDialect> SimDialect::create(Provider provider)
{
    switch (provider) {
    case Provider::Azure:
        return makeSimAzure();
    case Provider::Together:
        return makeSimTogether();
    case Provider::Mistral:
        return makeSimMistral();
    case Provider::OpenAI:
    case Provider::Anthropic:
        break;
    }
    return std::make_unique<SimOpenAi>();
}

std::optional<FakeResponse> SimDialect::checkAuth(const RecordedRequest& request, const QByteArray& expectedKey) const
{
    const QByteArray authorization = request.header("authorization");
    const QByteArray key = authorization.mid(7);
    if (!authorization.startsWith("Bearer ") || key.size() < 5) {
        return error(401, ErrorKind::Unauthorized,
                     QStringLiteral("You didn't provide an API key. You need to provide your API key in an "
                                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
    }
    if (!expectedKey.isEmpty() && key != expectedKey)
        return error(401, ErrorKind::Unauthorized, QStringLiteral("Incorrect API key provided."));
    return std::nullopt;
}

FakeResponse SimDialect::error(int status, ErrorKind kind, const QString& message, const QString& param) const
{
    QString type = QStringLiteral("invalid_request_error");
    QJsonValue code;
    if (kind == ErrorKind::NotFound)
        code = QStringLiteral("fine_tune_not_found");
    else if (kind == ErrorKind::Internal)
        type = QStringLiteral("server_error");
    else if (kind == ErrorKind::Unauthorized && message.startsWith(QLatin1String("Incorrect")))
        code = QStringLiteral("invalid_api_key");
    const QJsonObject body{
        {QStringLiteral("message"), message},
        {QStringLiteral("type"), type},
        {QStringLiteral("param"),
         kind == ErrorKind::NotFound ? QJsonValue(QStringLiteral("fine_tune_id"))
             : param.isEmpty()       ? QJsonValue()
                                     : QJsonValue(param)},
        {QStringLiteral("code"), code},
    };
    return jsonAnswer(QJsonObject{{QStringLiteral("error"), body}}, status);
}

FakeResponse SimDialect::gone(int status, const QString& message) const
{
    return error(status, ErrorKind::Gone, message);
}

// ---- ids and statuses ----

QString SimDialect::makeId(int number) const
{
    return QStringLiteral("ftjob-sim%1").arg(number, 6, 10, QLatin1Char('0'));
}

QString SimDialect::defaultModel() const
{
    return QStringLiteral("gpt-4o-mini-2024-07-18");
}

JobSimulator::StatusMix SimDialect::realisticMix() const
{
    return {
        {word(Phase::Running), 40},   {word(Phase::Queued), 20}, {word(Phase::Validating), 15},
        {word(Phase::Succeeded), 12}, {word(Phase::Failed), 7},  {word(Phase::Cancelled), 6},
    };
}

SimDialect::Phase SimDialect::phaseOf(const QString& status) const
{
    for (Phase phase : {Phase::Validating, Phase::Queued, Phase::Running, Phase::Stopping, Phase::Paused,
                        Phase::Succeeded, Phase::Failed, Phase::Cancelled}) {
        if (status == word(phase))
            return phase;
    }
    return Phase::Unknown;
}

QString SimDialect::word(Phase phase) const
{
    switch (phase) {
    case Phase::Validating:
        return QStringLiteral("validating_files");
    case Phase::Queued:
        return QStringLiteral("queued");
    case Phase::Running:
        return QStringLiteral("running");
    case Phase::Stopping:
        return QStringLiteral("cancelling");
    case Phase::Paused:
        return QStringLiteral("paused");
    case Phase::Succeeded:
        return QStringLiteral("succeeded");
    case Phase::Failed:
        return QStringLiteral("failed");
    case Phase::Cancelled:
        return QStringLiteral("cancelled");
    case Phase::Unknown:
        break;
    }
    return QString();
}

// ---- bodies ----

QJsonObject SimDialect::jobJson(const SimulatedJob& job, const Route&, bool) const
{
    QJsonObject object = FakeResponse::jobObject(job.id, job.status);
    object.insert(QStringLiteral("model"), job.model);
    object.insert(QStringLiteral("created_at"), job.createdAt);
    object.insert(QStringLiteral("finished_at"), job.finishedAt > 0 ? QJsonValue(job.finishedAt) : QJsonValue());
    if (phaseOf(job.status) == Phase::Succeeded)
        object.insert(QStringLiteral("fine_tuned_model"),
                      QStringLiteral("ft:%1:fake-org::%2").arg(job.model, job.id.right(8)));
    object.insert(QStringLiteral("estimated_finish"),
                  phaseOf(job.status) == Phase::Running ? QJsonValue(job.createdAt + 2 * 3600) : QJsonValue());
    object.insert(QStringLiteral("metadata"), job.metadata.isEmpty() ? QJsonValue() : QJsonValue(job.metadata));
    return object;
}

SimDialect::ListSlice SimDialect::listSlice(const QUrlQuery& query, const QStringList& ids) const
{
    return cursorSlice(query, ids, *this);
}

QJsonObject SimDialect::listEnvelope(const QJsonArray& data, bool hasMore, qsizetype) const
{
    return QJsonObject{
        {QStringLiteral("object"), QStringLiteral("list")},
        {QStringLiteral("data"), data},
        {QStringLiteral("has_more"), hasMore},
    };
}

FakeResponse SimDialect::events(const SimulatedJob& job, const QUrlQuery& query) const
{
    FakeResponse refusal;
    const std::optional<int> limit = parseLimit(query, *this, &refusal);
    if (!limit)
        return refusal;
    QList<SimulatedEvent> newestFirst = job.events;
    std::reverse(newestFirst.begin(), newestFirst.end());
    qsizetype start = 0;
    if (query.hasQueryItem(QStringLiteral("after"))) {
        const QString after = query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
        const auto found = std::find_if(newestFirst.cbegin(), newestFirst.cend(),
                                        [&after](const SimulatedEvent& event) { return event.id == after; });
        if (found == newestFirst.cend())
            return error(400, ErrorKind::BadRequest,
                         QStringLiteral("Invalid 'after': no event %1 for this job.").arg(after),
                         QStringLiteral("after"));
        start = (found - newestFirst.cbegin()) + 1;
    }
    QJsonArray data;
    const qsizetype end = std::min<qsizetype>(newestFirst.size(), start + *limit);
    for (qsizetype i = start; i < end; ++i)
        data.append(eventJson(newestFirst.at(i)));
    return jsonAnswer(listEnvelope(data, end < newestFirst.size(), newestFirst.size()));
}

QJsonObject SimDialect::eventJson(const SimulatedEvent& event) const
{
    return QJsonObject{
        {QStringLiteral("object"), QStringLiteral("fine_tuning.job.event")},
        {QStringLiteral("id"), event.id},
        {QStringLiteral("created_at"), event.createdAt},
        {QStringLiteral("level"), event.level},
        {QStringLiteral("message"), event.message},
        {QStringLiteral("data"), QJsonValue()},
        {QStringLiteral("type"), QStringLiteral("message")},
    };
}

// ---- helpers ----

FakeResponse SimDialect::jsonAnswer(const QJsonObject& object, int status)
{
    return FakeResponse::json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString SimDialect::hexOf(int number, int digits)
{
    QByteArray hex;
    for (int round = 0; hex.size() < digits; ++round) {
        const QByteArray seed = "ftcancel-sim-" + QByteArray::number(number) + '-' + QByteArray::number(round);
        hex += QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex();
    }
    return QString::fromLatin1(hex.left(digits));
}

QString SimDialect::uuidOf(int number)
{
    QString hex = hexOf(number, 32);
    hex[12] = QLatin1Char('4'); // version 4
    hex[16] = QLatin1Char("89ab"[hex.at(16).unicode() % 4]); // variant 1
    return QStringLiteral("%1-%2-%3-%4-%5")
        .arg(hex.left(8), hex.mid(8, 4), hex.mid(12, 4), hex.mid(16, 4), hex.mid(20, 12));
}

QString SimDialect::isoTime(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

SimDialect::Route SimDialect::routeFineTuningJobs(const RecordedRequest& request, const QList<QByteArray>& prefix,
                                                  bool withPauseResume)
{
    const QList<QByteArray> parts = request.path().split('/');
    Route result;
    const qsizetype base = 1 + prefix.size(); // index of "fine_tuning"
    if (parts.size() < base + 2 || !parts.at(0).isEmpty() || parts.mid(1, prefix.size()) != prefix
        || parts.at(base) != "fine_tuning" || parts.at(base + 1) != "jobs") {
        return result;
    }
    result.fineTuning = true;
    if (parts.size() > base + 4)
        return result;
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (parts.size() == base + 2) {
        result.valid = get;
        result.kind = get ? RequestKind::List : RequestKind::Other;
        return result;
    }
    result.id = QString::fromUtf8(QByteArray::fromPercentEncoding(parts.at(base + 2)));
    if (result.id.isEmpty())
        return result;
    if (parts.size() == base + 3) {
        result.valid = get;
        result.kind = get ? RequestKind::Retrieve : RequestKind::Other;
        return result;
    }
    const QByteArray action = parts.at(base + 3);
    if (action == "cancel")
        result.kind = RequestKind::Cancel;
    else if (action == "events")
        result.kind = RequestKind::Events;
    else if (withPauseResume && action == "pause")
        result.kind = RequestKind::Pause;
    else if (withPauseResume && action == "resume")
        result.kind = RequestKind::Resume;
    result.valid = result.kind == RequestKind::Events ? get : post && result.kind != RequestKind::Other;
    if (!result.valid)
        result.kind = RequestKind::Other; // counted as what it is: no request the API knows
    return result;
}

std::optional<int> SimDialect::parseLimit(const QUrlQuery& query, const SimDialect& dialect, FakeResponse* error)
{
    if (!query.hasQueryItem(QStringLiteral("limit")))
        return kDefaultLimit;
    const QString text = query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded);
    bool ok = false;
    const int limit = text.toInt(&ok);
    if (!ok || limit < 1) {
        *error = dialect.error(400, ErrorKind::BadRequest,
                               QStringLiteral("Invalid 'limit': expected a positive integer, got '%1'.").arg(text),
                               QStringLiteral("limit"));
        return std::nullopt;
    }
    return std::min(limit, kMaxLimit);
}

SimDialect::ListSlice SimDialect::cursorSlice(const QUrlQuery& query, const QStringList& ids, const SimDialect& dialect)
{
    ListSlice slice;
    FakeResponse refusal;
    const std::optional<int> limit = parseLimit(query, dialect, &refusal);
    if (!limit) {
        slice.refusal = refusal;
        return slice;
    }
    slice.count = *limit;
    slice.pageSize = *limit;
    if (query.hasQueryItem(QStringLiteral("after"))) {
        const QString after = query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
        const qsizetype index = ids.indexOf(after);
        if (index < 0) { // the API's answer here is undocumented; be loud rather than return a quiet empty page
            slice.refusal = dialect.error(400, ErrorKind::BadRequest,
                                          QStringLiteral("Invalid 'after': no fine-tuning job %1.").arg(after),
                                          QStringLiteral("after"));
            return slice;
        }
        slice.start = index + 1;
    }
    return slice;
}
