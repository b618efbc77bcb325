#pragma once

#include "jobresult.h"

#include <QByteArray>
#include <QCoreApplication>

// Turns an HTTP answer (status, content type, body) into a JobResult. Pure and stateless so that it can be
// fuzzed. Success is checked, never assumed: 2xx + JSON object + a "status" string.
class ResponseParser
{
    Q_DECLARE_TR_FUNCTIONS(ResponseParser)

public:
    static JobResult parseJob(int httpStatus, const QByteArray& contentType, const QByteArray& body);
};
