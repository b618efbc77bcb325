#include "activitylog.h"
#include "apicall.h"
#include "appinfo.h"
#include "fakeopenaiserver.h"
#include "finetuningclient.h"
#include "jobrequest.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

// Faults an operator meets when something is already going wrong, injected by the local server. Each test checks
// what the operator is told, how many requests reached the server, and that the operation ended in time.
class TestFaults final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { AppInfo::applyToApplication(); }
    void init();
    void cleanup();

    void refusalsAreNotRetried_data();
    void refusalsAreNotRetried();
    void conflictThenSuccess();
    void rateLimitWaitsWhatTheServerSays_data();
    void rateLimitWaitsWhatTheServerSays();
    void overLongRetryAfterIsReportedNotSlept();
    void hugeRetryAfterIsWordedSanely_data();
    void hugeRetryAfterIsWordedSanely();
    void serverErrorTwiceThenSuccess();
    void serverErrorWithShouldRetryFalse();
    void badGatewayHtmlIsRetriedThenShown();
    void unavailableThenSuccess();
    void neverAnswering();
    void timeoutNamesTheTimeWaited();
    void deadlineCutsTheLastAttemptShort();
    void connectionResetBeforeTheBody();
    void connectionResetDuringTheBody();
    void truncatedJson();
    void emptySuccess();
    void answerAboutAnotherJobIsNotSuccess_data();
    void answerAboutAnotherJobIsNotSuccess();
    void answerWithoutAnIdIsTakenAsTheJob();
    void hugeBodyIsCutOff();
    void hugeBodyWithoutContentLengthIsCutOff_data();
    void hugeBodyWithoutContentLengthIsCutOff();
    void successOfAnotherContentTypeIsNotSuccess_data();
    void successOfAnotherContentTypeIsNotSuccess();
    void bodyShorterThanItsContentLength();
    void slowDripHitsTheDeadline();
    void redirectToAnotherHostIsNotFollowed();
    void alreadyCancelledAfterTimeoutIsSuccess();
    void alreadyFinishedAfterRetryShowsRealStatus();
    void stopDuringRetryWait();
    void retryThatWouldPassTheDeadlineIsNotMade();

private:
    struct Outcome
    {
        JobResult result;
        qint64 elapsedMs = -1;
        int retries = 0;
    };
    Outcome cancel(int waitMs = 60000); // only a guard against a hang
    void setConfig(int maxRetries, int timeoutSeconds = 5, int deadlineSeconds = 30);

    FakeOpenAiServer* m_server = nullptr;
    FineTuningClient* m_client = nullptr;
    ActivityLog* m_log = nullptr;
};

static const QString jobId = QStringLiteral("ftjob-fault1");

void TestFaults::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_log = new ActivityLog(1000, this);
    m_client = new FineTuningClient(this);
    m_client->setLog(m_log);
    setConfig(2);
}

void TestFaults::cleanup()
{
    delete m_client;
    delete m_log;
    delete m_server;
}

void TestFaults::setConfig(int maxRetries, int timeoutSeconds, int deadlineSeconds)
{
    ApiConfig config;
    config.baseUrl = m_server->baseUrl();
    config.apiKey = QStringLiteral("sk-faults-0123456789abcdef0123");
    config.maxRetries = maxRetries;
    config.timeoutSeconds = timeoutSeconds;
    config.deadlineSeconds = deadlineSeconds;
    m_client->setConfig(config);
}

TestFaults::Outcome TestFaults::cancel(int waitMs)
{
    Outcome outcome;
    QElapsedTimer timer;
    timer.start();
    QPointer<JobRequest> request = m_client->cancelJob(JobId::parse(jobId));
    if (request->call())
        request->call()->retryPolicy().setRandomSource([] { return 0.0; }); // backoff 0.5 s, 1 s, …: no jitter
    QSignalSpy finished(request.data(), &JobRequest::finished);
    QSignalSpy retries(request.data(), &JobRequest::retryScheduled);
    if (!finished.wait(waitMs))
        return outcome;
    outcome.elapsedMs = timer.elapsed();
    outcome.result = finished.first().first().value<JobResult>();
    outcome.retries = int(retries.count());
    return outcome;
}

