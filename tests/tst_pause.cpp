#include "activitylog.h"
#include "appinfo.h"
#include "auditlog.h"
#include "cancelbatch.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

// Pause and resume (OpenAI and Azure fine-tuning), through the one engine (CancelBatch) against the job simulator:
// the exact path, method and auth header on the wire, what a user reads of each row, a refusal where the provider or
// the kind has no pause (nothing sent at all), Azure's refusal of a job that has trained no step in plain words, and
// the audit line of each pause.
class TestPause final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void pauseThenResumeOnTheWire_data();
    void pauseThenResumeOnTheWire();
    void unsupportedSendsNothing_data();
    void unsupportedSendsNothing();
    void onlyRunningJobsArePaused();
    void onlyPausedJobsAreResumed();
    void azureRefusesAnUntrainedJobInPlainWords();
    void pauseIsRecordedAsPause();

private:
    void useProvider(Provider provider);
    std::unique_ptr<CancelBatch> makeBatch(const QStringList& ids, CancelBatch::Action action,
                                           JobKind kind = JobKind::FineTuning);
    // start(), confirm() when asked, until finished.
    void run(CancelBatch& batch);

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    ActivityLog* m_log = nullptr;
    ApiConfig m_config;
};

Q_DECLARE_METATYPE(Provider)
Q_DECLARE_METATYPE(JobKind)

namespace {
const QString key = QStringLiteral("pause-test-key-") + QStringLiteral("0123456789abcdPAUS");
constexpr int generous = 60000;
} // namespace

void TestPause::initTestCase()
{
    AppInfo::applyToApplication();
}

void TestPause::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_log = new ActivityLog(10000, this);
}

void TestPause::cleanup()
{
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
    delete m_log;
    m_log = nullptr;
}

void TestPause::useProvider(Provider provider)
{
    m_sim->setProvider(provider);
    m_sim->setExpectedKey(key.toUtf8());
    m_config = ApiConfig();
    m_config.provider = provider;
    m_config.baseUrl = m_sim->baseUrl();
    m_config.apiKey = key;
    m_config.maxRetries = 0;
    m_config.timeoutSeconds = 30;
}

std::unique_ptr<CancelBatch> TestPause::makeBatch(const QStringList& ids, CancelBatch::Action action, JobKind kind)
{
    CancelBatch::Options options;
    options.action = action;
    options.watchIntervalMs = 20;
    options.watchSeconds = 5;
    auto batch = std::make_unique<CancelBatch>(m_config, options, m_log);
    QList<JobId::Parsed> parsed;
    for (const QString& id : ids)
        parsed << JobId::parse(id, m_config.provider, kind);
    batch->addIds(parsed);
    return batch;
}

void TestPause::run(CancelBatch& batch)
{
    QSignalSpy finished(&batch, &CancelBatch::finished);
    connect(&batch, &CancelBatch::lookupFinished, &batch, &CancelBatch::confirm);
    const QString problem = batch.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(finished.count() > 0 || finished.wait(generous));
}

void TestPause::pauseThenResumeOnTheWire_data()
{
    QTest::addColumn<Provider>("provider");
    QTest::addColumn<QString>("prefix");
    QTest::newRow("openai") << Provider::OpenAI << QStringLiteral("/v1/fine_tuning/jobs/");
    QTest::newRow("azure v1") << Provider::Azure << QStringLiteral("/openai/v1/fine_tuning/jobs/");
}

