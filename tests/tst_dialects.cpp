#include "activitylog.h"
#include "cancelbatch.h"
#include "dialect.h"
#include "eventlister.h"
#include "fakeopenaiserver.h"
#include "finetuningclient.h"
#include "jobid.h"
#include "joblister.h"
#include "jobrequest.h"
#include "pagerequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

// Each provider's dialect: what the client sends on the wire to a local server (method, path, query, the auth header
// and the absence of every other provider's), how each provider's documented bodies and errors parse, which statuses
// are finished, how lists page to the end (a failing page too), and how the batch skips and watches by status class.
// Ids, the verdict and the gate: tst_dialectids.
class TestDialects final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void wire_data();
    void wire();
    void idIsOneSegmentForEveryProvider();
    void statusClasses_data();
    void statusClasses();
    void errors_data();
    void errors();
    void togetherJobParses();
    void mistralJobCarriesItsEvents();
    void mistralPagesToTheTotal();
    void mistralEmptyPageEndsTheList();
    void mistralFailingPageKeepsWhatWasRead();
    void togetherListIsOneRead();
    void mistralEventsComeFromTheJob();
    void batchWatchesAJobBeingCancelled();
    void batchSkipsAFinishedTogetherJobAndWatchesAStoppingOne();

private:
    ApiConfig config(Provider provider, const QString& apiVersion = QString(), const QString& endpointTail = QString());
    RecordedRequest send(const ApiConfig& config, const QString& operation, const QString& id);

    FakeOpenAiServer* m_server = nullptr;
    ActivityLog* m_log = nullptr;
};

Q_DECLARE_METATYPE(Provider)
Q_DECLARE_METATYPE(StatusClass)

namespace {
const QString testKey = QStringLiteral("sk-test-dialects-") + QStringLiteral("0123456789abcdefWXYZ");
const QString uuid = QStringLiteral("7d3e1c2a-5b4f-4e6d-9a8b-0c1d2e3f4a5b");
const QString togetherId = QStringLiteral("ft-3b883474-f39c-40d9-9d5a-7f97ba9eeb9f");

QByteArray mistralJob(const QString& id, const QString& status)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                     {QStringLiteral("status"), status},
                                     {QStringLiteral("model"), QStringLiteral("open-mistral-7b")},
                                     {QStringLiteral("created_at"), 1716963433}})
        .toJson(QJsonDocument::Compact);
}

QByteArray mistralPage(int first, int count, int total)
{
    QJsonArray data;
    for (int i = first; i < first + count; ++i)
        data.append(QJsonDocument::fromJson(
                        mistralJob(QStringLiteral("00000000-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0')),
                                   QStringLiteral("RUNNING")))
                        .object());
    QJsonObject o{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}};
    if (total >= 0)
        o.insert(QStringLiteral("total"), total);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
} // namespace

void TestDialects::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_log = new ActivityLog(1000, this);
}

void TestDialects::cleanup()
{
    delete m_log;
    delete m_server;
}

ApiConfig TestDialects::config(Provider provider, const QString& apiVersion, const QString& endpointTail)
{
    ApiConfig c;
    c.provider = provider;
    c.apiKey = testKey;
    // Organization and project are set for every provider: only OpenAI may send them.
    c.organization = QStringLiteral("org-dialects");
    c.project = QStringLiteral("proj_dialects");
    c.apiVersion = apiVersion;
    c.timeoutSeconds = 10;
    c.maxRetries = 0;
    QUrl base = m_server->baseUrl(); // http://127.0.0.1:<port>/v1
    if (provider == Provider::Azure)
        base.setPath(endpointTail); // the resource's endpoint, as pasted
    c.baseUrl = base;
    return c;
}

RecordedRequest TestDialects::send(const ApiConfig& c, const QString& operation, const QString& id)
{
    FineTuningClient client;
    client.setConfig(c);
    m_server->clearRequests();
    if (operation == QLatin1String("list") || operation == QLatin1String("events"))
        m_server->enqueue(FakeResponse::json(200, R"({"object":"list","data":[],"has_more":false,"total":0})"));
    else
        m_server->enqueue(FakeResponse::job(id, QStringLiteral("running")));
    const JobId::Parsed parsed = JobId::parse(id, c.provider);
    bool done = false;
    const auto finished = [&done] {
        done = true;
    };
    if (operation == QLatin1String("cancel"))
        connect(client.cancelJob(parsed), &JobRequest::finished, this, finished);
    else if (operation == QLatin1String("retrieve"))
        connect(client.retrieveJob(parsed), &JobRequest::finished, this, finished);
    else if (operation == QLatin1String("list"))
        connect(client.listJobs(id, 100), &PageRequest::finished, this, finished);
    else
        connect(client.listEvents(parsed, QString(), 10), &PageRequest::finished, this, finished);
    if (!QTest::qWaitFor([&done] { return done; }, 10000))
        return RecordedRequest();
    return m_server->requests().value(0);
}