static FakeResponse apiError(int status, const char* message, const char* type = "invalid_request_error",
                             const char* code = "")
{
    return FakeResponse::apiError(status, QString::fromLatin1(message), QString::fromLatin1(type),
                                  QString::fromLatin1(code));
}

void TestFaults::refusalsAreNotRetried_data()
{
    QTest::addColumn<FakeResponse>("response");
    QTest::addColumn<QString>("shows");
    QTest::newRow("401") << apiError(401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key")
                         << "key was rejected";
    QTest::newRow("403") << apiError(403, "Insufficient permissions") << "no permission";
    QTest::newRow("404") << apiError(404, "Could not find fine tune: ftjob-fault1") << "No such job";
    QTest::newRow("400 already completed")
        << apiError(400, "Job has already completed: ftjob-fault1") << "already finished";
}

void TestFaults::refusalsAreNotRetried()
{
    QFETCH(FakeResponse, response);
    QFETCH(QString, shows);
    m_server->setHandler([response](const RecordedRequest&) { return response; });
    const Outcome o = cancel();
    QVERIFY(o.elapsedMs >= 0);
    QCOMPARE(o.result.error.kind, ApiError::Kind::Http);
    QVERIFY2(o.result.error.message.contains(shows), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(o.retries, 0);
    QCOMPARE(o.result.attempts, 1);
}

void TestFaults::conflictThenSuccess()
{
    m_server->enqueue(apiError(409, "Conflict"));
    m_server->enqueue(FakeResponse::job(jobId, QStringLiteral("cancelled")));
    const Outcome o = cancel();
    QVERIFY2(o.result.isCancelled(), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(o.retries, 1);
    QCOMPARE(o.result.attempts, 2);
    QVERIFY(m_log->text().contains(QStringLiteral("attempt 2 of 3")));
}

void TestFaults::rateLimitWaitsWhatTheServerSays_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("minWaitMs");
    QTest::addColumn<int>("maxWaitMs");
    QTest::newRow("retry-after-ms") << QByteArray("retry-after-ms") << QByteArray("300") << 280 << 30000;
    QTest::newRow("retry-after seconds") << QByteArray("retry-after") << QByteArray("1") << 950 << 30000;
    // An HTTP date three seconds ahead (made when the row runs): a wait of two to three seconds, given the date's
    // one-second resolution, less the time the 429 took to arrive (a second is allowed for that).
    QTest::newRow("retry-after date") << QByteArray("retry-after") << QByteArray("in three seconds") << 1000 << 30000;
}

void TestFaults::rateLimitWaitsWhatTheServerSays()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(int, minWaitMs);
    QFETCH(int, maxWaitMs);
    if (value == "in three seconds") {
        const QDateTime inThreeSeconds = QDateTime::currentDateTimeUtc().addSecs(3);
        value = QLocale::c().toString(inThreeSeconds, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
    }
    m_server->enqueue(apiError(429, "Rate limit reached", "requests", "rate_limit_exceeded").withHeader(header, value));
    m_server->enqueue(FakeResponse::job(jobId, QStringLiteral("cancelled")));
    const Outcome o = cancel();
    QVERIFY2(o.result.isCancelled(), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY2(o.elapsedMs >= minWaitMs, qPrintable(QString::number(o.elapsedMs)));
    QVERIFY2(o.elapsedMs <= maxWaitMs, qPrintable(QString::number(o.elapsedMs)));
    QVERIFY(m_log->text().contains(QStringLiteral("rate limited (HTTP 429)")));
}

void TestFaults::overLongRetryAfterIsReportedNotSlept()
{
    m_server->enqueue(
        apiError(429, "Rate limit reached", "requests", "rate_limit_exceeded").withHeader("retry-after", "3600"));
    const Outcome o = cancel();
    QVERIFY(o.elapsedMs >= 0 && o.elapsedMs < 30000); // not the hour asked for
    QCOMPARE(o.result.error.kind, ApiError::Kind::Http);
    QVERIFY2(
        o.result.error.message.contains(QStringLiteral("Rate limited: the server asks to wait 60 minutes (until ")),
        qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(o.retries, 0);
}

void TestFaults::hugeRetryAfterIsWordedSanely_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("shows");
    const QString moreThanAYear = QStringLiteral("Rate limited: the server asks to wait more than a year; FtCancel "
                                                 "does not wait that long on its own.");
    // The last minute of year 9999, in this machine's time zone.
    const QString lastMinute
        = QLocale::c().toString(QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), QTimeZone::utc()).toLocalTime(),
                                QStringLiteral("yyyy-MM-dd HH:mm"));
    QTest::newRow("date in year 9999") << QByteArray("retry-after") << QByteArray("Fri, 31 Dec 9999 23:59:59 GMT")
                                       << QStringLiteral("Rate limited: the server asks to wait until %1 (more than "
                                                         "a year); FtCancel does not wait that long on its own.")
                                              .arg(lastMinute);
    QTest::newRow("retry-after-ms 1e300") << QByteArray("retry-after-ms") << QByteArray("1e300") << moreThanAYear;
    QTest::newRow("retry-after 1e12") << QByteArray("retry-after") << QByteArray("1e12") << moreThanAYear;
}

void TestFaults::hugeRetryAfterIsWordedSanely()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(QString, shows);
    m_server->enqueue(apiError(429, "Rate limit reached", "requests", "rate_limit_exceeded").withHeader(header, value));
    const Outcome o = cancel();
    const QString& message = o.result.error.message;
    QCOMPARE(o.result.error.kind, ApiError::Kind::Http);
    QVERIFY2(message.endsWith(shows), qPrintable(message));
    // No placeholder left, and no negative or overflowed number anywhere in what the operator reads.
    QVERIFY2(!message.contains(u'%'), qPrintable(message));
    // (A minus after a digit is a date's.)
    const QRegularExpression badNumber(QStringLiteral("(?<![\\w])-\\d|\\d{6,}"));
    QVERIFY2(!message.contains(badNumber), qPrintable(message));
    QVERIFY2(!m_log->text().contains(badNumber), qPrintable(m_log->text()));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(o.retries, 0);
}

