#include "activitylog.h"
#include "appinfo.h"
#include "batchmodel.h"
#include "cancelbatch.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <memory>

// The cancel workflow's one engine against the job simulator: look-up and skip, confirmation, concurrency on the
// wire, Stop, Retry failed, watching, rate limits, the audit trail and the classification every front-end reads.
class TestCancelBatch final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void lookupSkipsJobsWithNothingToCancel();
    void declinedSendsNothing();
    void requeuedRowsAreLookedUpAndAskedAgain();
    void fiftyJobsWithMixedOutcomes();
    void neverMoreThanNInFlight_data();
    void neverMoreThanNInFlight();
    void stopMidBatch();
    void retryFailedRerunsOnlyFailedRows();
    void failedLookUpIsLookedUpAgainNeverCancelledUnasked();
    void watchUntilCancelled();
    void watchGivesUpAfterItsTime();
    void rateLimitPausesTheWholeBatch();
    void withoutPreviewARefusalIsReadBack();
    void otherOrganizationIsFlagged();
    void badConfigurationSendsNothing();
    void modelBatchesItsUpdates();
    void accountIsLoggedOncePerBatch();

private:
    std::unique_ptr<CancelBatch> makeBatch(const QStringList& ids, CancelBatch::Options options = {});
    static QList<JobId::Parsed> parsed(const QStringList& ids);
    QList<QJsonObject> auditLines() const;

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    ActivityLog* m_log = nullptr;
    ApiConfig m_config;
};

namespace {
const QString key = QStringLiteral("sk-batch-test-key") + QStringLiteral("-0123456789abcdBTCH");
constexpr int generous = 60000;

QString auditPath()
{
    return qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/io.github.ftcancel.FtCancel/FtCancel/audit.jsonl");
}
} // namespace

void TestCancelBatch::initTestCase()
{
    AppInfo::applyToApplication();
}

void TestCancelBatch::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_log = new ActivityLog(10000, this);
    m_config = ApiConfig();
    m_config.baseUrl = m_server->baseUrl();
    m_config.apiKey = key;
    m_config.maxRetries = 0;
    m_config.timeoutSeconds = 30;
    QFile::remove(auditPath());
}

void TestCancelBatch::cleanup()
{
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
    delete m_log;
    m_log = nullptr;
}

QList<JobId::Parsed> TestCancelBatch::parsed(const QStringList& ids)
{
    QList<JobId::Parsed> list;
    for (const QString& id : ids)
        list << JobId::parse(id);
    return list;
}

std::unique_ptr<CancelBatch> TestCancelBatch::makeBatch(const QStringList& ids, CancelBatch::Options options)
{
    auto batch = std::make_unique<CancelBatch>(m_config, options, m_log);
    batch->addIds(parsed(ids));
    return batch;
}

QList<QJsonObject> TestCancelBatch::auditLines() const
{
    QList<QJsonObject> lines;
    QFile file(auditPath());
    if (file.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : file.readAll().split('\n')) {
            if (!line.isEmpty())
                lines << QJsonDocument::fromJson(line).object();
        }
    }
    return lines;
}

