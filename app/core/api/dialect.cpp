#include "dialect.h"

#include "responseparser.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>
#include <QUrlQuery>

// The dialects, one file each.
const Dialect& openAiDialect();
const Dialect& azureDialect();
const Dialect& togetherDialect();
const Dialect& mistralDialect();
const Dialect& anthropicDialect();

const QList<const Dialect*>& Dialect::all()
{
    // The table of dialects. Adding a provider: its row in ProviderInfo::all(), its dialect here, its tests.
    static const QList<const Dialect*> table
        = {&openAiDialect(), &azureDialect(), &togetherDialect(), &mistralDialect(), &anthropicDialect()};
    return table;
}

const Dialect& Dialect::of(Provider provider)
{
    for (const Dialect* dialect : all()) {
        if (dialect->provider() == provider)
            return *dialect;
    }
    return *all().constFirst();
}

QUrl Dialect::apiRoot(const ApiConfig& config) const
{
    return config.baseUrl;
}

bool Dialect::offers(Operation operation, JobKind kind) const
{
    if (!hasKind(kind))
        return false;
    if (operation == Operation::Events)
        return eventsSource(kind) == EventsSource::List;
    // Pause and resume are fine-tuning's, where a provider offers them (its dialect says so).
    return operation == Operation::Cancel || operation == Operation::Retrieve;
}

Dialect::Paging Dialect::paging(JobKind /*kind*/) const
{
    return Paging::Cursor;
}

Dialect::EventsSource Dialect::eventsSource(JobKind kind) const
{
    // Batches have no events anywhere.
    return kind == JobKind::FineTuning ? EventsSource::List : EventsSource::None;
}

int Dialect::maxPageSize(JobKind /*kind*/) const
{
    return 100;
}

QString Dialect::jobsPath(JobKind kind) const
{
    return kind == JobKind::Batch ? QStringLiteral("/batches") : QStringLiteral("/fine_tuning/jobs");
}

QString Dialect::cancelNote(JobKind /*kind*/) const
{
    return QString();
}

QString Dialect::afterCancelNote(JobKind kind) const
{
    return kind == JobKind::Batch
        ? tr("The requests it finished before the cancel keep their results (partial output).")
        : QString();
}

JobKind Dialect::kindOfUrl(const QUrl& url) const
{
    const QStringList segments = url.path().toLower().split(u'/', Qt::SkipEmptyParts);
    for (const QString& segment : segments) {
        if (segment == QLatin1String("batches") || segment == QLatin1String("batch"))
            return JobKind::Batch;
    }
    return JobKind::FineTuning;
}

void Dialect::addQuery(QUrl& /*url*/, const ApiConfig& /*config*/) const { }

QByteArray Dialect::method(Operation operation)
{
    return operation == Operation::Retrieve || operation == Operation::Events ? QByteArrayLiteral("GET")
                                                                              : QByteArrayLiteral("POST");
}

namespace {
QString suffixOf(Dialect::Operation operation)
{
    switch (operation) {
    case Dialect::Operation::Cancel:
        return QStringLiteral("cancel");
    case Dialect::Operation::Events:
        return QStringLiteral("events");
    case Dialect::Operation::Pause:
        return QStringLiteral("pause");
    case Dialect::Operation::Resume:
        return QStringLiteral("resume");
    case Dialect::Operation::Retrieve:
        break;
    }
    return QString();
}

// root + path, keeping the root's own path and query (a base URL with ?api-version=… typed by hand).
QUrl under(const QUrl& root, const QString& encodedPath)
{
    QUrl url = root;
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + encodedPath, QUrl::TolerantMode);
    return url;
}
} // namespace

QUrl Dialect::url(const ApiConfig& config, Operation operation, const QString& jobId, JobKind kind) const
{
    // Percent-encoding keeps "/" "?" "#" inside the segment, but not dots: QUrl decodes %2E and Qt removes dot
    // segments (and, in 6.4, any "." plus one character) before sending. No job id starts with a dot.
    if (jobId.isEmpty() || jobId.startsWith(u'.') || !offers(operation, kind))
        return QUrl();
    QString path = jobsPath(kind) + u'/' + QString::fromLatin1(QUrl::toPercentEncoding(jobId));
    if (const QString suffix = suffixOf(operation); !suffix.isEmpty())
        path += u'/' + suffix;
    QUrl result = under(apiRoot(config), path);
    if (result.isValid())
        addQuery(result, config);
    return result;
}

