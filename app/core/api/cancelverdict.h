#pragma once

#include "jobresult.h"

#include <QCoreApplication>

// The one verdict on a refused cancel and the job read back after it, for JobRequest (a retried cancel) and
// CancelBatch (any refusal) alike. A cancel the API refuses because the job is being or was already cancelled by an
// earlier attempt counts as accepted, and the job is watched until it is finished.
class CancelVerdict
{
    Q_DECLARE_TR_FUNCTIONS(CancelVerdict)

public:
    enum class Verdict {
        Accepted, // the job is stopping (or cancelled by an earlier attempt of this cancel): watch it
        Finished, // it had finished: nothing to cancel
        Refused, // the refusal stands
    };

    // A refusal that a read-back may turn: an HTTP 400 or 409 answer to a cancel.
    static bool deservesReadBack(const JobResult& refused);
    // The API's own words say the job is being or has already been cancelled.
    static bool saysCancelling(const ApiError& error);
    // What the refusal and the job read after it (read.isOk(): read.job) add up to. refused.attempts > 1: the cancel
    // was retried, so a cancelled job may be this cancel's own doing.
    static Verdict of(const JobResult& refused, const JobResult& read);
};
