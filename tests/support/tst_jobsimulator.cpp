#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <limits>
#include <memory>

// Self-test of JobSimulator: the fine-tuning API it simulates, driven by a real QNetworkAccessManager over HTTP.
class TestJobSimulator final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void retrieveAnswersTheJob();
    void unknownJobIs404();
    void cancelCancelsAndAddsAnEvent_data();
    void cancelCancelsAndAddsAnEvent();
    void cancelFinishedJobIsRefused_data();
    void cancelFinishedJobIsRefused();
    void cancellingBecomesCancelledAfterReads();
    void cancelModePerJob();
    void listPagesNewestFirst();
    void listDefaultAndMaximumLimit();
    void listBadLimitOrAfterIsRefused_data();
    void listBadLimitOrAfterIsRefused();
    void listTiesInCreatedAtPutLaterAddedFirst();
    void listFiltersByMetadata();
    void addManyMixesStatuses();
    void eventsPageNewestFirst();
    void faultForKRequestsThenNormal_data();
    void faultForKRequestsThenNormal();
    void faultOnAnyKindAndOnUnknownIds();
    void faultAfterEffectLosesOnlyTheAnswer();
    void hangIsNeverAnsweredThenNormal();
    void listPageFaultHitsOnlyThatPage();
    void maxInFlight_data();
    void maxInFlight();
    void latencyDelaysAnswers();
    void unauthorizedWithoutKey_data();
    void unauthorizedWithoutKey();
    void unknownUrlIs404();
    void requestsAreCountedByKind();
    void pauseAndResume();
    void unknownJobHookMayCreateJobs();
    void requestsAreRecorded();
    void goneAndExpectedKeyInOpenAiShape();

private:
    struct Answer
    {
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        int status = 0;
        QJsonObject json;
        QByteArray requestId;
        QNetworkReply* reply = nullptr; // finished; still owned by the manager until cleanup()
    };
    QNetworkReply* start(const QByteArray& method, const QString& pathAndQuery, const QByteArray& key = kKey,
                         int transferTimeoutMs = 10000);
    static Answer collect(QNetworkReply* reply);
    Answer send(const QByteArray& method, const QString& pathAndQuery, const QByteArray& key = kKey,
                int transferTimeoutMs = 10000);
    Answer get(const QString& pathAndQuery) { return send("GET", pathAndQuery); }
    Answer post(const QString& pathAndQuery) { return send("POST", pathAndQuery); }
    // Follows `after` until has_more is false; returns every page's data. Fails the test on anything but 200.
    QList<QJsonArray> allPages(const QString& path, int limit);

    static constexpr const char* kKey = "sk-test-0123456789";
    std::unique_ptr<FakeOpenAiServer> m_server;
    std::unique_ptr<JobSimulator> m_sim;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestJobSimulator::init()
{
    m_server = std::make_unique<FakeOpenAiServer>();
    QVERIFY(m_server->listen());
    m_sim = std::make_unique<JobSimulator>(m_server.get());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy); // an http_proxy in the environment must not divert 127.0.0.1
}

void TestJobSimulator::cleanup()
{
    m_nam.reset();
    m_sim.reset();
    m_server.reset();
}

QNetworkReply* TestJobSimulator::start(const QByteArray& method, const QString& pathAndQuery, const QByteArray& key,
                                       int transferTimeoutMs)
{
    QNetworkRequest request(QUrl(m_server->baseUrl().toString() + pathAndQuery));
    if (!key.isNull())
        request.setRawHeader("Authorization",
                             key.startsWith("Bearer") || key.startsWith("Basic") ? key : "Bearer " + key);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(transferTimeoutMs);
    return m_nam->sendCustomRequest(request, method);
}

TestJobSimulator::Answer TestJobSimulator::collect(QNetworkReply* reply)
{
    Answer answer;
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(20000))
            qWarning() << "reply did not finish";
    }
    answer.reply = reply;
    answer.error = reply->error();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen()) // an aborted reply is closed
        answer.json = QJsonDocument::fromJson(reply->readAll()).object();
    answer.requestId = reply->rawHeader("x-request-id");
    return answer;
}

TestJobSimulator::Answer TestJobSimulator::send(const QByteArray& method, const QString& pathAndQuery,
                                                const QByteArray& key, int transferTimeoutMs)
{
    return collect(start(method, pathAndQuery, key, transferTimeoutMs));
}

QList<QJsonArray> TestJobSimulator::allPages(const QString& path, int limit)
{
    QList<QJsonArray> pages;
    QString after;
    for (int guard = 0; guard < 1000; ++guard) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
        if (!after.isEmpty())
            query.addQueryItem(QStringLiteral("after"), after);
        const Answer page = get(path + QLatin1Char('?') + query.toString(QUrl::FullyEncoded));
        if (page.status != 200) {
            qWarning() << "page" << pages.size() + 1 << "answered" << page.status << page.json;
            return {};
        }
        if (page.json.value(QStringLiteral("object")).toString() != QLatin1String("list"))
            return {};
        const QJsonArray data = page.json.value(QStringLiteral("data")).toArray();
        pages.append(data);
        if (!page.json.value(QStringLiteral("has_more")).toBool())
            return pages;
        if (data.isEmpty()) // has_more with nothing to page on would loop forever
            return {};
        after = data.last().toObject().value(QStringLiteral("id")).toString();
    }
    return {};
}

