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
    void serverRepeatingItselfIsAnError();
    void loopingListIsAnError();
    void pageWithNoNewJobIsAnError();
    void pageRepeatingOneJobIsAnError();
    void emptyPageWithHasMoreIsAnError();
    void pageLeadingBackToItsCursorIsAnError();
    void lastPageMayRepeatAJob();
    void pagesAreHandedOutAsTheyArrive();
    void readErrorsSayNothingOfCancelling_data();
    void readErrorsSayNothingOfCancelling();
    void pageFailingMidwayKeepsWhatWasRead();
    void activeJobsFirstThenNewest();
    void eventsPageNewestFirst();
    void eventsOfAnUnknownJob();
    void eventsAreDeduplicated();
    void eventsLoopingIsAnError();
    void eventsEmptyPageWithHasMoreIsAnError();
    void eventsPageLeadingBackToItsCursorIsAnError();
    void listUrlKeepsTheBaseQuery();

private:
    QStringList eventIdsNewestFirst(const QString& id) const;
    // Reads the first page of id's events (limit 100 of its 150), then arms fault for the next one.
    void readFirstEventsPage(EventLister& lister, const QString& id);

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

void TestJobLister::serverRepeatingItselfIsAnError()
{
    // A server (or a proxy's cache) that answers every page with the first one, "has_more" for ever: not a list of
    // three jobs, but one that did not end. What was read stays, and nothing more is asked.
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
    QCOMPARE(lister.error().kind, ApiError::Kind::BadResponse);
    QVERIFY2(lister.error().message.startsWith(
                 QStringLiteral("The list did not end: page 2 repeated 3 jobs already listed (ftjob-same0, ")),
             qPrintable(lister.error().message));
}

void TestJobLister::loopingListIsAnError()
{
    // Page 2 is page 1 again, "has_more" still true.
    const QStringList ids = m_sim->addMany(250);
    const QStringList first = m_sim->jobIds().mid(0, 100);
    m_sim->failListPage(2, 1, m_sim->listPage(first, true));
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(lister.error().kind, ApiError::Kind::BadResponse);
    const QString message = lister.error().message;
    QVERIFY2(
        message.startsWith(
            QStringLiteral("The list did not end: page 2 repeated 100 jobs already listed (%1, ").arg(first.first())),
        qPrintable(message));
    QVERIFY2(message.endsWith(QStringLiteral("…) while saying there were more.")), qPrintable(message));
    QVERIFY(!lister.error().requestId.isEmpty());
    // What was read before stays; nothing more was asked for.
    QCOMPARE(lister.jobs().size(), 100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2);
    QVERIFY(!lister.reachedCap());
}

void TestJobLister::pageWithNoNewJobIsAnError()
{
    m_sim->addMany(150);
    const QStringList listed = m_sim->jobIds();
    m_sim->failListPage(2, 1, m_sim->listPage({listed.at(5), listed.at(7)}, true));
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.error().kind, ApiError::Kind::BadResponse);
    QCOMPARE(lister.error().message,
             QStringLiteral("The list did not end: page 2 repeated 2 jobs already listed (%1, %2) while saying there "
                            "were more.")
                 .arg(listed.at(5), listed.at(7)));
    QCOMPARE(lister.jobs().size(), 100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2);
}

void TestJobLister::pageRepeatingOneJobIsAnError()
{
    // 99 new jobs and one of page 1: the page overlaps what was read, so the list is not what the server says.
    m_sim->addMany(250);
    const QStringList listed = m_sim->jobIds();
    m_sim->failListPage(2, 1, m_sim->listPage(listed.mid(100, 99) + QStringList{listed.at(3)}, true));
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QVERIFY2(lister.error().message.startsWith(
                 QStringLiteral("The list did not end: page 2 repeated 1 job already listed (%1)").arg(listed.at(3))),
             qPrintable(lister.error().message));
    QCOMPARE(lister.jobs().size(), 100); // nothing of that page is taken
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2);
}

