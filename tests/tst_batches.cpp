#include "activitylog.h"
#include "appinfo.h"
#include "cancelbatch.h"
#include "fakeopenaiserver.h"
#include "joblister.h"
#include "jobsimulator.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

// Batches, the second kind of job, of every provider that runs them, driven through the app's own engine
// (CancelBatch, JobLister, the real QNetworkAccessManager) against the job simulator speaking that provider: the
// exact paths and headers on the wire, each status into its class, the long "cancelling" watch under the batch
// limit (not fine-tuning's), and the request counts a user reads after a cancel.
class TestBatches final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void cancelOnTheWire_data();
    void cancelOnTheWire();
    void listReadsOnlyBatchesPageByPage_data();
    void listReadsOnlyBatchesPageByPage();
    void batchWatchHasItsOwnLimit();
    void finishedBatchIsSkipped_data();
    void finishedBatchIsSkipped();
    void lookAlikeIdIsFineTuningUnlessToldBatch();
    void serverWithoutBatchesStillListsItsJobs();
    void batchListFailingFailsTheRead();

private:
    void useProvider(Provider provider, bool dated = false);
    std::unique_ptr<CancelBatch> makeBatch(const QStringList& ids, CancelBatch::Options options = {});

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    ActivityLog* m_log = nullptr;
    ApiConfig m_config;
};

Q_DECLARE_METATYPE(Provider)

namespace {
const QString key = QStringLiteral("batch-test-key-") + QStringLiteral("0123456789abcdBTCH");
constexpr int generous = 60000;

// Where a provider keeps its batches, as the client must address them (the simulator's base path before it).
QString batchesPath(Provider provider, bool dated)
{
    switch (provider) {
    case Provider::Azure:
        return dated ? QStringLiteral("/openai/batches") : QStringLiteral("/openai/v1/batches");
    case Provider::Mistral:
        return QStringLiteral("/v1/batch/jobs");
    case Provider::Anthropic:
        return QStringLiteral("/v1/messages/batches");
    case Provider::OpenAI:
    case Provider::Together:
        break;
    }
    return QStringLiteral("/v1/batches");
}

StatusClass classOf(JobSimulator::Phase phase)
{
    switch (phase) {
    case JobSimulator::Phase::Validating:
    case JobSimulator::Phase::Queued:
    case JobSimulator::Phase::Running:
        return StatusClass::Active;
    case JobSimulator::Phase::Stopping:
        return StatusClass::Stopping;
    case JobSimulator::Phase::Paused:
        return StatusClass::Paused;
    case JobSimulator::Phase::Succeeded:
        return StatusClass::Succeeded;
    case JobSimulator::Phase::Failed:
        return StatusClass::Failed;
    case JobSimulator::Phase::Cancelled:
        return StatusClass::Cancelled;
    case JobSimulator::Phase::Unknown:
        break;
    }
    return StatusClass::Unknown;
}

void addProviders()
{
    QTest::addColumn<Provider>("provider");
    QTest::addColumn<bool>("dated");
    QTest::newRow("openai") << Provider::OpenAI << false;
    QTest::newRow("azure v1") << Provider::Azure << false;
    QTest::newRow("azure dated") << Provider::Azure << true;
    QTest::newRow("together") << Provider::Together << false;
    QTest::newRow("mistral") << Provider::Mistral << false;
    QTest::newRow("anthropic") << Provider::Anthropic << false;
}
} // namespace

void TestBatches::initTestCase()
{
    AppInfo::applyToApplication();
}

void TestBatches::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_log = new ActivityLog(10000, this);
}

void TestBatches::cleanup()
{
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
    delete m_log;
    m_log = nullptr;
}

void TestBatches::useProvider(Provider provider, bool dated)
{
    m_sim->setProvider(provider);
    m_sim->setExpectedKey(key.toUtf8());
    m_config = ApiConfig();
    m_config.provider = provider;
    m_config.baseUrl = m_sim->baseUrl();
    m_config.apiKey = key;
    m_config.apiVersion = dated ? QStringLiteral("2024-10-21") : QString();
    m_config.maxRetries = 0;
    m_config.timeoutSeconds = 30;
}

