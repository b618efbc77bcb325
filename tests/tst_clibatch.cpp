#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

// `ftcancel cancel` as the binding of the batch engine, against the job simulator: several ids per argument and
// from stdin, the look-up that skips finished jobs, --dry-run, --no-preview, --wait, --concurrency, --json's
// outcome, and the confirmation a person at a terminal is asked for (run under script(1) for a real pty).
class TestCliBatch final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void lookupSkipsFinishedAndUnknownJobs();
    void severalIdsInOneArgumentAndFromStdin();
    void dryRunSendsNoCancel();
    void noPreviewSendsOnlyCancels();
    void waitWatchesUntilCancelled();
    void concurrencyIsHonoured();
    void badConcurrencyIsRefused();
    void jsonCarriesTheOutcome();
    void terminalAsksBeforeSeveralJobs_data();
    void terminalAsksBeforeSeveralJobs();
    void scriptsAreNeverAsked();
    void allActiveSendsAtOnceAndNamesRefusedIds();
    void allActivePromptCountsAndNamesTheJobs();
    void longRateLimitExitsFourAndSendsNothingMore();
    void rejectedKeyExitsThreeAndSendsNothingMore();

private:
    using Run = CliRun;
    Run run(const QStringList& arguments, const QByteArray& input = QByteArray());
    QProcessEnvironment env() const;

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
};

namespace {
const QString key = QStringLiteral("sk-clibatch-test") + QStringLiteral("-0123456789abcdCLIB");
}

void TestCliBatch::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
}

void TestCliBatch::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
}

void TestCliBatch::cleanup()
{
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

QProcessEnvironment TestCliBatch::env() const
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"OPENAI_ORG_ID", "OPENAI_PROJECT_ID"})
        e.remove(QString::fromLatin1(name));
    e.insert(QStringLiteral("OPENAI_API_KEY"), key);
    e.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    return e;
}

CliRun TestCliBatch::run(const QStringList& arguments, const QByteArray& input)
{
    return runFtcancel(arguments, env(), input);
}

void TestCliBatch::lookupSkipsFinishedAndUnknownJobs()
{
    m_sim->add(QStringLiteral("ftjob-live"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("succeeded"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("ftjob-live"), QStringLiteral("ftjob-done"),
                       QStringLiteral("ftjob-nope")});
    QCOMPARE(r.exitCode, 1); // one skipped, one not found: not every job was cancelled
    QVERIFY2(r.out.contains(QStringLiteral("ftjob-live cancelled\n")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("ftjob-done already succeeded\n")), qPrintable(r.out));
    QVERIFY2(r.err.contains(QStringLiteral("ftjob-nope error 404 ")), qPrintable(r.err));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-done")), 0);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-nope")), 0);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-live")), 1);

    // Only jobs that can be cancelled: 0.
    m_sim->add(QStringLiteral("ftjob-live2"), QStringLiteral("queued"));
    QCOMPARE(run({QStringLiteral("cancel"), QStringLiteral("ftjob-live2")}).exitCode, 0);
}

void TestCliBatch::severalIdsInOneArgumentAndFromStdin()
{
    const QStringList ids = m_sim->addMany(5, {{QStringLiteral("running"), 1}});
    const Run one = run({QStringLiteral("cancel"),
                         QStringLiteral("%1,%2 https://platform.openai.com/finetune/%3?filter=all")
                             .arg(ids.at(0), ids.at(1), ids.at(2))});
    QCOMPARE(one.exitCode, 0);
    QCOMPARE(one.out.count(QStringLiteral(" cancelled\n")), 3);
    // Log lines and JSON on stdin, with a duplicate: each job once.
    const QByteArray input
        = QStringLiteral("2024-05-01 12:00 INFO started %1\n{\"id\": \"%2\", \"status\": \"running\"}\n%1\n")
              .arg(ids.at(3), ids.at(4))
              .toUtf8();
    const Run piped = run({QStringLiteral("cancel"), QStringLiteral("-")}, input);
    QCOMPARE(piped.exitCode, 0);
    QCOMPARE(piped.out.count(QStringLiteral(" cancelled\n")), 2);
    QCOMPARE(m_sim->cancelRequestCount(ids.at(3)), 1);
    // Junk among the ids: nothing is sent.
    m_sim->resetCounters();
    const Run junk = run({QStringLiteral("cancel"), QStringLiteral("ftjob-a file-xyz")});
    QCOMPARE(junk.exitCode, 2);
    QVERIFY2(junk.err.contains(QStringLiteral("file id")), qPrintable(junk.err));
    QCOMPARE(m_sim->requestCount(), 0);
    // Nothing that looks like an id on stdin.
    const Run empty = run({QStringLiteral("cancel"), QStringLiteral("-")}, "no ids here\n");
    QCOMPARE(empty.exitCode, 2);
    QVERIFY2(empty.err.contains(QStringLiteral("No job id found on standard input")), qPrintable(empty.err));
}

