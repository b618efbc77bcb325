#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

// `ftcancel list`, `show`, `events` and `cancel --all-active` against the job simulator: what an operator reads
// (aligned columns, active jobs first), what a script reads (--json, stable fields), paging and its failures, and
// "stop everything running" — refused without a terminal or --yes, and cancelling exactly the jobs still running.
class TestCliList final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void listShowsActiveJobsFirstInColumns();
    void listAllAndByStatus();
    void listJsonHasStableFields();
    void listStopsAtItsLimit();
    void listPageFailingShowsWhatWasRead();
    void listThatDoesNotEndFails();
    void eventsThatDoNotEndFail();
    void showOneJob();
    void eventsNewestFirst();
    void optionsOfAnotherCommandAreRefused();
    void allActiveNeedsATerminalOrYes();
    void allActiveCancelsExactlyTheRunningJobs();
    void allActiveDryRunSendsNothing();
    void allActiveOnAListThatDoesNotEndCancelsNothing_data();
    void allActiveOnAListThatDoesNotEndCancelsNothing();
    void allActiveAsksAndNoSendsNothing();

private:
    using Run = CliRun;
    Run run(const QStringList& arguments);
    QStringList seedMix();

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
};

namespace {
const QString key = QStringLiteral("sk-clilist-test-0") + QStringLiteral("123456789abcdLIST");
}

void TestCliList::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
}

void TestCliList::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
}

void TestCliList::cleanup()
{
    delete m_sim;
    delete m_server;
    m_sim = nullptr;
    m_server = nullptr;
}

CliRun TestCliList::run(const QStringList& arguments)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("OPENAI_ORG_ID"));
    env.remove(QStringLiteral("OPENAI_PROJECT_ID"));
    env.insert(QStringLiteral("OPENAI_API_KEY"), key);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    return runFtcancel(arguments, env);
}

// Oldest first: a running job, a succeeded one, a queued one, a failed one, a cancelled one, a validating one.
QStringList TestCliList::seedMix()
{
    const QList<QPair<QString, QString>> jobs{
        {QStringLiteral("ftjob-oldrun"), QStringLiteral("running")},
        {QStringLiteral("ftjob-done"), QStringLiteral("succeeded")},
        {QStringLiteral("ftjob-queued"), QStringLiteral("queued")},
        {QStringLiteral("ftjob-failed"), QStringLiteral("failed")},
        {QStringLiteral("ftjob-gone"), QStringLiteral("cancelled")},
        {QStringLiteral("ftjob-newval"), QStringLiteral("validating_files")},
    };
    QStringList ids;
    for (const auto& [id, status] : jobs) {
        m_sim->add(id, status);
        ids << id;
    }
    return ids;
}

