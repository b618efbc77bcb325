#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// The command line and the two kinds of job: `list --kind fine-tuning|batch|all`, batch ids to cancel and show,
// `--kind` where an id could be either, and what a cancelled batch reports (its request counts, its partial output,
// its kind in --json and in the audit trail). The real ftcancel against the job simulator.
class TestCliKind final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void listOfBatchesReadsOnlyBatches();
    void listOfAllKindsHasAKindColumn();
    void kindMustBeOneOfThree_data();
    void kindMustBeOneOfThree();
    void cancelledBatchSaysWhatBecameOfItsRequests();
    void kindThatDoesNotFitTheIdSendsNothing();
    void allActiveOfEveryKindCancelsJobsAndBatches();

private:
    CliRun run(const QStringList& arguments);
    QList<QJsonObject> auditLines() const;

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    std::unique_ptr<QTemporaryDir> m_data;
};

namespace {
const QString key = QStringLiteral("sk-clikind-test-0") + QStringLiteral("123456789abcdKIND");
}

void TestCliKind::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
}

void TestCliKind::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_sim->setCancellingReads(0); // a batch's cancelling is watched elsewhere (tst_batches)
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
}

void TestCliKind::cleanup()
{
    delete m_sim;
    delete m_server;
    m_sim = nullptr;
    m_server = nullptr;
    m_data.reset();
}

CliRun TestCliKind::run(const QStringList& arguments)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("OPENAI_ORG_ID"));
    env.remove(QStringLiteral("OPENAI_PROJECT_ID"));
    env.insert(QStringLiteral("OPENAI_API_KEY"), key);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_data->path());
    env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    return runFtcancel(arguments, env);
}

QList<QJsonObject> TestCliKind::auditLines() const
{
    QList<QJsonObject> lines;
    QFile file(m_data->filePath(QStringLiteral("io.github.ftcancel.FtCancel/FtCancel/audit.jsonl")));
    if (file.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : file.readAll().split('\n')) {
            if (!line.isEmpty())
                lines << QJsonDocument::fromJson(line).object();
        }
    }
    return lines;
}

void TestCliKind::listOfBatchesReadsOnlyBatches()
{
    m_sim->add(QStringLiteral("ftjob-run"), QStringLiteral("running"));
    m_sim->addBatch(QStringLiteral("batch_run"), QStringLiteral("in_progress"));
    m_sim->addBatch(QStringLiteral("batch_done"), QStringLiteral("completed"));
    const CliRun r = run({QStringLiteral("list"), QStringLiteral("--kind"), QStringLiteral("batch")});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2); // the header and the batch still running
    QVERIFY2(lines.at(0).contains(QStringLiteral("REQUESTS")), qPrintable(r.out));
    QVERIFY(!lines.at(0).contains(QStringLiteral("TOKENS")));
    QVERIFY(!lines.at(0).contains(QStringLiteral("KIND")));
    QVERIFY(lines.at(1).startsWith(QStringLiteral("batch_run ")));
    QVERIFY2(lines.at(1).contains(QStringLiteral("400 completed, 10 failed of 1000 requests")), qPrintable(r.out));
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 0);
    QCOMPARE(m_sim->listRequestCount(JobKind::Batch), 1);
}