void TestJobSimulator::retrieveAnswersTheJob()
{
    m_sim->add(QStringLiteral("ftjob-abc123"), QStringLiteral("running"), QStringLiteral("gpt-4o-2024-08-06"),
               1700000000);
    const Answer answer = get(QStringLiteral("/fine_tuning/jobs/ftjob-abc123"));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json.value(QStringLiteral("object")).toString(), QStringLiteral("fine_tuning.job"));
    QCOMPARE(answer.json.value(QStringLiteral("id")).toString(), QStringLiteral("ftjob-abc123"));
    QCOMPARE(answer.json.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(answer.json.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o-2024-08-06"));
    QCOMPARE(answer.json.value(QStringLiteral("created_at")).toInteger(), 1700000000);
    QVERIFY(answer.json.value(QStringLiteral("finished_at")).isNull());
    QVERIFY(answer.json.value(QStringLiteral("fine_tuned_model")).isNull());
    QVERIFY(answer.json.value(QStringLiteral("error")).isNull());
    QVERIFY(answer.json.value(QStringLiteral("metadata")).isNull());
    QVERIFY(answer.json.value(QStringLiteral("estimated_finish")).toInteger() > 1700000000);
    QVERIFY(!answer.json.value(QStringLiteral("organization_id")).toString().isEmpty());
    QVERIFY(answer.json.contains(QStringLiteral("trained_tokens")));
    QVERIFY(answer.json.contains(QStringLiteral("user_provided_suffix")));
    QCOMPARE(answer.requestId, QByteArray("req_sim_1"));
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-abc123")).requestId, QByteArray("req_sim_2"));

    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("succeeded"));
    const Answer done = get(QStringLiteral("/fine_tuning/jobs/ftjob-done"));
    QCOMPARE(done.json.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QVERIFY(done.json.value(QStringLiteral("finished_at")).toInteger() > 0);
    QVERIFY(done.json.value(QStringLiteral("fine_tuned_model")).toString().startsWith(QLatin1String("ft:")));
}

void TestJobSimulator::unknownJobIs404()
{
    m_sim->add(QStringLiteral("ftjob-known"), QStringLiteral("running"));
    for (const QByteArray& method : {QByteArray("GET"), QByteArray("POST")}) {
        const QString path = method == "GET" ? QStringLiteral("/fine_tuning/jobs/ftjob-nope")
                                             : QStringLiteral("/fine_tuning/jobs/ftjob-nope/cancel");
        const Answer answer = send(method, path);
        QCOMPARE(answer.status, 404);
        const QJsonObject error = answer.json.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("message")).toString(),
                 QStringLiteral("Could not find fine tune: ftjob-nope"));
        QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(error.value(QStringLiteral("param")).toString(), QStringLiteral("fine_tune_id"));
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("fine_tune_not_found"));
        QVERIFY(answer.requestId.startsWith("req_sim_"));
    }
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-nope/events")).status, 404);
    QVERIFY(!m_sim->contains(QStringLiteral("ftjob-nope"))); // not created by asking
    QCOMPARE(m_sim->jobCount(), 1);
}

void TestJobSimulator::cancelCancelsAndAddsAnEvent_data()
{
    QTest::addColumn<QString>("status");
    QTest::newRow("validating_files") << QStringLiteral("validating_files");
    QTest::newRow("queued") << QStringLiteral("queued");
    QTest::newRow("running") << QStringLiteral("running");
    QTest::newRow("paused") << QStringLiteral("paused");
}

void TestJobSimulator::cancelCancelsAndAddsAnEvent()
{
    QFETCH(QString, status);
    m_sim->add(QStringLiteral("ftjob-a"), status);
    m_sim->add(QStringLiteral("ftjob-b"), QStringLiteral("running"));
    const int eventsBefore = int(m_sim->job(QStringLiteral("ftjob-a")).events.size());
    QSignalSpy changed(m_sim.get(), &JobSimulator::statusChanged);

    const Answer answer = post(QStringLiteral("/fine_tuning/jobs/ftjob-a/cancel"));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json.value(QStringLiteral("id")).toString(), QStringLiteral("ftjob-a"));
    QCOMPARE(answer.json.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-a")).status, QStringLiteral("cancelled"));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-b")).status, QStringLiteral("running")); // only the one named
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(1).toString(), QStringLiteral("cancelled"));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-a")), 1);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-b")), 0);

    // The retrieve after it agrees, and the newest event says so.
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-a")).json.value(QStringLiteral("status")).toString(),
             QStringLiteral("cancelled"));
    const Answer events = get(QStringLiteral("/fine_tuning/jobs/ftjob-a/events"));
    QCOMPARE(events.status, 200);
    const QJsonArray data = events.json.value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), eventsBefore + 1);
    const QJsonObject newest = data.first().toObject();
    QCOMPARE(newest.value(QStringLiteral("object")).toString(), QStringLiteral("fine_tuning.job.event"));
    QVERIFY(newest.value(QStringLiteral("id")).toString().startsWith(QLatin1String("ftevent-")));
    QCOMPARE(newest.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    QCOMPARE(newest.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
    QCOMPARE(newest.value(QStringLiteral("message")).toString(), QStringLiteral("Fine-tuning job cancelled"));
}

void TestJobSimulator::cancelFinishedJobIsRefused_data()
{
    QTest::addColumn<QString>("status");
    QTest::newRow("succeeded") << QStringLiteral("succeeded");
    QTest::newRow("failed") << QStringLiteral("failed");
    QTest::newRow("cancelled") << QStringLiteral("cancelled");
}

void TestJobSimulator::cancelFinishedJobIsRefused()
{
    QFETCH(QString, status);
    m_sim->add(QStringLiteral("ftjob-done"), status);
    const int eventsBefore = int(m_sim->job(QStringLiteral("ftjob-done")).events.size());
    const Answer answer = post(QStringLiteral("/fine_tuning/jobs/ftjob-done/cancel"));
    QCOMPARE(answer.status, 400);
    const QJsonObject error = answer.json.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(QStringLiteral("message")).toString(),
             QStringLiteral("Job has already completed: ftjob-done"));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-done")).status, status);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-done")).events.size(), eventsBefore);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-done")), 1);
}

