#include "activitylog.h"
#include "appinfo.h"
#include "batchmodel.h"
#include "cancelbatch.h"
#include "fakeopenaiserver.h"
#include "joblister.h"
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
    void eachIdIsOneRowAndOneCancel();
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
    void longRateLimitHoldsEveryRequestUntilRetryNow();
    void stopWhilePausedSendsNothingMore();
    void rateLimitWithoutRetriesLeftReadsRateLimited();
    void stopEverythingSendsAtOnceFromTheList();
    void listedIdsThatAreRefusedAreNamedAndCounted();
    void firstRejectedKeyStopsTheBatch();
    void retryFailedTakesFailedCancelsAndFailedLookUps();
    void checkAgainWatchesCancelRequestedRows();
    void carriedRowsKeepWhatBecameOfThem();
    void everyLogLineOfARequestNamesItsJob();
    void withoutPreviewARefusalIsReadBack();
    void otherOrganizationIsFlagged();
    void badConfigurationSendsNothing();
    void modelBatchesItsUpdates();
    void accountIsLoggedOncePerBatch();

private:
    std::unique_ptr<CancelBatch> makeBatch(const QStringList& ids, CancelBatch::Options options = {});
    QList<FineTuningJob> readList();
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

void TestCancelBatch::eachIdIsOneRowAndOneCancel()
{
    // An id given twice, in one paste or again later, is one row and one cancel; rows keep the order the ids came in,
    // and what is not an id is left out.
    const QStringList ids{"ftjob-each1", "ftjob-each2", "ftjob-each3", "ftjob-each4"};
    for (const QString& id : ids)
        m_sim->add(id, QStringLiteral("running"));
    CancelBatch::Options options;
    options.preview = false;
    CancelBatch batch(m_config, options, m_log);
    QSignalSpy added(&batch, &CancelBatch::rowsAdded);
    QCOMPARE(batch.addIds(parsed({ids[0], ids[1], ids[0], QStringLiteral("not an id"), ids[2], ids[1]})), 3);
    QCOMPARE(batch.addIds(parsed({ids[2], ids[3], ids[0], ids[3]})), 1);
    QCOMPARE(batch.addIds(parsed({ids[1]})), 0);
    QCOMPARE(added.size(), 2);
    QCOMPARE(added.at(0), (QVariantList{0, 2}));
    QCOMPARE(added.at(1), (QVariantList{3, 3}));
    QCOMPARE(batch.rowCount(), 4);
    for (int row = 0; row < ids.size(); ++row) {
        QCOMPARE(batch.item(row).id, ids.at(row));
        QCOMPARE(batch.rowOf(ids.at(row)), row);
    }

    QSignalSpy finished(&batch, &CancelBatch::finished);
    QCOMPARE(batch.start(), QString());
    batch.confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 4);
    for (const QString& id : ids)
        QCOMPARE(m_sim->cancelRequestCount(id), 1);
    QCOMPARE(batch.count(Outcome::Cancelled), 4);
    QCOMPARE(auditLines().size(), 4);
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
    QVERIFY(again.before().status.isEmpty());
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
    QCOMPARE(batch->item(0).after().status, QStringLiteral("cancelled"));
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
    // One cancel hears 429 "wait 1.5 s" while others are in flight: no other job's request may reach the server
    // before that wait is over — neither a new one nor another row's retry.
    m_sim->setLatency(50);
    const QStringList ids = m_sim->addMany(30, {{QStringLiteral("running"), 1}});
    const QString limited = ids.at(6);
    const QString retried = ids.at(5); // answered 503 about when the 429 comes: its own retry must wait too
    m_sim->failNext(limited, JobSimulator::RequestKind::Cancel, 1, JobSimulator::rateLimitedMs(1500));
    m_sim->failNext(retried, JobSimulator::RequestKind::Cancel, 1, JobSimulator::overloaded());
    m_config.maxRetries = 2;
    CancelBatch::Options options;
    options.preview = false;
    options.concurrency = 4;
    auto batch = makeBatch(ids, options);
    QElapsedTimer clock;
    QList<QPair<qint64, QString>> seen; // when the server saw each cancel, and of which job
    connect(m_server, &FakeOpenAiServer::requestReceived, this, [&](const RecordedRequest& request) {
        seen.append({clock.elapsed(), QString::fromLatin1(request.path().split('/').value(4))});
    });
    qint64 limitedAt = -1; // when the client heard the 429
    connect(batch.get(), &CancelBatch::retryScheduled, this, [&](int row, int, int, int, const QString&) {
        if (batch->item(row).id == limited && limitedAt < 0)
            limitedAt = clock.elapsed();
    });
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    clock.start();
    batch->start();
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 30);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 32);
    QVERIFY(limitedAt >= 0);
    // What reached the server while the 429's wait ran: only requests sent before the client heard it (they were
    // in flight), never more than the other three slots.
    QStringList during;
    for (const auto& [at, id] : std::as_const(seen)) {
        if (at > limitedAt && at < limitedAt + 1400)
            during << id;
    }
    QVERIFY2(during.size() <= options.concurrency - 1, qPrintable(during.join(u' ')));
    // The 503's retry (due after about 0.5 s) waited for the end of the 429's wait as well.
    QList<qint64> retriedAt;
    for (const auto& [at, id] : std::as_const(seen)) {
        if (id == retried)
            retriedAt << at;
    }
    QCOMPARE(retriedAt.size(), 2);
    QVERIFY2(retriedAt.at(1) >= limitedAt + 1400,
             qPrintable(QStringLiteral("429 heard at %1 ms, retry of %2 at %3 ms")
                            .arg(limitedAt)
                            .arg(retried)
                            .arg(retriedAt.at(1))));
}

