#pragma once

#include <QJsonObject>
#include <QString>

// A fine-tuning job as the API returns it. Parsed leniently: a missing field stays empty/zero
// ("unknown"); status is an open string because the API adds states (paused, pausing) over time.
struct FineTuningJob
{
    QString id;
    QString status;
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

    bool isTerminal() const;
    static FineTuningJob fromJson(const QJsonObject& object);
};