QUrl Dialect::listUrl(const ApiConfig& config, const QString& cursor, int limit, JobKind kind) const
{
    if (!hasList(kind))
        return QUrl();
    QUrl result = under(apiRoot(config), jobsPath(kind));
    if (!result.isValid())
        return result;
    QUrlQuery query(result);
    const QString size = QString::number(qBound(1, limit, maxPageSize(kind)));
    if (paging(kind) == Paging::Cursor) {
        query.addQueryItem(QStringLiteral("limit"), size);
        if (!cursor.isEmpty())
            query.addQueryItem(cursorParameter(kind), QString::fromLatin1(QUrl::toPercentEncoding(cursor)));
    } else if (paging(kind) == Paging::PageNumber) {
        query.addQueryItem(QStringLiteral("page"), cursor.isEmpty() ? QStringLiteral("0") : cursor);
        query.addQueryItem(QStringLiteral("page_size"), size);
    }
    result.setQuery(query);
    addQuery(result, config);
    return result;
}

QUrl Dialect::eventsUrl(const ApiConfig& config, const QString& jobId, const QString& after, int limit) const
{
    QUrl result = url(config, Operation::Events, jobId, JobKind::FineTuning);
    if (!result.isValid() || paging(JobKind::FineTuning) != Paging::Cursor)
        return result;
    QUrlQuery query(result);
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, maxPageSize(JobKind::FineTuning))));
    if (!after.isEmpty())
        query.addQueryItem(QStringLiteral("after"), QString::fromLatin1(QUrl::toPercentEncoding(after)));
    result.setQuery(query);
    return result;
}

void Dialect::setBearer(QNetworkRequest& request, const ApiConfig& config)
{
    request.setRawHeader("Authorization", "Bearer " + config.apiKey.toUtf8());
}

FineTuningJob Dialect::jobFromJson(const QJsonObject& object, JobKind kind) const
{
    FineTuningJob job = kind == JobKind::Batch ? openAiStyleBatch(object) : FineTuningJob::fromJson(object);
    job.provider = provider();
    job.kind = kind;
    job.statusClass = statusClass(job.status, kind);
    return job;
}

FineTuningJob Dialect::openAiStyleBatch(const QJsonObject& object) const
{
    FineTuningJob job = FineTuningJob::fromJson(object);
    // What a batch runs: its model where it names one, else the endpoint its requests go to.
    if (job.model.isEmpty())
        job.model = object.value(QLatin1String("endpoint")).toString().left(256);
    const QJsonObject counts = object.value(QLatin1String("request_counts")).toObject();
    if (!counts.isEmpty()) {
        const auto count = [&](const char* name) {
            return qint64(counts.value(QLatin1String(name)).toDouble(-1));
        };
        QStringList parts;
        if (const qint64 completed = count("completed"); completed >= 0)
            parts << tr("%1 completed").arg(completed);
        if (const qint64 failed = count("failed"); failed >= 0)
            parts << tr("%1 failed").arg(failed);
        const qint64 total = count("total");
        job.requestCounts = total >= 0 ? tr("%1 of %2 requests").arg(parts.join(QStringLiteral(", "))).arg(total)
                                       : parts.join(QStringLiteral(", "));
    }
    if (job.finishedAt == 0)
        job.finishedAt = qint64(object.value(QLatin1String("completed_at")).toDouble(0));
    if (job.finishedAt == 0)
        job.finishedAt = qint64(object.value(QLatin1String("cancelled_at")).toDouble(0));
    if (job.errorMessage.isEmpty()) {
        // errors: {"data":[{"code","message",…}]}
        const QJsonArray errors
            = object.value(QLatin1String("errors")).toObject().value(QLatin1String("data")).toArray();
        if (!errors.isEmpty())
            job.errorMessage = errors.first().toObject().value(QLatin1String("message")).toString().left(1024);
    }
    return job;
}

JobEvent Dialect::eventFromJson(const QJsonObject& object) const
{
    return JobEvent::fromJson(object);
}

StatusClass Dialect::openAiBatchStatusClass(const QString& raw)
{
    static const QHash<QString, StatusClass> classes = {
        {QStringLiteral("validating"), StatusClass::Active},   {QStringLiteral("in_progress"), StatusClass::Active},
        {QStringLiteral("finalizing"), StatusClass::Active},   {QStringLiteral("cancelling"), StatusClass::Stopping},
        {QStringLiteral("completed"), StatusClass::Succeeded}, {QStringLiteral("failed"), StatusClass::Failed},
        {QStringLiteral("expired"), StatusClass::Failed},      {QStringLiteral("cancelled"), StatusClass::Cancelled},
    };
    return classes.value(raw, StatusClass::Unknown);
}

