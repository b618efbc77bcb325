#include "activitylog.h"
#include "fakeopenaiserver.h"
#include "finetuningclient.h"
#include "jobrequest.h"
#include "jobsimulator.h"
#include "tlshandshakeserver.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <functional>

// The API client against a real HTTP server on 127.0.0.1: what goes over the wire, and what an operator is told
// for each kind of answer.
class TestFineTuningClient final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sendsExactlyTheCancelRequest();
    void sendsOrganizationAndProjectOnlyWhenSet();
    void keepsBasePathPrefix();
    void queryInBaseUrlIsKeptWithoutQtWarnings();
    void encodesIdAsOneSegment();
    void outcomes_data();
    void outcomes();
    void timeoutEndsTheRequest();
    void stopEndsTheRequest();
    void closedConnectionIsANetworkError();
    void refusedConnectionSaysWhatToCheck();
    void invalidIdSendsNothing();
    void plainHttpToRemoteHostIsRefused();
    void logNamesEveryStepWithoutTheKey();
    void honoursProxyEnvironment();
    void proxyFailuresNameTheProxy_data();
    void proxyFailuresNameTheProxy();
    void badCertificatesAreNamedNeverIgnored_data();
    void badCertificatesAreNamedNeverIgnored();
    void sixteenRequestsGoOutAtOnceOverHttp1();
    void requestsAllowHttp2();

private:
    JobResult cancel(const QString& id, int waitMs = 60000); // the wait only guards against a hang

    FakeOpenAiServer* m_server = nullptr;
    FineTuningClient* m_client = nullptr;
    ActivityLog* m_log = nullptr;
    ApiConfig m_config;
};

static const QString testKey = QStringLiteral("sk-test-client-0") + QStringLiteral("123456789abcdefWXYZ");

void TestFineTuningClient::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_log = new ActivityLog(1000, this);
    m_client = new FineTuningClient(this);
    m_client->setLog(m_log);
    m_config = ApiConfig();
    m_config.baseUrl = m_server->baseUrl();
    m_config.apiKey = testKey;
    m_config.timeoutSeconds = 10;
    m_client->setConfig(m_config);
}

void TestFineTuningClient::cleanup()
{
    delete m_client;
    delete m_log;
    delete m_server;
}

JobResult TestFineTuningClient::cancel(const QString& id, int waitMs)
{
    QPointer<JobRequest> request = m_client->cancelJob(JobId::parse(id));
    QSignalSpy spy(request.data(), &JobRequest::finished);
    if (!spy.wait(waitMs))
        return JobResult();
    return spy.first().first().value<JobResult>();
}

