#include "appinfo.h"
#include "retrypolicy.h"

#include <QTest>
#include <QTimeZone>

#include <limits>

// The retry rules of the official SDKs, and the waits that come out of them.
class TestRetryPolicy final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void whatIsRetried_data();
    void whatIsRetried();
    void noRetriesLeft();
    void serverWait_data();
    void serverWait();
    void longServerWaitIsNotSleptThrough();
    void longServerWaitIsWorded_data();
    void longServerWaitIsWorded();
    void waitTextFitsTheSize_data();
    void waitTextFitsTheSize();
    void backoffGrowsAndIsCapped();
    void maxRetriesIsBounded();
};

using Kind = ApiError::Kind;

void TestRetryPolicy::initTestCase()
{
    AppInfo::applyToApplication(); // English plural forms
    // Times of day in the messages are local: pin the zone so the expected texts hold anywhere.
    qputenv("TZ", "UTC");
}

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
    QVERIFY2(d.reason.contains(QStringLiteral("asks to wait 2 minutes")), qPrintable(d.reason));
}

void TestRetryPolicy::longServerWaitIsWorded_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfterMs");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("reasonEnd"); // how the log line names the wait

    const QString rest = QStringLiteral("; FtCancel does not wait that long on its own. Try again then.");
    const QString restYear = QStringLiteral("; FtCancel does not wait that long on its own.");
    // The clock: 2026-11-27 12:00:00 UTC (and local).
    QTest::newRow("10 minutes") << 429 << QByteArray() << QByteArray("600")
                                << "Rate limited: the server asks to wait 10 minutes (until 12:10:00)" + rest
                                << "10 minutes";
    QTest::newRow("3 hours") << 429 << QByteArray("10800000") << QByteArray()
                             << "Rate limited: the server asks to wait 3 hours (until 15:00:00)" + rest << "3 hours";
    QTest::newRow("tomorrow") << 429 << QByteArray() << QByteArray("86400")
                              << "Rate limited: the server asks to wait 24 hours (until 2026-11-28 12:00)" + rest
                              << "24 hours";
    QTest::newRow("days") << 429 << QByteArray() << QByteArray("Mon, 07 Dec 2026 11:00:00 GMT")
                          << "Rate limited: the server asks to wait 10 days (until 2026-12-07 11:00)" + rest
                          << "10 days";
    QTest::newRow("503, 2 hours") << 503 << QByteArray() << QByteArray("7200")
                                  << "Not retried: the server asks to wait 2 hours (until 14:00:00)" + rest
                                  << "2 hours";
    QTest::newRow("date in year 9999")
        << 429 << QByteArray() << QByteArray("Fri, 31 Dec 9999 23:59:59 GMT")
        << "Rate limited: the server asks to wait until 9999-12-31 23:59 (more than a year)" + restYear
        << "more than a year";
    QTest::newRow("retry-after-ms 1e300")
        << 429 << QByteArray("1e300") << QByteArray()
        << "Rate limited: the server asks to wait more than a year" + restYear << "more than a year";
    QTest::newRow("retry-after 1e12 s") << 429 << QByteArray() << QByteArray("1e12")
                                        << "Rate limited: the server asks to wait more than a year" + restYear
                                        << "more than a year";
    QTest::newRow("retry-after 9223372036854775807 s")
        << 429 << QByteArray() << QByteArray("9223372036854775807")
        << "Rate limited: the server asks to wait more than a year" + restYear << "more than a year";
}

void TestRetryPolicy::longServerWaitIsWorded()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfterMs);
    QFETCH(QByteArray, retryAfter);
    QFETCH(QString, message);
    QFETCH(QString, reasonEnd);
    RetryPolicy policy(2);
    policy.setClock([] { return QDateTime(QDate(2026, 11, 27), QTime(12, 0, 0), QTimeZone::utc()); });
    const RetryPolicy::Decision d = policy.decide(0, {status, Kind::Http, {}, retryAfterMs, retryAfter});
    QVERIFY(!d.retry);
    QVERIFY(d.serverWaitTooLong);
    QVERIFY(d.serverWaitMs > RetryPolicy::maxServerWaitMs);
    QCOMPARE(d.message, message);
    QVERIFY2(d.reason.endsWith(QStringLiteral("asks to wait ") + reasonEnd
                               + QStringLiteral(", longer than FtCancel waits on its own")),
             qPrintable(d.reason));
}

void TestRetryPolicy::waitTextFitsTheSize_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("61 s") << qint64(61000) << "61 seconds";
    QTest::newRow("just under 2 minutes") << qint64(119001) << "120 seconds";
    QTest::newRow("2 minutes") << qint64(120000) << "2 minutes";
    QTest::newRow("just over an hour") << qint64(3600001) << "61 minutes";
    QTest::newRow("2 hours") << qint64(7200000) << "2 hours";
    QTest::newRow("47.5 hours") << qint64(171000000) << "48 hours";
    QTest::newRow("2 days") << qint64(172800000) << "2 days";
    QTest::newRow("365 days") << qint64(365) * 86400000 << "365 days";
    QTest::newRow("a year and a second") << qint64(365) * 86400000 + 1000 << "more than a year";
    QTest::newRow("largest") << std::numeric_limits<qint64>::max() << "more than a year";
}

void TestRetryPolicy::waitTextFitsTheSize()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(RetryPolicy::waitText(ms), text);
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