bool Dialect::isOpenAiBatchId(const QString& id)
{
    return id.startsWith(QLatin1String("batch_")) && id.size() > 6;
}

JobResult Dialect::parseJob(JobKind kind, int httpStatus, const QByteArray& contentType, const QByteArray& body) const
{
    JobResult result;
    result.httpStatus = httpStatus;
    if (httpStatus < 200 || httpStatus >= 300) {
        result.error = errorOf(httpStatus, contentType, body);
        return result;
    }
    const std::optional<QJsonObject> o = ResponseParser::successObject(httpStatus, contentType, body, &result.error);
    if (!o)
        return result;
    result.job = jobFromJson(*o, kind);
    if (result.job.status.isEmpty()) {
        result.error = ApiError::badResponse(httpStatus, contentType, body);
        result.error.message = tr("HTTP %1, but the answer has no job status, so the outcome is unknown. Check "
                                  "the job in the dashboard. First bytes: %2")
                                   .arg(httpStatus)
                                   .arg(result.error.excerpt);
    }
    return result;
}

PageResult Dialect::parsePage(Page kind, JobKind jobKind, int httpStatus, const QByteArray& contentType,
                              const QByteArray& body) const
{
    PageResult result;
    result.httpStatus = httpStatus;
    if (httpStatus < 200 || httpStatus >= 300) {
        result.error = errorOf(httpStatus, contentType, body);
        return result;
    }
    // A bare array (Together's batches) is the list itself, unpaged.
    QJsonObject wrapped;
    if (kind == Page::Jobs && body.trimmed().startsWith('[')
        && (contentType.isEmpty() || contentType.toLower().contains("json"))) {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isArray())
            wrapped.insert(QStringLiteral("data"), doc.array());
    }
    const std::optional<QJsonObject> o = !wrapped.isEmpty()
        ? std::optional<QJsonObject>(wrapped)
        : ResponseParser::successObject(httpStatus, contentType, body, &result.error);
    if (!o)
        return result;
    // {"data":[…]} (with "has_more" or "total"); a job's own "events" for InJob; a list without it is not one.
    const bool inJob = kind == Page::Events && eventsSource(jobKind) == EventsSource::InJob;
    const QJsonValue data = o->value(inJob ? QLatin1String("events") : QLatin1String("data"));
    if (!data.isArray()) {
        result.error = ApiError::badResponse(httpStatus, contentType, body);
        result.error.message = tr("HTTP %1, but the answer is not a list (no \u201C%2\u201D). First bytes: %3")
                                   .arg(httpStatus)
                                   .arg(inJob ? QStringLiteral("events") : QStringLiteral("data"))
                                   .arg(result.error.excerpt);
        return result;
    }
    for (const QJsonValue& entry : data.toArray()) {
        if (!entry.isObject())
            continue;
        if (kind == Page::Jobs) {
            FineTuningJob job = jobFromJson(entry.toObject(), jobKind);
            if (!job.id.isEmpty())
                result.jobs << job;
        } else {
            JobEvent event = eventFromJson(entry.toObject());
            if (!event.id.isEmpty() || !event.message.isEmpty())
                result.events << event;
        }
    }
    result.hasMore = paging(jobKind) == Paging::Cursor && !inJob && o->value(QLatin1String("has_more")).toBool(false);
    if (const QJsonValue total = o->value(QLatin1String("total")); total.isDouble() && total.toDouble() >= 0)
        result.total = int(qMin(total.toDouble(), 1e9));
    return result;
}

ApiError Dialect::errorOf(int httpStatus, const QByteArray& contentType, const QByteArray& body) const
{
    return openAiStyleError(httpStatus, contentType, body);
}

ApiError Dialect::openAiStyleError(int httpStatus, const QByteArray& contentType, const QByteArray& body)
{
    return ResponseParser::errorOf(httpStatus, contentType, body);
}

QString Dialect::dashboardUrl(const QString& /*jobId*/, JobKind /*kind*/) const
{
    return QString();
}

bool Dialect::ownsUrl(const QUrl& url) const
{
    const QUrl root(info().defaultBaseUrl);
    return root.isValid() && url.host().compare(root.host(), Qt::CaseInsensitive) == 0;
}

qint64 Dialect::isoSeconds(const QJsonValue& value)
{
    if (!value.isString())
        return 0;
    const QDateTime time = QDateTime::fromString(value.toString().left(64), Qt::ISODateWithMs);
    return time.isValid() ? time.toSecsSinceEpoch() : 0;
}

bool Dialect::isUuid(QStringView text)
{
    // 8-4-4-4-12 hexadecimal digits.
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
        } else if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'))) {
            return false;
        }
    }
    return true;
}