std::unique_ptr<CancelBatch> TestBatches::makeBatch(const QStringList& ids, CancelBatch::Options options)
{
    options.watchIntervalMs = 20;
    auto batch = std::make_unique<CancelBatch>(m_config, options, m_log);
    QList<JobId::Parsed> parsed;
    for (const QString& id : ids)
        parsed << JobId::parse(id, m_config.provider, JobKind::Batch);
    batch->addIds(parsed);
    return batch;
}

void TestBatches::cancelOnTheWire_data()
{
    addProviders();
}

void TestBatches::cancelOnTheWire()
{
    QFETCH(Provider, provider);
    QFETCH(bool, dated);
    useProvider(provider, dated);
    m_sim->setCancellingReads(2);
    const QString id
        = m_sim->addManyBatches(1, {{m_sim->statusWord(JobSimulator::Phase::Running, JobKind::Batch), 1}}).constFirst();
    auto batch = makeBatch({id});
    QCOMPARE(batch->item(0).kind, JobKind::Batch);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    QCOMPARE(batch->item(0).before().statusClass, StatusClass::Active);
    batch->confirm();
    QVERIFY(finished.wait(generous));

    // What the user sees: cancelled, in the provider's own word, with what became of the batch's requests.
    const BatchItem& item = batch->item(0);
    QVERIFY2(item.outcome == Outcome::Cancelled, qPrintable(item.message));
    QCOMPARE(item.after().status, m_sim->statusWord(JobSimulator::Phase::Cancelled, JobKind::Batch));
    QCOMPARE(item.after().statusClass, StatusClass::Cancelled);
    QCOMPARE(item.after().kind, JobKind::Batch);
    if (provider == Provider::Together) {
        QCOMPARE(item.after().requestCounts, QStringLiteral("41% done"));
    } else if (provider == Provider::Anthropic) {
        QCOMPARE(item.after().requestCounts, QStringLiteral("590 canceled, 400 succeeded, 10 errored"));
    } else if (provider == Provider::Mistral) {
        QCOMPARE(item.after().requestCounts, QStringLiteral("400 succeeded, 10 failed of 1000 requests"));
    } else {
        QCOMPARE(item.after().requestCounts, QStringLiteral("400 completed, 10 failed of 1000 requests"));
    }

    // On the wire: a GET of the batch, one POST …/cancel, then GETs until it stopped; all at the batch paths.
    const QString path = batchesPath(provider, dated) + QLatin1Char('/') + id;
    const QList<SimulatedRequest> cancels = m_sim->requests(JobSimulator::RequestKind::Cancel);
    QCOMPARE(cancels.size(), 1);
    QCOMPARE(cancels.first().method, QByteArray("POST"));
    QCOMPARE(cancels.first().path, path + QStringLiteral("/cancel"));
    const QList<SimulatedRequest> reads = m_sim->requests(JobSimulator::RequestKind::Retrieve);
    QVERIFY(!reads.isEmpty());
    QCOMPARE(reads.first().path, path);
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::Other).size(), 0);
    if (dated)
        QCOMPARE(cancels.first().queryItem(QStringLiteral("api-version")), QStringLiteral("2024-10-21"));
    if (provider != Provider::Together) // Together's batches have no stopping status: CANCELLED at once
        QVERIFY2(reads.size() >= 3, "the cancelling batch was read back until it stopped");

    for (const SimulatedRequest& request : m_sim->requests()) {
        switch (provider) {
        case Provider::Anthropic:
            QCOMPARE(request.header("x-api-key"), key.toUtf8());
            QCOMPARE(request.header("anthropic-version"), QByteArray("2023-06-01"));
            QVERIFY2(!request.hasHeader("authorization"), "no Authorization header to Anthropic");
            break;
        case Provider::Azure:
            QCOMPARE(request.header("api-key"), key.toUtf8());
            QVERIFY2(!request.hasHeader("authorization"), "no Authorization header to Azure");
            break;
        default:
            QCOMPARE(request.header("authorization"), QByteArray("Bearer ") + key.toUtf8());
            QVERIFY(!request.hasHeader("x-api-key"));
            break;
        }
    }
}

void TestBatches::listReadsOnlyBatchesPageByPage_data()
{
    addProviders();
}