void TestCancelBatch::longRateLimitHoldsEveryRequestUntilRetryNow()
{
    // A 429 asking for two minutes: FtCancel does not wait that long on its own, and sends nothing more meanwhile.
    m_sim->setLatency(50);
    const QStringList ids = m_sim->addMany(40, {{QStringLiteral("running"), 1}});
    const QString limited = ids.at(6);
    const QString retried = ids.at(5);
    m_sim->failNext(limited, JobSimulator::RequestKind::Cancel, 1, JobSimulator::rateLimited(120));
    m_sim->failNext(retried, JobSimulator::RequestKind::Cancel, 1, JobSimulator::overloaded());
    m_config.maxRetries = 2;
    CancelBatch::Options options;
    options.preview = false;
    options.concurrency = 4;
    auto batch = makeBatch(ids, options);
    QSignalSpy paused(batch.get(), &CancelBatch::rateLimitChanged);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    int seenAtPause = -1;
    connect(batch.get(), &CancelBatch::rateLimitChanged, this, [&] {
        if (batch->isPaused() && seenAtPause < 0)
            seenAtPause = m_server->requestCount();
    });
    batch->start();
    batch->confirm();
    QVERIFY(paused.wait(generous));
    QVERIFY(batch->isPaused());
    const QDateTime until = batch->rateLimitedUntil();
    QVERIFY(until.isValid());
    const qint64 ahead = QDateTime::currentDateTime().secsTo(until);
    QVERIFY2(ahead > 90 && ahead <= 121, qPrintable(QString::number(ahead)));
    // Held: only what was in flight when the 429 came reaches the server, for as long as the operator waits.
    QTest::qWait(1500);
    QVERIFY2(m_server->requestCount() - seenAtPause <= options.concurrency - 1,
             qPrintable(QStringLiteral("%1 requests after the 429").arg(m_server->requestCount() - seenAtPause)));
    QCOMPARE(m_sim->cancelRequestCount(retried), 1); // its retry (0.5 s) is held too
    QVERIFY(batch->isRunning());
    QCOMPARE(finished.size(), 0);
    // The row that got the 429 is not failed: it waits, and says until when.
    const BatchItem& waiting = batch->item(batch->rowOf(limited));
    QCOMPARE(waiting.outcome, Outcome::Pending);
    QVERIFY2(waiting.outcomeLabel().contains(QStringLiteral("rate limited")), qPrintable(waiting.outcomeLabel()));
    QVERIFY2(waiting.message.contains(batch->rateLimitedUntilText()), qPrintable(waiting.message));
    const int held = m_server->requestCount();
    QTest::qWait(300);
    QCOMPARE(m_server->requestCount(), held);

    QVERIFY(batch->retryNow());
    QVERIFY(!batch->isPaused());
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 40);
    QCOMPARE(m_sim->cancelRequestCount(limited), 2);
    QCOMPARE(m_sim->cancelRequestCount(retried), 2);
    QVERIFY(!batch->retryNow()); // nothing paused any more
}