void TestCliList::listShowsActiveJobsFirstInColumns()
{
    seedMix();
    const Run r = run({QStringLiteral("list")});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4); // the header and the three jobs still running
    QVERIFY2(lines.at(0).startsWith(QStringLiteral("ID")), qPrintable(r.out));
    QVERIFY(lines.at(1).startsWith(QStringLiteral("ftjob-newval ")));
    QVERIFY(lines.at(2).startsWith(QStringLiteral("ftjob-queued ")));
    QVERIFY(lines.at(3).startsWith(QStringLiteral("ftjob-oldrun ")));
    // Columns a person can read: the status column starts at the same place on every line.
    const qsizetype statusAt = lines.at(0).indexOf(QStringLiteral("STATUS"));
    QVERIFY(statusAt > 0);
    QCOMPARE(lines.at(1).indexOf(QStringLiteral("validating_files")), statusAt);
    QCOMPARE(lines.at(3).indexOf(QStringLiteral("running")), statusAt);
    QVERIFY2(r.err.contains(QStringLiteral("3 active jobs, of 6 read.")), qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestCliList::listAllAndByStatus()
{
    seedMix();
    const Run all = run({QStringLiteral("list"), QStringLiteral("--all")});
    QCOMPARE(all.exitCode, 0);
    QCOMPARE(all.out.split(u'\n', Qt::SkipEmptyParts).size(), 7);
    // Finished jobs after the running ones.
    QVERIFY(all.out.indexOf(QStringLiteral("ftjob-oldrun")) < all.out.indexOf(QStringLiteral("ftjob-gone")));
    const Run some = run({QStringLiteral("list"), QStringLiteral("--status"), QStringLiteral("succeeded,failed")});
    QCOMPARE(some.exitCode, 0);
    const QStringList lines = some.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(some.out.contains(QStringLiteral("ftjob-done")) && some.out.contains(QStringLiteral("ftjob-failed")));
}

void TestCliList::listJsonHasStableFields()
{
    seedMix();
    const Run r = run({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--all")});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    const QJsonObject first = QJsonDocument::fromJson(lines.first().toUtf8()).object();
    for (const char* field :
         {"id", "status", "model", "fine_tuned_model", "created_at", "estimated_finish", "finished_at",
          "trained_tokens", "organization_id", "suffix", "metadata", "error", "finished"})
        QVERIFY2(first.contains(QLatin1String(field)), field);
    QCOMPARE(first.value(QLatin1String("id")).toString(), QStringLiteral("ftjob-newval"));
    QCOMPARE(first.value(QLatin1String("finished")).toBool(true), false);
    QVERIFY(first.value(QLatin1String("created_at")).toString().endsWith(u'Z'));
    QCOMPARE(r.err, QString()); // stdout is the JSON alone; nothing chatty on stderr either
}

void TestCliList::listStopsAtItsLimit()
{
    m_sim->addMany(250, {{QStringLiteral("running"), 1}});
    const Run r = run({QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("120")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts).size(), 121);
    QVERIFY2(r.err.contains(QStringLiteral("Stopped reading at 120 jobs")), qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2);
}

void TestCliList::listPageFailingShowsWhatWasRead()
{
    m_sim->addMany(250, {{QStringLiteral("running"), 1}});
    m_sim->failListPage(2, 1, JobSimulator::serverError(false));
    const Run r = run({QStringLiteral("list")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts).size(), 101); // the first page, shown
    QVERIFY2(r.err.contains(QStringLiteral("Reading the list failed after 100 jobs")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("HTTP 500")), qPrintable(r.err));
}

void TestCliList::listThatDoesNotEndFails()
{
    // Page 2 is page 1 again, "has_more" still true: what was read is shown, and it is not taken for the whole list.
    m_sim->addMany(250, {{QStringLiteral("running"), 1}});
    m_sim->failListPage(2, 1, m_sim->listPage(m_sim->jobIds().mid(0, 100), true));
    const Run r = run({QStringLiteral("list")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts).size(), 101);
    QVERIFY2(r.err.contains(QStringLiteral("Reading the list failed after 100 jobs: The list did not end: page 2 "
                                           "repeated 100 jobs already listed")),
             qPrintable(r.err));
    QVERIFY2(!r.err.contains(QStringLiteral("cancelled")), qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2);
}

void TestCliList::eventsThatDoNotEndFail()
{
    const QString id = QStringLiteral("ftjob-evloop");
    m_sim->add(id, QStringLiteral("running"));
    for (int i = 1; i <= 200; ++i)
        m_sim->addEvent(id, QStringLiteral("info"), QStringLiteral("Step %1").arg(i));
    QStringList newest;
    for (const SimulatedEvent& event : m_sim->job(id).events)
        newest.prepend(event.id);
    // Every page the first one, "has_more" for ever.
    m_sim->failNext(id, JobSimulator::RequestKind::Events, 5, m_sim->eventsPage(id, newest.mid(0, 100), true));
    const Run r = run({QStringLiteral("events"), id, QStringLiteral("--limit"), QStringLiteral("300")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts).size(), 100); // each event once
    QVERIFY2(r.err.contains(QStringLiteral("The list did not end: page 2 of the events brought only events already "
                                           "read")),
             qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 2);
}

void TestCliList::showOneJob()
{
    m_sim->add(QStringLiteral("ftjob-shown"), QStringLiteral("running"), QStringLiteral("gpt-4.1-mini"));
    const Run r = run({QStringLiteral("show"), QStringLiteral("ftjob-shown")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("status:\\s+running\\n"))), qPrintable(r.out));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("model:\\s+gpt-4.1-mini\\n"))));
    QVERIFY(r.out.contains(QStringLiteral("https://platform.openai.com/finetune/ftjob-shown")));
    const Run json = run({QStringLiteral("show"), QStringLiteral("--json"), QStringLiteral("ftjob-shown")});
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).object().value(QLatin1String("status")).toString(),
             QStringLiteral("running"));
    const Run missing = run({QStringLiteral("show"), QStringLiteral("ftjob-nobody")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.startsWith(QStringLiteral("ftjob-nobody error 404 ")), qPrintable(missing.err));
    QCOMPARE(run({QStringLiteral("show")}).exitCode, 2);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestCliList::eventsNewestFirst()
{
    m_sim->add(QStringLiteral("ftjob-ev"), QStringLiteral("running"));
    for (int i = 1; i <= 30; ++i)
        m_sim->addEvent(QStringLiteral("ftjob-ev"), QStringLiteral("info"), QStringLiteral("Step %1/30").arg(i));
    const Run r
        = run({QStringLiteral("events"), QStringLiteral("ftjob-ev"), QStringLiteral("--limit"), QStringLiteral("5")});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QVERIFY2(lines.first().endsWith(QStringLiteral("Step 30/30")), qPrintable(lines.first()));
    QVERIFY(lines.last().endsWith(QStringLiteral("Step 26/30")));
    QVERIFY2(r.err.contains(QStringLiteral("Older events not shown")), qPrintable(r.err));
    const Run json = run({QStringLiteral("events"), QStringLiteral("--json"), QStringLiteral("ftjob-ev")});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject first = QJsonDocument::fromJson(json.out.split(u'\n').first().toUtf8()).object();
    QCOMPARE(first.value(QLatin1String("message")).toString(), QStringLiteral("Step 30/30"));
    QCOMPARE(first.value(QLatin1String("level")).toString(), QStringLiteral("info"));
    QVERIFY(first.contains(QLatin1String("created_at")) && first.contains(QLatin1String("id")));
}

void TestCliList::optionsOfAnotherCommandAreRefused()
{
    for (const QStringList& arguments :
         {QStringList{"list", "--yes"}, QStringList{"show", "ftjob-a", "--all"},
          QStringList{"cancel", "--all", "ftjob-a"}, QStringList{"list", "ftjob-a"},
          QStringList{"cancel", "--all-active", "ftjob-a"}, QStringList{"events", "ftjob-a", "ftjob-b"}}) {
        const Run r = run(arguments);
        QVERIFY2(r.exitCode == 2, qPrintable(arguments.join(u' ') + QStringLiteral(": ") + r.err));
    }
    QCOMPARE(m_sim->requestCount(), 0);
}

void TestCliList::allActiveNeedsATerminalOrYes()
{
    seedMix();
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--all-active")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--yes")), qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(), 0);
}

