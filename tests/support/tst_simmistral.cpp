#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "simclient.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <memory>

// The JobSimulator as Mistral AI: /v1/fine_tuning/jobs with UUID ids, upper-case statuses, a page-numbered list
// (page, page_size, total), jobs that carry their events and checkpoints, FastAPI's error shapes, and the endpoints
// going away (the spec marks them deprecated).
class TestSimMistral final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void retrieveCarriesEventsAndCheckpoints();
    void cancelGoesThroughCancellationRequested();
    void cancelFinishedIsRefused_data();
    void cancelFinishedIsRefused();
    void statusPhases_data();
    void statusPhases();
    void idsMustBeUuids();
    void unknownJobAndUnknownPath();
    void bearerIsTheAuth();
    void listPagesByNumber();
    void listPageThatFails();
    void listBadPageIsRefused_data();
    void listBadPageIsRefused();
    void goneShowsTheApisWords();
    void addManyGivesUuids();

private:
    static constexpr const char* kKey = "mistral-key-0123456789";
    std::unique_ptr<FakeOpenAiServer> m_server;
    std::unique_ptr<JobSimulator> m_sim;
    std::unique_ptr<SimClient> m_client;
};

namespace {
const QString kId = QStringLiteral("7d32280d-bbe0-4f71-92f7-61fdfc882ffa");

QStringList ids(const QJsonArray& data)
{
    QStringList result;
    for (const QJsonValue& job : data)
        result.append(job[QStringLiteral("id")].toString());
    return result;
}
} // namespace

void TestSimMistral::init()
{
    m_server = std::make_unique<FakeOpenAiServer>();
    QVERIFY(m_server->listen());
    m_sim = std::make_unique<JobSimulator>(m_server.get());
    m_sim->setProvider(Provider::Mistral);
    QCOMPARE(m_sim->baseUrl().path(), QStringLiteral("/v1"));
    m_client = std::make_unique<SimClient>(m_sim->baseUrl());
    m_client->setHeader("Authorization", QByteArray("Bearer ") + kKey);
}

void TestSimMistral::cleanup()
{
    m_client.reset();
    m_sim.reset();
    m_server.reset();
}

void TestSimMistral::retrieveCarriesEventsAndCheckpoints()
{
    m_sim->add(kId, QStringLiteral("RUNNING"));
    const SimAnswer answer = m_client->get(QStringLiteral("/fine_tuning/jobs/") + kId);
    QCOMPARE(answer.status, 200);
    const QJsonObject& job = answer.json;
    QCOMPARE(job.value(QStringLiteral("id")).toString(), kId);
    QCOMPARE(job.value(QStringLiteral("object")).toString(), QStringLiteral("job"));
    QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("RUNNING"));
    QCOMPARE(job.value(QStringLiteral("model")).toString(), QStringLiteral("open-mistral-7b"));
    QCOMPARE(job.value(QStringLiteral("created_at")).toInteger(), m_sim->job(kId).createdAt);
    QVERIFY(job.value(QStringLiteral("modified_at")).isDouble());
    QVERIFY(job.value(QStringLiteral("fine_tuned_model")).isNull());
    QVERIFY(job.value(QStringLiteral("training_files")).isArray());
    QVERIFY(job.value(QStringLiteral("hyperparameters")).isObject());
    const QJsonArray events = job.value(QStringLiteral("events")).toArray();
    QVERIFY(events.size() >= 2);
    QCOMPARE(events.last()[QStringLiteral("name")].toString(), QStringLiteral("status-updated"));
    QCOMPARE(events.last()[QStringLiteral("data")][QStringLiteral("status")].toString(), QStringLiteral("RUNNING"));
    QVERIFY(events.last()[QStringLiteral("created_at")].isDouble());
    const QJsonArray checkpoints = job.value(QStringLiteral("checkpoints")).toArray();
    QVERIFY(!checkpoints.isEmpty());
    QVERIFY(checkpoints.first()[QStringLiteral("metrics")].isObject());
    QVERIFY(checkpoints.first()[QStringLiteral("step_number")].isDouble());

    const SimulatedRequest sent = m_sim->lastRequest();
    QCOMPARE(sent.method, QByteArray("GET"));
    QCOMPARE(sent.path, QStringLiteral("/v1/fine_tuning/jobs/") + kId);
    QCOMPARE(sent.kind, int(JobSimulator::RequestKind::Retrieve));
    // There is no events endpoint: the job carries them.
    const SimAnswer noEvents = m_client->get(QStringLiteral("/fine_tuning/jobs/") + kId + QStringLiteral("/events"));
    QCOMPARE(noEvents.status, 404);
    QCOMPARE(noEvents.json.value(QStringLiteral("detail")).toString(), QStringLiteral("Not Found"));
}

