#pragma once

#include "provider.h"

#include <QJsonObject>
#include <QString>

// A job as the API returns it: a fine-tuning job or a batch (kind). Parsed leniently: a missing field stays empty/zero
// ("unknown"); status is an open string because the API adds states (paused, pausing) over time. status is what is
// shown, always; statusClass (filled by the provider's Dialect) is what is reasoned about.
struct FineTuningJob
{
    QString id;
    QString status;
    Provider provider = Provider::OpenAI;
    JobKind kind = JobKind::FineTuning;
    StatusClass statusClass = StatusClass::Unknown;
    QString model;
    QString fineTunedModel;
    QString organizationId;
    QString errorMessage; // job.error.message, when the job itself failed
    QString suffix; // user_provided_suffix
    QString metadata; // "key=value, key=value" of the metadata object, for showing
    qint64 createdAt = 0; // seconds since the epoch, 0 when unknown
    qint64 finishedAt = 0;
    qint64 estimatedFinish = 0;
    qint64 trainedTokens = -1; // -1 when unknown
    // A batch's requests as the provider counts them, for showing: "3 canceled, 10 succeeded, 1 errored of 14"
    // (Anthropic), "10 completed, 1 failed of 14" (OpenAI); empty when it has none.
    QString requestCounts;

    // Finished (succeeded, failed or cancelled): it will not change again. An Unknown status is not finished.
    bool isTerminal() const { return isFinished(statusClass); }
    // The fields every provider names as OpenAI does (id, status, model, created_at …); statusClass stays Unknown:
    // Dialect::jobFromJson reads a provider's job and classes its status.
    static FineTuningJob fromJson(const QJsonObject& object);
    // The one order jobs are listed in (CLI, window, models): the unfinished first, then the newest first. The second
    // form compares keys read once (JobsModel sorts row numbers by them).
    static bool listsBefore(const FineTuningJob& a, const FineTuningJob& b)
    {
        return keysListBefore(a.isTerminal(), a.createdAt, b.isTerminal(), b.createdAt);
    }
    static bool keysListBefore(bool aFinished, qint64 aCreatedAt, bool bFinished, qint64 bCreatedAt)
    {
        return aFinished != bFinished ? !aFinished : aCreatedAt > bCreatedAt;
    }
};