void TestCancelBatch::lookupSkipsJobsWithNothingToCancel()
{
    m_sim->add(QStringLiteral("ftjob-run1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-queued"), QStringLiteral("queued"));
    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("succeeded"));
    m_sim->add(QStringLiteral("ftjob-failed"), QStringLiteral("failed"));
    m_sim->add(QStringLiteral("ftjob-gone"), QStringLiteral("cancelled"));
    auto batch = makeBatch({"ftjob-run1", "ftjob-queued", "ftjob-done", "ftjob-failed", "ftjob-gone", "ftjob-nope"});
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    QCOMPARE(batch->start(), QString());
    QVERIFY(lookedUp.wait(generous));
    QCOMPARE(batch->state(), CancelBatch::State::AwaitingConfirmation);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 6);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0); // nothing before the confirmation
    QCOMPARE(batch->cancellableRows(), (QList<int>{0, 1}));
    QCOMPARE(batch->item(0).outcome, Outcome::WouldCancel);
    QCOMPARE(batch->item(2).outcome, Outcome::AlreadyFinished);
    QVERIFY2(batch->item(2).message.contains(QStringLiteral("already succeeded")), qPrintable(batch->item(2).message));
    QCOMPARE(batch->item(4).outcome, Outcome::AlreadyFinished);
    QCOMPARE(batch->item(5).outcome, Outcome::NotFound);
    QCOMPARE(batch->item(5).httpStatus, 404);

    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(batch->item(0).outcome, Outcome::Cancelled);
    QCOMPARE(batch->item(1).outcome, Outcome::Cancelled);
    for (const char* id : {"ftjob-done", "ftjob-failed", "ftjob-gone", "ftjob-nope"})
        QCOMPARE(m_sim->cancelRequestCount(QLatin1String(id)), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-run1")).status, QStringLiteral("cancelled"));
    QCOMPARE(batch->count(Outcome::Cancelled), 2);
    QCOMPARE(batch->count(Outcome::AlreadyFinished), 3);
    QCOMPARE(Outcome::exitCode(batch->outcomes()), 1); // not every job ended cancelled
    QCOMPARE(auditLines().size(), 2); // one line per cancel sent, none for look-ups
}

void TestCancelBatch::declinedSendsNothing()
{
    m_sim->addMany(5, {{QStringLiteral("running"), 1}});
    auto batch = makeBatch(m_sim->jobIds());
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->decline();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(batch->count(Outcome::NotSent), 5);
    QTest::qWait(200);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(auditLines().size(), 0);
}

void TestCancelBatch::requeuedRowsAreLookedUpAndAskedAgain()
{
    m_sim->add(QStringLiteral("ftjob-again1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-again2"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-again3"), QStringLiteral("succeeded"));
    auto batch
        = makeBatch({QStringLiteral("ftjob-again1"), QStringLiteral("ftjob-again2"), QStringLiteral("ftjob-again3")});
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    // Not while the confirmation is awaited.
    QCOMPARE(batch->requeue({QStringLiteral("ftjob-again3")}), 0);
    batch->decline();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(batch->item(batch->rowOf(QStringLiteral("ftjob-again1"))).outcome, Outcome::NotSent);

    // Chosen again: only the ids named, only done rows (an unknown id is no row); the rows stay where they are.
    QCOMPARE(batch->requeue(
                 {QStringLiteral("ftjob-again1"), QStringLiteral("ftjob-again3"), QStringLiteral("ftjob-unknown")}),
             2);
    QCOMPARE(batch->rowCount(), 3);
    const BatchItem& again = batch->item(batch->rowOf(QStringLiteral("ftjob-again1")));
    QCOMPARE(again.phase, BatchItem::Phase::Waiting);
    QCOMPARE(again.outcome, Outcome::Pending);
    QVERIFY(again.message.isEmpty());
    QVERIFY(again.before.status.isEmpty());
    QCOMPARE(batch->item(batch->rowOf(QStringLiteral("ftjob-again2"))).outcome, Outcome::NotSent);
    QCOMPARE(batch->state(), CancelBatch::State::Idle);
    m_sim->resetCounters();
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 2); // the two requeued, not the declined one
    QCOMPARE(batch->cancellableRows(), QList<int>{batch->rowOf(QStringLiteral("ftjob-again1"))});
    batch->confirm();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, generous);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-again1")), 1);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-again2")), 0);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-again3")), 0);
    QCOMPARE(batch->item(batch->rowOf(QStringLiteral("ftjob-again3"))).outcome, Outcome::AlreadyFinished);
}