void TestSimMistral::cancelGoesThroughCancellationRequested()
{
    m_sim->add(kId, QStringLiteral("QUEUED"));
    m_sim->setCancellingReads(1);
    const SimAnswer cancel = m_client->post(QStringLiteral("/fine_tuning/jobs/") + kId + QStringLiteral("/cancel"));
    QCOMPARE(cancel.status, 200);
    QCOMPARE(cancel.json.value(QStringLiteral("status")).toString(), QStringLiteral("CANCELLATION_REQUESTED"));
    QCOMPARE(m_sim->lastRequest().method, QByteArray("POST"));
    QCOMPARE(m_sim->lastRequest().path, QStringLiteral("/v1/fine_tuning/jobs/") + kId + QStringLiteral("/cancel"));
    QCOMPARE(m_sim->cancelRequestCount(kId), 1);
    const auto read = [this] {
        return m_client->get(QStringLiteral("/fine_tuning/jobs/") + kId).json;
    };
    QCOMPARE(read().value(QStringLiteral("status")).toString(), QStringLiteral("CANCELLATION_REQUESTED"));
    const QJsonObject done = read();
    QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("CANCELLED"));
    const QJsonArray events = done.value(QStringLiteral("events")).toArray();
    QStringList statuses;
    for (const QJsonValue& event : events)
        statuses.append(event[QStringLiteral("data")][QStringLiteral("status")].toString());
    // One event per status change, oldest first.
    QCOMPARE(statuses,
             (QStringList{QStringLiteral("VALIDATING"), QStringLiteral("QUEUED"),
                          QStringLiteral("CANCELLATION_REQUESTED"), QStringLiteral("CANCELLED")}));
    QVERIFY(done.value(QStringLiteral("modified_at")).toInteger()
            >= done.value(QStringLiteral("created_at")).toInteger());
}

void TestSimMistral::cancelFinishedIsRefused_data()
{
    QTest::addColumn<QString>("status");
    for (const char* status : {"SUCCESS", "FAILED", "FAILED_VALIDATION", "CANCELLED"})
        QTest::newRow(status) << QString::fromLatin1(status);
}

void TestSimMistral::cancelFinishedIsRefused()
{
    QFETCH(QString, status);
    m_sim->add(kId, status);
    const SimAnswer answer = m_client->post(QStringLiteral("/fine_tuning/jobs/") + kId + QStringLiteral("/cancel"));
    QCOMPARE(answer.status, 400);
    QCOMPARE(answer.json.value(QStringLiteral("object")).toString(), QStringLiteral("error"));
    QVERIFY(answer.json.value(QStringLiteral("message")).toString().contains(kId));
    QCOMPARE(m_sim->job(kId).status, status);
}

void TestSimMistral::statusPhases_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<JobSimulator::Phase>("phase");
    using P = JobSimulator::Phase;
    QTest::newRow("QUEUED") << QStringLiteral("QUEUED") << P::Queued;
    QTest::newRow("STARTED") << QStringLiteral("STARTED") << P::Running;
    QTest::newRow("VALIDATING") << QStringLiteral("VALIDATING") << P::Validating;
    QTest::newRow("VALIDATED") << QStringLiteral("VALIDATED") << P::Queued;
    QTest::newRow("RUNNING") << QStringLiteral("RUNNING") << P::Running;
    QTest::newRow("FAILED_VALIDATION") << QStringLiteral("FAILED_VALIDATION") << P::Failed;
    QTest::newRow("FAILED") << QStringLiteral("FAILED") << P::Failed;
    QTest::newRow("SUCCESS") << QStringLiteral("SUCCESS") << P::Succeeded;
    QTest::newRow("CANCELLED") << QStringLiteral("CANCELLED") << P::Cancelled;
    QTest::newRow("CANCELLATION_REQUESTED") << QStringLiteral("CANCELLATION_REQUESTED") << P::Stopping;
    QTest::newRow("lower case") << QStringLiteral("running") << P::Unknown;
    QTest::newRow("unknown") << QStringLiteral("PREEMPTED") << P::Unknown;
}

