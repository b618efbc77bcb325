#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "simclient.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

#include <memory>

// The JobSimulator as Azure OpenAI: both addressing styles (v1 and dated with api-version), the api-key header,
// Azure's error shape ({"error":{"code","message"}}, no type), its ids and the dated FineTuningState words.
class TestSimAzure final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void endpointIsTheServerRoot();
    void cancelInBothStyles_data();
    void cancelInBothStyles();
    void datedStyleUsesFineTuningStateWords();
    void datedPathNeedsAnApiVersion_data();
    void datedPathNeedsAnApiVersion();
    void apiKeyIsTheAuth_data();
    void apiKeyIsTheAuth();
    void authorizationIsAnsweredButRecorded();
    void errorsHaveCodeAndNoType();
    void listPagesWithAfterAndAFailingPage();
    void eventsInBothStyles();
    void pauseOnlyInV1();
    void goneAnswersEveryEndpoint();
    void addManyGivesAzureIds();

private:
    static constexpr const char* kKey = "azure-key-0123456789";
    static constexpr const char* kDated = "?api-version=2024-10-21";
    std::unique_ptr<FakeOpenAiServer> m_server;
    std::unique_ptr<JobSimulator> m_sim;
    std::unique_ptr<SimClient> m_client;
};

void TestSimAzure::init()
{
    m_server = std::make_unique<FakeOpenAiServer>();
    QVERIFY(m_server->listen());
    m_sim = std::make_unique<JobSimulator>(m_server.get());
    m_sim->setProvider(Provider::Azure);
    m_client = std::make_unique<SimClient>(m_sim->baseUrl());
    m_client->setHeader("api-key", kKey);
}

void TestSimAzure::cleanup()
{
    m_client.reset();
    m_sim.reset();
    m_server.reset();
}

void TestSimAzure::endpointIsTheServerRoot()
{
    QCOMPARE(m_sim->provider(), Provider::Azure);
    QCOMPARE(m_sim->baseUrl().path(), QString());
    QCOMPARE(m_sim->baseUrl().port(), int(m_server->port()));
    // The OpenAI path is no Azure path.
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("running"));
    QCOMPARE(m_client->get(QStringLiteral("/v1/fine_tuning/jobs/ftjob-abc")).status, 404);
}

void TestSimAzure::cancelInBothStyles_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("query");
    QTest::newRow("v1") << QStringLiteral("/openai/v1/fine_tuning/jobs/") << QString();
    QTest::newRow("dated") << QStringLiteral("/openai/fine_tuning/jobs/") << QStringLiteral("api-version=2024-10-21");
}

void TestSimAzure::cancelInBothStyles()
{
    QFETCH(QString, prefix);
    QFETCH(QString, query);
    const QString id = QStringLiteral("ftjob-0123456789abcdef0123456789abcdef");
    m_sim->add(id, QStringLiteral("running"));
    const SimAnswer answer
        = m_client->post(prefix + id + QStringLiteral("/cancel") + (query.isEmpty() ? QString() : u'?' + query));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json.value(QStringLiteral("id")).toString(), id);
    QCOMPARE(answer.json.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    QCOMPARE(m_sim->job(id).status, QStringLiteral("cancelled"));

    const SimulatedRequest sent = m_sim->lastRequest();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, prefix + id + QStringLiteral("/cancel"));
    QCOMPARE(sent.query, query);
    QCOMPARE(sent.kind, int(JobSimulator::RequestKind::Cancel));
    QCOMPARE(sent.jobId, id);
    QCOMPARE(sent.status, 200);
    QCOMPARE(sent.header("API-Key"), QByteArray(kKey));
    QVERIFY(!sent.hasHeader("authorization"));
    QCOMPARE(m_sim->cancelRequestCount(id), 1);
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::Cancel).size(), 1);

    // A second cancel of the now finished job is refused in Azure's words.
    const SimAnswer again
        = m_client->post(prefix + id + QStringLiteral("/cancel") + (query.isEmpty() ? QString() : u'?' + query));
    QCOMPARE(again.status, 400);
    QCOMPARE(again.json[QStringLiteral("error")][QStringLiteral("code")].toString(),
             QStringLiteral("unexpectedEntityState"));
}

