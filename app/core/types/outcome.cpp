#include "outcome.h"

Outcome::Category Outcome::category(Kind kind)
{
    switch (kind) {
    case Pending:
        return Category::Busy;
    case Cancelled:
    case Paused:
    case Resumed:
        return Category::Success;
    case WouldCancel:
    case WouldPause:
    case WouldResume:
    case Skipped:
    case AlreadyFinished:
    case NotSent:
        return Category::Neutral;
    case StillStopping:
    case Stopped:
        return Category::Warning;
    case NotFound:
    case Refused:
    case Failed:
    case Unknown:
    case Invalid:
    case RateLimited:
    case RefusedId:
        return Category::Error;
    }
    return Category::Neutral;
}

QString Outcome::label(Kind kind)
{
    switch (kind) {
    case Pending:
        return tr("working\u2026");
    case WouldCancel:
        return tr("will be cancelled");
    case Cancelled:
        return tr("cancelled");
    case StillStopping:
        return tr("cancel requested");
    case AlreadyFinished:
        return tr("nothing to cancel");
    case NotFound:
        return tr("not found");
    case Refused:
        return tr("refused");
    case Failed:
        return tr("failed");
    case Unknown:
        return tr("no answer");
    case Stopped:
        return tr("stopped");
    case NotSent:
        return tr("not sent");
    case Invalid:
        return tr("not a job id");
    case RateLimited:
        return tr("rate limited");
    case RefusedId:
        return tr("not sent: id refused");
    case WouldPause:
        return tr("will be paused");
    case WouldResume:
        return tr("will be resumed");
    case Paused:
        return tr("paused");
    case Resumed:
        return tr("resumed");
    case Skipped:
        return tr("left as it is");
    }
    return QString();
}

QString Outcome::name(Kind kind)
{
    switch (kind) {
    case Pending:
        return QStringLiteral("pending");
    case WouldCancel:
        return QStringLiteral("would_cancel");
    case Cancelled:
        return QStringLiteral("cancelled");
    case StillStopping:
        return QStringLiteral("still_stopping");
    case AlreadyFinished:
        return QStringLiteral("already_finished");
    case NotFound:
        return QStringLiteral("not_found");
    case Refused:
        return QStringLiteral("refused");
    case Failed:
        return QStringLiteral("failed");
    case Unknown:
        return QStringLiteral("unknown");
    case Stopped:
        return QStringLiteral("stopped");
    case NotSent:
        return QStringLiteral("not_sent");
    case Invalid:
        return QStringLiteral("invalid");
    case RateLimited:
        return QStringLiteral("rate_limited");
    case RefusedId:
        return QStringLiteral("id_refused");
    case WouldPause:
        return QStringLiteral("would_pause");
    case WouldResume:
        return QStringLiteral("would_resume");
    case Paused:
        return QStringLiteral("paused");
    case Resumed:
        return QStringLiteral("resumed");
    case Skipped:
        return QStringLiteral("skipped");
    }
    return QString();
}

int Outcome::exitCode(const QList<Kind>& outcomes, bool dryRun)
{
    bool any = false;
    bool invalid = false;
    bool unknown = false;
    bool notCancelled = false;
    for (const Kind kind : outcomes) {
        any = true;
        if (kind == Invalid)
            invalid = true;
        else if (kind == Unknown || kind == RateLimited)
            unknown = true; // "try again later": the job runs on, and what to do next is the same
        else if (!isDone(kind) && !(dryRun && isWould(kind)))
            notCancelled = true;
    }
    if (invalid)
        return 2;
    if (unknown)
        return 4;
    return notCancelled || !any ? 1 : 0;
}

bool Outcome::isRetryable(Kind kind)
{
    return kind == Failed || kind == Unknown || kind == Stopped || kind == NotSent || kind == Refused
        || kind == RateLimited;
}