void TestCliBatch::dryRunSendsNoCancel()
{
    m_sim->add(QStringLiteral("ftjob-d1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-d2"), QStringLiteral("queued"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--dry-run"), QStringLiteral("ftjob-d1"),
                       QStringLiteral("ftjob-d2")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("ftjob-d1 would be cancelled (now running)")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("ftjob-d2 would be cancelled (now queued)")), qPrintable(r.out));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-d1")).status, QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-d3"), QStringLiteral("failed"));
    const Run finished = run({QStringLiteral("cancel"), QStringLiteral("--dry-run"), QStringLiteral("ftjob-d1"),
                              QStringLiteral("ftjob-d3")});
    QCOMPARE(finished.exitCode, 1);
    QVERIFY2(finished.out.contains(QStringLiteral("ftjob-d3 already failed")), qPrintable(finished.out));
}

void TestCliBatch::noPreviewSendsOnlyCancels()
{
    m_sim->add(QStringLiteral("ftjob-n1"), QStringLiteral("running"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("ftjob-n1")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 1);
}

void TestCliBatch::waitWatchesUntilCancelled()
{
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(1);
    m_sim->add(QStringLiteral("ftjob-w1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-w2"), QStringLiteral("running"));
    // Without --wait: the cancel answered "cancelling", so not (yet) cancelled.
    const Run quick = run({QStringLiteral("cancel"), QStringLiteral("ftjob-w1")});
    QCOMPARE(quick.exitCode, 1);
    QCOMPARE(quick.out, QStringLiteral("ftjob-w1 cancelling\n"));
    // With --wait the job is read until it is cancelled.
    const Run waited = run({QStringLiteral("cancel"), QStringLiteral("--wait=60"), QStringLiteral("ftjob-w2")});
    QCOMPARE(waited.exitCode, 0);
    QCOMPARE(waited.out, QStringLiteral("ftjob-w2 cancelled\n"));
    QVERIFY(m_sim->requestCount(JobSimulator::RequestKind::Retrieve) >= 3); // two look-ups and the watch
}

void TestCliBatch::concurrencyIsHonoured()
{
    m_sim->setLatency(50);
    const QStringList ids = m_sim->addMany(12, {{QStringLiteral("running"), 1}});
    const Run r
        = run(QStringList{QStringLiteral("cancel"), QStringLiteral("--concurrency"), QStringLiteral("2")} + ids);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(m_sim->maxInFlight(), 2);
}

void TestCliBatch::badConcurrencyIsRefused()
{
    for (const char* value : {"0", "33", "many"}) {
        const Run r = run({QStringLiteral("cancel"), QStringLiteral("--concurrency"), QLatin1String(value),
                           QStringLiteral("ftjob-x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--concurrency takes a whole number from 1 to 32")), qPrintable(r.err));
    }
    QCOMPARE(m_sim->requestCount(), 0);
}

void TestCliBatch::jsonCarriesTheOutcome()
{
    m_sim->add(QStringLiteral("ftjob-j1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-j2"), QStringLiteral("succeeded"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--json"), QStringLiteral("ftjob-j1"),
                       QStringLiteral("ftjob-j2"), QStringLiteral("ftjob-j3")});
    QCOMPARE(r.exitCode, 1);
    QHash<QString, QJsonObject> byId;
    for (const QString& line : r.out.split(u'\n', Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        byId.insert(o.value(QLatin1String("id")).toString(), o);
    }
    QCOMPARE(byId.size(), 3);
    QCOMPARE(byId.value(QStringLiteral("ftjob-j1")).value(QLatin1String("outcome")).toString(),
             QStringLiteral("cancelled"));
    QCOMPARE(byId.value(QStringLiteral("ftjob-j1")).value(QLatin1String("status_before")).toString(),
             QStringLiteral("running"));
    QCOMPARE(byId.value(QStringLiteral("ftjob-j1")).value(QLatin1String("ok")).toBool(), true);
    QCOMPARE(byId.value(QStringLiteral("ftjob-j2")).value(QLatin1String("outcome")).toString(),
             QStringLiteral("already_finished"));
    QCOMPARE(byId.value(QStringLiteral("ftjob-j3")).value(QLatin1String("outcome")).toString(),
             QStringLiteral("not_found"));
    QCOMPARE(byId.value(QStringLiteral("ftjob-j3")).value(QLatin1String("http_status")).toInt(), 404);
}

void TestCliBatch::terminalAsksBeforeSeveralJobs_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("cancels");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("yes") << QByteArray("y\n") << 2 << 0;
    QTest::newRow("no") << QByteArray("n\n") << 0 << 1;
    QTest::newRow("just enter") << QByteArray("\n") << 0 << 1;
    QTest::newRow("end of input") << QByteArray() << 0 << 1;
}

void TestCliBatch::terminalAsksBeforeSeveralJobs()
{
    QFETCH(QByteArray, answer);
    QFETCH(int, cancels);
    QFETCH(int, exitCode);
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        QSKIP("script(1) from util-linux is needed for a terminal");
    m_sim->add(QStringLiteral("ftjob-t1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-t2"), QStringLiteral("queued"));
    QProcess shell;
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("FT"), qEnvironmentVariable("FTCANCEL_BINARY"));
    shell.setProcessEnvironment(e);
    // script(1) gives the command a real terminal as stdin; what we write reaches it as typed keys.
    shell.start(
        QStringLiteral("script"),
        {QStringLiteral("-qec"), QStringLiteral("\"$FT\" cancel ftjob-t1 ftjob-t2"), QStringLiteral("/dev/null")});
    QSignalSpy finished(&shell, &QProcess::finished);
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT((seen += shell.readAllStandardOutput()).contains("[y/N]"), 60000);
    QVERIFY2(seen.contains("About to cancel 2 jobs"), seen.constData());
    QVERIFY(seen.contains("ftjob-t1") && seen.contains("ftjob-t2"));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0); // nothing before the answer
    if (answer.isEmpty())
        shell.write("\x04"); // Ctrl+D
    else
        shell.write(answer);
    QVERIFY(finished.wait(60000));
    QCOMPARE(shell.exitCode(), exitCode);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), cancels);
}

