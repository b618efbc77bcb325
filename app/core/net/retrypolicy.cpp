#include "retrypolicy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTimeZone>
#include <cmath>

RetryPolicy::RetryPolicy(int maxRetries)
    : m_maxRetries(qBound(0, maxRetries, maxMaxRetries)),
      m_random([] { return QRandomGenerator::global()->generateDouble(); }),
      m_now([] { return QDateTime::currentDateTimeUtc(); })
{
}

namespace {
// Beyond year 9999 from any date a server can name; keeps every wait a finite qint64.
constexpr double maxWaitMs = 1e15;
constexpr qint64 secondMs = 1000;
constexpr qint64 minuteMs = 60 * secondMs;
constexpr qint64 hourMs = 60 * minuteMs;
constexpr qint64 dayMs = 24 * hourMs;
constexpr qint64 yearDays = 365;

int roundedUp(qint64 ms, qint64 unitMs)
{
    return int((ms + unitMs - 1) / unitMs);
}
} // namespace

std::optional<qint64> RetryPolicy::serverWaitMs(const QByteArray& retryAfterMs, const QByteArray& retryAfter,
                                                const QDateTime& now)
{
    bool ok = false;
    const double ms = retryAfterMs.trimmed().toDouble(&ok);
    if (ok && std::isfinite(ms))
        return qint64(std::llround(qBound(-maxWaitMs, ms, maxWaitMs)));
    const QByteArray text = retryAfter.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    const double seconds = text.toDouble(&ok);
    if (ok && std::isfinite(seconds))
        return qint64(std::llround(qBound(-maxWaitMs, seconds * 1000.0, maxWaitMs)));
    // An HTTP date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime when = QDateTime::fromString(QString::fromLatin1(text), Qt::RFC2822Date);
    if (!when.isValid()) {
        when = QLocale::c().toDateTime(QString::fromLatin1(text).replace(QLatin1String(" GMT"), QString()),
                                       QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
        when.setTimeZone(QTimeZone::utc());
    }
    if (!when.isValid())
        return std::nullopt;
    return now.msecsTo(when);
}

int RetryPolicy::backoffMs(int retriesSoFar, double random01)
{
    const double base = std::min(0.5 * std::pow(2.0, qBound(0, retriesSoFar, 30)), 8.0);
    const double jitter = 1.0 - 0.25 * qBound(0.0, random01, 1.0);
    return int(std::lround(base * jitter * 1000.0));
}

QString RetryPolicy::waitText(qint64 waitMs)
{
    const qint64 ms = qMax(qint64(0), waitMs);
    if (ms < 2 * minuteMs)
        return tr("%n second(s)", nullptr, roundedUp(ms, secondMs));
    if (ms < 2 * hourMs)
        return tr("%n minute(s)", nullptr, roundedUp(ms, minuteMs));
    if (ms < 2 * dayMs)
        return tr("%n hour(s)", nullptr, roundedUp(ms, hourMs));
    if (ms <= yearDays * dayMs)
        return tr("%n day(s)", nullptr, roundedUp(ms, dayMs));
    return tr("more than a year");
}

QString RetryPolicy::untilText(const QDateTime& until, const QDateTime& now)
{
    const QDateTime localUntil = until.toLocalTime();
    return localUntil.date() == now.toLocalTime().date()
        ? QLocale::c().toString(localUntil.time(), QStringLiteral("HH:mm:ss"))
        : QLocale::c().toString(localUntil, QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString RetryPolicy::tooLongWaitMessage(qint64 waitMs, const QDateTime& now, bool rateLimited)
{
    const QDateTime localNow = now.toLocalTime();
    const QDateTime until = localNow.addMSecs(waitMs);
    const bool showable = until.isValid() && until.date().year() <= 9999;
    QString text;
    if (!showable) {
        text = tr("the server asks to wait more than a year; FtCancel does not wait that long on its own.");
    } else if (waitMs > yearDays * dayMs) {
        text = tr("the server asks to wait until %1 (more than a year); FtCancel does not wait that long on its own.")
                   .arg(QLocale::c().toString(until, QStringLiteral("yyyy-MM-dd HH:mm")));
    } else {
        // The time of day when that is today, else the date too.
        const QString when = untilText(until, localNow);
        text = tr("the server asks to wait %1 (until %2); FtCancel does not wait that long on its own. Try again then.")
                   .arg(waitText(waitMs), when);
    }
    return rateLimited ? tr("Rate limited: %1").arg(text) : tr("Not retried: %1").arg(text);
}

RetryPolicy::Decision RetryPolicy::decide(int retriesSoFar, const Attempt& attempt) const
{
    Decision d;
    if (attempt.errorKind == ApiError::Kind::None || attempt.errorKind == ApiError::Kind::Stopped
        || attempt.errorKind == ApiError::Kind::Input || attempt.errorKind == ApiError::Kind::Keychain) {
        return d;
    }

    const QByteArray shouldRetry = attempt.shouldRetry.trimmed().toLower();
    bool retryable = false;
    if (shouldRetry == "true") {
        retryable = true;
        d.reason = tr("the server asked for a retry (x-should-retry: true)");
    } else if (shouldRetry == "false") {
        d.reason = tr("the server said not to retry (x-should-retry: false)");
        return d;
    } else if (attempt.errorKind == ApiError::Kind::Timeout) {
        retryable = true;
        d.reason = tr("no answer in time");
    } else if (attempt.errorKind == ApiError::Kind::Network) {
        retryable = true;
        d.reason = tr("connection error");
    } else if (attempt.httpStatus == 408 || attempt.httpStatus == 409 || attempt.httpStatus == 429
               || attempt.httpStatus >= 500) {
        retryable = true;
        d.reason = attempt.httpStatus == 429 ? tr("rate limited (HTTP 429)") : tr("HTTP %1").arg(attempt.httpStatus);
    }
    if (!retryable)
        return d;
    if (retriesSoFar >= m_maxRetries) {
        d.reason = tr("%1; no retries left (%n allowed)", nullptr, m_maxRetries).arg(d.reason);
        return d;
    }

    const std::optional<qint64> wait = serverWaitMs(attempt.retryAfterMs, attempt.retryAfter, m_now());
    if (wait && *wait > maxServerWaitMs) {
        // Not slept through silently: the operator decides whether to wait that long.
        d.serverWaitTooLong = true;
        d.serverWaitMs = *wait;
        d.reason = tr("%1; the server asks to wait %2, longer than FtCancel waits on its own")
                       .arg(d.reason, waitText(*wait));
        d.message = tooLongWaitMessage(*wait, m_now(), attempt.httpStatus == 429);
        return d;
    }
    d.retry = true;
    if (wait && *wait > 0) {
        d.serverWaitMs = *wait;
        d.delayMs = int(*wait);
    } else {
        d.delayMs = backoffMs(retriesSoFar, m_random());
    }
    return d;
}