void TestJobLister::emptyPageWithHasMoreIsAnError()
{
    // After a page: what was read stays.
    m_sim->addMany(250);
    m_sim->failListPage(2, 1, m_sim->listPage({}, true));
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.error().kind, ApiError::Kind::BadResponse);
    QCOMPARE(lister.error().message,
             QStringLiteral("The list did not end: page 2 brought no job while saying there were more."));
    QCOMPARE(lister.jobs().size(), 100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2);

    // The very first page, and one whose entries have no id (so none is a job): nothing read, and an error.
    for (const QByteArray& body : {QByteArray(R"({"object":"list","data":[],"has_more":true})"),
                                   QByteArray(R"({"object":"list","data":[{},{"id":""}],"has_more":true})")}) {
        m_sim->resetCounters();
        m_sim->failListPage(1, 1, FakeResponse::json(200, body));
        lister.start();
        QVERIFY(finished.wait(generous));
        QVERIFY2(lister.error().message.startsWith(QStringLiteral("The list did not end: page 1 brought no job")),
                 qPrintable(lister.error().message));
        QVERIFY(lister.jobs().isEmpty());
        QCOMPARE(lister.pages(), 1);
        QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 1);
    }
}

void TestJobLister::pageLeadingBackToItsCursorIsAnError()
{
    // Asked for the page after job 100, the server answers with new jobs that end with job 100 itself: the next
    // request would be the one just made. (The next cursor is the page's last id: as the page repeats a job, the
    // rule against repeated jobs ends the list.)
    m_sim->addMany(250);
    const QStringList listed = m_sim->jobIds();
    m_sim->failListPage(2, 1, m_sim->listPage(listed.mid(100, 99) + QStringList{listed.at(99)}, true));
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.error().kind, ApiError::Kind::BadResponse);
    QVERIFY2(lister.error().message.startsWith(QStringLiteral("The list did not end: page 2 ")),
             qPrintable(lister.error().message));
    QVERIFY(lister.error().message.contains(listed.at(99)));
    QCOMPARE(lister.jobs().size(), 100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 2);
}

void TestJobLister::lastPageMayRepeatAJob()
{
    // The list ended (has_more false): a job repeated on its last page is listed once, and that is no error.
    m_sim->addMany(150);
    const QStringList listed = m_sim->jobIds();
    m_sim->failListPage(2, 1, m_sim->listPage(listed.mid(100) + QStringList{listed.at(0)}, false));
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QVERIFY2(!lister.error().isError(), qPrintable(lister.error().message));
    QCOMPARE(lister.jobs().size(), 150);
}

void TestJobLister::pagesAreHandedOutAsTheyArrive()
{
    m_sim->addMany(250);
    JobLister lister(m_config, m_log);
    QSignalSpy pages(&lister, &JobLister::pageRead);
    QSignalSpy finished(&lister, &JobLister::finished);
    lister.start();
    QVERIFY(finished.wait(generous));
    QCOMPARE(pages.size(), 3);
    QStringList handed;
    for (const QList<QVariant>& page : std::as_const(pages)) {
        for (const FineTuningJob& job : page.first().value<QList<FineTuningJob>>())
            handed << job.id;
    }
    QCOMPARE(pages.at(0).first().value<QList<FineTuningJob>>().size(), 100);
    QCOMPARE(handed, m_sim->jobIds());
}

void TestJobLister::readErrorsSayNothingOfCancelling_data()
{
    QTest::addColumn<int>("fault");
    QTest::addColumn<QString>("expected"); // a part of the message
    QTest::newRow("no answer in time") << 0 << QStringLiteral("No answer from");
    QTest::newRow("answer stopped") << 1 << QStringLiteral("nothing more came");
    QTest::newRow("the deadline") << 2 << QStringLiteral("overall deadline");
    QTest::newRow("closed before answering") << 3 << QStringLiteral("closed the connection before answering");
    QTest::newRow("broken mid-body") << 4 << QStringLiteral("connection broke before the whole page arrived");
    QTest::newRow("empty body") << 5 << QStringLiteral("empty body");
    QTest::newRow("not JSON") << 6 << QStringLiteral("not the API's JSON");
    QTest::newRow("HTTP 400") << 7 << QStringLiteral("The API refused the request.");
    QTest::newRow("stopped") << 8 << QStringLiteral("Stopped.");
}