void TestCliList::allActiveCancelsExactlyTheRunningJobs()
{
    const QStringList ids = seedMix();
    m_sim->addMany(150, {{QStringLiteral("running"), 1}}); // more than one page
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--yes")});
    QCOMPARE(r.exitCode, 0);
    for (const char* finished : {"ftjob-done", "ftjob-failed", "ftjob-gone"})
        QCOMPARE(m_sim->cancelRequestCount(QLatin1String(finished)), 0);
    for (const char* active : {"ftjob-oldrun", "ftjob-queued", "ftjob-newval"})
        QCOMPARE(m_sim->cancelRequestCount(QLatin1String(active)), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 153);
    QCOMPARE(r.out.count(QStringLiteral(" cancelled\n")), 153);
}

void TestCliList::allActiveDryRunSendsNothing()
{
    seedMix();
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--dry-run")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count(QStringLiteral("would be cancelled")), 3);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestCliList::allActiveOnAListThatDoesNotEndCancelsNothing_data()
{
    QTest::addColumn<bool>("empty"); // the looping page: page 1 again, or no job at all
    QTest::newRow("page 1 again") << false;
    QTest::newRow("an empty page") << true;
}

void TestCliList::allActiveOnAListThatDoesNotEndCancelsNothing()
{
    // "Stop everything" on a list that does not end: the jobs read are not all there are, so none is cancelled.
    QFETCH(bool, empty);
    m_sim->addMany(250, {{QStringLiteral("running"), 1}});
    m_sim->failListPage(2, 1, m_sim->listPage(empty ? QStringList() : m_sim->jobIds().mid(0, 100), true));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--yes")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QVERIFY2(r.err.contains(QStringLiteral("Nothing cancelled: the list of jobs could not be read to the end")),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("what runs is not known: The list did not end: page 2 ")),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(empty ? QStringLiteral("brought no job") : QStringLiteral("repeated 100 jobs")),
             qPrintable(r.err));
}

void TestCliList::allActiveAsksAndNoSendsNothing()
{
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        QSKIP("script(1) from util-linux is needed for a terminal");
    m_sim->add(QStringLiteral("ftjob-only"), QStringLiteral("running"));
    QProcess shell;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENAI_API_KEY"), key);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    env.insert(QStringLiteral("FT"), qEnvironmentVariable("FTCANCEL_BINARY"));
    shell.setProcessEnvironment(env);
    // Even one job: "stop everything" always asks a person.
    shell.start(QStringLiteral("script"),
                {QStringLiteral("-qec"), QStringLiteral("\"$FT\" cancel --all-active"), QStringLiteral("/dev/null")});
    QSignalSpy finished(&shell, &QProcess::finished);
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT((seen += shell.readAllStandardOutput()).contains("[y/N]"), 60000);
    QVERIFY2(seen.contains("About to cancel 1 job"), seen.constData());
    shell.write("\n"); // Enter: the default is to keep it running
    QVERIFY(finished.wait(60000));
    QCOMPARE(shell.exitCode(), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

QTEST_GUILESS_MAIN(TestCliList)
#include "tst_clilist.moc"