namespace {
void row(const char* name, Provider p, const QString& version, const QString& tail, const char* op, const QString& id,
         const char* method, const QString& target)
{
    QTest::newRow(name) << p << version << tail << QString::fromLatin1(op) << id << QByteArray(method)
                        << target.toUtf8();
}

// OpenAI, and Azure in both styles with pasted endpoints.
void openAiAndAzureRows()
{
    const QString job = QStringLiteral("ftjob-abc123");
    row("openai cancel", Provider::OpenAI, {}, {}, "cancel", job, "POST", "/v1/fine_tuning/jobs/ftjob-abc123/cancel");
    row("openai retrieve", Provider::OpenAI, {}, {}, "retrieve", job, "GET", "/v1/fine_tuning/jobs/ftjob-abc123");
    row("openai list after", Provider::OpenAI, {}, {}, "list", job, "GET",
        "/v1/fine_tuning/jobs?limit=100&after=ftjob-abc123");
    row("openai events", Provider::OpenAI, {}, {}, "events", job, "GET",
        "/v1/fine_tuning/jobs/ftjob-abc123/events?limit=10");
    row("azure v1 cancel", Provider::Azure, QStringLiteral("v1"), {}, "cancel", job, "POST",
        "/openai/v1/fine_tuning/jobs/ftjob-abc123/cancel");
    row("azure default is v1", Provider::Azure, {}, QStringLiteral("/"), "cancel", job, "POST",
        "/openai/v1/fine_tuning/jobs/ftjob-abc123/cancel");
    row("azure v1 endpoint ending /openai", Provider::Azure, QStringLiteral("v1"), QStringLiteral("/openai"),
        "retrieve", job, "GET", "/openai/v1/fine_tuning/jobs/ftjob-abc123");
    row("azure v1 endpoint ending /openai/v1/", Provider::Azure, QStringLiteral("v1"), QStringLiteral("/openai/v1/"),
        "cancel", job, "POST", "/openai/v1/fine_tuning/jobs/ftjob-abc123/cancel");
    row("azure v1 list", Provider::Azure, QStringLiteral("v1"), {}, "list", QString(), "GET",
        "/openai/v1/fine_tuning/jobs?limit=100");
    row("azure v1 events", Provider::Azure, QStringLiteral("v1"), {}, "events", job, "GET",
        "/openai/v1/fine_tuning/jobs/ftjob-abc123/events?limit=10");
    row("azure dated cancel", Provider::Azure, QStringLiteral("2024-10-21"), {}, "cancel", job, "POST",
        "/openai/fine_tuning/jobs/ftjob-abc123/cancel?api-version=2024-10-21");
    row("azure dated endpoint ending /openai", Provider::Azure, QStringLiteral("2024-10-21"), QStringLiteral("/openai"),
        "retrieve", job, "GET", "/openai/fine_tuning/jobs/ftjob-abc123?api-version=2024-10-21");
    row("azure dated endpoint ending /openai/v1", Provider::Azure, QStringLiteral("2024-10-21"),
        QStringLiteral("/openai/v1"), "cancel", job, "POST",
        "/openai/fine_tuning/jobs/ftjob-abc123/cancel?api-version=2024-10-21");
    row("azure dated list", Provider::Azure, QStringLiteral("2024-10-21"), {}, "list", QString(), "GET",
        "/openai/fine_tuning/jobs?limit=100&api-version=2024-10-21");
    row("azure dated events", Provider::Azure, QStringLiteral("2024-10-21"), {}, "events", job, "GET",
        "/openai/fine_tuning/jobs/ftjob-abc123/events?api-version=2024-10-21&limit=10");
}

void togetherAndMistralRows()
{
    row("together cancel", Provider::Together, {}, {}, "cancel", togetherId, "POST",
        "/v1/fine-tunes/" + togetherId + "/cancel");
    row("together retrieve", Provider::Together, {}, {}, "retrieve", togetherId, "GET", "/v1/fine-tunes/" + togetherId);
    row("together list, unpaged", Provider::Together, {}, {}, "list", QString(), "GET", "/v1/fine-tunes");
    row("together events", Provider::Together, {}, {}, "events", togetherId, "GET",
        "/v1/fine-tunes/" + togetherId + "/events");
    row("mistral cancel", Provider::Mistral, {}, {}, "cancel", uuid, "POST",
        "/v1/fine_tuning/jobs/" + uuid + "/cancel");
    row("mistral retrieve", Provider::Mistral, {}, {}, "retrieve", uuid, "GET", "/v1/fine_tuning/jobs/" + uuid);
    row("mistral list, first page", Provider::Mistral, {}, {}, "list", QString(), "GET",
        "/v1/fine_tuning/jobs?page=0&page_size=100");
    row("mistral list, page 2", Provider::Mistral, {}, {}, "list", QStringLiteral("2"), "GET",
        "/v1/fine_tuning/jobs?page=2&page_size=100");
    row("mistral events are the job's", Provider::Mistral, {}, {}, "events", uuid, "GET",
        "/v1/fine_tuning/jobs/" + uuid);
}
} // namespace