void TestCancelBatch::stopWhilePausedSendsNothingMore()
{
    const QStringList ids = m_sim->addMany(10, {{QStringLiteral("running"), 1}});
    m_sim->failNext(ids.at(0), JobSimulator::RequestKind::Cancel, 1, JobSimulator::rateLimited(600));
    m_config.maxRetries = 2;
    CancelBatch::Options options;
    options.preview = false;
    options.concurrency = 1;
    auto batch = makeBatch(ids, options);
    QSignalSpy paused(batch.get(), &CancelBatch::rateLimitChanged);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    batch->confirm();
    QVERIFY(paused.wait(generous));
    batch->stop();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!batch->isPaused());
    QCOMPARE(batch->item(0).outcome, Outcome::RateLimited);
    QCOMPARE(Outcome::label(Outcome::RateLimited), QStringLiteral("rate limited"));
    QCOMPARE(Outcome::name(Outcome::RateLimited), QStringLiteral("rate_limited"));
    QCOMPARE(batch->count(Outcome::NotSent), 9);
    QTest::qWait(300);
    QCOMPARE(m_server->requestCount(), 1);
    // Rate limited is retryable: Retry failed sends it again (and the nine never sent).
    QCOMPARE(batch->retryableRows().size(), 10);
}

void TestCancelBatch::rateLimitWithoutRetriesLeftReadsRateLimited()
{
    m_sim->add(QStringLiteral("ftjob-busy"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-busy"), JobSimulator::RequestKind::Cancel, 2,
                    JobSimulator::rateLimitedMs(100));
    m_config.maxRetries = 1;
    CancelBatch::Options options;
    options.preview = false;
    auto batch = makeBatch({"ftjob-busy"}, options);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-busy")), 2);
    QCOMPARE(batch->item(0).outcome, Outcome::RateLimited); // not "refused": try again later
    QCOMPARE(batch->item(0).outcomeLabel(), QStringLiteral("rate limited"));
    QCOMPARE(Outcome::exitCode(batch->outcomes()), 4);
    QCOMPARE(batch->retryableRows(), QList<int>{0});
}

QList<FineTuningJob> TestCancelBatch::readList()
{
    JobLister lister(m_config, m_log);
    QSignalSpy read(&lister, &JobLister::finished);
    lister.start();
    if (!read.wait(generous) || lister.error().isError())
        return {};
    return lister.jobs();
}

void TestCancelBatch::stopEverythingSendsAtOnceFromTheList()
{
    // 30 jobs listed, 20 not finished: the list is the look-up, the question comes at once, then exactly 20 cancels
    // and no GET of a single job.
    m_sim->addMany(12, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-run"));
    for (int i = 0; i < 8; ++i)
        m_sim->add(QStringLiteral("ftjob-queued%1").arg(i), QStringLiteral("queued"), QStringLiteral("gpt-4.1"));
    m_sim->addMany(10, {{QStringLiteral("succeeded"), 1}, {QStringLiteral("cancelled"), 1}},
                   QStringLiteral("ftjob-done"));
    const QList<FineTuningJob> listed = readList();
    QCOMPARE(listed.size(), 30);
    m_sim->resetCounters();
    m_server->clearRequests();
    CancelBatch batch(m_config, CancelBatch::Options(), m_log);
    QCOMPARE(batch.addListed(listed), 20);
    QSignalSpy lookedUp(&batch, &CancelBatch::lookupFinished);
    QSignalSpy finished(&batch, &CancelBatch::finished);
    QCOMPARE(batch.start(), QString());
    QCOMPARE(lookedUp.size(), 1); // at once: nothing to look up
    QCOMPARE(batch.state(), CancelBatch::State::AwaitingConfirmation);
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(batch.cancellableRows().size(), 20);
    QCOMPARE(batch.breakdown(batch.cancellableRows()),
             QStringLiteral("12 running, 8 queued \u00B7 gpt-4o-mini-2024-07-18 \u00D712, gpt-4.1 \u00D78"));
    batch.confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch.count(Outcome::Cancelled), 20);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 20);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QCOMPARE(m_sim->requestCount(), 20);
    QCOMPARE(Outcome::exitCode(batch.outcomes()), 0);
}

