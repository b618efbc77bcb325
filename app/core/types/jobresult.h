#pragma once

#include "apierror.h"
#include "finetuningjob.h"

#include <QMetaType>

// What one job request ended with: the job the API returned, or an error. Carries the HTTP facts either way
// so the log and the status area can show them.
struct JobResult
{
    QString requestedId; // the id we asked about
    JobKind requestedKind = JobKind::FineTuning; // of the job we asked about: whose API the request went to
    FineTuningJob job; // valid when !error.isError()
    ApiError error;
    int httpStatus = 0;
    QString requestId; // x-request-id
    qint64 elapsedMs = 0;
    int attempts = 1; // HTTP attempts made, retries included
    // The wait a 429 (or 503) asked for when it was longer than FtCancel waits on its own; 0 otherwise.
    qint64 serverWaitMs = 0;

    bool isOk() const { return !error.isError(); }
    // True only when the API confirmed the job is cancelled.
    bool isCancelled() const { return isOk() && job.statusClass == StatusClass::Cancelled; }
};

Q_DECLARE_METATYPE(JobResult)