void TestPause::pauseThenResumeOnTheWire()
{
    QFETCH(Provider, provider);
    QFETCH(QString, prefix);
    useProvider(provider);
    const QString id = m_sim->addMany(1, {{QStringLiteral("running"), 1}}).constFirst();

    auto pause = makeBatch({id}, CancelBatch::Action::Pause);
    run(*pause);
    QVERIFY2(pause->item(0).outcome == Outcome::Paused, qPrintable(pause->item(0).message));
    QCOMPARE(pause->item(0).status(), QStringLiteral("paused"));
    QCOMPARE(pause->item(0).outcomeLabel(), QStringLiteral("paused"));
    QCOMPARE(Outcome::exitCode(pause->outcomes()), 0);
    QCOMPARE(m_sim->job(id).status, QStringLiteral("paused"));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    const QList<SimulatedRequest> pauses = m_sim->requests(JobSimulator::RequestKind::Pause);
    QCOMPARE(pauses.size(), 1);
    QCOMPARE(pauses.first().method, QByteArray("POST"));
    QCOMPARE(pauses.first().path, prefix + id + QStringLiteral("/pause"));
    for (const SimulatedRequest& request : m_sim->requests()) {
        if (provider == Provider::Azure) {
            QCOMPARE(request.header("api-key"), key.toUtf8());
            QVERIFY2(!request.hasHeader("authorization"), "no Authorization header to Azure");
        } else {
            QCOMPARE(request.header("authorization"), QByteArray("Bearer ") + key.toUtf8());
            QVERIFY(!request.hasHeader("api-key"));
        }
    }

    m_sim->resetCounters();
    auto resume = makeBatch({id}, CancelBatch::Action::Resume);
    run(*resume);
    QVERIFY2(resume->item(0).outcome == Outcome::Resumed, qPrintable(resume->item(0).message));
    QCOMPARE(resume->item(0).status(), QStringLiteral("running"));
    QCOMPARE(m_sim->job(id).status, QStringLiteral("running"));
    const QList<SimulatedRequest> resumes = m_sim->requests(JobSimulator::RequestKind::Resume);
    QCOMPARE(resumes.size(), 1);
    QCOMPARE(resumes.first().method, QByteArray("POST"));
    QCOMPARE(resumes.first().path, prefix + id + QStringLiteral("/resume"));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Pause), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestPause::unsupportedSendsNothing_data()
{
    QTest::addColumn<Provider>("provider");
    QTest::addColumn<JobKind>("kind");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("expected");
    const int pause = int(CancelBatch::Action::Pause);
    const int resume = int(CancelBatch::Action::Resume);
    QTest::newRow("together pause") << Provider::Together << JobKind::FineTuning << pause
                                    << QStringLiteral("Together AI does not pause jobs; nothing was sent.");
    QTest::newRow("mistral pause") << Provider::Mistral << JobKind::FineTuning << pause
                                   << QStringLiteral("Mistral AI does not pause jobs; nothing was sent.");
    QTest::newRow("mistral resume") << Provider::Mistral << JobKind::FineTuning << resume
                                    << QStringLiteral("Mistral AI does not resume jobs; nothing was sent.");
    QTest::newRow("openai batch") << Provider::OpenAI << JobKind::Batch << pause
                                  << QStringLiteral("OpenAI does not pause batches; nothing was sent.");
    QTest::newRow("azure batch") << Provider::Azure << JobKind::Batch << resume
                                 << QStringLiteral("Azure OpenAI does not resume batches; nothing was sent.");
    QTest::newRow("anthropic batch") << Provider::Anthropic << JobKind::Batch << pause
                                     << QStringLiteral("Anthropic does not pause batches; nothing was sent.");
}

void TestPause::unsupportedSendsNothing()
{
    QFETCH(Provider, provider);
    QFETCH(JobKind, kind);
    QFETCH(int, action);
    QFETCH(QString, expected);
    useProvider(provider);
    const QString running = m_sim->statusWord(JobSimulator::Phase::Running, kind);
    const QString id = kind == JobKind::Batch ? m_sim->addManyBatches(1, {{running, 1}}).constFirst()
                                              : m_sim->addMany(1, {{running, 1}}).constFirst();
    auto batch = makeBatch({id}, CancelBatch::Action(action), kind);
    QCOMPARE(batch->item(0).kind, kind);
    QCOMPARE(batch->start(), expected);
    QCOMPARE(batch->state(), CancelBatch::State::Idle);
    QTest::qWait(100); // anything sent would have reached the simulator by now
    QCOMPARE(m_sim->requestCount(), 0);
    QCOMPARE(m_sim->job(id).status, running);
}