void TestDialects::wire_data()
{
    QTest::addColumn<Provider>("provider");
    QTest::addColumn<QString>("apiVersion");
    QTest::addColumn<QString>("endpointTail");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");

    openAiAndAzureRows();
    togetherAndMistralRows();
}

void TestDialects::wire()
{
    QFETCH(Provider, provider);
    QFETCH(QString, apiVersion);
    QFETCH(QString, endpointTail);
    QFETCH(QString, operation);
    QFETCH(QString, id);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);

    const ApiConfig c = config(provider, apiVersion, endpointTail);
    QVERIFY2(c.problem().isEmpty(), qPrintable(c.problem()));
    const RecordedRequest sent = send(c, operation, id);
    QCOMPARE(sent.method, method);
    QCOMPARE(sent.target, target);
    const QByteArray key = testKey.toUtf8();
    if (provider == Provider::Azure) {
        QCOMPARE(sent.header("api-key"), key);
        QVERIFY2(!sent.hasHeader("authorization"), "an Azure key never goes out as Bearer");
    } else {
        QCOMPARE(sent.header("authorization"), "Bearer " + key);
        QVERIFY(!sent.hasHeader("api-key"));
    }
    if (provider == Provider::OpenAI) {
        QCOMPARE(sent.header("openai-organization"), QByteArray("org-dialects"));
        QCOMPARE(sent.header("openai-project"), QByteArray("proj_dialects"));
    } else {
        for (auto it = sent.headers.cbegin(); it != sent.headers.cend(); ++it)
            QVERIFY2(!it.key().startsWith("openai-"), it.key().constData());
    }
}

void TestDialects::idIsOneSegmentForEveryProvider()
{
    for (const Dialect* dialect : Dialect::all()) {
        for (const JobKind kind : dialect->kinds()) {
            const ApiConfig c = config(dialect->provider(), QString(), QStringLiteral("/"));
            const QUrl url = dialect->url(c, Dialect::Operation::Retrieve, QStringLiteral("a/../b?x#y"), kind);
            QVERIFY2(url.toString(QUrl::FullyEncoded).contains(QLatin1String("a%2F..%2Fb%3Fx%23y")),
                     qPrintable(url.toString(QUrl::FullyEncoded)));
            QVERIFY(!dialect->url(c, Dialect::Operation::Cancel, QStringLiteral(".."), kind).isValid());
        }
        const ApiConfig c = config(dialect->provider(), QString(), QStringLiteral("/"));
        const QUrl url = dialect->url(c, Dialect::Operation::Retrieve, QStringLiteral("a/../b?x#y"),
                                      dialect->kinds().constFirst());
        QVERIFY2(url.toString(QUrl::FullyEncoded).contains(QLatin1String("a%2F..%2Fb%3Fx%23y")),
                 qPrintable(url.toString(QUrl::FullyEncoded)));
        QVERIFY(!dialect->url(c, Dialect::Operation::Cancel, QString(), dialect->kinds().constFirst()).isValid());
    }
    // What a provider does not offer has no URL.
    const ApiConfig mistral = config(Provider::Mistral);
    QVERIFY(!Dialect::of(Provider::Mistral).url(mistral, Dialect::Operation::Pause, uuid).isValid());
    QVERIFY(!Dialect::of(Provider::Together).url(mistral, Dialect::Operation::Resume, togetherId).isValid());
    QVERIFY(Dialect::of(Provider::OpenAI).url(mistral, Dialect::Operation::Pause, uuid).isValid());
}