void TestJobSimulator::cancellingBecomesCancelledAfterReads()
{
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(2);
    m_sim->add(QStringLiteral("ftjob-w"), QStringLiteral("running"));
    const QString job = QStringLiteral("/fine_tuning/jobs/ftjob-w");
    const auto statusOf = [](const Answer& answer) {
        return answer.json.value(QStringLiteral("status")).toString();
    };

    QCOMPARE(statusOf(post(job + QStringLiteral("/cancel"))), QStringLiteral("cancelling"));
    // A second cancel, a list and the events show it without moving it on.
    const Answer again = post(job + QStringLiteral("/cancel"));
    QCOMPARE(again.status, 200);
    QCOMPARE(statusOf(again), QStringLiteral("cancelling"));
    const Answer list = get(QStringLiteral("/fine_tuning/jobs"));
    QCOMPARE(list.json.value(QStringLiteral("data")).toArray().first()[QStringLiteral("status")].toString(),
             QStringLiteral("cancelling"));
    QCOMPARE(get(job + QStringLiteral("/events")).status, 200);

    QCOMPARE(statusOf(get(job)), QStringLiteral("cancelling"));
    QCOMPARE(statusOf(get(job)), QStringLiteral("cancelling"));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-w")).status, QStringLiteral("cancelling"));
    QCOMPARE(statusOf(get(job)), QStringLiteral("cancelled"));
    QCOMPARE(statusOf(get(job)), QStringLiteral("cancelled"));
    QCOMPARE(post(job + QStringLiteral("/cancel")).status, 400);

    const QJsonArray events = get(job + QStringLiteral("/events")).json.value(QStringLiteral("data")).toArray();
    QCOMPARE(events.at(0)[QStringLiteral("message")].toString(), QStringLiteral("Fine-tuning job cancelled"));
    QCOMPARE(events.at(1)[QStringLiteral("message")].toString(),
             QStringLiteral("Fine-tuning job cancellation requested"));
}

void TestJobSimulator::cancelModePerJob()
{
    m_sim->setCancellingReads(0);
    m_sim->add(QStringLiteral("ftjob-now"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-later"), QStringLiteral("queued"));
    m_sim->setCancelMode(QStringLiteral("ftjob-later"), JobSimulator::CancelMode::ViaCancelling);

    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-now/cancel")).json[QStringLiteral("status")].toString(),
             QStringLiteral("cancelled"));
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-later/cancel")).json[QStringLiteral("status")].toString(),
             QStringLiteral("cancelling"));
    // With no reads left to wait, the first retrieve finds it cancelled.
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-later")).json[QStringLiteral("status")].toString(),
             QStringLiteral("cancelled"));
}

void TestJobSimulator::listPagesNewestFirst()
{
    const QStringList added = m_sim->addMany(45);
    QCOMPARE(added.size(), 45);
    const QList<QJsonArray> pages = allPages(QStringLiteral("/fine_tuning/jobs"), 20);
    QCOMPARE(pages.size(), 3);
    QCOMPARE(pages.at(0).size(), 20);
    QCOMPARE(pages.at(1).size(), 20);
    QCOMPARE(pages.at(2).size(), 5);

    QStringList listed;
    qint64 previousCreatedAt = std::numeric_limits<qint64>::max();
    for (const QJsonArray& page : pages) {
        for (const QJsonValue& value : page) {
            const QJsonObject job = value.toObject();
            QCOMPARE(job.value(QStringLiteral("object")).toString(), QStringLiteral("fine_tuning.job"));
            const qint64 createdAt = job.value(QStringLiteral("created_at")).toInteger();
            QVERIFY(createdAt <= previousCreatedAt);
            previousCreatedAt = createdAt;
            listed.append(job.value(QStringLiteral("id")).toString());
        }
    }
    QStringList newestFirst = added;
    std::reverse(newestFirst.begin(), newestFirst.end()); // added one after another, each a minute newer
    QCOMPARE(listed, newestFirst);
    QCOMPARE(listed, m_sim->jobIds());
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 3);

    // Another limit pages the same list.
    const QList<QJsonArray> sevens = allPages(QStringLiteral("/fine_tuning/jobs"), 7);
    QCOMPARE(sevens.size(), 7); // 6 x 7 + 3
    QCOMPARE(sevens.last().size(), 3);
    QCOMPARE(sevens.at(1).first()[QStringLiteral("id")].toString(), newestFirst.at(7));

    // A page that ends exactly at the last job says there is no more.
    const QList<QJsonArray> fifteens = allPages(QStringLiteral("/fine_tuning/jobs"), 15);
    QCOMPARE(fifteens.size(), 3);
    QCOMPARE(fifteens.last().size(), 15);
}