void TestFaults::serverErrorTwiceThenSuccess()
{
    m_server->enqueue(apiError(500, "The server had an error", "server_error"));
    m_server->enqueue(apiError(500, "The server had an error", "server_error"));
    m_server->enqueue(FakeResponse::job(jobId, QStringLiteral("cancelled")));
    const Outcome o = cancel();
    QVERIFY2(o.result.isCancelled(), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(o.retries, 2);
    QCOMPARE(o.result.attempts, 3);
    QVERIFY(o.elapsedMs >= 1400); // 0.5 s + 1 s of backoff
    QVERIFY(m_log->text().contains(QStringLiteral("Retrying in 0.5 s (attempt 2 of 3): HTTP 500")));
    QVERIFY(m_log->text().contains(QStringLiteral("Retrying in 1.0 s (attempt 3 of 3): HTTP 500")));
}

void TestFaults::serverErrorWithShouldRetryFalse()
{
    m_server->enqueue(apiError(500, "Do not retry this", "server_error").withHeader("x-should-retry", "false"));
    const Outcome o = cancel();
    QCOMPARE(o.result.error.httpStatus, 500);
    QVERIFY(o.result.error.message.contains(QStringLiteral("service failed")));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(m_log->text().contains(QStringLiteral("x-should-retry: false")));
}

void TestFaults::badGatewayHtmlIsRetriedThenShown()
{
    FakeResponse html = FakeResponse::json(502, "<html><body>502 Bad Gateway</body></html>");
    html.contentType = "text/html";
    m_server->setHandler([html](const RecordedRequest&) { return html; });
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::Http);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("text/html")), qPrintable(o.result.error.message));
    QVERIFY2(o.result.error.message.contains(QStringLiteral("502 Bad Gateway")), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(o.result.attempts, 3);
}

void TestFaults::unavailableThenSuccess()
{
    m_server->enqueue(apiError(503, "Service unavailable", "server_error"));
    m_server->enqueue(FakeResponse::job(jobId, QStringLiteral("cancelled")));
    const Outcome o = cancel();
    QVERIFY(o.result.isCancelled());
    QCOMPARE(m_server->requestCount(), 2);
}

void TestFaults::neverAnswering()
{
    setConfig(1, 1);
    m_server->setHandler(
        [](const RecordedRequest&) { return FakeResponse().withBehavior(FakeResponse::Behavior::NeverAnswer); });
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::Timeout);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("No answer")), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 2); // first attempt and one retry
    QVERIFY2(o.elapsedMs >= 2000 && o.elapsedMs < 30000, qPrintable(QString::number(o.elapsedMs)));
}

