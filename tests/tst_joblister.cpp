#include "activitylog.h"
#include "appinfo.h"
#include "eventlister.h"
#include "fakeopenaiserver.h"
#include "finetuningclient.h"
#include "joblister.h"
#include "jobsimulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

// Reading the account's jobs and a job's events, page after page, against the job simulator: every page, a cap,
// a page that fails mid-way (what was read stays, the error too), and the order an operator wants.
class TestJobLister final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { AppInfo::applyToApplication(); }
    void init();
    void cleanup();

    void readsEveryPage();
    void stopsAtTheCap();
    void readsAgainWhenStartedAgain();
    void serverRepeatingItselfEndsTheList();
    void pageFailingMidwayKeepsWhatWasRead();
    void activeJobsFirstThenNewest();
    void eventsPageNewestFirst();
    void eventsOfAnUnknownJob();
    void listUrlKeepsTheBaseQuery();

private:
    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    ActivityLog* m_log = nullptr;
    ApiConfig m_config;
};

namespace {
constexpr int generous = 60000;
}

void TestJobLister::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_log = new ActivityLog(1000, this);
    m_config = ApiConfig();
    m_config.baseUrl = m_server->baseUrl();
    m_config.apiKey = QStringLiteral("sk-lister-test-0123") + QStringLiteral("456789abcdefLIST");
    m_config.maxRetries = 0;
}

void TestJobLister::cleanup()
{
    delete m_sim;
    delete m_server;
    delete m_log;
    m_sim = nullptr;
    m_server = nullptr;
    m_log = nullptr;
}

void TestJobLister::readsEveryPage()
{
    const QStringList ids = m_sim->addMany(250);
    JobLister lister(m_config, m_log);
    QSignalSpy pages(&lister, &JobLister::pageLoaded);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QVERIFY2(lister.error().kind == ApiError::Kind::None, qPrintable(lister.error().message));
    QCOMPARE(lister.jobs().size(), 250);
    QCOMPARE(lister.pages(), 3); // 100 + 100 + 50
    QCOMPARE(pages.size(), 3);
    QCOMPARE(pages.last().first().toInt(), 250);
    QVERIFY(!lister.reachedCap());
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 3);
    // Newest first, as the API lists them, each job once.
    QCOMPARE(lister.jobs().first().id, m_sim->jobIds().first());
    QCOMPARE(lister.jobs().last().id, m_sim->jobIds().last());
    QSet<QString> seen;
    for (const FineTuningJob& job : lister.jobs())
        seen.insert(job.id);
    QCOMPARE(seen.size(), 250);
}

void TestJobLister::stopsAtTheCap()
{
    m_sim->addMany(250);
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start(120);
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.jobs().size(), 120);
    QVERIFY(lister.reachedCap());
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2); // 100, then 20
}

void TestJobLister::readsAgainWhenStartedAgain()
{
    // The ids seen are kept across pages, not across runs: a second start reads the whole list again.
    m_sim->addMany(150);
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.jobs().size(), 150);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.jobs().size(), 150);
    QCOMPARE(lister.pages(), 2);
}

void TestJobLister::serverRepeatingItselfEndsTheList()
{
    // A server (or a proxy's cache) that answers every page with the first one, "has_more" for ever: the list ends
    // at the first page that brings nothing new instead of looping.
    m_server->setHandler([](const RecordedRequest&) {
        QJsonArray data;
        for (int i = 0; i < 3; ++i)
            data.append(FakeResponse::jobObject(QStringLiteral("ftjob-same%1").arg(i), QStringLiteral("running")));
        const QJsonObject page{{QStringLiteral("object"), QStringLiteral("list")},
                               {QStringLiteral("data"), data},
                               {QStringLiteral("has_more"), true}};
        return FakeResponse::json(200, QJsonDocument(page).toJson(QJsonDocument::Compact));
    });
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.jobs().size(), 3);
    QCOMPARE(lister.pages(), 2);
    QCOMPARE(m_server->requestCount(), 2);
}

void TestJobLister::pageFailingMidwayKeepsWhatWasRead()
{
    m_sim->addMany(350);
    m_sim->failListPage(3, 1, JobSimulator::serverError(false));
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.jobs().size(), 200);
    QCOMPARE(lister.error().kind, ApiError::Kind::Http);
    QCOMPARE(lister.error().httpStatus, 500);
}