void TestSimAzure::datedStyleUsesFineTuningStateWords()
{
    m_sim->add(QStringLiteral("ftjob-q"), QStringLiteral("queued"));
    m_sim->add(QStringLiteral("ftjob-v"), QStringLiteral("validating_files"));
    m_sim->add(QStringLiteral("ftjob-r"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-c"), QStringLiteral("created"));
    const auto status = [this](const QString& path) {
        return m_client->get(path).json.value(QStringLiteral("status")).toString();
    };
    QCOMPARE(status(QStringLiteral("/openai/fine_tuning/jobs/ftjob-q") + kDated), QStringLiteral("pending"));
    QCOMPARE(status(QStringLiteral("/openai/fine_tuning/jobs/ftjob-v") + kDated), QStringLiteral("pending"));
    QCOMPARE(status(QStringLiteral("/openai/fine_tuning/jobs/ftjob-r") + kDated), QStringLiteral("running"));
    QCOMPARE(status(QStringLiteral("/openai/fine_tuning/jobs/ftjob-c") + kDated), QStringLiteral("created"));
    QCOMPARE(status(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-q")), QStringLiteral("queued"));
    QCOMPARE(status(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-v")), QStringLiteral("validating_files"));
    // created is not one the simulator knows as a phase: like any unknown status it is not finished.
    QCOMPARE(m_sim->phaseOf(QStringLiteral("created")), JobSimulator::Phase::Unknown);
    QCOMPARE(m_client->post(QStringLiteral("/openai/fine_tuning/jobs/ftjob-c/cancel") + kDated).status, 200);
}

void TestSimAzure::datedPathNeedsAnApiVersion_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("none") << QString();
    QTest::newRow("empty") << QStringLiteral("?api-version=");
    QTest::newRow("not a date") << QStringLiteral("?api-version=latest");
}

void TestSimAzure::datedPathNeedsAnApiVersion()
{
    QFETCH(QString, query);
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("running"));
    const SimAnswer answer = m_client->post(QStringLiteral("/openai/fine_tuning/jobs/ftjob-abc/cancel") + query);
    QCOMPARE(answer.status, 404);
    QCOMPARE(answer.json[QStringLiteral("error")][QStringLiteral("code")].toString(), QStringLiteral("404"));
    QCOMPARE(answer.json[QStringLiteral("error")][QStringLiteral("message")].toString(),
             QStringLiteral("Resource not found"));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-abc")).status, QStringLiteral("running"));
    // A preview version is a version.
    QCOMPARE(m_client->get(QStringLiteral("/openai/fine_tuning/jobs/ftjob-abc?api-version=2025-04-01-preview")).status,
             200);
}

void TestSimAzure::apiKeyIsTheAuth_data()
{
    QTest::addColumn<QByteArray>("apiKey");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("none") << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("bearer only") << QByteArray() << QByteArray("Bearer ") + kKey << QByteArray();
    QTest::newRow("short") << QByteArray("abc") << QByteArray() << QByteArray();
    QTest::newRow("wrong key") << QByteArray("azure-other-key") << QByteArray() << QByteArray(kKey);
}

void TestSimAzure::apiKeyIsTheAuth()
{
    QFETCH(QByteArray, apiKey);
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, expected);
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("running"));
    m_sim->setExpectedKey(expected);
    m_client->setHeader("api-key", apiKey);
    m_client->setHeader("Authorization", authorization);
    for (const QString& path : {QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-abc/cancel"),
                                QStringLiteral("/openai/fine_tuning/jobs/ftjob-abc/cancel") + kDated}) {
        const SimAnswer answer = m_client->post(path);
        QCOMPARE(answer.status, 401);
        const QJsonObject error = answer.json.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("401"));
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(QLatin1String("invalid subscription key")));
        QVERIFY(!error.contains(QStringLiteral("type")));
    }
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-abc")).status, QStringLiteral("running"));
    m_client->setHeader("api-key", kKey);
    QCOMPARE(m_client->post(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-abc/cancel")).status, 200);
}

void TestSimAzure::authorizationIsAnsweredButRecorded()
{
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("running"));
    m_client->setHeader("Authorization", "Bearer sk-leaked");
    m_client->setHeader("OpenAI-Organization", "org-x");
    QCOMPARE(m_client->get(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-abc")).status, 200);
    const SimulatedRequest sent = m_sim->lastRequest();
    QVERIFY(sent.hasHeader("Authorization"));
    QCOMPARE(sent.header("authorization"), QByteArray("Bearer sk-leaked"));
    QCOMPARE(sent.header("openai-organization"), QByteArray("org-x"));
    QVERIFY(sent.hasHeader("api-key"));
}

void TestSimAzure::errorsHaveCodeAndNoType()
{
    const SimAnswer answer = m_client->get(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-missing"));
    QCOMPARE(answer.status, 404);
    const QJsonObject error = answer.json.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("NotFound"));
    QVERIFY(error.value(QStringLiteral("message")).toString().contains(QLatin1String("ftjob-missing")));
    QVERIFY(!error.contains(QStringLiteral("type")));
    const FakeResponse conflict = m_sim->errorResponse(409, QStringLiteral("busy"));
    QCOMPARE(conflict.status, 409);
    QVERIFY(conflict.body.contains("\"code\":\"invalidPayload\""));
    QVERIFY(!conflict.body.contains("\"type\""));
}

void TestSimAzure::listPagesWithAfterAndAFailingPage()
{
    const QStringList ids = m_sim->addMany(7);
    m_sim->failListPage(2, 1, m_sim->errorResponse(500, QStringLiteral("page two broke")));
    for (const QString& prefix : {QStringLiteral("/openai/v1/fine_tuning/jobs?limit=3"),
                                  QStringLiteral("/openai/fine_tuning/jobs?limit=3&api-version=2024-10-21")}) {
        QStringList seen;
        QString after;
        bool failedOnce = false;
        for (int guard = 0; guard < 10; ++guard) {
            const SimAnswer page
                = m_client->get(prefix + (after.isEmpty() ? QString() : QStringLiteral("&after=") + after));
            if (page.status == 500) {
                QVERIFY(!failedOnce);
                QCOMPARE(seen.size(), 3); // the second page failed
                QVERIFY(page.json[QStringLiteral("error")][QStringLiteral("message")].toString()
                        == QLatin1String("page two broke"));
                failedOnce = true;
                continue; // the same page again
            }
            QCOMPARE(page.status, 200);
            QCOMPARE(page.json.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
            const QJsonArray data = page.json.value(QStringLiteral("data")).toArray();
            for (const QJsonValue& job : data)
                seen.append(job[QStringLiteral("id")].toString());
            after = seen.constLast();
            if (!page.json.value(QStringLiteral("has_more")).toBool())
                break;
        }
        QCOMPARE(seen, m_sim->jobIds());
        QCOMPARE(seen.size(), ids.size());
        m_sim->failListPage(2, 1, m_sim->errorResponse(500, QStringLiteral("page two broke")));
    }
}

void TestSimAzure::eventsInBothStyles()
{
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("running"));
    const SimAnswer v1 = m_client->get(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-abc/events?limit=2"));
    QCOMPARE(v1.status, 200);
    QCOMPARE(v1.json.value(QStringLiteral("data")).toArray().size(), 2);
    QVERIFY(v1.json.value(QStringLiteral("has_more")).toBool());
    const SimAnswer dated
        = m_client->get(QStringLiteral("/openai/fine_tuning/jobs/ftjob-abc/events?api-version=2024-10-21"));
    QCOMPARE(dated.status, 200);
    QCOMPARE(dated.json.value(QStringLiteral("data")).toArray().size(),
             m_sim->job(QStringLiteral("ftjob-abc")).events.size());
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::Events).size(), 2);
}

void TestSimAzure::pauseOnlyInV1()
{
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("running"));
    QCOMPARE(m_client->post(QStringLiteral("/openai/fine_tuning/jobs/ftjob-abc/pause") + kDated).status, 404);
    const SimAnswer paused = m_client->post(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-abc/pause"));
    QCOMPARE(paused.status, 200);
    QCOMPARE(paused.json.value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
}

void TestSimAzure::goneAnswersEveryEndpoint()
{
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("running"));
    m_sim->setGone(404, QStringLiteral("Fine-tuning is not available for this resource."));
    for (const QString& path :
         {QStringLiteral("/openai/v1/fine_tuning/jobs"), QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-abc"),
          QStringLiteral("/openai/fine_tuning/jobs/ftjob-abc/events") + kDated}) {
        const SimAnswer answer = m_client->get(path);
        QCOMPARE(answer.status, 404);
        QCOMPARE(answer.json[QStringLiteral("error")][QStringLiteral("message")].toString(),
                 QStringLiteral("Fine-tuning is not available for this resource."));
        QCOMPARE(answer.json[QStringLiteral("error")][QStringLiteral("code")].toString(), QStringLiteral("NotFound"));
    }
    QCOMPARE(m_client->post(QStringLiteral("/openai/v1/fine_tuning/jobs/ftjob-abc/cancel")).status, 404);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-abc")).status, QStringLiteral("running"));
    m_client->setHeader("api-key", QByteArray()); // the key is still checked first
    QCOMPARE(m_client->get(QStringLiteral("/openai/v1/fine_tuning/jobs")).status, 401);
    m_client->setHeader("api-key", kKey);
    m_sim->setGone(0, QString());
    QCOMPARE(m_client->get(QStringLiteral("/openai/v1/fine_tuning/jobs")).status, 200);
}

void TestSimAzure::addManyGivesAzureIds()
{
    const QStringList ids = m_sim->addMany(100);
    QCOMPARE(ids.size(), 100);
    static const QRegularExpression shape(QStringLiteral("^ftjob-[0-9a-f]{32}$"));
    QSet<QString> statuses;
    for (const QString& id : ids) {
        QVERIFY2(shape.match(id).hasMatch(), qPrintable(id));
        statuses.insert(m_sim->job(id).status);
    }
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 100);
    QVERIFY(statuses.contains(QStringLiteral("running")));
    QVERIFY(statuses.contains(QStringLiteral("succeeded")));
    QVERIFY(statuses.contains(JobSimulator::unknownStatus(Provider::Azure)));
}

QTEST_GUILESS_MAIN(TestSimAzure)
#include "tst_simazure.moc"