void TestFineTuningClient::sendsExactlyTheCancelRequest()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-abc123"), QStringLiteral("cancelled")));
    const JobResult result = cancel(QStringLiteral("ftjob-abc123"));
    QVERIFY2(result.isOk(), qPrintable(result.error.message));

    QCOMPARE(m_server->requestCount(), 1);
    const RecordedRequest r = m_server->requests().first();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.target, QByteArray("/v1/fine_tuning/jobs/ftjob-abc123/cancel"));
    QCOMPARE(r.header("authorization"), "Bearer " + testKey.toUtf8());
    QCOMPARE(r.header("accept"), QByteArray("application/json"));
    QVERIFY(r.header("user-agent").startsWith("FtCancel/"));
    QVERIFY(!r.hasHeader("openai-organization"));
    QVERIFY(!r.hasHeader("openai-project"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json")); // as the official SDKs send, with no body
    QVERIFY(r.body.isEmpty());
    QCOMPARE(r.header("content-length").isEmpty() ? QByteArray("0") : r.header("content-length"), QByteArray("0"));
}

void TestFineTuningClient::sendsOrganizationAndProjectOnlyWhenSet()
{
    m_config.organization = QStringLiteral("org-abc");
    m_client->setConfig(m_config);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-1"), QStringLiteral("cancelled")));
    QVERIFY(cancel(QStringLiteral("ftjob-1")).isOk());
    QCOMPARE(m_server->requests().last().header("openai-organization"), QByteArray("org-abc"));
    QVERIFY(!m_server->requests().last().hasHeader("openai-project"));

    m_config.organization.clear();
    m_config.project = QStringLiteral("proj_xyz");
    m_client->setConfig(m_config);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-2"), QStringLiteral("cancelled")));
    QVERIFY(cancel(QStringLiteral("ftjob-2")).isOk());
    QVERIFY(!m_server->requests().last().hasHeader("openai-organization"));
    QCOMPARE(m_server->requests().last().header("openai-project"), QByteArray("proj_xyz"));
}

void TestFineTuningClient::keepsBasePathPrefix()
{
    QUrl base = m_server->baseUrl();
    base.setPath(QStringLiteral("/proxy/openai/v1/"));
    m_config.baseUrl = base;
    m_client->setConfig(m_config);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-abc"), QStringLiteral("cancelled")));
    QVERIFY(cancel(QStringLiteral("ftjob-abc")).isOk());
    QCOMPARE(m_server->requests().first().target, QByteArray("/proxy/openai/v1/fine_tuning/jobs/ftjob-abc/cancel"));
}

namespace {
// Qt's warnings (from any thread: QNAM's HTTP code runs in its own), recorded while a WarningRecorder lives.
QMutex warningsMutex;
QStringList recordedWarnings;
QtMessageHandler previousHandler = nullptr;

void recordWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type == QtWarningMsg) {
        QMutexLocker lock(&warningsMutex);
        recordedWarnings << message;
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

struct WarningRecorder
{
    WarningRecorder()
    {
        recordedWarnings.clear();
        previousHandler = qInstallMessageHandler(recordWarnings);
    }
    ~WarningRecorder() { qInstallMessageHandler(previousHandler); }
    QStringList warnings() const
    {
        QMutexLocker lock(&warningsMutex);
        return recordedWarnings;
    }
};
} // namespace

void TestFineTuningClient::queryInBaseUrlIsKeptWithoutQtWarnings()
{
    // Azure OpenAI needs ?api-version=… on every request. Qt warns on stderr about a POST without a content type
    // when the URL has a query; a normal cancel must print nothing.
    QUrl base = m_server->baseUrl();
    base.setQuery(QStringLiteral("api-version=2024-10-21"));
    m_config.baseUrl = base;
    m_client->setConfig(m_config);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-azure"), QStringLiteral("cancelled")));
    JobResult result;
    QStringList warnings;
    {
        WarningRecorder recorder;
        result = cancel(QStringLiteral("ftjob-azure"));
        warnings = recorder.warnings();
    }
    QVERIFY2(result.isCancelled(), qPrintable(result.error.message));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    QCOMPARE(m_server->requestCount(), 1);
    const RecordedRequest r = m_server->requests().first();
    QCOMPARE(r.target, QByteArray("/v1/fine_tuning/jobs/ftjob-azure/cancel?api-version=2024-10-21"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QVERIFY(r.body.isEmpty());
}

void TestFineTuningClient::encodesIdAsOneSegment()
{
    const QUrl base(QStringLiteral("https://api.openai.com/v1"));
    QCOMPARE(FineTuningClient::jobUrl(base, QStringLiteral("ftjob-abc"), QStringLiteral("cancel")).toString(),
             QStringLiteral("https://api.openai.com/v1/fine_tuning/jobs/ftjob-abc/cancel"));
    // Even if something unparsed got here, it could not leave its segment.
    const QUrl tricky = FineTuningClient::jobUrl(base, QStringLiteral("a/../../files?x=1#y"), QStringLiteral("cancel"));
    QCOMPARE(tricky.toString(QUrl::FullyEncoded),
             QStringLiteral("https://api.openai.com/v1/fine_tuning/jobs/a%2F..%2F..%2Ffiles%3Fx%3D1%23y/cancel"));
    QVERIFY(!tricky.hasQuery());
    QVERIFY(!tricky.hasFragment());
    // Dots are not encoded and Qt removes dot segments before sending: such ids get no URL at all.
    for (const char* dotted : {"..", ".", ".W", ".a/b"})
        QVERIFY2(!FineTuningClient::jobUrl(base, QString::fromLatin1(dotted), QStringLiteral("cancel")).isValid(),
                 dotted);
    QVERIFY(!FineTuningClient::jobUrl(base, QString(), QStringLiteral("cancel")).isValid());
}

void TestFineTuningClient::outcomes_data()
{
    QTest::addColumn<FakeResponse>("response");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("cancelled");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("shows"); // text the operator sees (status or message)

    const auto apiError = [](int status, const char* message, const char* type, const char* code) {
        return FakeResponse::apiError(status, QString::fromLatin1(message), QString::fromLatin1(type),
                                      QString::fromLatin1(code));
    };
    const int none = int(ApiError::Kind::None);
    const int http = int(ApiError::Kind::Http);
    const int bad = int(ApiError::Kind::BadResponse);

    QTest::newRow("200 cancelled") << FakeResponse::job(QStringLiteral("ftjob-abc123"), QStringLiteral("cancelled"))
                                   << true << true << none << "cancelled";
    QTest::newRow("200 cancelling") << FakeResponse::job(QStringLiteral("ftjob-abc123"), QStringLiteral("cancelling"))
                                    << true << false << none << "cancelling";
    QTest::newRow("200 running") << FakeResponse::job(QStringLiteral("ftjob-abc123"), QStringLiteral("running")) << true
                                 << false << none << "running";
    QTest::newRow("400 already completed")
        << apiError(400, "Job has already completed: ftjob-abc123", "invalid_request_error", "") << false << false
        << http << "already finished";
    QTest::newRow("401") << apiError(401, "Incorrect API key provided: sk-abc***wxyz.", "invalid_request_error",
                                     "invalid_api_key")
                         << false << false << http << "key was rejected";
    QTest::newRow("403") << apiError(403, "You have insufficient permissions for this operation.",
                                     "invalid_request_error", "training_not_available")
                         << false << false << http << "no permission";
    QTest::newRow("404") << apiError(404, "Could not find fine tune: ftjob-abc123", "invalid_request_error",
                                     "fine_tune_not_found")
                         << false << false << http << "No such job";
    QTest::newRow("429") << apiError(429, "Rate limit reached", "requests", "rate_limit_exceeded") << false << false
                         << http << "Rate limited";
    QTest::newRow("500") << apiError(500, "The server had an error", "server_error", "") << false << false << http
                         << "service failed";
    FakeResponse html = FakeResponse::json(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
    html.contentType = "text/html";
    QTest::newRow("502 html") << html << false << false << http << "text/html";
    QTest::newRow("malformed json") << FakeResponse::json(200, "{\"id\": \"ftjob-abc123\", \"status\": ") << false
                                    << false << bad << "not the API's JSON";
    QTest::newRow("empty body") << FakeResponse::json(200, QByteArray()) << false << false << bad << "empty body";
    QTest::newRow("json without status") << FakeResponse::json(200, "{\"id\":\"ftjob-abc123\"}") << false << false
                                         << bad << "no job status";
    QTest::newRow("json array") << FakeResponse::json(200, "[]") << false << false << bad << "not the API's JSON";
}

void TestFineTuningClient::outcomes()
{
    QFETCH(FakeResponse, response);
    QFETCH(bool, ok);
    QFETCH(bool, cancelled);
    QFETCH(int, kind);
    QFETCH(QString, shows);

    m_config.maxRetries = 0; // how one answer is read; retries have their own tests
    m_client->setConfig(m_config);
    response.withHeader("x-request-id", "req_test123");
    m_server->enqueue(response);
    const JobResult result = cancel(QStringLiteral("ftjob-abc123"));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(result.isOk(), ok);
    QCOMPARE(result.isCancelled(), cancelled);
    QCOMPARE(int(result.error.kind), kind);
    QCOMPARE(result.httpStatus, response.status);
    QCOMPARE(result.requestId, QStringLiteral("req_test123"));
    if (ok) {
        QCOMPARE(result.job.status, shows);
        QCOMPARE(result.job.id, QStringLiteral("ftjob-abc123"));
        QVERIFY(!result.job.model.isEmpty());
    } else {
        QVERIFY2(result.error.message.contains(shows, Qt::CaseInsensitive), qPrintable(result.error.message));
        QVERIFY2(result.error.message.contains(QString::number(response.status)), qPrintable(result.error.message));
    }
}

void TestFineTuningClient::timeoutEndsTheRequest()
{
    m_config.timeoutSeconds = 1;
    m_config.maxRetries = 0;
    m_client->setConfig(m_config);
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    m_server->enqueue(hang);
    QElapsedTimer timer;
    timer.start();
    const JobResult result = cancel(QStringLiteral("ftjob-abc123"));
    QCOMPARE(result.error.kind, ApiError::Kind::Timeout);
    QVERIFY2(result.error.message.contains(QStringLiteral("1 second")), qPrintable(result.error.message));
    QVERIFY2(timer.elapsed() >= 900 && timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestFineTuningClient::stopEndsTheRequest()
{
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    m_server->enqueue(hang);
    QPointer<JobRequest> request = m_client->cancelJob(JobId::parse(QStringLiteral("ftjob-abc123")));
    QSignalSpy spy(request.data(), &JobRequest::finished);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 1, 30000);
    request->abort();
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 30000);
    const JobResult result = spy.first().first().value<JobResult>();
    QCOMPARE(result.error.kind, ApiError::Kind::Stopped);
    QVERIFY(result.error.message.contains(QStringLiteral("Stopped")));
    QTRY_VERIFY_WITH_TIMEOUT(request.isNull(), 30000); // deletes itself
    QTest::qWait(100);
    QCOMPARE(spy.count(), 1); // exactly once
}

void TestFineTuningClient::closedConnectionIsANetworkError()
{
    m_config.maxRetries = 0;
    m_client->setConfig(m_config);
    FakeResponse close;
    close.behavior = FakeResponse::Behavior::CloseConnection;
    m_server->setHandler([close](const RecordedRequest&) { return close; });
    const JobResult result = cancel(QStringLiteral("ftjob-abc123"));
    QCOMPARE(result.error.kind, ApiError::Kind::Network);
    QCOMPARE(result.httpStatus, 0);
    QVERIFY2(result.error.message.contains(QStringLiteral("closed the connection")), qPrintable(result.error.message));
}

void TestFineTuningClient::refusedConnectionSaysWhatToCheck()
{
    m_config.maxRetries = 0;
    const QUrl base = m_server->baseUrl();
    delete m_server; // nothing listens on that port any more
    m_server = nullptr;
    m_config.baseUrl = base;
    m_client->setConfig(m_config);
    const JobResult result = cancel(QStringLiteral("ftjob-abc123"));
    QCOMPARE(result.error.kind, ApiError::Kind::Network);
    QVERIFY2(result.error.message.contains(QStringLiteral("refused")), qPrintable(result.error.message));
    QVERIFY2(result.error.message.contains(QStringLiteral("base URL")), qPrintable(result.error.message));
}

void TestFineTuningClient::invalidIdSendsNothing()
{
    const JobResult result = cancel(QStringLiteral("file-abc123"));
    QCOMPARE(result.error.kind, ApiError::Kind::Input);
    QVERIFY(result.error.message.contains(QStringLiteral("file id")));
    QTest::qWait(50);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestFineTuningClient::plainHttpToRemoteHostIsRefused()
{
    m_config.baseUrl = QUrl(QStringLiteral("http://api.example.com/v1"));
    m_client->setConfig(m_config);
    const JobResult result = cancel(QStringLiteral("ftjob-abc123"));
    QCOMPARE(result.error.kind, ApiError::Kind::Input);
    QVERIFY2(result.error.message.contains(QStringLiteral("clear text")), qPrintable(result.error.message));
}

void TestFineTuningClient::logNamesEveryStepWithoutTheKey()
{
    m_config.organization = QStringLiteral("org-logged");
    m_client->setConfig(m_config);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-abc123"), QStringLiteral("cancelled"))
                          .withHeader("x-request-id", "req_logged"));
    QVERIFY(cancel(QStringLiteral("ftjob-abc123")).isOk());
    const QString text = m_log->text();
    QVERIFY2(text.contains(QStringLiteral("\u2026WXYZ")), qPrintable(text)); // key shown by its last four only
    QVERIFY2(text.contains(QStringLiteral("org-logged")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("POST ") + m_server->baseUrl().toString()), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("HTTP 200")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("req_logged")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("status: cancelled")), qPrintable(text));
    QVERIFY(!text.contains(testKey));
    QVERIFY(!text.contains(testKey.mid(3, 20)));
}

void TestFineTuningClient::honoursProxyEnvironment()
{
    // The fake server plays an HTTPS proxy: the request must arrive as a CONNECT tunnel to the API host, so the key
    // travels inside TLS. (Qt never proxies loopback hosts, hence a name that is not one.)
    qputenv("HTTPS_PROXY", m_server->baseUrl().toString(QUrl::RemovePath).toUtf8());
    qputenv("NO_PROXY", "example.invalid");
    m_config.baseUrl = QUrl(QStringLiteral("https://api.openai.invalid/v1"));
    m_config.maxRetries = 0;
    m_client->setConfig(m_config);
    m_server->enqueue(FakeResponse::json(502, QByteArray()));
    const JobResult proxied = cancel(QStringLiteral("ftjob-proxied"));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->requests().first().method, QByteArray("CONNECT"));
    QCOMPARE(m_server->requests().first().target, QByteArray("api.openai.invalid:443"));
    QVERIFY(!m_server->requests().first().hasHeader("authorization"));
    QCOMPARE(proxied.error.kind, ApiError::Kind::Network);
    QVERIFY2(proxied.error.message.contains(QStringLiteral("proxy")), qPrintable(proxied.error.message));

    // NO_PROXY names the host: straight there (and no such host exists).
    qputenv("NO_PROXY", "api.openai.invalid");
    const JobResult direct = cancel(QStringLiteral("ftjob-direct"));
    qunsetenv("HTTPS_PROXY");
    qunsetenv("NO_PROXY");
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(direct.error.kind, ApiError::Kind::Network);
}

void TestFineTuningClient::proxyFailuresNameTheProxy_data()
{
    // How the proxy is set: "env" (HTTPS_PROXY, read through the system configuration FineTuningClient turns on) or
    // "application" (QNetworkProxy::setApplicationProxy in this process); both reach QNetworkAccessManager.
    QTest::addColumn<QString>("how");
    // The proxy: empty for the fake server playing one (answering CONNECT with `answer`), else a proxy URL.
    QTest::addColumn<QString>("proxyUrl");
    QTest::addColumn<FakeResponse>("answer");
    QTest::addColumn<int>("qtError"); // what Qt 6.4 reports
    QTest::addColumn<QString>("shows");

    const auto status = [](int code) {
        return FakeResponse::json(code, QByteArray());
    };
    const QString env = QStringLiteral("env");
    QTest::newRow("403") << env << QString() << status(403) << int(QNetworkReply::UnknownNetworkError)
                         << "refused the connection, or refused to open the way";
    QTest::newRow("407") << env << QString() << status(407).withHeader("Proxy-Authenticate", R"(Basic realm="corp")")
                         << int(QNetworkReply::ProxyAuthenticationRequiredError) << "asks for a login";
    QTest::newRow("502") << env << QString() << status(502) << int(QNetworkReply::UnknownNetworkError)
                         << "refused the connection, or refused to open the way";
    QTest::newRow("404") << env << QString() << status(404) << int(QNetworkReply::HostNotFoundError)
                         << "the proxy could not find api.example.invalid";
    QTest::newRow("503") << env << QString() << status(503) << int(QNetworkReply::ConnectionRefusedError)
                         << "could not open a connection to api.example.invalid";
    QTest::newRow("closes") << env << QString() << FakeResponse().withBehavior(FakeResponse::Behavior::CloseConnection)
                            << int(QNetworkReply::ProxyConnectionClosedError) << "closed the connection";
    QTest::newRow("never answers") << env << QString()
                                   << FakeResponse().withBehavior(FakeResponse::Behavior::NeverAnswer)
                                   << int(QNetworkReply::OperationCanceledError)
                                   << "No answer from api.example.invalid";
    QTest::newRow("403, application proxy") << QStringLiteral("application") << QString() << status(403)
                                            << int(QNetworkReply::UnknownNetworkError) << "refused the connection";
    // A proxy name that does not resolve: Qt says "Host api.example.invalid not found", as for the API's own name.
    QTest::newRow("proxy name not found")
        << env << QStringLiteral("http://proxy.example.invalid:3128") << FakeResponse()
        << int(QNetworkReply::HostNotFoundError) << "the proxy's own name was not found";
}

void TestFineTuningClient::proxyFailuresNameTheProxy()
{
    QFETCH(QString, how);
    QFETCH(QString, proxyUrl);
    QFETCH(FakeResponse, answer);
    QFETCH(int, qtError);
    QFETCH(QString, shows);

    // Only this test's proxy is in play, whatever the machine has; restored on the way out.
    const QList<QByteArray> names{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
                                  "ALL_PROXY",   "all_proxy",   "NO_PROXY",   "no_proxy"};
    QList<QPair<QByteArray, QByteArray>> saved;
    for (const QByteArray& name : names) {
        if (qEnvironmentVariableIsSet(name.constData()))
            saved.append({name, qgetenv(name.constData())});
        qunsetenv(name.constData());
    }
    const auto restore = qScopeGuard([saved] {
        QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::NoProxy));
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        qunsetenv("HTTPS_PROXY");
        for (const auto& variable : saved)
            qputenv(variable.first.constData(), variable.second);
    });

    const QUrl proxy = proxyUrl.isEmpty() ? m_server->baseUrl().adjusted(QUrl::RemovePath) : QUrl(proxyUrl);
    const QString proxyAddress = QStringLiteral("%1:%2").arg(proxy.host()).arg(proxy.port());
    if (how == QLatin1String("env"))
        qputenv("HTTPS_PROXY", proxy.toString().toUtf8());
    else
        QNetworkProxy::setApplicationProxy(
            QNetworkProxy(QNetworkProxy::HttpProxy, proxy.host(), quint16(proxy.port())));
    m_server->setHandler([answer](const RecordedRequest&) { return answer; });
    // Never resolved here: only the proxy would look it up.
    m_config.baseUrl = QUrl(QStringLiteral("https://api.example.invalid/v1"));
    m_config.maxRetries = 0;
    // Long enough for any answer on a busy machine; short where silence is the case under test.
    m_config.timeoutSeconds = answer.behavior == FakeResponse::Behavior::NeverAnswer ? 1 : 30;
    m_client->setConfig(m_config);
    const JobResult result = cancel(QStringLiteral("ftjob-proxied"));

    const QString& message = result.error.message;
    QCOMPARE(int(result.error.networkError), qtError);
    QCOMPARE(result.error.kind,
             qtError == QNetworkReply::OperationCanceledError ? ApiError::Kind::Timeout : ApiError::Kind::Network);
    QCOMPARE(result.httpStatus, 0);
    QVERIFY2(message.contains(QStringLiteral("through the proxy ") + proxyAddress), qPrintable(message));
    QVERIFY2(message.contains(shows), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("DNS")), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("not found")) || !message.contains(QStringLiteral("(Details")),
             qPrintable(message));
    if (proxyUrl.isEmpty()) {
        QVERIFY(m_server->requestCount() >= 1); // Qt sends CONNECT up to 4 times to a proxy that closes
        for (const RecordedRequest& request : m_server->requests()) {
            QCOMPARE(request.method, QByteArray("CONNECT"));
            QCOMPARE(request.target, QByteArray("api.example.invalid:443"));
            QVERIFY(!request.hasHeader("authorization")); // the key only ever travels inside the tunnel
        }
    }
}