void TestCancelBatch::listedIdsThatAreRefusedAreNamedAndCounted()
{
    // The server lists jobs, not finished, whose ids FtCancel will not put in a URL: rows of their own, never sent.
    m_sim->add(QStringLiteral("ftjob-fine"), QStringLiteral("running"));
    const QStringList bad{QStringLiteral("a/../b"), QStringLiteral("ftjob-with space"),
                          QStringLiteral("ftjob-\u0430bc")}; // Cyrillic а
    for (const QString& id : bad)
        m_sim->add(id, QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-\u0430old"), QStringLiteral("succeeded")); // finished: left out
    const QList<FineTuningJob> listed = readList();
    QCOMPARE(listed.size(), 5);
    m_sim->resetCounters();
    m_server->clearRequests();
    CancelBatch batch(m_config, CancelBatch::Options(), m_log);
    QCOMPARE(batch.addListed(listed), 4);
    QCOMPARE(batch.refusedIdRows().size(), 3);
    for (const int row : batch.refusedIdRows()) {
        const BatchItem& item = batch.item(row);
        QVERIFY2(bad.contains(item.id), qPrintable(item.id));
        QCOMPARE(item.outcome, Outcome::RefusedId);
        QVERIFY2(item.message.startsWith(QStringLiteral("Not sent: the server listed an id FtCancel will not send (")),
                 qPrintable(item.message));
        QVERIFY(!item.error().message.isEmpty()); // the reason
    }
    QSignalSpy finished(&batch, &CancelBatch::finished);
    batch.start();
    QCOMPARE(batch.cancellableRows().size(), 1);
    batch.confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(m_sim->requestCount(), 1); // the one cancel; nothing for the refused ids
    QCOMPARE(batch.count(Outcome::Cancelled), 1);
    QVERIFY2(batch.summary().contains(QStringLiteral("3 not sent: id refused")), qPrintable(batch.summary()));
    QCOMPARE(Outcome::exitCode(batch.outcomes()), 1); // "all of them" did not happen
    QCOMPARE(Outcome::name(Outcome::RefusedId), QStringLiteral("id_refused"));

    // Only refused ids left to cancel: nothing to ask, the batch ends at once and says so.
    CancelBatch only(m_config, CancelBatch::Options(), m_log);
    QList<FineTuningJob> refusedOnly;
    for (const FineTuningJob& job : listed) {
        if (bad.contains(job.id))
            refusedOnly << job;
    }
    QCOMPARE(only.addListed(refusedOnly), 3);
    QSignalSpy onlyFinished(&only, &CancelBatch::finished);
    only.start();
    QCOMPARE(onlyFinished.size(), 1);
    QCOMPARE(only.count(Outcome::RefusedId), 3);
    QCOMPARE(Outcome::exitCode(only.outcomes()), 1);
}

void TestCancelBatch::firstRejectedKeyStopsTheBatch()
{
    // 200 ids, 4 at a time; the key is revoked after the tenth cancel: every request from then on hears 401.
    m_sim->setLatency(20);
    const QStringList ids = m_sim->addMany(200, {{QStringLiteral("running"), 1}});
    for (int i = 10; i < ids.size(); ++i)
        m_sim->failNext(ids.at(i), JobSimulator::RequestKind::Cancel, 1,
                        FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided: %1.").arg(key),
                                               QStringLiteral("invalid_request_error"),
                                               QStringLiteral("invalid_api_key")));
    CancelBatch::Options options;
    options.preview = false;
    options.concurrency = 4;
    auto batch = makeBatch(ids, options);
    QSignalSpy rejected(batch.get(), &CancelBatch::keyRejected);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    int seenAtRejection = -1;
    connect(batch.get(), &CancelBatch::keyRejected, this, [&] { seenAtRejection = m_server->requestCount(); });
    batch->start();
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(rejected.size(), 1);
    QVERIFY(!rejected.first().first().toString().contains(key));
    // After the first 401, only what was already in flight reached the server.
    QVERIFY2(m_server->requestCount() - seenAtRejection <= options.concurrency,
             qPrintable(QStringLiteral("%1 at the 401, %2 in all").arg(seenAtRejection).arg(m_server->requestCount())));
    QVERIFY(m_server->requestCount() <= 10 + 1 + options.concurrency);
    BatchModel model;
    model.setBatch(batch.get());
    int keyRejected = 0;
    int notSent = 0;
    for (int row = 0; row < batch->rowCount(); ++row) {
        const BatchItem& item = batch->item(row);
        if (m_sim->cancelRequestCount(item.id) == 0) {
            QCOMPARE(item.outcome, Outcome::NotSent);
            QCOMPARE(model.text(row, BatchModel::OutcomeColumn), QStringLiteral("key rejected \u2014 not sent"));
            QCOMPARE(item.message, QStringLiteral("Key rejected \u2014 not sent."));
            ++notSent;
        } else if (item.outcome != Outcome::Cancelled) {
            QCOMPARE(item.outcome, Outcome::Refused);
            QCOMPARE(model.text(row, BatchModel::OutcomeColumn), QStringLiteral("key rejected"));
            QVERIFY2(item.message.contains(QStringLiteral("The API said: Incorrect API key provided")),
                     qPrintable(item.message));
            QVERIFY(!item.message.contains(key));
            ++keyRejected;
        }
    }
    QVERIFY(keyRejected >= 1);
    QCOMPARE(notSent + keyRejected + batch->count(Outcome::Cancelled), 200);
    QVERIFY(notSent >= 200 - 10 - 1 - options.concurrency);
    QVERIFY(batch->isKeyRejected());
    QVERIFY2(batch->summary().contains(QStringLiteral("the API rejected the key")), qPrintable(batch->summary()));

    // Nothing more with that key: not a retry, not new ids.
    const int sent = m_server->requestCount();
    QVERIFY(!batch->cannotSend().isEmpty());
    QCOMPARE(batch->retryFailed(), 0);
    batch->addIds(parsed({QStringLiteral("ftjob-after")}));
    const QString refused = batch->start();
    QVERIFY2(refused.contains(QStringLiteral("rejected this key")), qPrintable(refused));
    QTest::qWait(200);
    QCOMPARE(m_server->requestCount(), sent);
    // The same key in a batch made anew (other settings) stays refused; another key is not.
    CancelBatch::Options other = options;
    other.concurrency = 2;
    CancelBatch again(m_config, other, m_log);
    again.takeOver(*batch);
    QVERIFY(again.isKeyRejected());
    ApiConfig fixed = m_config;
    fixed.apiKey = key + QStringLiteral("2");
    CancelBatch fresh(fixed, options, m_log);
    fresh.takeOver(*batch);
    QVERIFY(!fresh.isKeyRejected());
}