void TestDialects::statusClasses_data()
{
    QTest::addColumn<Provider>("provider");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<StatusClass>("expected");
    using S = StatusClass;
    const QList<std::tuple<Provider, const char*, S>> rows = {
        {Provider::OpenAI, "validating_files", S::Active},
        {Provider::OpenAI, "queued", S::Active},
        {Provider::OpenAI, "running", S::Active},
        {Provider::OpenAI, "pausing", S::Paused},
        {Provider::OpenAI, "paused", S::Paused},
        {Provider::OpenAI, "cancelling", S::Stopping},
        {Provider::OpenAI, "succeeded", S::Succeeded},
        {Provider::OpenAI, "failed", S::Failed},
        {Provider::OpenAI, "cancelled", S::Cancelled},
        {Provider::OpenAI, "completed", S::Unknown},
        {Provider::OpenAI, "SUCCESS", S::Unknown},
        {Provider::Azure, "created", S::Active},
        {Provider::Azure, "pending", S::Active},
        {Provider::Azure, "running", S::Active},
        {Provider::Azure, "validating_files", S::Active},
        {Provider::Azure, "queued", S::Active},
        {Provider::Azure, "paused", S::Paused},
        {Provider::Azure, "cancelling", S::Stopping},
        {Provider::Azure, "succeeded", S::Succeeded},
        {Provider::Azure, "failed", S::Failed},
        {Provider::Azure, "cancelled", S::Cancelled},
        {Provider::Azure, "deleted", S::Unknown},
        {Provider::Together, "pending", S::Active},
        {Provider::Together, "queued", S::Active},
        {Provider::Together, "running", S::Active},
        {Provider::Together, "compressing", S::Active},
        {Provider::Together, "uploading", S::Active},
        {Provider::Together, "cancel_requested", S::Stopping},
        {Provider::Together, "cancelled", S::Cancelled},
        {Provider::Together, "error", S::Failed},
        {Provider::Together, "completed", S::Succeeded},
        {Provider::Together, "succeeded", S::Unknown},
        {Provider::Mistral, "QUEUED", S::Active},
        {Provider::Mistral, "STARTED", S::Active},
        {Provider::Mistral, "VALIDATING", S::Active},
        {Provider::Mistral, "VALIDATED", S::Active},
        {Provider::Mistral, "RUNNING", S::Active},
        {Provider::Mistral, "CANCELLATION_REQUESTED", S::Stopping},
        {Provider::Mistral, "FAILED_VALIDATION", S::Failed},
        {Provider::Mistral, "FAILED", S::Failed},
        {Provider::Mistral, "SUCCESS", S::Succeeded},
        {Provider::Mistral, "CANCELLED", S::Cancelled},
        {Provider::Mistral, "running", S::Unknown},
        {Provider::Mistral, "TIMEOUT_EXCEEDED", S::Unknown},
    };
    for (const auto& [provider, raw, expected] : rows)
        QTest::addRow("%s %s", qPrintable(ProviderInfo::of(provider).key), raw)
            << provider << QString::fromLatin1(raw) << expected;
}

void TestDialects::statusClasses()
{
    QFETCH(Provider, provider);
    QFETCH(QString, raw);
    QFETCH(StatusClass, expected);
    QCOMPARE(Dialect::of(provider).statusClass(raw, JobKind::FineTuning), expected);
    // Through a parsed job: the raw word kept as it came, the class reasoned on; unknown is never finished.
    const QByteArray body
        = QJsonDocument(QJsonObject{{QStringLiteral("id"), QStringLiteral("x-1")}, {QStringLiteral("status"), raw}})
              .toJson(QJsonDocument::Compact);
    const JobResult r = Dialect::of(provider).parseJob(JobKind::FineTuning, 200, "application/json", body);
    QVERIFY(r.isOk());
    QCOMPARE(r.job.status, raw);
    QCOMPARE(r.job.statusClass, expected);
    QCOMPARE(r.job.provider, provider);
    QCOMPARE(r.job.isTerminal(), isFinished(expected));
    QCOMPARE(r.isCancelled(), expected == StatusClass::Cancelled);
    if (expected == StatusClass::Unknown || expected == StatusClass::Stopping)
        QVERIFY(!r.job.isTerminal());
}

