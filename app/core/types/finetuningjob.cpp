#include "finetuningjob.h"

#include <QJsonValue>
#include <QSet>
#include <QStringList>

namespace {
// A bound on what one field of a hostile answer costs on its way through the app; the output gate caps it further
// before anything shows it.
constexpr qsizetype maxFieldChars = 64 * 1024;

QString stringField(const QJsonObject& o, QLatin1String name)
{
    const QJsonValue v = o.value(name);
    return v.isString() ? v.toString().left(maxFieldChars) : QString();
}

// Values that repeat over thousands of jobs (a status, a base model, the organization) are kept once: a batch or a
// list of 10,000 jobs held each as a string of its own. Bounded, so a hostile server's values cost no more than 32 KiB.
QString shared(const QString& text)
{
    thread_local QSet<QString> known;
    if (text.isEmpty() || text.size() > 64)
        return text;
    if (const auto it = known.constFind(text); it != known.cend())
        return *it;
    if (known.size() < 256)
        known.insert(text);
    return text;
}

qint64 timeField(const QJsonObject& o, QLatin1String name)
{
    const QJsonValue v = o.value(name);
    if (!v.isDouble())
        return 0;
    // Converting a double outside qint64 (1e300 from a broken server or proxy) is undefined behaviour, and is no
    // time anyway: "unknown", like a missing field.
    const double seconds = v.toDouble();
    return seconds > -9.2e18 && seconds < 9.2e18 ? qint64(seconds) : 0;
}
} // namespace

FineTuningJob FineTuningJob::fromJson(const QJsonObject& o)
{
    FineTuningJob job;
    job.id = stringField(o, QLatin1String("id"));
    job.status = shared(stringField(o, QLatin1String("status")));
    job.model = shared(stringField(o, QLatin1String("model")));
    job.fineTunedModel = stringField(o, QLatin1String("fine_tuned_model"));
    job.organizationId = shared(stringField(o, QLatin1String("organization_id")));
    job.createdAt = timeField(o, QLatin1String("created_at"));
    job.finishedAt = timeField(o, QLatin1String("finished_at"));
    job.estimatedFinish = timeField(o, QLatin1String("estimated_finish"));
    job.suffix = stringField(o, QLatin1String("user_provided_suffix"));
    if (const QJsonValue metadata = o.value(QLatin1String("metadata")); metadata.isObject()) {
        QStringList pairs;
        const QJsonObject m = metadata.toObject();
        for (auto it = m.constBegin(); it != m.constEnd() && pairs.size() < 16; ++it)
            pairs << it.key().left(64) + u'=' + (it->isString() ? it->toString().left(512) : QString());
        job.metadata = pairs.join(QStringLiteral(", "));
    }
    if (const QJsonValue tokens = o.value(QLatin1String("trained_tokens")); tokens.isDouble())
        job.trainedTokens = qMax<qint64>(0, timeField(o, QLatin1String("trained_tokens")));
    const QJsonValue error = o.value(QLatin1String("error"));
    if (error.isObject())
        job.errorMessage = stringField(error.toObject(), QLatin1String("message"));
    return job;
}