void TestFineTuningClient::badCertificatesAreNamedNeverIgnored_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QStringList>("named");
    QTest::newRow("self-signed, wrong host")
        << "selfsigned-wrong-host" << QStringList{"self-signed", "host name did not match"};
    QTest::newRow("expired") << "expired-localhost" << QStringList{"expired"};
}

void TestFineTuningClient::badCertificatesAreNamedNeverIgnored()
{
    QFETCH(QString, certificate);
    QFETCH(QStringList, named);
    TlsHandshakeServer tls;
    const QString dir = QStringLiteral(FTCANCEL_TEST_DATA "/");
    QVERIFY(tls.setIdentity(dir + certificate + QStringLiteral(".crt"), dir + certificate + QStringLiteral(".key")));
    QVERIFY(tls.listen());
    m_config.baseUrl = tls.baseUrl();
    m_config.maxRetries = 0;
    m_config.timeoutSeconds = 30;
    m_client->setConfig(m_config);
    const JobResult result = cancel(QStringLiteral("ftjob-tls"));
    QCOMPARE(result.error.kind, ApiError::Kind::Network);
    QCOMPARE(result.error.networkError, QNetworkReply::SslHandshakeFailedError);
    QVERIFY2(result.error.message.contains(QStringLiteral("certificate was not accepted")),
             qPrintable(result.error.message));
    for (const QString& name : named)
        QVERIFY2(result.error.message.contains(name), qPrintable(result.error.message));
    QCOMPARE(tls.handshakesAttempted(), 1);
}

