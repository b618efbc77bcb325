#pragma once

#include "apierror.h"
#include "finetuningjob.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

// One entry of a job's event list (fine_tuning.job.event): what the API said happened, and when.
struct JobEvent
{
    QString id; // ftevent-…
    qint64 createdAt = 0; // seconds since the epoch
    QString level; // info, warn or error (an open string)
    QString message;
    QString type; // message or metrics

    static JobEvent fromJson(const QJsonObject& object);
};

// One page of a list answer — jobs or events, newest first — or the error that ended it.
struct PageResult
{
    QList<FineTuningJob> jobs;
    QList<JobEvent> events;
    bool hasMore = false;
    int total = -1; // the list's length when the answer says it (page-numbered lists), -1 otherwise
    ApiError error;
    int httpStatus = 0;
    QString requestId; // x-request-id, raw
    int attempts = 0;

    bool isOk() const { return !error.isError(); }
};

Q_DECLARE_METATYPE(PageResult)
