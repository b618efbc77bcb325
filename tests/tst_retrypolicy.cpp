#include "retrypolicy.h"

#include <QTest>
#include <QTimeZone>

// The retry rules of the official SDKs, and the waits that come out of them.
class TestRetryPolicy final : public QObject
{
    Q_OBJECT

private slots:
    void whatIsRetried_data();
    void whatIsRetried();
    void noRetriesLeft();
    void serverWait_data();
    void serverWait();
    void longServerWaitIsNotSleptThrough();
    void backoffGrowsAndIsCapped();
    void maxRetriesIsBounded();
};

using Kind = ApiError::Kind;

void TestRetryPolicy::whatIsRetried_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("shouldRetry");
    QTest::addColumn<bool>("retry");
    QTest::newRow("success") << 200 << int(Kind::None) << QByteArray() << false;
    QTest::newRow("400") << 400 << int(Kind::Http) << QByteArray() << false;
    QTest::newRow("401") << 401 << int(Kind::Http) << QByteArray() << false;
    QTest::newRow("403") << 403 << int(Kind::Http) << QByteArray() << false;
    QTest::newRow("404") << 404 << int(Kind::Http) << QByteArray() << false;
    QTest::newRow("408") << 408 << int(Kind::Http) << QByteArray() << true;
    QTest::newRow("409") << 409 << int(Kind::Http) << QByteArray() << true;
    QTest::newRow("429") << 429 << int(Kind::Http) << QByteArray() << true;
    QTest::newRow("500") << 500 << int(Kind::Http) << QByteArray() << true;
    QTest::newRow("502 html") << 502 << int(Kind::Http) << QByteArray() << true;
    QTest::newRow("503") << 503 << int(Kind::Http) << QByteArray() << true;
    QTest::newRow("timeout") << 0 << int(Kind::Timeout) << QByteArray() << true;
    QTest::newRow("connection") << 0 << int(Kind::Network) << QByteArray() << true;
    QTest::newRow("stopped by user") << 0 << int(Kind::Stopped) << QByteArray() << false;
    QTest::newRow("bad 200 body") << 200 << int(Kind::BadResponse) << QByteArray() << false;
    QTest::newRow("500 should-retry false") << 500 << int(Kind::Http) << QByteArray("false") << false;
    QTest::newRow("400 should-retry true") << 400 << int(Kind::Http) << QByteArray("true") << true;
    QTest::newRow("429 should-retry False") << 429 << int(Kind::Http) << QByteArray(" False ") << false;
}

void TestRetryPolicy::whatIsRetried()
{
    QFETCH(int, status);
    QFETCH(int, kind);
    QFETCH(QByteArray, shouldRetry);
    QFETCH(bool, retry);
    RetryPolicy policy(2);
    RetryPolicy::Attempt attempt;
    attempt.httpStatus = status;
    attempt.errorKind = Kind(kind);
    attempt.shouldRetry = shouldRetry;
    const RetryPolicy::Decision d = policy.decide(0, attempt);
    QCOMPARE(d.retry, retry);
    if (retry)
        QVERIFY(d.delayMs > 0);
}

void TestRetryPolicy::noRetriesLeft()
{
    RetryPolicy policy(2);
    RetryPolicy::Attempt attempt{500, Kind::Http, {}, {}, {}};
    QVERIFY(policy.decide(0, attempt).retry);
    QVERIFY(policy.decide(1, attempt).retry);
    const RetryPolicy::Decision d = policy.decide(2, attempt);
    QVERIFY(!d.retry);
    QVERIFY2(d.reason.contains(QStringLiteral("no retries left")), qPrintable(d.reason));
    QVERIFY(!RetryPolicy(0).decide(0, attempt).retry);
}

void TestRetryPolicy::serverWait_data()
{
    QTest::addColumn<QByteArray>("retryAfterMs");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("expectedDelayMs"); // -1: backoff
    QTest::newRow("retry-after-ms") << QByteArray("250") << QByteArray() << 250;
    QTest::newRow("retry-after-ms fractional") << QByteArray("1500.4") << QByteArray() << 1500;
    QTest::newRow("retry-after-ms wins") << QByteArray("300") << QByteArray("20") << 300;
    QTest::newRow("retry-after seconds") << QByteArray() << QByteArray("2") << 2000;
    QTest::newRow("retry-after fractional") << QByteArray() << QByteArray("0.75") << 750;
    QTest::newRow("retry-after date") << QByteArray() << QByteArray("Fri, 27 Nov 2026 12:00:05 GMT") << 5000;
    QTest::newRow("retry-after zero") << QByteArray() << QByteArray("0") << -1;
    QTest::newRow("retry-after negative") << QByteArray() << QByteArray("-3") << -1;
    QTest::newRow("retry-after date in the past") << QByteArray() << QByteArray("Fri, 27 Nov 2026 11:59:00 GMT") << -1;
    QTest::newRow("retry-after garbage") << QByteArray() << QByteArray("soon") << -1;
    QTest::newRow("exactly 60 s") << QByteArray() << QByteArray("60") << 60000;
}

void TestRetryPolicy::serverWait()
{
    QFETCH(QByteArray, retryAfterMs);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, expectedDelayMs);
    RetryPolicy policy(2);
    policy.setRandomSource([] { return 0.0; });
    policy.setClock([] { return QDateTime(QDate(2026, 11, 27), QTime(12, 0, 0), QTimeZone::utc()); });
    const RetryPolicy::Decision d = policy.decide(0, {429, Kind::Http, {}, retryAfterMs, retryAfter});
    QVERIFY(d.retry);
    QCOMPARE(d.delayMs, expectedDelayMs == -1 ? 500 : expectedDelayMs);
}

void TestRetryPolicy::longServerWaitIsNotSleptThrough()
{
    RetryPolicy policy(2);
    const RetryPolicy::Decision d = policy.decide(0, {429, Kind::Http, {}, {}, QByteArray("120")});
    QVERIFY(!d.retry);
    QVERIFY(d.serverWaitTooLong);
    QCOMPARE(d.serverWaitMs, qint64(120000));
    QVERIFY2(d.reason.contains(QStringLiteral("120 s")), qPrintable(d.reason));
}

void TestRetryPolicy::backoffGrowsAndIsCapped()
{
    QCOMPARE(RetryPolicy::backoffMs(0, 0.0), 500);
    QCOMPARE(RetryPolicy::backoffMs(1, 0.0), 1000);
    QCOMPARE(RetryPolicy::backoffMs(2, 0.0), 2000);
    QCOMPARE(RetryPolicy::backoffMs(3, 0.0), 4000);
    QCOMPARE(RetryPolicy::backoffMs(4, 0.0), 8000);
    QCOMPARE(RetryPolicy::backoffMs(9, 0.0), 8000);
    // Up to 25 % jitter, never more.
    QCOMPARE(RetryPolicy::backoffMs(4, 0.999999), 6000);
    QCOMPARE(RetryPolicy::backoffMs(0, 0.5), 438);
}

void TestRetryPolicy::maxRetriesIsBounded()
{
    QCOMPARE(RetryPolicy(-5).maxRetries(), 0);
    QCOMPARE(RetryPolicy(99).maxRetries(), RetryPolicy::maxMaxRetries);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