void TestBatches::listReadsOnlyBatchesPageByPage()
{
    // 150 batches in every status the provider has (and one it does not document) beside 30 fine-tuning jobs: a
    // list of batches reads exactly the 150, each status into its class, page by page as the provider pages.
    QFETCH(Provider, provider);
    QFETCH(bool, dated);
    useProvider(provider, dated);
    if (provider != Provider::Anthropic)
        m_sim->addMany(30);
    JobSimulator::StatusMix mix = JobSimulator::realisticBatchMix(provider);
    mix.append({m_sim->statusWord(JobSimulator::Phase::Stopping, JobKind::Batch), 1});
    mix.append({QStringLiteral("archiving"), 1}); // no spec has it: unknown, never taken as finished
    mix.removeIf([](const QPair<QString, int>& entry) { return entry.first.isEmpty(); });
    const QStringList ids = m_sim->addManyBatches(150, mix);

    JobLister lister(m_config, m_log);
    lister.setKinds({JobKind::Batch});
    QSignalSpy done(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(done.wait(generous));
    QVERIFY2(!lister.error().isError(), qPrintable(lister.error().message));
    QCOMPARE(lister.jobs().size(), 150);
    QCOMPARE(lister.ids(), QSet<QString>(ids.cbegin(), ids.cend()));
    bool sawUnknown = false;
    for (const FineTuningJob& job : lister.jobs()) {
        QCOMPARE(job.kind, JobKind::Batch);
        const SimulatedJob simulated = m_sim->job(job.id);
        QCOMPARE(job.status, simulated.status);
        const JobSimulator::Phase phase = m_sim->phaseOf(simulated.status, JobKind::Batch);
        StatusClass expected = classOf(phase);
        if (provider == Provider::Anthropic && phase == JobSimulator::Phase::Succeeded && simulated.cancelRequestedAt)
            expected = StatusClass::Cancelled; // ended after a cancel
        QVERIFY2(job.statusClass == expected, qPrintable(job.id + QLatin1Char(' ') + job.status));
        sawUnknown = sawUnknown || job.status == QLatin1String("archiving");
    }
    QVERIFY(sawUnknown);

    const QList<SimulatedRequest> pages = m_sim->requests(JobSimulator::RequestKind::List);
    QVERIFY(!pages.isEmpty());
    for (const SimulatedRequest& page : pages)
        QCOMPARE(page.path, batchesPath(provider, dated));
    switch (provider) {
    case Provider::Together: // one unpaged list, a bare JSON array
        QCOMPARE(pages.size(), 1);
        break;
    case Provider::Mistral:
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages.at(1).queryItem(QStringLiteral("page")), QStringLiteral("1"));
        break;
    case Provider::Anthropic: // its cursor parameter is after_id
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages.at(1).queryItem(QStringLiteral("after_id")), lister.jobs().at(99).id);
        QVERIFY(!pages.at(1).hasQueryItem(QStringLiteral("after")));
        break;
    case Provider::OpenAI:
    case Provider::Azure:
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages.at(1).queryItem(QStringLiteral("after")), lister.jobs().at(99).id);
        break;
    }
}

void TestBatches::batchWatchHasItsOwnLimit()
{
    // OpenAI: a cancelled batch "will be in status cancelling for up to 10 minutes". The watch waits the batch
    // limit, not fine-tuning's: here 1 s against 600 s, so a watch on the wrong limit would not end in time.
    useProvider(Provider::OpenAI);
    m_sim->setCancellingReads(1000000);
    m_sim->addBatch(QStringLiteral("batch_stuck"), QStringLiteral("in_progress"));
    CancelBatch::Options options;
    options.watchSeconds = 600;
    options.batchWatchSeconds = 1;
    auto batch = makeBatch({QStringLiteral("batch_stuck")}, options);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(20000));
    const BatchItem& item = batch->item(0);
    QCOMPARE(item.outcome, Outcome::StillStopping);
    QVERIFY2(item.message.contains(QStringLiteral("still cancelling")), qPrintable(item.message));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("batch_stuck")), 1);
    QCOMPARE(Outcome::exitCode(batch->outcomes()), 1);
}