// Qt sends at most 6 requests at once to one host per QNetworkAccessManager over HTTP/1.1 and queues the rest: 16
// started together must all reach the server together (more than one manager), over connections that are reused.
void TestFineTuningClient::sixteenRequestsGoOutAtOnceOverHttp1()
{
    JobSimulator sim(m_server);
    sim.setLatency(200); // long enough that all 16 are seen in flight together, even on a loaded machine
    const QStringList ids = sim.addMany(64, {{QStringLiteral("running"), 1}});
    constexpr int inFlight = 16;
    int next = 0;
    int done = 0;
    std::function<void()> startNext = [&] {
        QPointer<JobRequest> request = m_client->cancelJob(JobId::parse(ids.at(next++)));
        connect(request, &JobRequest::finished, this, [&](const JobResult& result) {
            QVERIFY2(result.isOk(), qPrintable(result.error.message));
            ++done;
            if (next < ids.size())
                startNext();
        });
    };
    while (next < inFlight)
        startNext();
    QTRY_COMPARE_WITH_TIMEOUT(done, int(ids.size()), 60000);
    QCOMPARE(sim.requestCount(JobSimulator::RequestKind::Cancel), 64);
    QCOMPARE(sim.maxInFlight(), inFlight);
    // Connections are kept and reused: at most 6 for each manager it took (three for 16), not one per request.
    QVERIFY2(m_server->connectionCount() <= 3 * FineTuningClient::requestsPerManager,
             qPrintable(QString::number(m_server->connectionCount())));
}

void TestFineTuningClient::requestsAllowHttp2()
{
    // Over TLS the APIs offer HTTP/2, where one connection carries a whole batch at once (bench/run measures it
    // against a server that speaks it; Qt has none to test with here).
    const QNetworkRequest request
        = FineTuningClient::buildRequest(m_config, QUrl(QStringLiteral("https://api.example/v1/fine_tuning/jobs")));
    QVERIFY(request.attribute(QNetworkRequest::Http2AllowedAttribute).toBool());
    QVERIFY(!request.attribute(QNetworkRequest::Http2DirectAttribute).toBool());
}

QTEST_GUILESS_MAIN(TestFineTuningClient)
#include "tst_finetuningclient.moc"