void TestDialects::errors_data()
{
    QTest::addColumn<Provider>("provider");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("apiMessage");
    QTest::addColumn<QString>("apiCode");
    QTest::addColumn<QString>("apiType");

    QTest::newRow("openai") << Provider::OpenAI << 404
                            << QByteArray(
                                   R"({"error":{"message":"No such job: ftjob-x","type":"invalid_request_error",)"
                                   R"("param":"id","code":null}})")
                            << "No such job: ftjob-x" << QString() << "invalid_request_error";
    QTest::newRow("azure code word, no type")
        << Provider::Azure << 404
        << QByteArray(R"({"error":{"code":"NotFound","message":"The specified job ftjob-x was not found."}})")
        << "The specified job ftjob-x was not found."
        << "NotFound" << QString();
    QTest::newRow("together ErrorData")
        << Provider::Together << 400
        << QByteArray(R"({"error":{"message":"Job is not running","type":"invalid_request_error","param":null,)"
                      R"("code":null}})")
        << "Job is not running" << QString() << "invalid_request_error";
    QTest::newRow("mistral 422 HTTPValidationError")
        << Provider::Mistral << 422
        << QByteArray(R"({"detail":[{"loc":["path","job_id"],"msg":"Input should be a valid UUID",)"
                      R"("type":"uuid_parsing"}]})")
        << "path.job_id: Input should be a valid UUID" << QString() << QString();
    QTest::newRow("mistral detail string")
        << Provider::Mistral << 404 << QByteArray(R"({"detail":"Not Found"})") << "Not Found" << QString() << QString();
    QTest::newRow("mistral message object")
        << Provider::Mistral << 410
        << QByteArray(R"({"object":"error","message":"This endpoint is deprecated and has been removed.",)"
                      R"("type":"invalid_request_error","code":"3001"})")
        << "This endpoint is deprecated and has been removed."
        << "3001"
        << "invalid_request_error";
}

void TestDialects::errors()
{
    QFETCH(Provider, provider);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, apiMessage);
    QFETCH(QString, apiCode);
    QFETCH(QString, apiType);
    const JobResult r = Dialect::of(provider).parseJob(JobKind::FineTuning, status, "application/json", body);
    QCOMPARE(r.error.kind, ApiError::Kind::Http);
    QCOMPARE(r.error.httpStatus, status);
    QCOMPARE(r.error.apiMessage, apiMessage);
    QCOMPARE(r.error.apiCode, apiCode);
    QCOMPARE(r.error.apiType, apiType);
    QVERIFY2(r.error.message.contains(apiMessage), qPrintable(r.error.message));
    // A list's error reads the same way.
    const PageResult page
        = Dialect::of(provider).parsePage(Dialect::Page::Jobs, JobKind::FineTuning, status, "application/json", body);
    QCOMPARE(page.error.apiMessage, apiMessage);
}

void TestDialects::togetherJobParses()
{
    // The spec's FinetuneResponseTruncated example.
    const QByteArray body = R"({"id":"ft-01234567890123456789","status":"completed",)"
                            R"("created_at":"2023-05-17T17:35:45.123Z","updated_at":"2023-05-17T18:46:23.456Z",)"
                            R"("model":"meta-llama/Llama-2-7b-hf","model_output_name":"me/Llama-2-7b-hf-32162631",)"
                            R"("events":[]})";
    const JobResult r = Dialect::of(Provider::Together).parseJob(JobKind::FineTuning, 200, "application/json", body);
    QVERIFY(r.isOk());
    QCOMPARE(r.job.id, QStringLiteral("ft-01234567890123456789"));
    QCOMPARE(r.job.statusClass, StatusClass::Succeeded);
    QCOMPARE(r.job.createdAt, qint64(1684344945));
    QCOMPARE(r.job.model, QStringLiteral("meta-llama/Llama-2-7b-hf"));
    QCOMPARE(r.job.fineTunedModel, QStringLiteral("me/Llama-2-7b-hf-32162631"));
    // Its list is one {"data":[…]}, never "has more".
    const PageResult page = Dialect::of(Provider::Together)
                                .parsePage(Dialect::Page::Jobs, JobKind::FineTuning, 200, "application/json",
                                           R"({"data":[)" + body + R"(],"has_more":true})");
    QCOMPARE(page.jobs.size(), 1);
    QVERIFY(!page.hasMore);
}