void TestCliKind::listOfAllKindsHasAKindColumn()
{
    m_sim->add(QStringLiteral("ftjob-run"), QStringLiteral("running"));
    m_sim->addBatch(QStringLiteral("batch_run"), QStringLiteral("in_progress"));
    const CliRun text = run({QStringLiteral("list"), QStringLiteral("--kind"), QStringLiteral("all")});
    QCOMPARE(text.exitCode, 0);
    const QStringList lines = text.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    const qsizetype kindAt = lines.at(0).indexOf(QStringLiteral("KIND"));
    QVERIFY2(kindAt > 0, qPrintable(text.out));
    QSet<QString> kinds;
    for (int i = 1; i < lines.size(); ++i)
        kinds << lines.at(i).mid(kindAt).section(u' ', 0, 0);
    QCOMPARE(kinds, (QSet<QString>{QStringLiteral("fine-tuning"), QStringLiteral("batch")}));

    // Without --kind: fine-tuning jobs only, as before batches were known.
    const CliRun plain = run({QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(plain.exitCode, 0);
    QCOMPARE(plain.out.count(u'\n'), 1);
    QCOMPARE(QJsonDocument::fromJson(plain.out.toUtf8()).object().value(QStringLiteral("kind")).toString(),
             QStringLiteral("fine-tuning"));

    const CliRun json
        = run({QStringLiteral("list"), QStringLiteral("--kind"), QStringLiteral("all"), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    QStringList seen;
    for (const QString& line : json.out.split(u'\n', Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        seen << o.value(QStringLiteral("id")).toString() + u'=' + o.value(QStringLiteral("kind")).toString();
        if (o.value(QStringLiteral("kind")) == QStringLiteral("batch"))
            QCOMPARE(o.value(QStringLiteral("request_counts")).toString(),
                     QStringLiteral("400 completed, 10 failed of 1000 requests"));
    }
    seen.sort();
    QCOMPARE(seen, (QStringList{QStringLiteral("batch_run=batch"), QStringLiteral("ftjob-run=fine-tuning")}));
}

void TestCliKind::kindMustBeOneOfThree_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("said");
    QTest::newRow("unknown kind") << QStringList{"list", "--kind", "jobs"} << QStringLiteral("--kind takes");
    QTest::newRow("all for an id") << QStringList{"show", "--kind", "all", "batch_x"} << QStringLiteral("for lists");
    QTest::newRow("not for profile") << QStringList{"profile", "list", "--kind", "batch"}
                                     << QStringLiteral("does not apply");
}

void TestCliKind::kindMustBeOneOfThree()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, said);
    const CliRun r = run(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(said), qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(), 0);
}

void TestCliKind::cancelledBatchSaysWhatBecameOfItsRequests()
{
    m_sim->addBatch(QStringLiteral("batch_run"), QStringLiteral("in_progress"));
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--wait"), QStringLiteral("batch_run")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed(), QStringLiteral("batch_run cancelled (400 completed, 10 failed of 1000 requests)"));
    QVERIFY2(r.err.contains(QStringLiteral("partial output")), qPrintable(r.err));
    const QList<SimulatedRequest> cancels = m_sim->requests(JobSimulator::RequestKind::Cancel);
    QCOMPARE(cancels.size(), 1);
    QCOMPARE(cancels.first().path, QStringLiteral("/v1/batches/batch_run/cancel"));

    const QList<QJsonObject> audit = auditLines();
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.first().value(QStringLiteral("job_id")).toString(), QStringLiteral("batch_run"));
    QCOMPARE(audit.first().value(QStringLiteral("kind")).toString(), QStringLiteral("batch"));

    m_sim->addBatch(QStringLiteral("batch_two"), QStringLiteral("in_progress"));
    m_sim->addBatch(QStringLiteral("batch_three"), QStringLiteral("in_progress"));
    // Without --wait a cancelled batch is still "cancelling" (for up to 10 minutes): said, and exit 1.
    const CliRun json = run({QStringLiteral("cancel"), QStringLiteral("--json"), QStringLiteral("batch_two")});
    QCOMPARE(json.exitCode, 1);
    const QJsonObject asked = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(asked.value(QStringLiteral("kind")).toString(), QStringLiteral("batch"));
    QCOMPARE(asked.value(QStringLiteral("status")).toString(), QStringLiteral("cancelling"));
    const CliRun waited = run(
        {QStringLiteral("cancel"), QStringLiteral("--wait"), QStringLiteral("--json"), QStringLiteral("batch_three")});
    QCOMPARE(waited.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(waited.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("batch"));
    QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("cancelled"));
    QVERIFY(!o.value(QStringLiteral("request_counts")).toString().isEmpty());
}

void TestCliKind::kindThatDoesNotFitTheIdSendsNothing()
{
    m_sim->add(QStringLiteral("ftjob-run"), QStringLiteral("running"));
    const CliRun r = run(
        {QStringLiteral("cancel"), QStringLiteral("--kind"), QStringLiteral("batch"), QStringLiteral("ftjob-run")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("is a fine-tuning job, not a batch")), qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-run")).status, QStringLiteral("running"));
}

void TestCliKind::allActiveOfEveryKindCancelsJobsAndBatches()
{
    m_sim->add(QStringLiteral("ftjob-run"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("succeeded"));
    m_sim->addBatch(QStringLiteral("batch_run"), QStringLiteral("in_progress"));
    m_sim->addBatch(QStringLiteral("batch_done"), QStringLiteral("completed"));
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--kind"),
                          QStringLiteral("all"), QStringLiteral("--yes"), QStringLiteral("--wait")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-run")), 1);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("batch_run")), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
    QCOMPARE(m_sim->job(QStringLiteral("batch_run")).status, QStringLiteral("cancelled"));
}

QTEST_GUILESS_MAIN(TestCliKind)
#include "tst_clikind.moc"