void TestJobSimulator::listDefaultAndMaximumLimit()
{
    m_sim->addMany(130);
    const Answer byDefault = get(QStringLiteral("/fine_tuning/jobs"));
    QCOMPARE(byDefault.status, 200);
    QCOMPARE(byDefault.json.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
    QCOMPARE(byDefault.json.value(QStringLiteral("data")).toArray().size(), 20);
    QCOMPARE(byDefault.json.value(QStringLiteral("has_more")).toBool(), true);

    const Answer capped = get(QStringLiteral("/fine_tuning/jobs?limit=1000"));
    QCOMPARE(capped.status, 200);
    QCOMPARE(capped.json.value(QStringLiteral("data")).toArray().size(), 100);
    QCOMPARE(capped.json.value(QStringLiteral("has_more")).toBool(), true);

    const Answer last
        = get(QStringLiteral("/fine_tuning/jobs?limit=100&after=")
              + capped.json.value(QStringLiteral("data")).toArray().last()[QStringLiteral("id")].toString());
    QCOMPARE(last.json.value(QStringLiteral("data")).toArray().size(), 30);
    QCOMPARE(last.json.value(QStringLiteral("has_more")).toBool(), false);

    JobSimulator empty;
    FakeOpenAiServer emptyServer;
    QVERIFY(emptyServer.listen());
    empty.attach(&emptyServer);
    QNetworkRequest request(QUrl(emptyServer.baseUrl().toString() + QStringLiteral("/fine_tuning/jobs")));
    request.setRawHeader("Authorization", QByteArray("Bearer ") + kKey);
    const Answer none = collect(m_nam->get(request));
    QCOMPARE(none.status, 200);
    QCOMPARE(none.json.value(QStringLiteral("data")).toArray().size(), 0);
    QCOMPARE(none.json.value(QStringLiteral("has_more")).toBool(), false);
}

void TestJobSimulator::listBadLimitOrAfterIsRefused_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("param");
    QTest::newRow("limit=0") << QStringLiteral("limit=0") << QStringLiteral("limit");
    QTest::newRow("limit=-1") << QStringLiteral("limit=-1") << QStringLiteral("limit");
    QTest::newRow("limit=abc") << QStringLiteral("limit=abc") << QStringLiteral("limit");
    QTest::newRow("after unknown") << QStringLiteral("after=ftjob-gone") << QStringLiteral("after");
}

void TestJobSimulator::listBadLimitOrAfterIsRefused()
{
    QFETCH(QString, query);
    QFETCH(QString, param);
    m_sim->add(QStringLiteral("ftjob-a"), QStringLiteral("running"));
    for (const QString& path :
         {QStringLiteral("/fine_tuning/jobs"), QStringLiteral("/fine_tuning/jobs/ftjob-a/events")}) {
        const Answer answer = get(path + QLatin1Char('?') + query);
        QCOMPARE(answer.status, 400);
        const QJsonObject error = answer.json.value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(error.value(QStringLiteral("param")).toString(), param);
    }
}