void TestCancelBatch::fiftyJobsWithMixedOutcomes()
{
    // 50 ids: 30 running, 10 already finished, 5 unknown, 3 refused (403), 2 with no answer.
    QStringList ids = m_sim->addMany(30, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-run"));
    ids += m_sim->addMany(10, {{QStringLiteral("succeeded"), 1}, {QStringLiteral("failed"), 1}},
                          QStringLiteral("ftjob-fin"));
    for (int i = 0; i < 5; ++i)
        ids << QStringLiteral("ftjob-unknown%1").arg(i);
    for (int i = 0; i < 3; ++i) {
        const QString id = QStringLiteral("ftjob-denied%1").arg(i);
        m_sim->add(id, QStringLiteral("running"));
        m_sim->failNext(id, JobSimulator::RequestKind::Cancel, 1,
                        FakeResponse::apiError(403, QStringLiteral("You have insufficient permissions."),
                                               QStringLiteral("invalid_request_error"), QString()));
        ids << id;
    }
    for (int i = 0; i < 2; ++i) {
        const QString id = QStringLiteral("ftjob-cut%1").arg(i);
        m_sim->add(id, QStringLiteral("running"));
        // Qt re-sends once by itself when a connection closes before the answer: two closes, one failure.
        m_sim->failNext(id, JobSimulator::RequestKind::Cancel, 2, JobSimulator::closeConnection());
        ids << id;
    }
    CancelBatch::Options options;
    options.concurrency = 6;
    auto batch = makeBatch(ids, options);
    QCOMPARE(batch->rowCount(), 50);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    QCOMPARE(batch->cancellableRows().size(), 35);
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 30);
    QCOMPARE(batch->count(Outcome::AlreadyFinished), 10);
    QCOMPARE(batch->count(Outcome::NotFound), 5);
    QCOMPARE(batch->count(Outcome::Refused), 3);
    QCOMPARE(batch->count(Outcome::Unknown), 2);
    QCOMPARE(Outcome::exitCode(batch->outcomes()), 4); // no answer wins
    QVERIFY2(batch->summary().startsWith(QStringLiteral("30 cancelled, 10 nothing to cancel, 5 not found, 3 refused")),
             qPrintable(batch->summary()));
    QCOMPARE(auditLines().size(), 35);
}

void TestCancelBatch::neverMoreThanNInFlight_data()
{
    QTest::addColumn<int>("concurrency");
    QTest::newRow("1") << 1;
    QTest::newRow("3") << 3;
    QTest::newRow("6") << 6;
}

void TestCancelBatch::neverMoreThanNInFlight()
{
    QFETCH(int, concurrency);
    m_sim->setLatency(40);
    const QStringList ids = m_sim->addMany(30, {{QStringLiteral("running"), 1}});
    CancelBatch::Options options;
    options.concurrency = concurrency;
    auto batch = makeBatch(ids, options);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 30);
    QVERIFY2(m_sim->maxInFlight() <= concurrency, qPrintable(QString::number(m_sim->maxInFlight())));
    QCOMPARE(m_sim->maxInFlight(), concurrency); // and it does use them
}

void TestCancelBatch::stopMidBatch()
{
    m_sim->setLatency(300);
    const QStringList ids = m_sim->addMany(20, {{QStringLiteral("running"), 1}});
    CancelBatch::Options options;
    options.concurrency = 2;
    options.preview = false;
    auto batch = makeBatch(ids, options);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    batch->confirm();
    QTRY_COMPARE_WITH_TIMEOUT(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2, generous);
    batch->stop();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(batch->state(), CancelBatch::State::Finished);
    QCOMPARE(batch->count(Outcome::Stopped) + batch->count(Outcome::Cancelled), 2);
    QCOMPARE(batch->count(Outcome::NotSent), 18);
    QTest::qWait(800);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2); // nothing more after Stop
    // Each cancel that may have reached the API is in the trail.
    QCOMPARE(auditLines().size(), 2);
}