void TestJobLister::readErrorsSayNothingOfCancelling()
{
    // A list page (and an events page) that fails: the operator reads why the read failed, not that a job "may or
    // may not have been cancelled" — nothing was asked to be cancelled.
    QFETCH(int, fault);
    QFETCH(QString, expected);
    m_sim->addMany(150);
    m_sim->add(QStringLiteral("ftjob-talks"), QStringLiteral("running"));
    m_config.timeoutSeconds = 1;
    if (fault == 2) {
        m_config.deadlineSeconds = 1;
        m_config.timeoutSeconds = 30;
    }
    const auto response = [fault]() -> FakeResponse {
        switch (fault) {
        case 0:
        case 2:
        case 8:
            return JobSimulator::hang();
        case 1:
            return FakeResponse::json(200, QByteArray(4096, ' ')).withDrip(1, 5000);
        case 3:
            return JobSimulator::closeConnection();
        case 4:
            return FakeResponse::json(200, QByteArray(4096, ' ')).withBehavior(FakeResponse::Behavior::CloseMidBody);
        case 5:
            return FakeResponse::json(200, QByteArray());
        case 6:
            return FakeResponse::json(200, "<html>gateway</html>").withHeader("content-type", "text/html");
        default:
            return FakeResponse::apiError(400, QStringLiteral("Invalid 'limit'."),
                                          QStringLiteral("invalid_request_error"), QString());
        }
    };
    // Qt sends a GET again by itself, once, when a kept-alive connection closes before an answer: a fault for that too.
    const int times = fault == 3 ? 2 : 1;
    m_sim->failListPage(2, times, response());
    JobLister lister(m_config, m_log);
    QSignalSpy finished(&lister, &JobLister::finished);
    QSignalSpy pages(&lister, &JobLister::pageLoaded);
    lister.start();
    if (fault == 8) {
        QVERIFY(pages.wait(generous));
        QTest::qWait(200); // the second page is asked for and hangs
        lister.abort();
    }
    if (finished.isEmpty())
        QVERIFY(finished.wait(generous));
    QCOMPARE(lister.jobs().size(), 100);
    const QString message = lister.error().message;
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("cancel"), Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("outcome"), Qt::CaseInsensitive), qPrintable(message));

    // Events: the same words.
    m_sim->failNext(QStringLiteral("ftjob-talks"), JobSimulator::RequestKind::Events, times, response());
    EventLister events(m_config, m_log);
    QSignalSpy eventsFinished(&events, &EventLister::finished);
    events.start(JobId::parse(QStringLiteral("ftjob-talks")));
    if (fault == 8) {
        QTest::qWait(300);
        events.abort();
    }
    if (eventsFinished.isEmpty())
        QVERIFY(eventsFinished.wait(generous));
    const QString eventsMessage = events.error().message;
    QVERIFY2(eventsMessage.contains(expected), qPrintable(eventsMessage));
    QVERIFY2(!eventsMessage.contains(QStringLiteral("cancel"), Qt::CaseInsensitive), qPrintable(eventsMessage));
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

QStringList TestJobLister::eventIdsNewestFirst(const QString& id) const
{
    QStringList ids;
    for (const SimulatedEvent& event : m_sim->job(id).events)
        ids.prepend(event.id);
    return ids;
}