void TestCancelBatch::retryFailedTakesFailedCancelsAndFailedLookUps()
{
    const QStringList ids = m_sim->addMany(5, {{QStringLiteral("running"), 1}});
    m_sim->failNext(ids.at(1), JobSimulator::RequestKind::Cancel, 1, JobSimulator::serverError(false));
    m_sim->failNext(ids.at(2), JobSimulator::RequestKind::Retrieve, 1, JobSimulator::serverError(false));
    auto batch = makeBatch(ids.mid(0, 4));
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(1).outcome, Outcome::Failed); // its cancel failed
    QCOMPARE(batch->item(2).outcome, Outcome::Failed); // its look-up failed
    // One more job, declined: it is never retried.
    batch->addIds(parsed({ids.at(4)}));
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->decline();
    QCOMPARE(batch->item(4).outcome, Outcome::NotSent);

    // One Retry failed takes both: the failed cancel is sent again at once, the failed look-up is looked up and
    // asked about as a new row is.
    QCOMPARE(batch->retryableRows(), (QList<int>{1, 2}));
    m_sim->resetCounters();
    QCOMPARE(batch->retryFailed(), 2);
    QVERIFY(lookedUp.wait(generous));
    QCOMPARE(batch->cancellableRows(), QList<int>{2});
    QTRY_COMPARE_WITH_TIMEOUT(m_sim->cancelRequestCount(ids.at(1)), 1, generous); // no question for it
    QCOMPARE(m_sim->cancelRequestCount(ids.at(2)), 0); // not before the answer
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(1).outcome, Outcome::Cancelled);
    QCOMPARE(batch->item(2).outcome, Outcome::Cancelled);
    QCOMPARE(m_sim->cancelRequestCount(ids.at(4)), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1);
    QVERIFY(batch->retryableRows().isEmpty());
}