void TestFaults::timeoutNamesTheTimeWaited()
{
    // The attempt's own timeout ends it, with a second of the deadline left: the message names the 3 seconds
    // waited, not what was left of the deadline.
    setConfig(0, 3, 4);
    m_server->enqueue(FakeResponse().withBehavior(FakeResponse::Behavior::NeverAnswer));
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::Timeout);
    QVERIFY2(o.result.error.message.startsWith(QStringLiteral("No answer from 127.0.0.1 within 3 seconds.")),
             qPrintable(o.result.error.message));
    QVERIFY2(!o.result.error.message.contains(QStringLiteral("deadline")), qPrintable(o.result.error.message));
    QVERIFY2(o.elapsedMs >= 2500 && o.elapsedMs < 30000, qPrintable(QString::number(o.elapsedMs)));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::deadlineCutsTheLastAttemptShort()
{
    // The retry starts about 1 s in with a 10 s timeout; the 4 s deadline ends it after about 3 s.
    setConfig(1, 10, 4);
    m_server->enqueue(
        apiError(429, "Rate limit reached", "requests", "rate_limit_exceeded").withHeader("retry-after-ms", "1000"));
    m_server->enqueue(FakeResponse().withBehavior(FakeResponse::Behavior::NeverAnswer));
    const Outcome o = cancel();
    const QString& message = o.result.error.message;
    QCOMPARE(o.result.error.kind, ApiError::Kind::Timeout);
    QVERIFY2(message.contains(QRegularExpression(QStringLiteral(
                 "^No answer from 127\\.0\\.0\\.1 within [23] seconds \\(the overall deadline of 4 seconds cut this "
                 "attempt short\\)\\."))),
             qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("10 seconds")), qPrintable(message));
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY2(o.elapsedMs >= 4000 && o.elapsedMs < 30000, qPrintable(QString::number(o.elapsedMs)));
}

void TestFaults::connectionResetBeforeTheBody()
{
    setConfig(0);
    m_server->setHandler(
        [](const RecordedRequest&) { return FakeResponse().withBehavior(FakeResponse::Behavior::CloseConnection); });
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::Network);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("closed the connection")),
             qPrintable(o.result.error.message));
    // Qt's HTTP layer itself sends a request once more when a connection closes before any byte of the answer.
    QCOMPARE(m_server->requestCount(), 2);
}