void TestCliBatch::scriptsAreNeverAsked()
{
    // stdin is a pipe here, not a terminal: no question, however many jobs.
    const QStringList ids = m_sim->addMany(3, {{QStringLiteral("running"), 1}});
    const Run r = run(QStringList{QStringLiteral("cancel")} + ids);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!r.err.contains(QStringLiteral("[y/N]")));
    // --yes on a terminal: no question either.
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        return;
    const QStringList more = m_sim->addMany(2, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-yes"));
    QProcess shell;
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("FT"), qEnvironmentVariable("FTCANCEL_BINARY"));
    shell.setProcessEnvironment(e);
    shell.start(QStringLiteral("script"),
                {QStringLiteral("-qec"), QStringLiteral("\"$FT\" cancel --yes %1 %2").arg(more.at(0), more.at(1)),
                 QStringLiteral("/dev/null")});
    QSignalSpy finished(&shell, &QProcess::finished); // the server lives in this event loop: spin it
    QVERIFY(finished.wait(60000));
    QCOMPARE(shell.exitCode(), 0);
    QVERIFY(!shell.readAllStandardOutput().contains("[y/N]"));
}

namespace {
const QStringList refusedIds{QStringLiteral("a/../b"), QStringLiteral("ftjob-with space")};
}

void TestCliBatch::allActiveSendsAtOnceAndNamesRefusedIds()
{
    // The list read is the look-up: exactly one cancel per job that has not finished, no GET of a single job; the
    // ids FtCancel will not send are named, counted, and make the run fail.
    const QStringList running = m_sim->addMany(5, {{QStringLiteral("running"), 1}});
    m_sim->addMany(2, {{QStringLiteral("succeeded"), 1}}, QStringLiteral("ftjob-old"));
    for (const QString& id : refusedIds)
        m_sim->add(id, QStringLiteral("queued"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--yes")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 5);
    for (const QString& id : running)
        QVERIFY2(r.out.contains(id + QStringLiteral(" cancelled\n")), qPrintable(r.out));
    for (const QString& id : refusedIds) {
        QVERIFY2(
            r.err.contains(id + QStringLiteral(" error 0 Not sent: the server listed an id FtCancel will not send (")),
            qPrintable(r.err));
    }
    QVERIFY2(r.err.contains(QStringLiteral("2 listed jobs not sent: the server listed an id FtCancel will not send.")),
             qPrintable(r.err));

    // --json: each refused id is an object of its own.
    m_sim->resetCounters();
    for (const QString& id : running)
        m_sim->setStatus(id, QStringLiteral("running"));
    const Run json = run(
        {QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--yes"), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 1);
    QStringList refusedSeen;
    for (const QString& line : json.out.split(u'\n', Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        if (o.value(QLatin1String("outcome")).toString() == QLatin1String("id_refused"))
            refusedSeen << o.value(QLatin1String("id")).toString();
    }
    refusedSeen.sort();
    QStringList expected = refusedIds;
    expected.sort();
    QCOMPARE(refusedSeen, expected);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
}

void TestCliBatch::allActivePromptCountsAndNamesTheJobs()
{
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        QSKIP("script(1) from util-linux is needed for a terminal");
    m_sim->addMany(3, {{QStringLiteral("running"), 1}});
    m_sim->add(QStringLiteral("ftjob-q1"), QStringLiteral("queued"), QStringLiteral("gpt-4.1"));
    m_sim->add(refusedIds.first(), QStringLiteral("running"));
    QProcess shell;
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("FT"), qEnvironmentVariable("FTCANCEL_BINARY"));
    shell.setProcessEnvironment(e);
    shell.start(QStringLiteral("script"),
                {QStringLiteral("-qec"), QStringLiteral("\"$FT\" cancel --all-active"), QStringLiteral("/dev/null")});
    QSignalSpy finished(&shell, &QProcess::finished);
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT((seen += shell.readAllStandardOutput()).contains("[y/N]"), 60000);
    const QString prompt = QString::fromUtf8(seen);
    QVERIFY2(prompt.contains(QStringLiteral("About to cancel 4 jobs")), qPrintable(prompt));
    QVERIFY2(
        prompt.contains(QStringLiteral("3 running, 1 queued \u00B7 gpt-4o-mini-2024-07-18 \u00D73, gpt-4.1 \u00D71")),
        qPrintable(prompt));
    QVERIFY2(prompt.contains(QStringLiteral("Not sent: 1 job listed as not finished has an id FtCancel will not send")),
             qPrintable(prompt));
    QVERIFY2(prompt.contains(refusedIds.first()), qPrintable(prompt));
    // Asked straight from the list: nothing looked up, nothing sent before the answer.
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    shell.write("y\n");
    QVERIFY(finished.wait(60000));
    QCOMPARE(shell.exitCode(), 1); // one listed job was not sent
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 4);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
}

void TestCliBatch::longRateLimitExitsFourAndSendsNothingMore()
{
    m_sim->setLatency(50);
    const QStringList ids = m_sim->addMany(40, {{QStringLiteral("running"), 1}});
    m_sim->failNext(ids.at(6), JobSimulator::RequestKind::Cancel, 1, JobSimulator::rateLimited(120));
    const Run r = run(QStringList{QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("--yes"),
                                  QStringLiteral("--concurrency"), QStringLiteral("4")}
                      + ids);
    QCOMPARE(r.exitCode, 4);
    // Only what was in flight when the 429 came: the seven before it, and at most three sent beside it.
    const int cancels = m_sim->requestCount(JobSimulator::RequestKind::Cancel);
    QVERIFY2(cancels <= 7 + 3, qPrintable(QString::number(cancels)));
    QCOMPARE(m_sim->cancelRequestCount(ids.last()), 0);
    const QRegularExpression until(
        QStringLiteral("Rate limited until \\d\\d:\\d\\d:\\d\\d \\(\\d{4}-\\d\\d-\\d\\d\\); retry then\\.\n$"));
    QVERIFY2(until.match(r.err).hasMatch(), qPrintable(r.err.right(500)));
    QVERIFY2(r.err.contains(QStringLiteral("job%1 not sent, rate limited until ").arg(40 - cancels == 1 ? "" : "s")),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(ids.last()), qPrintable(r.err));
    QVERIFY2(r.err.contains(ids.at(6) + QStringLiteral(" error 429 ")), qPrintable(r.err));
}

void TestCliBatch::rejectedKeyExitsThreeAndSendsNothingMore()
{
    // 200 ids, 4 at a time; the key is revoked after the tenth cancel.
    m_sim->setLatency(20);
    const QStringList ids = m_sim->addMany(200, {{QStringLiteral("running"), 1}});
    for (int i = 10; i < ids.size(); ++i)
        m_sim->failNext(ids.at(i), JobSimulator::RequestKind::Cancel, 1,
                        FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided."),
                                               QStringLiteral("invalid_request_error"),
                                               QStringLiteral("invalid_api_key")));
    const Run r = run(QStringList{QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("--yes"),
                                  QStringLiteral("--concurrency"), QStringLiteral("4")}
                      + ids);
    QCOMPARE(r.exitCode, 3);
    const int cancels = m_sim->requestCount(JobSimulator::RequestKind::Cancel);
    QVERIFY2(cancels <= 10 + 1 + 4, qPrintable(QString::number(cancels)));
    QVERIFY2(r.err.contains(QStringLiteral("not sent, the API rejected the key: ")), qPrintable(r.err.left(2000)));
    QVERIFY2(r.err.contains(ids.last()), qPrintable(r.err.left(2000)));
    QVERIFY2(r.err.contains(QStringLiteral("The API rejected the key (HTTP 401)")), qPrintable(r.err.right(1000)));
}

QTEST_GUILESS_MAIN(TestCliBatch)
#include "tst_clibatch.moc"
