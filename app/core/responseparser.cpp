#include "responseparser.h"

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

JobResult ResponseParser::parseJob(int httpStatus, const QByteArray& contentType, const QByteArray& body)
{
    JobResult result;
    result.httpStatus = httpStatus;

    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const bool isJsonObject = parseError.error == QJsonParseError::NoError && doc.isObject();

    if (httpStatus >= 200 && httpStatus < 300) {
        // A declared content type that is not JSON is refused even if the bytes happen to parse.
        const bool jsonType = contentType.isEmpty() || contentType.toLower().contains("json");
        if (!isJsonObject || !jsonType) {
            result.error = ApiError::badResponse(httpStatus, contentType, body);
            return result;
        }
        const QJsonObject o = doc.object();
        result.job = FineTuningJob::fromJson(o);
        if (result.job.status.isEmpty()) {
            result.error = ApiError::badResponse(httpStatus, contentType, body);
            result.error.message = tr("HTTP %1, but the answer has no job status, so the outcome is unknown. Check "
                                      "the job in the dashboard. First bytes: %2")
                                       .arg(httpStatus)
                                       .arg(result.error.excerpt);
        }
        return result;
    }

    if (httpStatus < 400) {
        // 1xx/3xx: the API never answers a cancel with these; redirects are not followed on purpose.
        result.error = ApiError::badResponse(httpStatus, contentType, body);
        return result;
    }

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
            apiMessage = error.toString();
        }
    }
    result.error = ApiError::http(httpStatus, apiMessage, apiType, apiCode);
    result.error.apiParam = apiParam;
    if (!isJsonObject) {
        result.error.contentType = QString::fromLatin1(contentType);
        result.error.excerpt = ApiError::excerptOf(body);
        if (!body.isEmpty()) {
            result.error.message += QLatin1Char(' ')
                + tr("The answer was not the API's JSON (%1), probably from a proxy or gateway. First bytes: %2")
                      .arg(contentType.isEmpty() ? tr("no content type") : result.error.contentType,
                           result.error.excerpt);
        }
    }
    return result;
}
