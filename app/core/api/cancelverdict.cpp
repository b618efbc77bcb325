#include "cancelverdict.h"

#include <QRegularExpression>

bool CancelVerdict::deservesReadBack(const JobResult& refused)
{
    return refused.error.kind == ApiError::Kind::Http && (refused.httpStatus == 400 || refused.httpStatus == 409);
}

bool CancelVerdict::saysCancelling(const ApiError& error)
{
    // "Job … is already being cancelled", "has already been cancelled", "cancellation requested", either spelling.
    static const QRegularExpression words(
        QStringLiteral("\\b(being|already( been)?) cancel+(ed|ing)\\b|\\bcancel(lation)?[ _]requested\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return words.match(error.apiMessage).hasMatch() || words.match(error.apiCode).hasMatch();
}

CancelVerdict::Verdict CancelVerdict::of(const JobResult& refused, const JobResult& read)
{
    if (!read.isOk())
        return Verdict::Refused;
    const StatusClass now = read.job.statusClass;
    if (now == StatusClass::Stopping)
        return Verdict::Accepted;
    if (now == StatusClass::Cancelled)
        return refused.attempts > 1 ? Verdict::Accepted : Verdict::Finished;
    if (isFinished(now))
        return Verdict::Finished;
    // Still active (or a status unknown to FtCancel) while the API said it is being cancelled: the read lags.
    return saysCancelling(refused.error) ? Verdict::Accepted : Verdict::Refused;
}