void TestJobSimulator::listTiesInCreatedAtPutLaterAddedFirst()
{
    m_sim->add(QStringLiteral("ftjob-a"), QStringLiteral("running"), QString(), 1000);
    m_sim->add(QStringLiteral("ftjob-b"), QStringLiteral("running"), QString(), 1000);
    m_sim->add(QStringLiteral("ftjob-c"), QStringLiteral("running"), QString(), 500);
    m_sim->add(QStringLiteral("ftjob-d"), QStringLiteral("running"), QString(), 2000);
    const QStringList expected{QStringLiteral("ftjob-d"), QStringLiteral("ftjob-b"), QStringLiteral("ftjob-a"),
                               QStringLiteral("ftjob-c")};
    QCOMPARE(m_sim->jobIds(), expected);
    const QList<QJsonArray> pages = allPages(QStringLiteral("/fine_tuning/jobs"), 1);
    QCOMPARE(pages.size(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(pages.at(i).first()[QStringLiteral("id")].toString(), expected.at(i));
}

void TestJobSimulator::listFiltersByMetadata()
{
    m_sim->addMany(5, {{QStringLiteral("running"), 1}});
    m_sim->add(QStringLiteral("ftjob-tagged"), QStringLiteral("queued"));
    m_sim->setMetadata(QStringLiteral("ftjob-tagged"), {{QStringLiteral("team"), QStringLiteral("search")}});
    const Answer tagged = get(QStringLiteral("/fine_tuning/jobs?metadata%5Bteam%5D=search"));
    QCOMPARE(tagged.status, 200);
    const QJsonArray data = tagged.json.value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data.first()[QStringLiteral("id")].toString(), QStringLiteral("ftjob-tagged"));
    QCOMPARE(data.first()[QStringLiteral("metadata")][QStringLiteral("team")].toString(), QStringLiteral("search"));
    QCOMPARE(
        get(QStringLiteral("/fine_tuning/jobs?metadata%5Bteam%5D=ads")).json[QStringLiteral("data")].toArray().size(),
        0);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs?metadata=null")).json[QStringLiteral("data")].toArray().size(), 5);
}

void TestJobSimulator::addManyMixesStatuses()
{
    const QStringList ids = m_sim->addMany(100);
    QCOMPARE(ids.size(), 100);
    QCOMPARE(ids.first(), QStringLiteral("ftjob-sim000001"));
    QCOMPARE(m_sim->addMany(1).first(), QStringLiteral("ftjob-sim000101")); // later calls never reuse an id
    QMap<QString, int> counts;
    for (const QString& id : ids)
        ++counts[m_sim->job(id).status];
    // Exactly the weights of realisticMix(), which add up to 100.
    for (const auto& entry : JobSimulator::realisticMix())
        QCOMPARE(counts.value(entry.first), entry.second);
    // Interleaved, so a handful of jobs is already a mix.
    QSet<QString> firstTen;
    for (int i = 0; i < 10; ++i)
        firstTen.insert(m_sim->job(ids.at(i)).status);
    QVERIFY2(firstTen.size() >= 4, qPrintable(firstTen.values().join(QLatin1Char(','))));
}

void TestJobSimulator::eventsPageNewestFirst()
{
    m_sim->add(QStringLiteral("ftjob-ev"), QStringLiteral("running"));
    for (int i = 1; i <= 21; ++i)
        m_sim->addEvent(QStringLiteral("ftjob-ev"), i % 7 == 0 ? QStringLiteral("warn") : QStringLiteral("info"),
                        QStringLiteral("Step %1/21: training loss=0.5").arg(i));
    const QList<SimulatedEvent> events = m_sim->job(QStringLiteral("ftjob-ev")).events;
    QCOMPARE(events.size(), 25); // 4 from its start, 21 steps

    const QList<QJsonArray> pages = allPages(QStringLiteral("/fine_tuning/jobs/ftjob-ev/events"), 10);
    QCOMPARE(pages.size(), 3);
    QCOMPARE(pages.at(0).size(), 10);
    QCOMPARE(pages.at(1).size(), 10);
    QCOMPARE(pages.at(2).size(), 5);
    QStringList listed;
    for (const QJsonArray& page : pages) {
        for (const QJsonValue& value : page)
            listed.append(value[QStringLiteral("id")].toString());
    }
    QStringList newestFirst;
    for (auto it = events.crbegin(); it != events.crend(); ++it)
        newestFirst.append(it->id);
    QCOMPARE(listed, newestFirst);
    QCOMPARE(pages.at(0).first()[QStringLiteral("message")].toString(),
             QStringLiteral("Step 21/21: training loss=0.5"));
    QCOMPARE(pages.at(0).at(0)[QStringLiteral("level")].toString(), QStringLiteral("warn")); // step 21
    QCOMPARE(pages.at(2).last()[QStringLiteral("message")].toString(),
             QStringLiteral("Created fine-tuning job: ftjob-ev"));

    const Answer byDefault = get(QStringLiteral("/fine_tuning/jobs/ftjob-ev/events"));
    QCOMPARE(byDefault.json.value(QStringLiteral("data")).toArray().size(), 20);
    QCOMPARE(byDefault.json.value(QStringLiteral("has_more")).toBool(), true);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 4);
}

void TestJobSimulator::faultForKRequestsThenNormal_data()
{
    QTest::addColumn<FakeResponse>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("503") << JobSimulator::overloaded() << 503 << QByteArray() << QByteArray();
    QTest::newRow("429 retry-after") << JobSimulator::rateLimited(7) << 429 << QByteArray("retry-after")
                                     << QByteArray("7");
    QTest::newRow("429 retry-after-ms") << JobSimulator::rateLimitedMs(250) << 429 << QByteArray("retry-after-ms")
                                        << QByteArray("250");
    QTest::newRow("500 retry") << JobSimulator::serverError(true) << 500 << QByteArray("x-should-retry")
                               << QByteArray("true");
    QTest::newRow("500 no retry") << JobSimulator::serverError(false) << 500 << QByteArray("x-should-retry")
                                  << QByteArray("false");
}

void TestJobSimulator::faultForKRequestsThenNormal()
{
    QFETCH(FakeResponse, fault);
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    m_sim->add(QStringLiteral("ftjob-f"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-f"), JobSimulator::RequestKind::Cancel, 2, fault);

    // A retrieve is not a cancel: it is not hit and does not use up the fault.
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-f")).status, 200);
    for (int i = 0; i < 2; ++i) {
        const Answer failed = post(QStringLiteral("/fine_tuning/jobs/ftjob-f/cancel"));
        QCOMPARE(failed.status, status);
        QVERIFY(failed.json.value(QStringLiteral("error")).isObject());
        if (!header.isEmpty())
            QCOMPARE(failed.reply->rawHeader(header), value);
        QVERIFY(failed.requestId.startsWith("req_sim_"));
        QCOMPARE(m_sim->job(QStringLiteral("ftjob-f")).status, QStringLiteral("running")); // refused before acting
    }
    const Answer ok = post(QStringLiteral("/fine_tuning/jobs/ftjob-f/cancel"));
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.json.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-f")), 3);
}

void TestJobSimulator::faultOnAnyKindAndOnUnknownIds()
{
    m_sim->add(QStringLiteral("ftjob-any"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-any"), 2, JobSimulator::overloaded());
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-any")).status, 503);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-any/events")).status, 503);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-any")).status, 200);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs")).status, 200); // lists name no job

    // A fault may be scripted for an id the simulator does not know: first the fault, then the 404.
    m_sim->failNext(QStringLiteral("ftjob-ghost"), 1, JobSimulator::rateLimited(1));
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-ghost/cancel")).status, 429);
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-ghost/cancel")).status, 404);
}