void TestDialects::mistralJobCarriesItsEvents()
{
    const QByteArray body = R"({"id":")" + uuid.toUtf8()
        + R"(","status":"CANCELLATION_REQUESTED","model":"open-mistral-7b","created_at":1716963433,)"
          R"("events":[{"name":"status-updated","data":{"status":"RUNNING"},"created_at":1716963500},)"
          R"({"name":"status-updated","data":{"status":"CANCELLATION_REQUESTED"},"created_at":1716963600}]})";
    const Dialect& mistral = Dialect::of(Provider::Mistral);
    const JobResult r = mistral.parseJob(JobKind::FineTuning, 200, "application/json", body);
    QCOMPARE(r.job.statusClass, StatusClass::Stopping);
    QCOMPARE(r.job.createdAt, qint64(1716963433));
    const PageResult events
        = mistral.parsePage(Dialect::Page::Events, JobKind::FineTuning, 200, "application/json", body);
    QVERIFY(events.isOk());
    QCOMPARE(events.events.size(), 2);
    QCOMPARE(events.events.at(0).message, QStringLiteral("status-updated: status=RUNNING"));
    QCOMPARE(events.events.at(1).createdAt, qint64(1716963600));
    QVERIFY(!events.hasMore);
}

void TestDialects::mistralPagesToTheTotal()
{
    m_server->setHandler([](const RecordedRequest& request) {
        const int page = QUrlQuery(QUrl(QString::fromUtf8(request.target))).queryItemValue("page").toInt();
        return FakeResponse::json(200, mistralPage(page * 100, page < 2 ? 100 : 50, 250));
    });
    JobLister lister(config(Provider::Mistral), m_log);
    QSignalSpy done(&lister, &JobLister::finished);
    lister.start(10000);
    QVERIFY(done.wait(10000));
    QVERIFY2(!lister.error().isError(), qPrintable(lister.error().message));
    QCOMPARE(lister.jobs().size(), 250);
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(m_server->requests().at(2).target, QByteArray("/v1/fine_tuning/jobs?page=2&page_size=100"));
    QCOMPARE(lister.jobs().constFirst().provider, Provider::Mistral);
}

void TestDialects::mistralEmptyPageEndsTheList()
{
    m_server->setHandler([](const RecordedRequest& request) {
        const int page = QUrlQuery(QUrl(QString::fromUtf8(request.target))).queryItemValue("page").toInt();
        return FakeResponse::json(200, mistralPage(page * 100, page == 0 ? 100 : 0, -1));
    });
    JobLister lister(config(Provider::Mistral), m_log);
    QSignalSpy done(&lister, &JobLister::finished);
    lister.start(10000);
    QVERIFY(done.wait(10000));
    QVERIFY(!lister.error().isError());
    QCOMPARE(lister.jobs().size(), 100);
    QCOMPARE(m_server->requestCount(), 2);
}

void TestDialects::mistralFailingPageKeepsWhatWasRead()
{
    m_server->enqueue(FakeResponse::json(200, mistralPage(0, 100, 300)));
    m_server->enqueue(FakeResponse::json(500, R"({"detail":"Internal Server Error"})"));
    JobLister lister(config(Provider::Mistral), m_log);
    QSignalSpy done(&lister, &JobLister::finished);
    lister.start(10000);
    QVERIFY(done.wait(10000));
    QCOMPARE(lister.jobs().size(), 100);
    QCOMPARE(lister.error().httpStatus, 500);
    QCOMPARE(lister.error().apiMessage, QStringLiteral("Internal Server Error"));
}