void TestSimMistral::statusPhases()
{
    QFETCH(QString, status);
    QFETCH(JobSimulator::Phase, phase);
    QCOMPARE(m_sim->phaseOf(status), phase);
    // Every status can be served, and an unknown one can be cancelled.
    m_sim->add(kId, status);
    QCOMPARE(m_client->get(QStringLiteral("/fine_tuning/jobs/") + kId).json.value(QStringLiteral("status")).toString(),
             status);
    if (phase == JobSimulator::Phase::Unknown)
        QCOMPARE(m_client->post(QStringLiteral("/fine_tuning/jobs/") + kId + QStringLiteral("/cancel")).status, 200);
}

void TestSimMistral::idsMustBeUuids()
{
    m_sim->add(QStringLiteral("ftjob-abc"), QStringLiteral("RUNNING"));
    for (const QString& id : {QStringLiteral("ftjob-abc"), QStringLiteral("ft-abc")}) {
        const SimAnswer answer = m_client->post(QStringLiteral("/fine_tuning/jobs/") + id + QStringLiteral("/cancel"));
        QCOMPARE(answer.status, 422);
        const QJsonObject detail = answer.json.value(QStringLiteral("detail")).toArray().first().toObject();
        QCOMPARE(detail.value(QStringLiteral("type")).toString(), QStringLiteral("uuid_parsing"));
        QCOMPARE(detail.value(QStringLiteral("loc")).toArray(),
                 (QJsonArray{QStringLiteral("path"), QStringLiteral("job_id")}));
        QCOMPARE(detail.value(QStringLiteral("input")).toString(), id);
        QVERIFY(!detail.value(QStringLiteral("msg")).toString().isEmpty());
    }
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-abc")).status, QStringLiteral("RUNNING"));
}

void TestSimMistral::unknownJobAndUnknownPath()
{
    const SimAnswer missing = m_client->get(QStringLiteral("/fine_tuning/jobs/") + kId);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json.value(QStringLiteral("object")).toString(), QStringLiteral("error"));
    QVERIFY(missing.json.value(QStringLiteral("message")).toString().contains(kId));
    const SimAnswer together = m_client->get(QStringLiteral("/fine-tunes"));
    QCOMPARE(together.status, 404);
    QCOMPARE(together.json.value(QStringLiteral("detail")).toString(), QStringLiteral("Not Found"));
    QCOMPARE(m_client->post(QStringLiteral("/fine_tuning/jobs/") + kId + QStringLiteral("/pause")).status, 404);
}

void TestSimMistral::bearerIsTheAuth()
{
    m_sim->add(kId, QStringLiteral("RUNNING"));
    m_sim->setExpectedKey(kKey);
    for (const QByteArray& authorization : {QByteArray(), QByteArray("Bearer mistral-other"), QByteArray(kKey)}) {
        m_client->setHeader("Authorization", authorization);
        const SimAnswer answer = m_client->post(QStringLiteral("/fine_tuning/jobs/") + kId + QStringLiteral("/cancel"));
        QCOMPARE(answer.status, 401);
        QCOMPARE(answer.json.value(QStringLiteral("message")).toString(), QStringLiteral("Unauthorized"));
    }
    QCOMPARE(m_sim->job(kId).status, QStringLiteral("RUNNING"));
    m_client->setHeader("Authorization", QByteArray("Bearer ") + kKey);
    QCOMPARE(m_client->get(QStringLiteral("/fine_tuning/jobs/") + kId).status, 200);
    QVERIFY(!m_sim->lastRequest().hasHeader("api-key"));
    QVERIFY(!m_sim->lastRequest().hasHeader("openai-project"));
}

void TestSimMistral::listPagesByNumber()
{
    m_sim->addMany(7);
    QStringList seen;
    for (int page = 0; page < 4; ++page) {
        const SimAnswer answer = m_client->get(QStringLiteral("/fine_tuning/jobs?page=%1&page_size=3").arg(page));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QCOMPARE(answer.json.value(QStringLiteral("total")).toInt(), 7);
        QVERIFY(!answer.json.contains(QStringLiteral("has_more")));
        const QJsonArray data = answer.json.value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), page < 2 ? 3 : page == 2 ? 1 : 0);
        if (!data.isEmpty()) // list items are the short form
            QVERIFY(!data.first().toObject().contains(QStringLiteral("events")));
        seen += ids(data);
        QCOMPARE(m_sim->lastRequest().queryItem(QStringLiteral("page")), QString::number(page));
    }
    QCOMPARE(seen, m_sim->jobIds());
    // The defaults: page 0 of 100.
    const SimAnswer all = m_client->get(QStringLiteral("/fine_tuning/jobs"));
    QCOMPARE(ids(all.json.value(QStringLiteral("data")).toArray()), m_sim->jobIds());
}