void TestJobSimulator::faultAfterEffectLosesOnlyTheAnswer()
{
    m_sim->add(QStringLiteral("ftjob-lost"), QStringLiteral("running"));
    m_sim->failNextAfterEffect(QStringLiteral("ftjob-lost"), JobSimulator::RequestKind::Cancel, 1,
                               JobSimulator::serverError(true));
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-lost/cancel")).status, 500);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-lost")).status, QStringLiteral("cancelled"));
    // The retry meets a job the first attempt already cancelled (API-NOTES: re-read it).
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-lost/cancel")).status, 400);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-lost")).json[QStringLiteral("status")].toString(),
             QStringLiteral("cancelled"));
}

void TestJobSimulator::hangIsNeverAnsweredThenNormal()
{
    m_sim->add(QStringLiteral("ftjob-h"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-h"), 1, JobSimulator::hang());
    QElapsedTimer timer;
    timer.start();
    const Answer hung = send("POST", QStringLiteral("/fine_tuning/jobs/ftjob-h/cancel"), kKey, 300);
    QCOMPARE(hung.error, QNetworkReply::OperationCanceledError);
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-h")).status, QStringLiteral("running"));
    QCOMPARE(m_sim->inFlight(), 0); // never answered, so never counted
    QCOMPARE(m_sim->maxInFlight(), 0);

    const Answer next = post(QStringLiteral("/fine_tuning/jobs/ftjob-h/cancel"));
    QCOMPARE(next.status, 200);
    QCOMPARE(next.json.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));

    // A closed connection: QNAM re-sends once by itself, so one scripted close is healed and two reach the caller.
    m_sim->add(QStringLiteral("ftjob-c"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-c"), 2, JobSimulator::closeConnection());
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-c")).error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-c")).status, 200);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 3);
}

void TestJobSimulator::listPageFaultHitsOnlyThatPage()
{
    m_sim->addMany(45);
    m_sim->failListPage(2, 1, JobSimulator::overloaded());
    const Answer first = get(QStringLiteral("/fine_tuning/jobs?limit=20"));
    QCOMPARE(first.status, 200);
    const QString afterFirst
        = first.json.value(QStringLiteral("data")).toArray().last()[QStringLiteral("id")].toString();
    const QString second = QStringLiteral("/fine_tuning/jobs?limit=20&after=") + afterFirst;
    QCOMPARE(get(second).status, 503);
    const Answer retried = get(second);
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.json.value(QStringLiteral("data")).toArray().size(), 20);
    const QString afterSecond
        = retried.json.value(QStringLiteral("data")).toArray().last()[QStringLiteral("id")].toString();
    const Answer third = get(QStringLiteral("/fine_tuning/jobs?limit=20&after=") + afterSecond);
    QCOMPARE(third.status, 200);
    QCOMPARE(third.json.value(QStringLiteral("has_more")).toBool(), false);

    // The page is told by position, so a first page is never hit by a fault for the third.
    m_sim->failListPage(3, 2, JobSimulator::serverError(true));
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs?limit=20")).status, 200);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs?limit=20&after=") + afterSecond).status, 500);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs?limit=20&after=") + afterSecond).status, 500);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs?limit=20&after=") + afterSecond).status, 200);
}

void TestJobSimulator::maxInFlight_data()
{
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("latencyMs");
    QTest::addColumn<bool>("oneAfterAnother");
    QTest::addColumn<int>("atLeast");
    QTest::addColumn<int>("atMost");
    // Qt opens at most 6 connections per host, so of 10 requests fired at once 6 are in flight together.
    QTest::newRow("10 at once") << 10 << 600 << false << 6 << 10;
    QTest::newRow("3 at once") << 3 << 1000 << false << 3 << 3;
    QTest::newRow("8 one after another") << 8 << 30 << true << 1 << 1;
}