void TestDialects::togetherListIsOneRead()
{
    m_server->enqueue(
        FakeResponse::json(200,
                           R"({"data":[{"id":"ft-1","status":"running"},{"id":"ft-2","status":"completed"},)"
                           R"({"id":"ft-3","status":"cancel_requested"}]})"));
    JobLister lister(config(Provider::Together), m_log);
    QSignalSpy done(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(done.wait(10000));
    QVERIFY(!lister.error().isError());
    QCOMPARE(lister.jobs().size(), 3);
    QCOMPARE(m_server->requestCount(), 1);
    QList<FineTuningJob> jobs = lister.jobs();
    JobLister::sortActiveFirst(jobs);
    // completed is finished; cancel_requested is not (it is watched until it is).
    QCOMPARE(jobs.constLast().id, QStringLiteral("ft-2"));
}

void TestDialects::mistralEventsComeFromTheJob()
{
    m_server->enqueue(FakeResponse::json(
        200,
        R"({"id":")" + uuid.toUtf8()
            + R"(","status":"RUNNING","events":[{"name":"status-updated","data":{"status":"RUNNING"},)"
              R"("created_at":1716963500}]})"));
    EventLister lister(config(Provider::Mistral), m_log);
    QSignalSpy done(&lister, &EventLister::finished);
    lister.start(JobId::parse(uuid, Provider::Mistral));
    QVERIFY(done.wait(10000));
    QVERIFY2(!lister.error().isError(), qPrintable(lister.error().message));
    QVERIFY(!lister.isUnsupported());
    QCOMPARE(lister.events().size(), 1);
    QVERIFY(!lister.hasMore());
    QCOMPARE(m_server->requests().at(0).target, ("/v1/fine_tuning/jobs/" + uuid).toUtf8());
}

void TestDialects::batchWatchesAJobBeingCancelled()
{
    // Mistral, no preview: the cancel hears "already being cancelled" (an earlier try did it), the read-back still
    // says RUNNING: accepted and watched, until CANCELLED.
    int reads = 0;
    m_server->setHandler([&reads](const RecordedRequest& request) {
        if (request.method == "POST")
            return FakeResponse::json(409, R"({"detail":"Job is already being cancelled"})");
        return FakeResponse::json(
            200, mistralJob(uuid, ++reads == 1 ? QStringLiteral("RUNNING") : QStringLiteral("CANCELLED")));
    });
    CancelBatch::Options options;
    options.preview = false;
    options.watchIntervalMs = 50;
    CancelBatch batch(config(Provider::Mistral), options, m_log);
    QCOMPARE(batch.addIds({JobId::parse(uuid, Provider::Mistral)}), 1);
    QSignalSpy finished(&batch, &CancelBatch::finished);
    QCOMPARE(batch.start(), QString());
    batch.confirm();
    QVERIFY(finished.wait(10000));
    QCOMPARE(batch.item(0).outcome, Outcome::Cancelled);
    QCOMPARE(batch.item(0).after().status, QStringLiteral("CANCELLED"));
    QCOMPARE(reads, 2); // one read-back, one watch
}

void TestDialects::batchSkipsAFinishedTogetherJobAndWatchesAStoppingOne()
{
    int watched = 0;
    m_server->setHandler([&watched](const RecordedRequest& request) {
        const QString status = request.path().contains("ft-done")   ? QStringLiteral("completed")
            : request.method == "POST"                              ? QStringLiteral("cancel_requested")
            : watched > 0 && request.path().contains("ft-stopping") ? QStringLiteral("cancelled")
                                                                    : QStringLiteral("running");
        if (request.method == "POST")
            ++watched;
        const QByteArray id = request.path().split('/').value(3);
        return FakeResponse::json(200, R"({"id":")" + id + R"(","status":")" + status.toUtf8() + R"("})");
    });
    CancelBatch::Options options;
    options.watchIntervalMs = 50;
    CancelBatch batch(config(Provider::Together), options, m_log);
    batch.addIds({JobId::parse(QStringLiteral("ft-done"), Provider::Together),
                  JobId::parse(QStringLiteral("ft-stopping"), Provider::Together)});
    QSignalSpy lookedUp(&batch, &CancelBatch::lookupFinished);
    QSignalSpy finished(&batch, &CancelBatch::finished);
    QCOMPARE(batch.start(), QString());
    QVERIFY(lookedUp.wait(10000));
    QCOMPARE(batch.item(0).outcome, Outcome::AlreadyFinished);
    batch.confirm();
    QVERIFY(finished.wait(10000));
    QCOMPARE(batch.item(1).outcome, Outcome::Cancelled);
    int posts = 0;
    for (const RecordedRequest& r : m_server->requests()) {
        posts += r.method == "POST" ? 1 : 0;
        QVERIFY2(!r.path().contains("ft-done/cancel"), r.target.constData());
    }
    QCOMPARE(posts, 1);
}

QTEST_GUILESS_MAIN(TestDialects)
#include "tst_dialects.moc"
