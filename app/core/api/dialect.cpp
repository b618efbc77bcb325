#include "dialect.h"

#include "responseparser.h"

#include <QJsonArray>
#include <QUrlQuery>

// The dialects, one file each.
const Dialect& openAiDialect();
const Dialect& azureDialect();
const Dialect& togetherDialect();
const Dialect& mistralDialect();

const QList<const Dialect*>& Dialect::all()
{
    // The table of dialects. Adding a provider: its row in ProviderInfo::all(), its dialect here, its tests.
    static const QList<const Dialect*> table
        = {&openAiDialect(), &azureDialect(), &togetherDialect(), &mistralDialect()};
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

bool Dialect::offers(Operation operation) const
{
    return operation != Operation::Events || eventsSource() == EventsSource::List;
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

QUrl Dialect::url(const ApiConfig& config, Operation operation, const QString& jobId) const
{
    // Percent-encoding keeps "/" "?" "#" inside the segment, but not dots: QUrl decodes %2E and Qt removes dot
    // segments (and, in 6.4, any "." plus one character) before sending. No job id starts with a dot.
    if (jobId.isEmpty() || jobId.startsWith(u'.') || !offers(operation))
        return QUrl();
    QString path = jobsPath() + u'/' + QString::fromLatin1(QUrl::toPercentEncoding(jobId));
    if (const QString suffix = suffixOf(operation); !suffix.isEmpty())
        path += u'/' + suffix;
    QUrl result = under(apiRoot(config), path);
    if (result.isValid())
        addQuery(result, config);
    return result;
}

QUrl Dialect::listUrl(const ApiConfig& config, const QString& cursor, int limit) const
{
    if (!hasList())
        return QUrl();
    QUrl result = under(apiRoot(config), jobsPath());
    if (!result.isValid())
        return result;
    QUrlQuery query(result);
    const QString size = QString::number(qBound(1, limit, maxPageSize()));
    if (paging() == Paging::Cursor) {
        query.addQueryItem(QStringLiteral("limit"), size);
        if (!cursor.isEmpty())
            query.addQueryItem(QStringLiteral("after"), QString::fromLatin1(QUrl::toPercentEncoding(cursor)));
    } else if (paging() == Paging::PageNumber) {
        query.addQueryItem(QStringLiteral("page"), cursor.isEmpty() ? QStringLiteral("0") : cursor);
        query.addQueryItem(QStringLiteral("page_size"), size);
    }
    result.setQuery(query);
    addQuery(result, config);
    return result;
}

QUrl Dialect::eventsUrl(const ApiConfig& config, const QString& jobId, const QString& after, int limit) const
{
    QUrl result = url(config, Operation::Events, jobId);
    if (!result.isValid() || paging() != Paging::Cursor)
        return result;
    QUrlQuery query(result);
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, maxPageSize())));
    if (!after.isEmpty())
        query.addQueryItem(QStringLiteral("after"), QString::fromLatin1(QUrl::toPercentEncoding(after)));
    result.setQuery(query);
    return result;
}

void Dialect::setBearer(QNetworkRequest& request, const ApiConfig& config)
{
    request.setRawHeader("Authorization", "Bearer " + config.apiKey.toUtf8());
}

FineTuningJob Dialect::jobFromJson(const QJsonObject& object) const
{
    FineTuningJob job = FineTuningJob::fromJson(object);
    job.provider = provider();
    job.statusClass = statusClass(job.status);
    return job;
}

JobEvent Dialect::eventFromJson(const QJsonObject& object) const
{
    return JobEvent::fromJson(object);
}

JobResult Dialect::parseJob(int httpStatus, const QByteArray& contentType, const QByteArray& body) const
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
    result.job = jobFromJson(*o);
    if (result.job.status.isEmpty()) {
        result.error = ApiError::badResponse(httpStatus, contentType, body);
        result.error.message = tr("HTTP %1, but the answer has no job status, so the outcome is unknown. Check "
                                  "the job in the dashboard. First bytes: %2")
                                   .arg(httpStatus)
                                   .arg(result.error.excerpt);
    }
    return result;
}

PageResult Dialect::parsePage(Page kind, int httpStatus, const QByteArray& contentType, const QByteArray& body) const
{
    PageResult result;
    result.httpStatus = httpStatus;
    if (httpStatus < 200 || httpStatus >= 300) {
        result.error = errorOf(httpStatus, contentType, body);
        return result;
    }
    const std::optional<QJsonObject> o = ResponseParser::successObject(httpStatus, contentType, body, &result.error);
    if (!o)
        return result;
    // {"data":[…]} (with "has_more" or "total"); a job's own "events" for InJob; a list without it is not one.
    const bool inJob = kind == Page::Events && eventsSource() == EventsSource::InJob;
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
            FineTuningJob job = jobFromJson(entry.toObject());
            if (!job.id.isEmpty())
                result.jobs << job;
        } else {
            JobEvent event = eventFromJson(entry.toObject());
            if (!event.id.isEmpty() || !event.message.isEmpty())
                result.events << event;
        }
    }
    result.hasMore = paging() == Paging::Cursor && !inJob && o->value(QLatin1String("has_more")).toBool(false);
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

QString Dialect::dashboardUrl(const QString& /*jobId*/) const
{
    return QString();
}

bool Dialect::ownsUrl(const QUrl& url) const
{
    const QUrl root(info().defaultBaseUrl);
    return root.isValid() && url.host().compare(root.host(), Qt::CaseInsensitive) == 0;
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
