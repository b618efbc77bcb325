#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "simclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <memory>

// The JobSimulator as Together AI: /v1/fine-tunes, Bearer auth, ft-<uuid> ids, its nine statuses, a cancel that goes
// through cancel_requested, an unpaged list and events ({"data":[…]}), ISO timestamps, ErrorData errors.
class TestSimTogether final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void retrieveAndCancelPaths();
    void cancelGoesThroughCancelRequested();
    void cancelImmediateWhenAsked();
    void cancelFinishedIsRefused_data();
    void cancelFinishedIsRefused();
    void unknownStatusCanBeCancelled();
    void statusPhases_data();
    void statusPhases();
    void bearerIsTheAuth_data();
    void bearerIsTheAuth();
    void openAiPathsAreNotTogethers();
    void listIsUnpagedAndCanFail();
    void eventsAreOneList();
    void goneAnswersEveryEndpoint();
    void addManyGivesTogetherIds();

private:
    static constexpr const char* kKey = "together-key-0123456789";
    std::unique_ptr<FakeOpenAiServer> m_server;
    std::unique_ptr<JobSimulator> m_sim;
    std::unique_ptr<SimClient> m_client;
};

namespace {
const QString kId = QStringLiteral("ft-3f293743-e1a9-4f50-a68e-4ef58eea184d");
}

void TestSimTogether::init()
{
    m_server = std::make_unique<FakeOpenAiServer>();
    QVERIFY(m_server->listen());
    m_sim = std::make_unique<JobSimulator>(m_server.get());
    m_sim->setProvider(Provider::Together);
    QCOMPARE(m_sim->baseUrl().path(), QStringLiteral("/v1"));
    m_client = std::make_unique<SimClient>(m_sim->baseUrl());
    m_client->setHeader("Authorization", QByteArray("Bearer ") + kKey);
}

void TestSimTogether::cleanup()
{
    m_client.reset();
    m_sim.reset();
    m_server.reset();
}

