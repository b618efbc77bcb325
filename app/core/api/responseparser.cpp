#include "responseparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace {
// What is kept of one field of an error object: enough for any real message, and a bound on what a hostile answer
// costs on its way through the app (the output gate caps it further before anything shows it).
constexpr qsizetype maxFieldChars = 64 * 1024;

QString stringOf(const QJsonValue& v)
{
    if (v.isString())
        return v.toString().left(maxFieldChars);
    if (v.isDouble())
        return QString::number(v.toDouble());
    return QString();
}
} // namespace

ApiError ResponseParser::errorOf(int httpStatus, const QByteArray& contentType, const QByteArray& body)
{
    if (httpStatus < 400) {
        // 1xx/3xx: the API never answers with these; redirects are not followed on purpose.
        return ApiError::badResponse(httpStatus, contentType, body);
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const bool isJsonObject = parseError.error == QJsonParseError::NoError && doc.isObject();
    QString apiMessage;
    QString apiType;
    QString apiCode;
    QString apiParam;
    if (isJsonObject) {
        const QJsonValue error = doc.object().value(QLatin1String("error"));
        if (error.isObject()) {
            const QJsonObject e = error.toObject();
            apiMessage = stringOf(e.value(QLatin1String("message")));
            apiType = stringOf(e.value(QLatin1String("type")));
            apiCode = stringOf(e.value(QLatin1String("code")));
            apiParam = stringOf(e.value(QLatin1String("param")));
        } else if (error.isString()) {
            apiMessage = error.toString().left(maxFieldChars);
        }
    }
    ApiError result = ApiError::http(httpStatus, apiMessage, apiType, apiCode);
    result.apiParam = apiParam;
    if (!isJsonObject) {
        result.contentType = QString::fromLatin1(contentType);
        result.excerpt = ApiError::excerptOf(body);
        if (!body.isEmpty()) {
            result.message += QLatin1Char(' ')
                + tr("The answer was not the API's JSON (%1), probably from a proxy or gateway. First bytes: %2")
                      .arg(contentType.isEmpty() ? tr("no content type") : result.contentType, result.excerpt);
        }
    }
    return result;
}

std::optional<QJsonObject> ResponseParser::successObject(int httpStatus, const QByteArray& contentType,
                                                         const QByteArray& body, ApiError* error)
{
    if (httpStatus < 200 || httpStatus >= 300) {
        *error = errorOf(httpStatus, contentType, body);
        return std::nullopt;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    // A declared content type that is not JSON is refused even if the bytes happen to parse.
    const bool jsonType = contentType.isEmpty() || contentType.toLower().contains("json");
    if (parseError.error != QJsonParseError::NoError || !doc.isObject() || !jsonType) {
        *error = ApiError::badResponse(httpStatus, contentType, body);
        return std::nullopt;
    }
    return doc.object();
}

JobResult ResponseParser::parseJob(int httpStatus, const QByteArray& contentType, const QByteArray& body)
{
    JobResult result;
    result.httpStatus = httpStatus;
    const std::optional<QJsonObject> o = successObject(httpStatus, contentType, body, &result.error);
    if (!o)
        return result;
    result.job = FineTuningJob::fromJson(*o);
    if (result.job.status.isEmpty()) {
        result.error = ApiError::badResponse(httpStatus, contentType, body);
        result.error.message = tr("HTTP %1, but the answer has no job status, so the outcome is unknown. Check "
                                  "the job in the dashboard. First bytes: %2")
                                   .arg(httpStatus)
                                   .arg(result.error.excerpt);
    }
    return result;
}

PageResult ResponseParser::parsePage(Page kind, int httpStatus, const QByteArray& contentType, const QByteArray& body)
{
    PageResult result;
    result.httpStatus = httpStatus;
    const std::optional<QJsonObject> o = successObject(httpStatus, contentType, body, &result.error);
    if (!o)
        return result;
    // {"object":"list","data":[…],"has_more":bool}; a list without "data" is not one.
    const QJsonValue data = o->value(QLatin1String("data"));
    if (!data.isArray()) {
        result.error = ApiError::badResponse(httpStatus, contentType, body);
        result.error.message = tr("HTTP %1, but the answer is not a list (no \u201Cdata\u201D). First bytes: %2")
                                   .arg(httpStatus)
                                   .arg(result.error.excerpt);
        return result;
    }
    for (const QJsonValue& entry : data.toArray()) {
        if (!entry.isObject())
            continue;
        if (kind == Page::Jobs) {
            FineTuningJob job = FineTuningJob::fromJson(entry.toObject());
            if (!job.id.isEmpty())
                result.jobs << job;
        } else {
            JobEvent event = JobEvent::fromJson(entry.toObject());
            if (!event.id.isEmpty() || !event.message.isEmpty())
                result.events << event;
        }
    }
    result.hasMore = o->value(QLatin1String("has_more")).toBool(false);
    return result;
}