void TestSimMistral::listPageThatFails()
{
    m_sim->addMany(10);
    m_sim->failListPage(2, 1, m_sim->errorResponse(500, QStringLiteral("Internal server error")));
    QCOMPARE(m_client->get(QStringLiteral("/fine_tuning/jobs?page=0&page_size=4")).status, 200);
    const SimAnswer failed = m_client->get(QStringLiteral("/fine_tuning/jobs?page=1&page_size=4"));
    QCOMPARE(failed.status, 500);
    QCOMPARE(failed.json.value(QStringLiteral("message")).toString(), QStringLiteral("Internal server error"));
    const SimAnswer again = m_client->get(QStringLiteral("/fine_tuning/jobs?page=1&page_size=4"));
    QCOMPARE(again.status, 200);
    QCOMPARE(ids(again.json.value(QStringLiteral("data")).toArray()), m_sim->jobIds().mid(4, 4));
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::List).size(), 3);
}

void TestSimMistral::listBadPageIsRefused_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("type");
    QTest::newRow("page -1") << QStringLiteral("page=-1") << QStringLiteral("greater_than_equal");
    QTest::newRow("page x") << QStringLiteral("page=x") << QStringLiteral("int_parsing");
    QTest::newRow("page_size 0") << QStringLiteral("page_size=0") << QStringLiteral("greater_than_equal");
}

void TestSimMistral::listBadPageIsRefused()
{
    QFETCH(QString, query);
    QFETCH(QString, type);
    const SimAnswer answer = m_client->get(QStringLiteral("/fine_tuning/jobs?") + query);
    QCOMPARE(answer.status, 422);
    QCOMPARE(answer.json.value(QStringLiteral("detail")).toArray().first()[QStringLiteral("type")].toString(), type);
}

void TestSimMistral::goneShowsTheApisWords()
{
    m_sim->add(kId, QStringLiteral("RUNNING"));
    const QString words = QStringLiteral("The fine-tuning API is deprecated and has been removed.");
    m_sim->setGone(410, words);
    for (const QString& path : {QStringLiteral("/fine_tuning/jobs"), QStringLiteral("/fine_tuning/jobs/") + kId,
                                QStringLiteral("/fine_tuning/jobs/not-a-uuid")}) {
        const SimAnswer answer = m_client->get(path);
        QCOMPARE(answer.status, 410);
        QCOMPARE(answer.json.value(QStringLiteral("detail")).toString(), words);
    }
    QCOMPARE(m_client->post(QStringLiteral("/fine_tuning/jobs/") + kId + QStringLiteral("/cancel")).status, 410);
    QCOMPARE(m_sim->job(kId).status, QStringLiteral("RUNNING"));
    QCOMPARE(m_sim->requests().size(), 4);
}

void TestSimMistral::addManyGivesUuids()
{
    const QStringList made = m_sim->addMany(100);
    static const QRegularExpression shape(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QString> statuses;
    for (const QString& id : made) {
        QVERIFY2(shape.match(id).hasMatch(), qPrintable(id));
        statuses.insert(m_sim->job(id).status);
    }
    QCOMPARE(QSet<QString>(made.cbegin(), made.cend()).size(), 100);
    for (const char* status : {"RUNNING", "QUEUED", "VALIDATING", "SUCCESS", "FAILED", "CANCELLED", "PREEMPTED"})
        QVERIFY2(statuses.contains(QLatin1String(status)), status);
    const QString succeeded = *std::find_if(made.cbegin(), made.cend(), [this](const QString& id) {
        return m_sim->job(id).status == QLatin1String("SUCCESS");
    });
    const QJsonObject job = m_client->get(QStringLiteral("/fine_tuning/jobs/") + succeeded).json;
    QVERIFY(job.value(QStringLiteral("fine_tuned_model")).toString().startsWith(QLatin1String("ft:open-mistral-7b:")));
}

QTEST_GUILESS_MAIN(TestSimMistral)
#include "tst_simmistral.moc"