void TestSimTogether::retrieveAndCancelPaths()
{
    m_sim->add(kId, QStringLiteral("running"));
    const SimAnswer job = m_client->get(QStringLiteral("/fine-tunes/") + kId);
    QCOMPARE(job.status, 200);
    QCOMPARE(job.json.value(QStringLiteral("id")).toString(), kId);
    QCOMPARE(job.json.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(job.json.value(QStringLiteral("model")).toString(),
             QStringLiteral("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));
    const QDateTime created
        = QDateTime::fromString(job.json.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
    QCOMPARE(created, QDateTime::fromSecsSinceEpoch(m_sim->job(kId).createdAt, Qt::UTC));
    QVERIFY(job.json.value(QStringLiteral("updated_at")).isString());
    QCOMPARE(m_sim->lastRequest().method, QByteArray("GET"));
    QCOMPARE(m_sim->lastRequest().path, QStringLiteral("/v1/fine-tunes/") + kId);
    QCOMPARE(m_sim->lastRequest().kind, int(JobSimulator::RequestKind::Retrieve));

    QCOMPARE(m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel")).status, 200);
    const SimulatedRequest sent = m_sim->lastRequest();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QStringLiteral("/v1/fine-tunes/") + kId + QStringLiteral("/cancel"));
    QCOMPARE(sent.query, QString());
    QCOMPARE(sent.header("authorization"), QByteArray("Bearer ") + kKey);
    QVERIFY(!sent.hasHeader("openai-organization"));
    QCOMPARE(m_sim->cancelRequestCount(kId), 1);
    // GET on the cancel path, or POST on the job, is no request Together knows.
    QCOMPARE(m_client->get(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel")).status, 404);
    QCOMPARE(m_client->post(QStringLiteral("/fine-tunes/") + kId).status, 404);
}

void TestSimTogether::cancelGoesThroughCancelRequested()
{
    m_sim->add(kId, QStringLiteral("running"));
    m_sim->setCancellingReads(2);
    const SimAnswer cancel = m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel"));
    QCOMPARE(cancel.json.value(QStringLiteral("status")).toString(), QStringLiteral("cancel_requested"));
    QCOMPARE(m_sim->phaseOf(QStringLiteral("cancel_requested")), JobSimulator::Phase::Stopping);
    // A second cancel while it stops changes nothing.
    QCOMPARE(m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel"))
                 .json.value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("cancel_requested"));
    const auto read = [this] {
        return m_client->get(QStringLiteral("/fine-tunes/") + kId).json.value(QStringLiteral("status")).toString();
    };
    QCOMPARE(read(), QStringLiteral("cancel_requested"));
    QCOMPARE(read(), QStringLiteral("cancel_requested"));
    QCOMPARE(read(), QStringLiteral("cancelled"));
    QCOMPARE(read(), QStringLiteral("cancelled"));
    // The events tell the story in Together's event types.
    const QJsonArray events = m_client->get(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/events"))
                                  .json[QStringLiteral("data")]
                                  .toArray();
    QStringList types;
    for (const QJsonValue& event : events)
        types.append(event[QStringLiteral("type")].toString());
    QVERIFY2(types.contains(QStringLiteral("cancel_requested")), qPrintable(types.join(u',')));
    QCOMPARE(types.constLast(), QStringLiteral("job_stopped"));
}

void TestSimTogether::cancelImmediateWhenAsked()
{
    m_sim->setCancelMode(JobSimulator::CancelMode::Immediate);
    m_sim->add(kId, QStringLiteral("queued"));
    QCOMPARE(m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel"))
                 .json.value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("cancelled"));
}

void TestSimTogether::cancelFinishedIsRefused_data()
{
    QTest::addColumn<QString>("status");
    QTest::newRow("completed") << QStringLiteral("completed");
    QTest::newRow("error") << QStringLiteral("error");
    QTest::newRow("cancelled") << QStringLiteral("cancelled");
}

void TestSimTogether::cancelFinishedIsRefused()
{
    QFETCH(QString, status);
    m_sim->add(kId, status);
    const SimAnswer answer = m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel"));
    QCOMPARE(answer.status, 400);
    const QJsonObject error = answer.json.value(QStringLiteral("error")).toObject();
    QVERIFY(error.value(QStringLiteral("message")).toString().contains(kId));
    QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(m_sim->job(kId).status, status);
}

void TestSimTogether::unknownStatusCanBeCancelled()
{
    m_sim->add(kId, QStringLiteral("preempted"));
    QCOMPARE(m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel")).status, 200);
    QCOMPARE(m_sim->job(kId).status, QStringLiteral("cancel_requested"));
}

void TestSimTogether::statusPhases_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<JobSimulator::Phase>("phase");
    using P = JobSimulator::Phase;
    QTest::newRow("pending") << QStringLiteral("pending") << P::Validating;
    QTest::newRow("queued") << QStringLiteral("queued") << P::Queued;
    QTest::newRow("running") << QStringLiteral("running") << P::Running;
    QTest::newRow("compressing") << QStringLiteral("compressing") << P::Running;
    QTest::newRow("uploading") << QStringLiteral("uploading") << P::Running;
    QTest::newRow("cancel_requested") << QStringLiteral("cancel_requested") << P::Stopping;
    QTest::newRow("cancelled") << QStringLiteral("cancelled") << P::Cancelled;
    QTest::newRow("error") << QStringLiteral("error") << P::Failed;
    QTest::newRow("completed") << QStringLiteral("completed") << P::Succeeded;
    QTest::newRow("OpenAI's succeeded") << QStringLiteral("succeeded") << P::Unknown;
    QTest::newRow("paused") << QStringLiteral("paused") << P::Unknown;
}

void TestSimTogether::statusPhases()
{
    QFETCH(QString, status);
    QFETCH(JobSimulator::Phase, phase);
    QCOMPARE(m_sim->phaseOf(status), phase);
    if (phase != JobSimulator::Phase::Unknown && status != QLatin1String("compressing")
        && status != QLatin1String("uploading"))
        QCOMPARE(m_sim->statusWord(phase), status);
}

void TestSimTogether::bearerIsTheAuth_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("apiKey");
    QTest::newRow("none") << QByteArray() << QByteArray();
    QTest::newRow("api-key instead") << QByteArray() << QByteArray(kKey);
    QTest::newRow("wrong key") << QByteArray("Bearer together-other") << QByteArray();
}

void TestSimTogether::bearerIsTheAuth()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, apiKey);
    m_sim->setExpectedKey(kKey);
    m_sim->add(kId, QStringLiteral("running"));
    m_client->setHeader("Authorization", authorization);
    m_client->setHeader("api-key", apiKey);
    const SimAnswer answer = m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel"));
    QCOMPARE(answer.status, 401);
    QCOMPARE(answer.json[QStringLiteral("error")][QStringLiteral("code")].toString(),
             QStringLiteral("invalid_api_key"));
    QCOMPARE(m_sim->job(kId).status, QStringLiteral("running"));
}

void TestSimTogether::openAiPathsAreNotTogethers()
{
    m_sim->add(kId, QStringLiteral("running"));
    for (const QString& path : {QStringLiteral("/fine_tuning/jobs/") + kId, QStringLiteral("/fine_tuning/jobs")}) {
        const SimAnswer answer = m_client->get(path);
        QCOMPARE(answer.status, 404);
        QVERIFY(answer.json.value(QStringLiteral("error")).isObject());
    }
    QCOMPARE(m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/pause")).status, 404);
    QCOMPARE(m_sim->job(kId).status, QStringLiteral("running"));
}

void TestSimTogether::listIsUnpagedAndCanFail()
{
    const QStringList ids = m_sim->addMany(150);
    m_sim->failListPage(1, 1, JobSimulator::overloaded());
    QCOMPARE(m_client->get(QStringLiteral("/fine-tunes")).status, 503);
    const SimAnswer list = m_client->get(QStringLiteral("/fine-tunes?limit=10&after=whatever"));
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json.keys(), QStringList{QStringLiteral("data")}); // no object, no has_more
    const QJsonArray data = list.json.value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 150);
    QStringList seen;
    for (const QJsonValue& job : data)
        seen.append(job[QStringLiteral("id")].toString());
    QCOMPARE(seen, m_sim->jobIds());
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::List).size(), 2);
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::List).constFirst().status, 503);
    QCOMPARE(m_sim->lastRequest().query, QStringLiteral("limit=10&after=whatever"));
    QCOMPARE(m_sim->lastRequest().queryItem(QStringLiteral("after")), QStringLiteral("whatever"));
}

