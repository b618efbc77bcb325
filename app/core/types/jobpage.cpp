#include "jobpage.h"

#include <QJsonValue>

namespace {
// A bound on what one field of a hostile answer costs; the output gate caps it further before anything shows it.
constexpr qsizetype maxFieldChars = 64 * 1024;

QString text(const QJsonObject& o, QLatin1String name)
{
    const QJsonValue v = o.value(name);
    return v.isString() ? v.toString().left(maxFieldChars) : QString();
}
} // namespace

JobEvent JobEvent::fromJson(const QJsonObject& o)
{
    JobEvent event;
    event.id = text(o, QLatin1String("id"));
    event.level = text(o, QLatin1String("level"));
    event.message = text(o, QLatin1String("message"));
    event.type = text(o, QLatin1String("type"));
    const QJsonValue created = o.value(QLatin1String("created_at"));
    const double seconds = created.isDouble() ? created.toDouble() : 0;
    // Outside qint64 is no time (and converting it would be undefined behaviour): "unknown".
    event.createdAt = seconds > -9.2e18 && seconds < 9.2e18 ? qint64(seconds) : 0;
    return event;
}
