#pragma once

#include "jobpage.h"
#include "jobresult.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <optional>

// Turns an HTTP answer (status, content type, body) into a JobResult. Pure and stateless so that it can be
// fuzzed. Success is checked, never assumed: 2xx + JSON object + a "status" string. parseJob/parsePage read OpenAI's
// shapes (Dialect::of(Provider::OpenAI)); the dialects share successObject() and errorOf() (the OpenAI error shape,
// which Azure and Together answer with too).
class ResponseParser
{
    Q_DECLARE_TR_FUNCTIONS(ResponseParser)

public:
    enum class Page { Jobs, Events };

    static JobResult parseJob(int httpStatus, const QByteArray& contentType, const QByteArray& body);
    // A list page ({"data":[…],"has_more":…}) of jobs or of events. Entries that are not objects, or have no id,
    // are left out rather than failing the page.
    static PageResult parsePage(Page kind, int httpStatus, const QByteArray& contentType, const QByteArray& body);
    // The error for a non-2xx answer: the API's error object in words, or what came back when it was not one.
    static ApiError errorOf(int httpStatus, const QByteArray& contentType, const QByteArray& body);

    // The JSON object of a 2xx answer with a JSON content type; otherwise nothing, and *error says why.
    static std::optional<QJsonObject> successObject(int httpStatus, const QByteArray& contentType,
                                                    const QByteArray& body, ApiError* error);
};