void TestJobLister::readFirstEventsPage(EventLister& lister, const QString& id)
{
    m_sim->add(id, QStringLiteral("queued")); // three events of its own
    for (int i = 0; i < 147; ++i)
        m_sim->addEvent(id, QStringLiteral("info"), QStringLiteral("Step %1").arg(i));
    QSignalSpy finished(&lister, &EventLister::finished);
    lister.start(JobId::parse(id), 100);
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.events().size(), 100);
    QVERIFY(lister.hasMore());
    m_sim->resetCounters();
}

void TestJobLister::eventsAreDeduplicated()
{
    // The next page overlaps the one before by five events: each event is listed once.
    const QString id = QStringLiteral("ftjob-overlap");
    EventLister lister(m_config, m_log);
    readFirstEventsPage(lister, id);
    const QStringList all = eventIdsNewestFirst(id);
    m_sim->failNext(id, JobSimulator::RequestKind::Events, 1, m_sim->eventsPage(id, all.mid(95), false));
    QSignalSpy finished(&lister, &EventLister::finished);
    lister.loadMore(100);
    QVERIFY(finished.wait(generous));
    QVERIFY2(!lister.error().isError(), qPrintable(lister.error().message));
    QStringList read;
    for (const JobEvent& event : lister.events())
        read << event.id;
    QCOMPARE(read, all);
    QVERIFY(!lister.hasMore());
}

void TestJobLister::eventsLoopingIsAnError()
{
    // "Load older" answered with the page already read, "has_more" still true.
    const QString id = QStringLiteral("ftjob-loops");
    EventLister lister(m_config, m_log);
    readFirstEventsPage(lister, id);
    const QStringList all = eventIdsNewestFirst(id);
    m_sim->failNext(id, JobSimulator::RequestKind::Events, 1, m_sim->eventsPage(id, all.mid(0, 100), true));
    QSignalSpy finished(&lister, &EventLister::finished);
    lister.loadMore(100);
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.error().kind, ApiError::Kind::BadResponse);
    QCOMPARE(lister.error().message,
             QStringLiteral("The list did not end: page 2 of the events brought only events already read (%1) while "
                            "saying there were more.")
                 .arg(all.first()));
    QCOMPARE(lister.events().size(), 100); // what was read stays, once
    QVERIFY(!lister.hasMore()); // "load older" would only ask the same again
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 1);
    lister.loadMore(100);
    QTest::qWait(100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 1);
}

void TestJobLister::eventsEmptyPageWithHasMoreIsAnError()
{
    const QString id = QStringLiteral("ftjob-empty");
    EventLister lister(m_config, m_log);
    readFirstEventsPage(lister, id);
    m_sim->failNext(id, JobSimulator::RequestKind::Events, 1, m_sim->eventsPage(id, {}, true));
    QSignalSpy finished(&lister, &EventLister::finished);
    lister.loadMore(100);
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.error().message,
             QStringLiteral("The list did not end: page 2 of the events brought no new event while saying there were "
                            "more."));
    QCOMPARE(lister.events().size(), 100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 1);
}

void TestJobLister::eventsPageLeadingBackToItsCursorIsAnError()
{
    // Asked for the events after the 100th, the server answers with ten new ones and then the 100th again: the next
    // request would be the one just made.
    const QString id = QStringLiteral("ftjob-cursor");
    EventLister lister(m_config, m_log);
    readFirstEventsPage(lister, id);
    const QStringList all = eventIdsNewestFirst(id);
    m_sim->failNext(id, JobSimulator::RequestKind::Events, 1,
                    m_sim->eventsPage(id, all.mid(100, 10) + QStringList{all.at(99)}, true));
    QSignalSpy finished(&lister, &EventLister::finished);
    lister.loadMore(100);
    QVERIFY(finished.wait(generous));
    QCOMPARE(lister.error().message,
             QStringLiteral("The list did not end: page 2 of the events leads back to a request made already (after "
                            "%1) while saying there were more.")
                 .arg(all.at(99)));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 1);
    QVERIFY(!lister.hasMore());
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
