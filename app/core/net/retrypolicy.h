#pragma once

#include "apierror.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <functional>
#include <optional>

// When to try a request again and how long to wait first — the official SDKs' policy (openai-python/-node):
// x-should-retry decides when present; otherwise 408, 409, 429, >= 500, timeouts and connection errors are
// retried. The wait comes from retry-after-ms / retry-after when 0 < wait <= 60 s, else exponential backoff
// with jitter. A longer retry-after is not slept through: the decision says so and the caller tells the operator.
class RetryPolicy
{
    Q_DECLARE_TR_FUNCTIONS(RetryPolicy)

public:
    // What one attempt ended with, as far as retrying is concerned.
    struct Attempt
    {
        int httpStatus = 0; // 0 when there was no HTTP answer
        ApiError::Kind errorKind = ApiError::Kind::None;
        QByteArray shouldRetry; // x-should-retry
        QByteArray retryAfterMs; // retry-after-ms
        QByteArray retryAfter; // retry-after (seconds or HTTP date)
    };
    struct Decision
    {
        bool retry = false;
        int delayMs = 0;
        bool serverWaitTooLong = false; // the server asked for a wait longer than maxServerWaitMs
        qint64 serverWaitMs = 0; // what the server asked for, when it did
        QString reason; // translated: why (not) retry, for the log
        QString message; // translated, when serverWaitTooLong: the wait and its end, for the operator
    };

    static constexpr int defaultMaxRetries = 2;
    static constexpr int maxMaxRetries = 10;
    static constexpr qint64 maxServerWaitMs = 60 * 1000;

    explicit RetryPolicy(int maxRetries = defaultMaxRetries);

    int maxRetries() const { return m_maxRetries; }
    // For tests: a source of numbers in [0, 1) for the jitter, and the clock used for HTTP dates.
    void setRandomSource(std::function<double()> random) { m_random = std::move(random); }
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }

    // retriesSoFar: 0 after the first attempt, 1 after the first retry, …
    Decision decide(int retriesSoFar, const Attempt& attempt) const;

    // The server's requested wait in ms, if it gave a usable one (may be <= 0 or very long).
    static std::optional<qint64> serverWaitMs(const QByteArray& retryAfterMs, const QByteArray& retryAfter,
                                              const QDateTime& now);
    // min(0.5 * 2^n, 8) s, minus up to 25 % jitter (random01 in [0, 1)).
    static int backoffMs(int retriesSoFar, double random01);
    // A wait in words, rounded up to what its size calls for: "90 seconds", "10 minutes", "5 hours", "12 days",
    // "more than a year".
    static QString waitText(qint64 waitMs);
    // When a wait ends, for people: the local time of day ("14:05:30") when that is today (in local time), else the
    // date and time ("2024-07-24 14:05").
    static QString untilText(const QDateTime& until, const QDateTime& now);
    // What the operator is told about a wait too long to sleep through: how long and until when (a time of day if
    // that is today, else a date), never a number that does not fit. rateLimited: the answer was a 429.
    static QString tooLongWaitMessage(qint64 waitMs, const QDateTime& now, bool rateLimited);

private:
    int m_maxRetries;
    std::function<double()> m_random;
    std::function<QDateTime()> m_now;
};