void TestCancelBatch::retryFailedRerunsOnlyFailedRows()
{
    const QStringList ids = m_sim->addMany(6, {{QStringLiteral("running"), 1}});
    m_sim->failNext(ids.at(1), JobSimulator::RequestKind::Cancel, 1, JobSimulator::overloaded());
    m_sim->failNext(ids.at(4), JobSimulator::RequestKind::Cancel, 1, JobSimulator::overloaded());
    auto batch = makeBatch(ids);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Failed), 2);
    QCOMPARE(batch->retryFailed(), 2);
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 6);
    for (int i = 0; i < ids.size(); ++i)
        QCOMPARE(m_sim->cancelRequestCount(ids.at(i)), i == 1 || i == 4 ? 2 : 1);
}

void TestCancelBatch::failedLookUpIsLookedUpAgainNeverCancelledUnasked()
{
    const QStringList ids = m_sim->addMany(3, {{QStringLiteral("running"), 1}});
    m_sim->failNext(ids.at(1), JobSimulator::RequestKind::Retrieve, 1, JobSimulator::serverError(false));
    auto batch = makeBatch(ids);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    QCOMPARE(batch->item(1).outcome, Outcome::Failed);
    batch->decline(); // the operator keeps the other two running
    QCOMPARE(batch->retryableRows(), QList<int>{1}); // the failed look-up only; never the declined rows
    QCOMPARE(batch->retryFailed(), 1);
    QVERIFY(lookedUp.wait(generous)); // looked up again, then asked again
    QCOMPARE(batch->cancellableRows(), QList<int>{1});
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(1).outcome, Outcome::Cancelled);
    QCOMPARE(m_sim->cancelRequestCount(ids.at(0)), 0);
    QCOMPARE(m_sim->cancelRequestCount(ids.at(2)), 0);
}

void TestCancelBatch::watchUntilCancelled()
{
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(2);
    m_sim->add(QStringLiteral("ftjob-slowstop"), QStringLiteral("running"));
    CancelBatch::Options options;
    options.watchIntervalMs = 50;
    auto batch = makeBatch({"ftjob-slowstop"}, options);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QTRY_COMPARE_WITH_TIMEOUT(batch->item(0).phase, BatchItem::Phase::Watching, generous);
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(0).outcome, Outcome::Cancelled);
    QCOMPARE(batch->item(0).after.status, QStringLiteral("cancelled"));
    QVERIFY(batch->item(0).watchPolls >= 2);
}

void TestCancelBatch::watchGivesUpAfterItsTime()
{
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(100000);
    m_sim->add(QStringLiteral("ftjob-stuck"), QStringLiteral("running"));
    CancelBatch::Options options;
    options.watchIntervalMs = 100;
    options.watchSeconds = 1;
    auto batch = makeBatch({"ftjob-stuck"}, options);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(0).outcome, Outcome::StillStopping);
    QVERIFY2(batch->item(0).message.contains(QStringLiteral("still cancelling")), qPrintable(batch->item(0).message));
    QCOMPARE(Outcome::exitCode(batch->outcomes()), 1);
}

void TestCancelBatch::rateLimitPausesTheWholeBatch()
{
    // One cancel hears 429 "wait 1.5 s": no other request may start before that wait is over.
    const QStringList ids = m_sim->addMany(8, {{QStringLiteral("running"), 1}});
    m_sim->failNext(ids.first(), JobSimulator::RequestKind::Cancel, 1, JobSimulator::rateLimitedMs(1500));
    m_config.maxRetries = 2;
    CancelBatch::Options options;
    options.preview = false;
    options.concurrency = 1;
    auto batch = makeBatch(ids, options);
    QElapsedTimer clock;
    QList<qint64> cancelTimes;
    connect(m_sim, &JobSimulator::requestHandled, this, [&](const RecordedRequest& request, int) {
        if (request.method == "POST")
            cancelTimes << clock.elapsed();
    });
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    clock.start();
    batch->start();
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 8);
    QCOMPARE(cancelTimes.size(), 9);
    // The 429 came first; every later request waited for the server's 1.5 s.
    for (int i = 1; i < cancelTimes.size(); ++i)
        QVERIFY2(cancelTimes.at(i) - cancelTimes.first() >= 1400, qPrintable(QString::number(cancelTimes.at(i))));
}

