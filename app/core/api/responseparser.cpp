#include "responseparser.h"

#include "dialect.h"

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
    return Dialect::of(Provider::OpenAI).parseJob(JobKind::FineTuning, httpStatus, contentType, body);
}

PageResult ResponseParser::parsePage(Page kind, int httpStatus, const QByteArray& contentType, const QByteArray& body)
{
    return Dialect::of(Provider::OpenAI)
        .parsePage(kind == Page::Jobs ? Dialect::Page::Jobs : Dialect::Page::Events, JobKind::FineTuning, httpStatus,
                   contentType, body);
}
