#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// `ftcancel pause ID…` and `ftcancel resume ID…` against the job simulator: what a user reads and the exit code, the
// requests on the wire, a kind without pause refused with nothing sent (exit 2), usage errors, --dry-run and --json,
// and "stop everything" (cancel --all-active) leaving paused jobs alone.
class TestCliPause final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void pauseThenResume();
    void jsonAndDryRun();
    void batchIsRefusedAndNothingSent();
    void usageErrorsExitTwo();
    void stopEverythingLeavesPausedJobsAlone();

private:
    CliRun run(const QStringList& arguments);

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
};

namespace {
const QString key = QStringLiteral("sk-clipause-test") + QStringLiteral("-0123456789abcdCLIP");
} // namespace

void TestCliPause::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
}

void TestCliPause::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_sim->setExpectedKey(key.toUtf8());
}

void TestCliPause::cleanup()
{
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

CliRun TestCliPause::run(const QStringList& arguments)
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"OPENAI_ORG_ID", "OPENAI_PROJECT_ID"})
        e.remove(QString::fromLatin1(name));
    e.insert(QStringLiteral("OPENAI_API_KEY"), key);
    e.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    const CliRun r = runFtcancel(arguments, e);
    // The key never shows, whatever happened.
    if (r.out.contains(key) || r.err.contains(key))
        qWarning("the key was printed");
    return r;
}

void TestCliPause::pauseThenResume()
{
    m_sim->add(QStringLiteral("ftjob-p1"), QStringLiteral("running"));
    const CliRun paused = run({QStringLiteral("pause"), QStringLiteral("ftjob-p1")});
    QVERIFY2(paused.exitCode == 0, qPrintable(paused.err));
    QCOMPARE(paused.out, QStringLiteral("ftjob-p1 paused\n"));
    QVERIFY(!paused.err.contains(key));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-p1")).status, QStringLiteral("paused"));
    const QList<SimulatedRequest> pauses = m_sim->requests(JobSimulator::RequestKind::Pause);
    QCOMPARE(pauses.size(), 1);
    QCOMPARE(pauses.first().method, QByteArray("POST"));
    QCOMPARE(pauses.first().path, QStringLiteral("/v1/fine_tuning/jobs/ftjob-p1/pause"));
    QCOMPARE(pauses.first().header("authorization"), QByteArray("Bearer ") + key.toUtf8());
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);

    // Pausing it again: nothing to pause, nothing sent, exit 1.
    m_sim->resetCounters();
    const CliRun again = run({QStringLiteral("pause"), QStringLiteral("ftjob-p1")});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.out.contains(QStringLiteral("Nothing to pause")), qPrintable(again.out));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Pause), 0);

    const CliRun resumed = run({QStringLiteral("resume"), QStringLiteral("ftjob-p1")});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QCOMPARE(resumed.out, QStringLiteral("ftjob-p1 running\n"));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-p1")).status, QStringLiteral("running"));
    const QList<SimulatedRequest> resumes = m_sim->requests(JobSimulator::RequestKind::Resume);
    QCOMPARE(resumes.size(), 1);
    QCOMPARE(resumes.first().path, QStringLiteral("/v1/fine_tuning/jobs/ftjob-p1/resume"));
}

void TestCliPause::jsonAndDryRun()
{
    m_sim->add(QStringLiteral("ftjob-j1"), QStringLiteral("running"));
    const CliRun dry = run({QStringLiteral("pause"), QStringLiteral("--dry-run"), QStringLiteral("ftjob-j1")});
    QVERIFY2(dry.exitCode == 0, qPrintable(dry.err));
    QVERIFY2(dry.out.contains(QStringLiteral("ftjob-j1 would be paused (now running)")), qPrintable(dry.out));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Pause), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-j1")).status, QStringLiteral("running"));

    const CliRun json = run({QStringLiteral("pause"), QStringLiteral("--json"), QStringLiteral("ftjob-j1")});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject o = QJsonDocument::fromJson(json.out.trimmed().toUtf8()).object();
    QCOMPARE(o.value(QLatin1String("action")).toString(), QStringLiteral("pause"));
    QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("paused"));
    QCOMPARE(o.value(QLatin1String("ok")).toBool(), true);
    QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("paused"));
}

void TestCliPause::batchIsRefusedAndNothingSent()
{
    const QString id = m_sim->addManyBatches(1, {{QStringLiteral("in_progress"), 1}}).constFirst();
    for (const QString& command : {QStringLiteral("pause"), QStringLiteral("resume")}) {
        const CliRun r = run({command, QStringLiteral("--kind"), QStringLiteral("batch"), id});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("OpenAI does not %1 batches; nothing was sent.").arg(command)),
                 qPrintable(r.err));
        QCOMPARE(r.out, QString());
    }
    QCOMPARE(m_sim->requestCount(), 0);
    QCOMPARE(m_sim->job(id).status, QStringLiteral("in_progress"));
}

void TestCliPause::usageErrorsExitTwo()
{
    m_sim->add(QStringLiteral("ftjob-u1"), QStringLiteral("running"));
    const CliRun noId = run({QStringLiteral("pause")});
    QCOMPARE(noId.exitCode, 2);
    QVERIFY2(noId.err.contains(QStringLiteral("No job id given. Usage: ftcancel pause ID")), qPrintable(noId.err));
    const CliRun allActive = run({QStringLiteral("resume"), QStringLiteral("--all-active")});
    QCOMPARE(allActive.exitCode, 2);
    QVERIFY2(allActive.err.contains(QStringLiteral("--all-active does not apply to \u201Cresume\u201D")),
             qPrintable(allActive.err));
    const CliRun junk = run({QStringLiteral("pause"), QStringLiteral("ftjob-u1 file-xyz")});
    QCOMPARE(junk.exitCode, 2);
    QCOMPARE(m_sim->requestCount(), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-u1")).status, QStringLiteral("running"));
}

void TestCliPause::stopEverythingLeavesPausedJobsAlone()
{
    m_sim->add(QStringLiteral("ftjob-run"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-rest"), QStringLiteral("paused"));
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--yes")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("ftjob-run cancelled")), qPrintable(r.out));
    QVERIFY2(!r.out.contains(QStringLiteral("ftjob-rest")), qPrintable(r.out));
    QVERIFY2(r.err.contains(QStringLiteral("1 paused job")) && r.err.contains(QStringLiteral("left alone")),
             qPrintable(r.err));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-run")), 1);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-rest")), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Resume), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-rest")).status, QStringLiteral("paused"));
}

QTEST_GUILESS_MAIN(TestCliPause)
#include "tst_clipause.moc"