void TestPause::onlyRunningJobsArePaused()
{
    useProvider(Provider::OpenAI);
    m_sim->add(QStringLiteral("ftjob-running"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-paused"), QStringLiteral("paused"));
    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("succeeded"));
    auto batch
        = makeBatch({QStringLiteral("ftjob-running"), QStringLiteral("ftjob-paused"), QStringLiteral("ftjob-done")},
                    CancelBatch::Action::Pause);
    run(*batch);
    QCOMPARE(batch->item(0).outcome, Outcome::Paused);
    QCOMPARE(batch->item(1).outcome, Outcome::Skipped);
    QVERIFY2(batch->item(1).message.contains(QStringLiteral("Nothing to pause")), qPrintable(batch->item(1).message));
    QCOMPARE(batch->item(2).outcome, Outcome::AlreadyFinished);
    QVERIFY2(batch->item(2).message.contains(QStringLiteral("already succeeded")), qPrintable(batch->item(2).message));
    // One pause, for the running job only; the others were only read.
    const QList<SimulatedRequest> pauses = m_sim->requests(JobSimulator::RequestKind::Pause);
    QCOMPARE(pauses.size(), 1);
    QCOMPARE(pauses.first().jobId, QStringLiteral("ftjob-running"));
    QCOMPARE(Outcome::exitCode(batch->outcomes()), 1); // not every job ended paused
}

void TestPause::onlyPausedJobsAreResumed()
{
    useProvider(Provider::Azure);
    const QStringList ids = m_sim->addMany(2, {{QStringLiteral("running"), 1}});
    m_sim->setStatus(ids.at(1), QStringLiteral("paused"));
    auto batch = makeBatch(ids, CancelBatch::Action::Resume);
    run(*batch);
    QCOMPARE(batch->item(0).outcome, Outcome::Skipped);
    QVERIFY2(batch->item(0).message.contains(QStringLiteral("not paused")), qPrintable(batch->item(0).message));
    QCOMPARE(batch->item(1).outcome, Outcome::Resumed);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Resume), 1);
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::Resume).first().jobId, ids.at(1));
}

void TestPause::azureRefusesAnUntrainedJobInPlainWords()
{
    useProvider(Provider::Azure);
    const QStringList ids = m_sim->addMany(2, {{QStringLiteral("running"), 1}});
    m_sim->setUntrained(ids.at(0));
    m_sim->setStatus(ids.at(1), QStringLiteral("queued"));
    auto batch = makeBatch(ids, CancelBatch::Action::Pause);
    run(*batch);
    for (int row = 0; row < 2; ++row) {
        const BatchItem& item = batch->item(row);
        QCOMPARE(item.outcome, Outcome::Refused);
        QCOMPARE(item.httpStatus, 400);
        QVERIFY2(item.message.startsWith(
                     QStringLiteral("Azure OpenAI pauses only a running job that has trained at least one step.")),
                 qPrintable(item.message));
        QVERIFY2(item.message.contains(QStringLiteral("The API refused to pause the job (HTTP 400)")),
                 qPrintable(item.message));
        QVERIFY2(!item.message.contains(QStringLiteral("cancel")), qPrintable(item.message));
    }
    QCOMPARE(m_sim->job(ids.at(0)).status, QStringLiteral("running"));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Pause), 2);
    QCOMPARE(Outcome::exitCode(batch->outcomes()), 1);
}

void TestPause::pauseIsRecordedAsPause()
{
    useProvider(Provider::OpenAI);
    const QStringList ids = m_sim->addMany(1, {{QStringLiteral("running"), 1}});
    AuditLog audit;
    const int before = int(audit.readAll().size());
    auto batch = makeBatch(ids, CancelBatch::Action::Pause);
    run(*batch);
    QCOMPARE(batch->item(0).outcome, Outcome::Paused);
    const QList<AuditEntry> entries = audit.readAll();
    QCOMPARE(entries.size(), before + 1);
    QCOMPARE(entries.last().jobId, ids.first());
    QCOMPARE(entries.last().action, QStringLiteral("pause"));
    QCOMPARE(entries.last().status, QStringLiteral("paused"));
}

QTEST_GUILESS_MAIN(TestPause)
#include "tst_pause.moc"