void TestSimTogether::eventsAreOneList()
{
    m_sim->add(kId, QStringLiteral("completed"));
    const SimAnswer answer = m_client->get(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/events"));
    QCOMPARE(answer.status, 200);
    const QJsonArray data = answer.json.value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), m_sim->job(kId).events.size());
    QVERIFY(!answer.json.contains(QStringLiteral("has_more")));
    const QJsonObject first = data.first().toObject();
    QCOMPARE(first.value(QStringLiteral("object")).toString(), QStringLiteral("fine-tune-event"));
    QVERIFY(first.value(QStringLiteral("created_at")).isString());
    QCOMPARE(first.value(QStringLiteral("type")).toString(), QStringLiteral("job_pending"));
    QCOMPARE(data.last()[QStringLiteral("type")].toString(), QStringLiteral("job_complete"));
    QCOMPARE(m_sim->lastRequest().kind, int(JobSimulator::RequestKind::Events));
}

void TestSimTogether::goneAnswersEveryEndpoint()
{
    m_sim->add(kId, QStringLiteral("running"));
    m_sim->setGone(410, QStringLiteral("The fine-tuning API has been retired."));
    for (const QString& path : {QStringLiteral("/fine-tunes"), QStringLiteral("/fine-tunes/") + kId,
                                QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/events")}) {
        const SimAnswer answer = m_client->get(path);
        QCOMPARE(answer.status, 410);
        QCOMPARE(answer.json[QStringLiteral("error")][QStringLiteral("message")].toString(),
                 QStringLiteral("The fine-tuning API has been retired."));
    }
    QCOMPARE(m_client->post(QStringLiteral("/fine-tunes/") + kId + QStringLiteral("/cancel")).status, 410);
    QCOMPARE(m_sim->job(kId).status, QStringLiteral("running"));
}

void TestSimTogether::addManyGivesTogetherIds()
{
    const QStringList ids = m_sim->addMany(100);
    static const QRegularExpression shape(
        QStringLiteral("^ft-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QString> statuses;
    for (const QString& id : ids) {
        QVERIFY2(shape.match(id).hasMatch(), qPrintable(id));
        statuses.insert(m_sim->job(id).status);
    }
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 100);
    for (const char* status : {"running", "queued", "pending", "completed", "error", "cancelled", "preempted"})
        QVERIFY2(statuses.contains(QLatin1String(status)), status);
    // The same numbers give the same ids on every run.
    JobSimulator other;
    other.setProvider(Provider::Together);
    QCOMPARE(other.addMany(100), ids);
}

QTEST_GUILESS_MAIN(TestSimTogether)
#include "tst_simtogether.moc"