void TestJobLister::activeJobsFirstThenNewest()
{
    m_sim->add(QStringLiteral("ftjob-old-running"), QStringLiteral("running"), QString(), 1000);
    m_sim->add(QStringLiteral("ftjob-new-done"), QStringLiteral("succeeded"), QString(), 3000);
    m_sim->add(QStringLiteral("ftjob-new-queued"), QStringLiteral("queued"), QString(), 2000);
    m_sim->add(QStringLiteral("ftjob-old-failed"), QStringLiteral("failed"), QString(), 500);
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QList<FineTuningJob> jobs = lister.jobs();
    JobLister::sortActiveFirst(jobs);
    QStringList order;
    for (const FineTuningJob& job : jobs)
        order << job.id;
    QCOMPARE(order, (QStringList{"ftjob-new-queued", "ftjob-old-running", "ftjob-new-done", "ftjob-old-failed"}));
}

void TestJobLister::eventsPageNewestFirst()
{
    m_sim->add(QStringLiteral("ftjob-ev"), QStringLiteral("running"));
    for (int i = 0; i < 130; ++i)
        m_sim->addEvent(QStringLiteral("ftjob-ev"), i % 10 == 0 ? QStringLiteral("warn") : QStringLiteral("info"),
                        QStringLiteral("Step %1").arg(i));
    EventLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &EventLister::finished);
    lister.start(JobId::parse(QStringLiteral("ftjob-ev")), 150);
    QVERIFY(finished.wait(generous));
    QVERIFY2(lister.error().kind == ApiError::Kind::None, qPrintable(lister.error().message));
    QCOMPARE(lister.events().first().message, QStringLiteral("Step 129"));
    QVERIFY(lister.events().size() >= 130);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 2);
    // A smaller limit reads just that much, and says there is more.
    EventLister few(m_config, m_log);
    QSignalSpy fewFinished(&few, &EventLister::finished);
    few.start(JobId::parse(QStringLiteral("ftjob-ev")), 5);
    QVERIFY(fewFinished.wait(generous));
    QCOMPARE(few.events().size(), 5);
    QVERIFY(few.hasMore());
    // Older ones on request: after the last one read, kept behind it, still newest first.
    m_sim->resetCounters();
    few.loadMore(10);
    QVERIFY(fewFinished.wait(generous));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 1);
    QCOMPARE(few.events().size(), 15);
    for (int i = 0; i < 15; ++i)
        QCOMPARE(few.events().at(i).message, QStringLiteral("Step %1").arg(129 - i));
    QVERIFY(few.hasMore());
    // Up to the very first event (the simulator's own, before "Step 0"): then there is no more to load.
    few.loadMore(500);
    QVERIFY(fewFinished.wait(generous));
    QCOMPARE(few.events().size(), lister.events().size());
    QVERIFY(!few.hasMore());
    m_sim->resetCounters();
    few.loadMore(10); // nothing more: nothing sent
    QTest::qWait(100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 0);
    QCOMPARE(fewFinished.size(), 3);
}

void TestJobLister::eventsOfAnUnknownJob()
{
    EventLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &EventLister::finished);
    lister.start(JobId::parse(QStringLiteral("ftjob-nobody")), 10);
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.error().httpStatus, 404);
    QVERIFY(lister.events().isEmpty());
}

void TestJobLister::listUrlKeepsTheBaseQuery()
{
    const QUrl base(QStringLiteral("https://example.openai.azure.com/openai?api-version=2024-10-21"));
    const QUrl jobs = FineTuningClient::listUrl(base, QString(), QStringLiteral("ftjob-x"), 100);
    QCOMPARE(jobs.path(), QStringLiteral("/openai/fine_tuning/jobs"));
    const QUrlQuery query(jobs);
    QCOMPARE(query.queryItemValue(QStringLiteral("api-version")), QStringLiteral("2024-10-21"));
    QCOMPARE(query.queryItemValue(QStringLiteral("limit")), QStringLiteral("100"));
    QCOMPARE(query.queryItemValue(QStringLiteral("after")), QStringLiteral("ftjob-x"));
    const QUrl events = FineTuningClient::listUrl(base, QStringLiteral("ftjob-y"), QString(), 500);
    QCOMPARE(events.path(), QStringLiteral("/openai/fine_tuning/jobs/ftjob-y/events"));
    QCOMPARE(QUrlQuery(events).queryItemValue(QStringLiteral("limit")), QStringLiteral("100")); // the API's largest
}

QTEST_GUILESS_MAIN(TestJobLister)
#include "tst_joblister.moc"