void TestCancelBatch::checkAgainWatchesCancelRequestedRows()
{
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(100000);
    m_sim->add(QStringLiteral("ftjob-slow"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-quick"), QStringLiteral("running"));
    m_sim->setCancelMode(QStringLiteral("ftjob-quick"), JobSimulator::CancelMode::Immediate);
    CancelBatch::Options options;
    options.watchIntervalMs = 100;
    options.watchSeconds = 1;
    auto batch = makeBatch({"ftjob-slow", "ftjob-quick"}, options);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(0).outcome, Outcome::StillStopping);
    QCOMPARE(batch->checkableRows(), QList<int>{0});
    // Not what Retry failed does: "cancel requested" is not a failure, its cancel is not sent again.
    QVERIFY(batch->retryableRows().isEmpty());
    QCOMPARE(batch->retryFailed(), 0);

    // The job stops later on: Check again reads it (no cancel), and the row says what became of it.
    m_sim->setStatus(QStringLiteral("ftjob-slow"), QStringLiteral("cancelled"));
    m_sim->resetCounters();
    QCOMPARE(batch->checkAgain(), 1);
    QVERIFY(batch->isRunning());
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->item(0).outcome, Outcome::Cancelled);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1);
    QCOMPARE(batch->count(Outcome::Cancelled), 2);
    QVERIFY(batch->checkableRows().isEmpty());
    QCOMPARE(batch->checkAgain(), 0);
}

void TestCancelBatch::carriedRowsKeepWhatBecameOfThem()
{
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(100000);
    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("running"));
    m_sim->setCancelMode(QStringLiteral("ftjob-done"), JobSimulator::CancelMode::Immediate);
    m_sim->add(QStringLiteral("ftjob-denied"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-denied"), JobSimulator::RequestKind::Cancel, 1,
                    FakeResponse::apiError(403, QStringLiteral("You have insufficient permissions."),
                                           QStringLiteral("invalid_request_error"), QString()));
    m_sim->add(QStringLiteral("ftjob-stuck"), QStringLiteral("running"));
    CancelBatch::Options options;
    options.watch = false;
    auto first = makeBatch({"ftjob-done", "ftjob-denied", "ftjob-stuck"}, options);
    QSignalSpy lookedUp(first.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(first.get(), &CancelBatch::finished);
    first->start();
    QVERIFY(lookedUp.wait(generous));
    first->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(first->outcomes(), (QList<Outcome::Kind>{Outcome::Cancelled, Outcome::Refused, Outcome::StillStopping}));

    // Another organization: a new batch takes the rows over as they ended, and sends nothing by itself.
    m_config.organization = QStringLiteral("org-other");
    m_sim->resetCounters();
    m_server->clearRequests();
    CancelBatch second(m_config, options, m_log);
    second.takeOver(*first);
    QCOMPARE(second.rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(second.item(row).outcome, first->item(row).outcome);
        QCOMPARE(second.item(row).message, first->item(row).message);
        QCOMPARE(second.item(row).status(), first->item(row).status());
        QVERIFY(!second.item(row).confirmed); // consent does not carry over to another account
    }
    QTest::qWait(200);
    QCOMPARE(m_server->requestCount(), 0);
    QVERIFY(second.retryableRows().isEmpty());
    // The job's status now, from the account's list, beside what became of the row.
    FineTuningJob now;
    now.id = QStringLiteral("ftjob-stuck");
    now.status = QStringLiteral("cancelled");
    now.statusClass = StatusClass::Cancelled;
    second.noteListed({now});
    QCOMPARE(second.item(2).outcome, Outcome::StillStopping);
    BatchModel model;
    model.setBatch(&second);
    QCOMPARE(model.text(2, BatchModel::StatusColumn), QStringLiteral("running \u2192 cancelling (now cancelled)"));
    QCOMPARE(model.text(2, BatchModel::OutcomeColumn), QStringLiteral("cancel requested"));

    // Started: those that may still be cancelled are looked up again as the new account; the cancelled one is not.
    QCOMPARE(second.startableCount(), 2);
    QCOMPARE(second.restartCarried(), 2);
    QCOMPARE(second.item(0).outcome, Outcome::Cancelled);
    QSignalSpy secondLookedUp(&second, &CancelBatch::lookupFinished);
    second.start();
    QVERIFY(secondLookedUp.wait(generous));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 2);
    for (const RecordedRequest& r : m_server->requests())
        QCOMPARE(r.header("openai-organization"), QByteArray("org-other"));
    second.decline();
}