void TestFaults::connectionResetDuringTheBody()
{
    setConfig(0);
    FakeResponse half = FakeResponse::job(jobId, QStringLiteral("cancelled"));
    half.behavior = FakeResponse::Behavior::CloseMidBody;
    m_server->enqueue(half);
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::Network);
    QVERIFY(!o.result.isCancelled()); // half a job is not a success
    QVERIFY2(o.result.error.message.contains(QStringLiteral("broke before the whole answer")),
             qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::truncatedJson()
{
    m_server->enqueue(FakeResponse::json(200, R"({"id":"ftjob-fault1","object":"fine_tuning.job","sta)"));
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::BadResponse);
    QVERIFY(o.result.error.message.contains(QStringLiteral("not the API's JSON")));
    QVERIFY(o.result.error.message.contains(QStringLiteral("fine_tuning.job")));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::emptySuccess()
{
    m_server->enqueue(FakeResponse::json(200, QByteArray()));
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::BadResponse);
    QVERIFY(o.result.error.message.contains(QStringLiteral("empty body")));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::answerAboutAnotherJobIsNotSuccess_data()
{
    QTest::addColumn<QString>("answeredId");
    QTest::addColumn<QString>("shown"); // how the answered id appears in the message
    QTest::newRow("another job") << "ftjob-other2"
                                 << "ftjob-other2";
    QTest::newRow("differs only in case") << "ftjob-FAULT1"
                                          << "ftjob-FAULT1";
    // The answered id is the server's text: it passes the output gate (no escape reaches a terminal).
    QTest::newRow("escape sequence") << "ftjob-x\u001B[2J\u001B]0;owned\u0007"
                                     << "ftjob-x";
}

void TestFaults::answerAboutAnotherJobIsNotSuccess()
{
    QFETCH(QString, answeredId);
    QFETCH(QString, shown);
    m_server->enqueue(FakeResponse::job(answeredId, QStringLiteral("cancelled")));
    const Outcome o = cancel();
    const QString& message = o.result.error.message;
    QVERIFY(!o.result.isOk());
    QVERIFY(!o.result.isCancelled());
    QCOMPARE(o.result.error.kind, ApiError::Kind::BadResponse);
    QCOMPARE(o.result.error.httpStatus, 200);
    QVERIFY2(message.contains(QStringLiteral("another job: ") + shown), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("not ftjob-fault1")), qPrintable(message));
    QVERIFY2(!message.contains(QChar(0x1B)) && !message.contains(QChar(0x07)), qPrintable(message));
    QVERIFY(o.result.job.status.isEmpty()); // the other job's status is not shown as this one's
    QCOMPARE(m_server->requestCount(), 1); // not retried
    QVERIFY2(!m_log->text().contains(QStringLiteral("status: cancelled")), qPrintable(m_log->text()));
}

void TestFaults::answerWithoutAnIdIsTakenAsTheJob()
{
    m_server->enqueue(FakeResponse::json(200, R"({"object":"fine_tuning.job","status":"cancelled"})"));
    const Outcome o = cancel();
    QVERIFY2(o.result.isCancelled(), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::hugeBodyIsCutOff()
{
    FakeResponse huge = FakeResponse::json(200, QByteArray(64 * 1024 * 1024, 'x'));
    m_server->enqueue(huge);
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::BadResponse);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("too large")), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(o.elapsedMs < 30000);
}

void TestFaults::hugeBodyWithoutContentLengthIsCutOff_data()
{
    // No Content-Length to refuse up front: the cap must hold while reading.
    QTest::addColumn<bool>("chunked");
    QTest::newRow("chunked") << true;
    QTest::newRow("until the connection closes") << false;
}

void TestFaults::hugeBodyWithoutContentLengthIsCutOff()
{
    QFETCH(bool, chunked);
    setConfig(0);
    FakeResponse huge = FakeResponse::json(200, QByteArray(12 * 1024 * 1024, 'x'));
    if (chunked)
        huge.withChunkedBody();
    else
        huge.withBodyUntilClose();
    m_server->enqueue(huge);
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::BadResponse);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("too large (over 8 MiB)")),
             qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(o.elapsedMs >= 0 && o.elapsedMs < 30000);
}

void TestFaults::successOfAnotherContentTypeIsNotSuccess_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("text/html") << QByteArray("text/html; charset=utf-8");
    QTest::newRow("text/plain") << QByteArray("text/plain");
    QTest::newRow("octet-stream") << QByteArray("application/octet-stream");
}

void TestFaults::successOfAnotherContentTypeIsNotSuccess()
{
    // A captive portal or gateway that happens to send the right bytes with its own content type is not the API.
    QFETCH(QByteArray, contentType);
    FakeResponse job = FakeResponse::job(jobId, QStringLiteral("cancelled"));
    job.contentType = contentType;
    m_server->enqueue(job);
    const Outcome o = cancel();
    QVERIFY(!o.result.isOk());
    QVERIFY(!o.result.isCancelled());
    QCOMPARE(o.result.error.kind, ApiError::Kind::BadResponse);
    QVERIFY2(o.result.error.message.contains(QString::fromLatin1(contentType)), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::bodyShorterThanItsContentLength()
{
    // A whole, valid job arrives, but Content-Length promised more before the connection closed: the answer is cut,
    // whatever the bytes that came say.
    setConfig(0);
    FakeResponse job = FakeResponse::job(jobId, QStringLiteral("cancelled"));
    job.withHeader("Content-Length", QByteArray::number(job.body.size() + 64)).withHeader("Connection", "close");
    m_server->enqueue(job);
    const Outcome o = cancel();
    QVERIFY(!o.result.isCancelled());
    QCOMPARE(o.result.error.kind, ApiError::Kind::Network);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("sent HTTP 200 but the connection broke before the whole "
                                                            "answer arrived")),
             qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::slowDripHitsTheDeadline()
{
    setConfig(2, 5, 2);
    FakeResponse drip = FakeResponse::job(jobId, QStringLiteral("cancelled")).withDrip(1, 100);
    m_server->enqueue(drip);
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::Timeout);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("overall deadline of 2 seconds")),
             qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY2(o.elapsedMs >= 1900 && o.elapsedMs < 30000, qPrintable(QString::number(o.elapsedMs)));
}

