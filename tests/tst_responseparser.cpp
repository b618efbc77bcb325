#include "responseparser.h"

#include <QTest>

// Lenient parsing of what comes back: odd but valid jobs are shown as they are; anything that is not a job is
// never reported as success.
class TestResponseParser final : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
};

void TestResponseParser::parse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("jobStatus");
    QTest::addColumn<QString>("messageContains");

    const QByteArray json = "application/json";
    QTest::newRow("full job") << 200 << json
                              << QByteArray(R"({"id":"ftjob-a","object":"fine_tuning.job","status":"cancelled",)"
                                            R"("model":"gpt-4o-mini","created_at":1721764800,"error":null,)"
                                            R"("hyperparameters":{"n_epochs":3}})")
                              << true << "cancelled" << QString();
    QTest::newRow("empty error object") << 200 << json << QByteArray(R"({"id":"ftjob-a","status":"failed","error":{}})")
                                        << true << "failed" << QString();
    QTest::newRow("null hyperparameters")
        << 200 << json << QByteArray(R"({"id":"ftjob-a","status":"failed","hyperparameters":null})") << true << "failed"
        << QString();
    QTest::newRow("unknown status") << 200 << json << QByteArray(R"({"id":"ftjob-a","status":"paused"})") << true
                                    << "paused" << QString();
    QTest::newRow("only status") << 200 << json << QByteArray(R"({"status":"cancelled"})") << true << "cancelled"
                                 << QString();
    QTest::newRow("status not a string") << 200 << json << QByteArray(R"({"id":"ftjob-a","status":7})") << false
                                         << QString() << "no job status";
    QTest::newRow("html 200") << 200 << QByteArray("text/html") << QByteArray("<html>captive portal</html>") << false
                              << QString() << "captive portal";
    QTest::newRow("job json, html type") << 200 << QByteArray("text/html; charset=utf-8")
                                         << QByteArray(R"({"id":"ftjob-a","status":"cancelled"})") << false << QString()
                                         << "text/html";
    QTest::newRow("job json, plain text type")
        << 200 << QByteArray("text/plain") << QByteArray(R"({"id":"ftjob-a","status":"cancelled"})") << false
        << QString() << "text/plain";
    QTest::newRow("truncated") << 200 << json << QByteArray(R"({"id":"ftjob-a","sta)") << false << QString()
                               << "not the API's JSON";
    QTest::newRow("redirect") << 302 << QByteArray("text/html") << QByteArray() << false << QString() << "302";
    QTest::newRow("error with string") << 500 << json << QByteArray(R"({"error":"boom"})") << false << QString()
                                       << "boom";
    QTest::newRow("error empty object") << 400 << json << QByteArray(R"({"error":{}})") << false << QString()
                                        << "HTTP 400";
    QTest::newRow("503 text") << 503 << QByteArray("text/plain") << QByteArray("upstream connect error") << false
                              << QString() << "upstream connect error";
}

void TestResponseParser::parse()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QString, jobStatus);
    QFETCH(QString, messageContains);
    const JobResult r = ResponseParser::parseJob(status, contentType, body);
    QCOMPARE(r.isOk(), ok);
    QCOMPARE(r.httpStatus, status);
    if (ok) {
        QCOMPARE(r.job.status, jobStatus);
    } else {
        QVERIFY2(r.error.message.contains(messageContains), qPrintable(r.error.message));
        QVERIFY(!r.isCancelled());
    }
}

QTEST_GUILESS_MAIN(TestResponseParser)
#include "tst_responseparser.moc"