void TestCancelBatch::everyLogLineOfARequestNamesItsJob()
{
    // With several requests in flight, each line must say which job it is about.
    const QStringList ids{QStringLiteral("ftjob-logone"), QStringLiteral("ftjob-logtwo"),
                          QStringLiteral("ftjob-logthree")};
    for (const QString& id : ids)
        m_sim->add(id, QStringLiteral("running"));
    m_sim->failNext(ids.at(1), JobSimulator::RequestKind::Cancel, 1, JobSimulator::overloaded());
    m_sim->failNext(ids.at(2), JobSimulator::RequestKind::Retrieve, 1, JobSimulator::serverError(false));
    m_config.maxRetries = 2;
    auto batch = makeBatch(ids);
    QSignalSpy lookedUp(batch.get(), &CancelBatch::lookupFinished);
    QSignalSpy finished(batch.get(), &CancelBatch::finished);
    m_log->clear();
    batch->start();
    QVERIFY(lookedUp.wait(generous));
    batch->confirm();
    QVERIFY(finished.wait(generous));
    QCOMPARE(batch->count(Outcome::Cancelled), 2);
    int http = 0;
    int retrying = 0;
    int errors = 0;
    for (const QString& line : m_log->lines()) {
        const QString text = line.mid(line.indexOf(QStringLiteral("  ")) + 2); // after the time stamp
        // The batch's own lines are about all of them.
        if (text.startsWith(QStringLiteral("Looking up 3 jobs")) || text.startsWith(QStringLiteral("Cancelling 2 jobs"))
            || text.startsWith(QStringLiteral("Done: ")) || text.contains(QStringLiteral(" with key ")))
            continue;
        const bool named = std::any_of(ids.cbegin(), ids.cend(), [&text](const QString& id) {
            return text.startsWith(id + QStringLiteral(": ")) || text.startsWith(QStringLiteral("Job ") + id);
        });
        QVERIFY2(named, qPrintable(text));
        http += text.contains(QStringLiteral("HTTP 200 after ")) ? 1 : 0;
        retrying += text.contains(QStringLiteral("Retrying in ")) ? 1 : 0;
        errors += text.contains(QStringLiteral("Error (")) ? 1 : 0;
    }
    QVERIFY(http >= 4);
    QCOMPARE(retrying, 1);
    QCOMPARE(errors, 1);
    QVERIFY(m_log->text().contains(ids.at(1) + QStringLiteral(": Retrying in ")));
    QVERIFY(m_log->text().contains(ids.at(2) + QStringLiteral(": Error (http)")));
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