void TestCancelBatch::withoutPreviewARefusalIsReadBack()
{
    m_sim->add(QStringLiteral("ftjob-finished"), QStringLiteral("succeeded"));
    m_sim->add(QStringLiteral("ftjob-live"), QStringLiteral("running"));
    CancelBatch::Options options;
    options.preview = false;
    auto batch = makeBatch({"ftjob-finished", "ftjob-live"}, options);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QCOMPARE(batch->state(), CancelBatch::State::AwaitingConfirmation);
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(0).outcome, Outcome::AlreadyFinished);
    QVERIFY2(batch->item(0).message.contains(QStringLiteral("already succeeded")), qPrintable(batch->item(0).message));
    QCOMPARE(batch->item(1).outcome, Outcome::Cancelled);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1); // only the read-back
}

void TestCancelBatch::otherOrganizationIsFlagged()
{
    m_sim->add(QStringLiteral("ftjob-theirs"), QStringLiteral("running")); // organization_id org-fake
    m_config.organization = QStringLiteral("org-mine");
    auto batch = makeBatch({"ftjob-theirs"});
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    QVERIFY(batch->item(0).otherOrganization);
    m_config.organization = QStringLiteral("org-fake");
    auto same = makeBatch({"ftjob-theirs"});
    QSignalSpy sameLookedUp(same.get(), &CancelBatch::lookupFinished);
    same->start();
    QVERIFY(sameLookedUp.wait(generous));
    QVERIFY(!same->item(0).otherOrganization);
}

void TestCancelBatch::badConfigurationSendsNothing()
{
    m_config.apiKey.clear();
    auto batch = makeBatch({"ftjob-a"});
    QVERIFY(!batch->start().isEmpty());
    QTest::qWait(100);
    QCOMPARE(m_sim->requestCount(), 0);
}

void TestCancelBatch::modelBatchesItsUpdates()
{
    const QStringList ids = m_sim->addMany(200, {{QStringLiteral("running"), 1}});
    auto batch = makeBatch(ids);
    BatchModel model;
    model.setBatch(batch.get());
    QCOMPARE(model.rowCount(), 200);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QTRY_COMPARE(model.text(199, BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    // 200 rows changed three times each (looking up, looked up, cancelled …): far fewer repaints than that.
    QVERIFY2(changes.size() < 200, qPrintable(QString::number(changes.size())));
    QCOMPARE(model.text(0, BatchModel::StatusColumn), QStringLiteral("running \u2192 cancelled"));
    QCOMPARE(model.data(model.index(0, 0), BatchModel::CategoryRole).toInt(), int(Outcome::Category::Success));
    model.setBatch(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestCancelBatch::accountIsLoggedOncePerBatch()
{
    // The log names the account and settings in use once, not for every one of a thousand requests (the log pane
    // lays out each line it gets).
    QStringList ids;
    for (int i = 0; i < 8; ++i) {
        ids << QStringLiteral("ftjob-once%1").arg(i);
        m_sim->add(ids.last(), QStringLiteral("running"));
    }
    auto batch = makeBatch(ids);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    QCOMPARE(batch->start(), QString());
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 8);
    const QStringList lines = m_log->lines();
    const auto described = std::count_if(
        lines.cbegin(), lines.cend(), [](const QString& line) { return line.contains(QStringLiteral(" with key ")); });
    QCOMPARE(described, 1);
}

QTEST_GUILESS_MAIN(TestCancelBatch)
#include "tst_cancelbatch.moc"