void TestJobSimulator::maxInFlight()
{
    QFETCH(int, requests);
    QFETCH(int, latencyMs);
    QFETCH(bool, oneAfterAnother);
    QFETCH(int, atLeast);
    QFETCH(int, atMost);
    const QStringList ids = m_sim->addMany(requests, {{QStringLiteral("running"), 1}});
    m_sim->setLatency(latencyMs);
    QCOMPARE(m_sim->maxInFlight(), 0);

    // Halfway to the first answer, the requests seen so far are still in flight. The sample's timer starts after
    // the first request's count-down, with half its delay, so it fires first however busy the machine is.
    int halfway = -1;
    QObject context;
    connect(m_sim.get(), &JobSimulator::requestHandled, &context, [&] {
        if (m_sim->requestCount() == 1)
            QTimer::singleShot(latencyMs / 2, &context, [&] { halfway = m_sim->inFlight(); });
    });

    QList<QNetworkReply*> replies;
    for (const QString& id : ids) {
        replies.append(start("POST", QStringLiteral("/fine_tuning/jobs/%1/cancel").arg(id)));
        if (oneAfterAnother)
            QCOMPARE(collect(replies.last()).status, 200);
    }
    for (QNetworkReply* reply : replies)
        QCOMPARE(collect(reply).status, 200);
    QVERIFY2(m_sim->maxInFlight() >= atLeast && m_sim->maxInFlight() <= atMost,
             qPrintable(QString::number(m_sim->maxInFlight())));
    if (!oneAfterAnother)
        QVERIFY2(halfway >= atLeast && halfway <= atMost, qPrintable(QString::number(halfway)));
    QTRY_COMPARE(m_sim->inFlight(), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), requests);
    for (const QString& id : ids)
        QCOMPARE(m_sim->cancelRequestCount(id), 1);

    m_sim->resetCounters();
    QCOMPARE(m_sim->maxInFlight(), 0);
    QCOMPARE(m_sim->requestCount(), 0);
    QCOMPARE(m_sim->cancelRequestCount(ids.first()), 0);
}

void TestJobSimulator::latencyDelaysAnswers()
{
    m_sim->add(QStringLiteral("ftjob-fast"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-slow"), QStringLiteral("running"));
    m_sim->setLatency(150);
    m_sim->setJobLatency(QStringLiteral("ftjob-slow"), 350);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-fast")).status, 200);
    QVERIFY2(timer.elapsed() >= 140, qPrintable(QString::number(timer.elapsed())));
    timer.restart();
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-slow")).status, 200);
    QVERIFY2(timer.elapsed() >= 490, qPrintable(QString::number(timer.elapsed()))); // 150 + 350
    timer.restart();
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs")).status, 200); // names no job: the global latency only
    QVERIFY2(timer.elapsed() >= 140, qPrintable(QString::number(timer.elapsed())));
}

void TestJobSimulator::unauthorizedWithoutKey_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("empty bearer") << QByteArray("Bearer ");
    QTest::newRow("short key") << QByteArray("Bearer sk-1");
    QTest::newRow("basic") << QByteArray("Basic c2stdGVzdC0wMTIzNDU2Nzg5");
}

void TestJobSimulator::unauthorizedWithoutKey()
{
    QFETCH(QByteArray, authorization);
    m_sim->add(QStringLiteral("ftjob-k"), QStringLiteral("running"));
    for (const QString& path :
         {QStringLiteral("/fine_tuning/jobs/ftjob-k/cancel"), QStringLiteral("/fine_tuning/jobs")}) {
        const QByteArray method = path.endsWith(QLatin1String("cancel")) ? "POST" : "GET";
        const Answer answer = send(method, path, authorization);
        QCOMPARE(answer.status, 401);
        QCOMPARE(answer.json.value(QStringLiteral("error"))[QStringLiteral("type")].toString(),
                 QStringLiteral("invalid_request_error"));
        QVERIFY(answer.requestId.startsWith("req_sim_"));
    }
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-k")).status, QStringLiteral("running"));
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-k/cancel")).status, 200); // with a key it works
}

void TestJobSimulator::unknownUrlIs404()
{
    m_sim->add(QStringLiteral("ftjob-u"), QStringLiteral("running"));
    const QList<QPair<QByteArray, QString>> wrong{
        {"GET", QStringLiteral("/fine_tuning/jobs/ftjob-u/cancel")},
        {"POST", QStringLiteral("/fine_tuning/jobs/ftjob-u")},
        {"DELETE", QStringLiteral("/fine_tuning/jobs/ftjob-u")},
        {"GET", QStringLiteral("/fine_tuning/jobs/ftjob-u/nonsense")},
        {"GET", QStringLiteral("/models")},
    };
    for (const auto& request : wrong) {
        const Answer answer = send(request.first, request.second);
        QCOMPARE(answer.status, 404);
        QVERIFY(answer.json.value(QStringLiteral("error"))[QStringLiteral("message")].toString().startsWith(
            QLatin1String("Invalid URL")));
    }
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-u")).status, QStringLiteral("running"));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Other), 5);
}

void TestJobSimulator::requestsAreCountedByKind()
{
    m_sim->add(QStringLiteral("ftjob-1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-2"), QStringLiteral("running"));
    get(QStringLiteral("/fine_tuning/jobs/ftjob-1"));
    get(QStringLiteral("/fine_tuning/jobs/ftjob-2"));
    get(QStringLiteral("/fine_tuning/jobs/ftjob-2"));
    post(QStringLiteral("/fine_tuning/jobs/ftjob-1/cancel"));
    post(QStringLiteral("/fine_tuning/jobs/ftjob-1/cancel"));
    post(QStringLiteral("/fine_tuning/jobs/ftjob-2/cancel"));
    get(QStringLiteral("/fine_tuning/jobs"));
    get(QStringLiteral("/fine_tuning/jobs/ftjob-1/events"));
    QCOMPARE(m_sim->requestCount(), 8);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 3);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 3);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::List), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Pause), 0);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-1")), 2);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-2")), 1);
    QCOMPARE(m_server->requestCount(), 8);
}