void TestFaults::redirectToAnotherHostIsNotFollowed()
{
    FakeOpenAiServer elsewhere;
    QVERIFY(elsewhere.listen());
    const QByteArray location = elsewhere.baseUrl().toString().toLatin1() + "/fine_tuning/jobs/ftjob-fault1/cancel";
    m_server->enqueue(FakeResponse::json(307, QByteArray()).withHeader("location", location));
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::BadResponse);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("redirects to ") + QString::fromLatin1(location)),
             qPrintable(o.result.error.message));
    QVERIFY(o.result.error.message.contains(QStringLiteral("never sent")));
    QCOMPARE(m_server->requestCount(), 1);
    QTest::qWait(100);
    QCOMPARE(elsewhere.requestCount(), 0);
}

void TestFaults::alreadyCancelledAfterTimeoutIsSuccess()
{
    // The first attempt cancels the job but its answer never comes; the retry hears "already".
    setConfig(2, 1);
    m_server->enqueue(FakeResponse().withBehavior(FakeResponse::Behavior::NeverAnswer));
    m_server->enqueue(apiError(400, "Job has already completed: ftjob-fault1"));
    m_server->enqueue(FakeResponse::job(jobId, QStringLiteral("cancelled")));
    const Outcome o = cancel();
    QVERIFY2(o.result.isCancelled(), qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 3);
    const QList<RecordedRequest> requests = m_server->requests();
    QCOMPARE(requests.at(0).method, QByteArray("POST"));
    QCOMPARE(requests.at(1).method, QByteArray("POST"));
    QCOMPARE(requests.at(2).method, QByteArray("GET"));
    QCOMPARE(requests.at(2).target, QByteArray("/v1/fine_tuning/jobs/ftjob-fault1"));
    QVERIFY(m_log->text().contains(QStringLiteral("earlier attempt had already cancelled it")));
}

void TestFaults::alreadyFinishedAfterRetryShowsRealStatus()
{
    m_server->enqueue(apiError(500, "boom", "server_error"));
    m_server->enqueue(apiError(400, "Job has already completed: ftjob-fault1"));
    m_server->enqueue(FakeResponse::job(jobId, QStringLiteral("succeeded")));
    const Outcome o = cancel();
    QCOMPARE(o.result.error.kind, ApiError::Kind::Http);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("status now is \u201Csucceeded\u201D")),
             qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 3);
}

void TestFaults::stopDuringRetryWait()
{
    setConfig(2, 5, 120);
    m_server->enqueue(apiError(503, "busy", "server_error").withHeader("retry-after", "50"));
    QPointer<JobRequest> request = m_client->cancelJob(JobId::parse(jobId));
    QSignalSpy finished(request.data(), &JobRequest::finished);
    QSignalSpy retries(request.data(), &JobRequest::retryScheduled);
    QVERIFY(retries.wait(30000));
    QCOMPARE(retries.first().at(2).toInt(), 50000);
    QElapsedTimer timer;
    timer.start();
    request->abort();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QVERIFY(timer.elapsed() < 30000); // not the 50 s wait
    const JobResult result = finished.first().first().value<JobResult>();
    QCOMPARE(result.error.kind, ApiError::Kind::Stopped);
    QTest::qWait(100);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFaults::retryThatWouldPassTheDeadlineIsNotMade()
{
    // A wait the policy would make (at most 60 s) that would end past the 40 s deadline is not started.
    setConfig(2, 5, 40);
    m_server->enqueue(apiError(503, "busy", "server_error").withHeader("retry-after-ms", "45000"));
    const Outcome o = cancel();
    QVERIFY2(o.elapsedMs >= 0 && o.elapsedMs < 30000, qPrintable(QString::number(o.elapsedMs)));
    QCOMPARE(o.result.error.httpStatus, 503);
    QVERIFY2(o.result.error.message.contains(QStringLiteral("would pass the overall deadline")),
             qPrintable(o.result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