void TestBatches::finishedBatchIsSkipped_data()
{
    addProviders();
}

void TestBatches::finishedBatchIsSkipped()
{
    // A batch that has already finished is looked up and left alone: no cancel is sent for it.
    QFETCH(Provider, provider);
    QFETCH(bool, dated);
    useProvider(provider, dated);
    const QString id
        = m_sim->addManyBatches(1, {{m_sim->statusWord(JobSimulator::Phase::Succeeded, JobKind::Batch), 1}})
              .constFirst();
    auto batch = makeBatch({id});
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(finished.wait(generous)); // nothing to ask about: the batch ends after the look-up
    QCOMPARE(batch->item(0).before().statusClass, StatusClass::Succeeded);
    QCOMPARE(batch->item(0).outcome, Outcome::AlreadyFinished);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestBatches::lookAlikeIdIsFineTuningUnlessToldBatch()
{
    // Mistral's job ids and batch ids are both UUIDs: without --kind batch an id is a fine-tuning job.
    useProvider(Provider::Mistral);
    const QString id = m_sim->addManyBatches(1, {{QStringLiteral("RUNNING"), 1}}).constFirst();
    QCOMPARE(JobId::parse(id, Provider::Mistral).kind, JobKind::FineTuning);
    QCOMPARE(JobId::parse(id, Provider::Mistral, JobKind::Batch).kind, JobKind::Batch);
    CancelBatch::Options options;
    auto batch = std::make_unique<CancelBatch>(m_config, options, m_log);
    batch->addIds({JobId::parse(id, Provider::Mistral)});
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(finished.wait(generous));
    // Looked for among fine-tuning jobs, where it is not: not found, and nothing cancelled.
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::Retrieve).first().path,
             QStringLiteral("/v1/fine_tuning/jobs/") + id);
    QCOMPARE(batch->item(0).outcome, Outcome::NotFound);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestBatches::serverWithoutBatchesStillListsItsJobs()
{
    // An OpenAI-compatible server without /v1/batches (404 on its first page): its fine-tuning jobs are listed all
    // the same, the batches are said to be missing, and the read is no error (nothing of that kind can run there).
    useProvider(Provider::OpenAI);
    m_sim->addMany(5, {{QStringLiteral("running"), 1}});
    connect(m_server, &FakeOpenAiServer::requestReceived, this, [this](const RecordedRequest& request) {
        if (request.path() == "/v1/batches")
            m_server->enqueue(FakeResponse::apiError(404, QStringLiteral("Invalid URL (GET /v1/batches)"),
                                                     QStringLiteral("invalid_request_error"), QString()));
    });
    JobLister lister(m_config, m_log);
    lister.setKinds({JobKind::FineTuning, JobKind::Batch});
    QSignalSpy done(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(done.wait(generous));
    QVERIFY2(!lister.error().isError(), qPrintable(lister.error().message));
    QCOMPARE(lister.jobs().size(), 5);
    QCOMPARE(lister.missingKinds(), QList<JobKind>{JobKind::Batch});
    QVERIFY(m_log->text().contains(QStringLiteral("no list of batches")));
}

void TestBatches::batchListFailingFailsTheRead()
{
    // Any other failure of the batch list is an error of the read: what runs is not known, so "stop everything"
    // must not act on the jobs alone.
    useProvider(Provider::OpenAI);
    m_sim->addMany(5, {{QStringLiteral("running"), 1}});
    m_sim->addManyBatches(3, {{QStringLiteral("in_progress"), 1}});
    connect(m_server, &FakeOpenAiServer::requestReceived, this, [this](const RecordedRequest& request) {
        if (request.path() == "/v1/batches")
            m_server->enqueue(JobSimulator::serverError(false));
    });
    JobLister lister(m_config, m_log);
    lister.setKinds({JobKind::FineTuning, JobKind::Batch});
    QSignalSpy done(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(done.wait(generous));
    QVERIFY(lister.error().isError());
    QCOMPARE(lister.error().httpStatus, 500);
    QVERIFY(lister.missingKinds().isEmpty());
}

QTEST_GUILESS_MAIN(TestBatches)
#include "tst_batches.moc"