void TestJobSimulator::pauseAndResume()
{
    m_sim->add(QStringLiteral("ftjob-p"), QStringLiteral("running"));
    const QString job = QStringLiteral("/fine_tuning/jobs/ftjob-p");
    QCOMPARE(post(job + QStringLiteral("/pause")).json[QStringLiteral("status")].toString(), QStringLiteral("paused"));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-p")).status, QStringLiteral("paused"));
    QCOMPARE(post(job + QStringLiteral("/pause")).json[QStringLiteral("status")].toString(), QStringLiteral("paused"));
    QCOMPARE(post(job + QStringLiteral("/resume")).json[QStringLiteral("status")].toString(),
             QStringLiteral("running"));
    QCOMPARE(post(job + QStringLiteral("/resume")).status, 400); // not paused
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Pause), 2);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Resume), 2);

    // A queued job comes back queued, as in the API reference's example.
    m_sim->add(QStringLiteral("ftjob-q"), QStringLiteral("queued"));
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-q/pause")).status, 200);
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-q/resume")).json[QStringLiteral("status")].toString(),
             QStringLiteral("queued"));

    m_sim->add(QStringLiteral("ftjob-s"), QStringLiteral("succeeded"));
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-s/pause")).status, 400);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-s")).status, QStringLiteral("succeeded"));
}

void TestJobSimulator::unknownJobHookMayCreateJobs()
{
    QStringList asked;
    m_sim->setUnknownJobHook([this, &asked](const QString& id, JobKind) {
        asked.append(id);
        if (id.contains(QLatin1String("new")))
            m_sim->add(id, QStringLiteral("running"));
    });
    const Answer created = post(QStringLiteral("/fine_tuning/jobs/ftjob-new1/cancel"));
    QCOMPARE(created.status, 200);
    QCOMPARE(created.json.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-new1/cancel")).status, 400); // known now
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-other")).status, 404);
    QCOMPARE(asked, (QStringList{QStringLiteral("ftjob-new1"), QStringLiteral("ftjob-other")}));
}

void TestJobSimulator::requestsAreRecorded()
{
    QCOMPARE(m_sim->provider(), Provider::OpenAI);
    QCOMPARE(m_sim->baseUrl(), m_server->baseUrl());
    m_sim->add(QStringLiteral("ftjob-rec"), QStringLiteral("running"));
    QVERIFY(m_sim->lastRequest().method.isEmpty());
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs?limit=2&after=ftjob-rec")).status, 200);
    QCOMPARE(post(QStringLiteral("/fine_tuning/jobs/ftjob-rec/cancel")).status, 200);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs/ftjob-none")).status, 404);

    const QList<SimulatedRequest> all = m_sim->requests();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(0).method, QByteArray("GET"));
    QCOMPARE(all.at(0).path, QStringLiteral("/v1/fine_tuning/jobs"));
    QCOMPARE(all.at(0).query, QStringLiteral("limit=2&after=ftjob-rec"));
    QCOMPARE(all.at(0).queryItem(QStringLiteral("limit")), QStringLiteral("2"));
    QCOMPARE(all.at(0).kind, int(JobSimulator::RequestKind::List));
    QCOMPARE(all.at(1).path, QStringLiteral("/v1/fine_tuning/jobs/ftjob-rec/cancel"));
    QCOMPARE(all.at(1).jobId, QStringLiteral("ftjob-rec"));
    QCOMPARE(all.at(1).header("AUTHORIZATION"), QByteArray("Bearer ") + kKey);
    QCOMPARE(all.at(1).header("accept"), QByteArray("application/json"));
    QVERIFY(!all.at(1).hasHeader("api-key"));
    QCOMPARE(all.at(2).status, 404);
    QCOMPARE(m_sim->lastRequest().jobId, QStringLiteral("ftjob-none"));
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::Cancel).size(), 1);
    QCOMPARE(m_sim->requests(JobSimulator::RequestKind::Retrieve).size(), 1);
    m_sim->resetCounters();
    QVERIFY(m_sim->requests().isEmpty());
    m_sim->setRecording(false);
    QCOMPARE(get(QStringLiteral("/fine_tuning/jobs")).status, 200);
    QVERIFY(m_sim->requests().isEmpty());
    QCOMPARE(m_sim->requestCount(), 1); // still counted
}

void TestJobSimulator::goneAndExpectedKeyInOpenAiShape()
{
    m_sim->add(QStringLiteral("ftjob-gone"), QStringLiteral("running"));
    m_sim->setExpectedKey("sk-other-key");
    const Answer wrong = get(QStringLiteral("/fine_tuning/jobs"));
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.json[QStringLiteral("error")][QStringLiteral("code")].toString(), QStringLiteral("invalid_api_key"));
    m_sim->setExpectedKey(kKey);
    m_sim->setGone(410, QStringLiteral("Fine-tuning is no longer available to this organization."));
    const Answer gone = post(QStringLiteral("/fine_tuning/jobs/ftjob-gone/cancel"));
    QCOMPARE(gone.status, 410);
    QCOMPARE(gone.json[QStringLiteral("error")][QStringLiteral("message")].toString(),
             QStringLiteral("Fine-tuning is no longer available to this organization."));
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-gone")).status, QStringLiteral("running"));
    QCOMPARE(get(QStringLiteral("/models")).status, 404); // not a fine-tuning endpoint: not gone, just unknown
}

QTEST_GUILESS_MAIN(TestJobSimulator)
#include "tst_jobsimulator.moc"
