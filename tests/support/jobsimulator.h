#pragma once

#include "fakeopenaiserver.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QStringList>

class QUrlQuery;

#include <functional>
#include <optional>

// One entry of a simulated job's event list (FineTuningJobEvent).
struct SimulatedEvent
{
    QString id; // ftevent-…
    qint64 createdAt = 0;
    QString level; // info, warn or error
    QString message;
};

// What a test can read back about one simulated job.
struct SimulatedJob
{
    QString id;
    QString status;
    QString model;
    qint64 createdAt = 0;
    qint64 finishedAt = 0; // 0: null in the job object
    QJsonObject metadata; // empty: null in the job object
    QList<SimulatedEvent> events; // oldest first, as they happened

    bool isValid() const { return !id.isEmpty(); }
};

// JobSimulator: a stateful stand-in for the fine-tuning endpoints of the OpenAI API, installed as the handler of a
// FakeOpenAiServer (answers under its /v1). It keeps jobs and their events, answers retrieve, cancel, list, events,
// pause and resume as API-NOTES.md documents them, injects latency and scripted faults per job or per list page, and
// counts what it saw (requests by kind, cancels per id, requests in flight at once) so tests can assert on load.
// Responses the server has queued with enqueue() still win over the simulator and are not counted by it.
// requestHandled() is emitted for every request the simulator answers (status 0 when the answer is withheld or the
// connection is closed instead); statusChanged() whenever a job's status changes.
class JobSimulator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobSimulator)
public:
    enum class RequestKind { Retrieve, Cancel, List, Events, Pause, Resume, Other };
    Q_ENUM(RequestKind)

    // What a cancel does to a job that is not finished yet:
    //   Immediate:     it is "cancelled" at once (what the API reference documents: "Immediately cancel a fine-tune
    //                  job", answer status "cancelled").
    //   ViaCancelling: it is "cancelling" and answers so to the cancel and to the next cancellingReads() retrieves
    //                  (GET /fine_tuning/jobs/{id}); the retrieve after those finds it "cancelled". Lists, events and
    //                  further cancels show the current status without moving it on. Counting reads, not time, keeps
    //                  tests deterministic however slow the machine is.
    enum class CancelMode { Immediate, ViaCancelling };

    using StatusMix = QList<QPair<QString, int>>; // status, weight
    // Called for a request naming a job the simulator does not know; it may add() the job (and script faults or
    // latency for it). If the job still does not exist afterwards, the request is answered 404.
    using UnknownJobHook = std::function<void(const QString& id)>;

    explicit JobSimulator(FakeOpenAiServer* server = nullptr, QObject* parent = nullptr);
    ~JobSimulator() override;

    void attach(FakeOpenAiServer* server); // installs the simulator as the server's handler

    // ---- jobs ----
    // createdAt 0: one minute after the newest job added so far (starting at 2024-07-23 20:00 UTC), so jobs added
    // later list first. An empty model means gpt-4o-mini-2024-07-18. Adding an existing id replaces that job.
    void add(const QString& id, const QString& status, const QString& model = QString(), qint64 createdAt = 0);
    // Adds count jobs with ids idPrefix + a running number ("ftjob-sim000001", …), statuses spread over the mix by
    // weight in a fixed interleaved order (the same for the same arguments). Returns the ids in the order added.
    QStringList addMany(int count, const StatusMix& mix = realisticMix(),
                        const QString& idPrefix = QStringLiteral("ftjob-sim"));
    // Mostly running, queued and validating_files; some succeeded, failed and cancelled.
    static StatusMix realisticMix();
    bool contains(const QString& id) const;
    SimulatedJob job(const QString& id) const; // invalid (empty id) when unknown
    QStringList jobIds() const; // in list order: newest created_at first, then the later added first
    int jobCount() const;
    // setStatus, addEvent, setMetadata and setCancelMode(id, …) change a job already added; unknown ids are ignored.
    void setStatus(const QString& id, const QString& status); // as if the job had moved on by itself
    void addEvent(const QString& id, const QString& level, const QString& message);
    // Shown as the job's metadata; GET /fine_tuning/jobs?metadata[k]=v lists only jobs whose metadata has k = v
    // (metadata=null: only jobs without metadata).
    void setMetadata(const QString& id, const QJsonObject& metadata);
    void setUnknownJobHook(UnknownJobHook hook);

    // ---- cancel ----
    void setCancelMode(CancelMode mode); // for all jobs without a mode of their own; default Immediate
    void setCancelMode(const QString& id, CancelMode mode);
    void setCancellingReads(int reads); // default 2; taken when a job starts cancelling
    int cancellingReads() const { return m_cancellingReads; }

    // ---- latency (added together: global + the job's) ----
    void setLatency(int ms); // every answer, faults included
    void setJobLatency(const QString& id, int ms); // every answer to a request naming the job

    // ---- faults ----
    // The next `times` requests naming the job (of any kind, or only of `kind`) get `response` instead, and change
    // nothing. The id need not exist yet.
    void failNext(const QString& id, int times, const FakeResponse& response);
    void failNext(const QString& id, RequestKind kind, int times, const FakeResponse& response);
    // As failNext, but the request takes effect first and only its answer is replaced: "the cancel went through,
    // the answer was lost".
    void failNextAfterEffect(const QString& id, RequestKind kind, int times, const FakeResponse& response);
    // The next `times` requests for page `page` (1-based) of GET /fine_tuning/jobs get `response`. A request's page
    // is (position of the first job it would return) / limit + 1, so paging with one limit hits it exactly.
    void failListPage(int page, int times, const FakeResponse& response);
    // Pages as a server that does not keep to its paging answers them, for failListPage() and failNext(id, Events):
    // the jobs named (as the list shows them; unknown ids are left out), or events of the job named (newest first
    // as listed; unknown ids left out), with has_more as given. failListPage(2, 1, listPage(page 1's ids, true)) is
    // a list that loops; listPage({}, true) an empty page that says there is more.
    FakeResponse listPage(const QStringList& ids, bool hasMore) const;
    FakeResponse eventsPage(const QString& id, const QStringList& eventIds, bool hasMore) const;

    // Ready-made faults, as the API and proxies in front of it answer.
    static FakeResponse overloaded(); // 503 server_error
    static FakeResponse rateLimited(int retryAfterSeconds); // 429 with retry-after
    static FakeResponse rateLimitedMs(int retryAfterMs); // 429 with retry-after-ms
    static FakeResponse serverError(bool shouldRetry); // 500 with x-should-retry: true|false
    static FakeResponse hang(); // never answered; the socket stays open
    static FakeResponse closeConnection(); // the socket is closed without a byte

    // ---- observability ----
    int requestCount() const { return m_requestCount; }
    int requestCount(RequestKind kind) const;
    int cancelRequestCount(const QString& id) const;
    // A request is in flight from when the simulator sees it until its (delayed) answer is due. Requests that are
    // never answered (hang()) are not counted: the simulator cannot tell when the client gives up on them.
    int inFlight() const { return m_inFlight; }
    int maxInFlight() const { return m_maxInFlight; }
    void resetCounters(); // request counts, cancels per id and the maximum in flight (not inFlight() itself)

signals:
    void requestHandled(const RecordedRequest& request, int status);
    void statusChanged(const QString& id, const QString& status);

private:
    struct Fault
    {
        FakeResponse response;
        int times = 0;
        std::optional<RequestKind> kind;
        bool afterEffect = false;
    };
    struct JobState
    {
        SimulatedJob job;
        qint64 sequence = 0; // order of addition, for ties in created_at
        std::optional<CancelMode> cancelMode;
        int cancellingReadsLeft = 0;
        QString statusBeforePause;
    };
    struct Route
    {
        RequestKind kind = RequestKind::Other;
        QString id; // empty for list and unknown URLs
        bool valid = false;
    };

    FakeResponse handle(const RecordedRequest& request);
    FakeResponse answer(const RecordedRequest& request, const Route& route);
    FakeResponse act(const RecordedRequest& request, const Route& route);
    FakeResponse retrieve(JobState& state);
    FakeResponse cancel(JobState& state);
    FakeResponse pause(JobState& state);
    FakeResponse resume(JobState& state);
    FakeResponse listJobs(const RecordedRequest& request);
    bool matchesMetadataFilter(const SimulatedJob& job, const QUrlQuery& query) const;
    FakeResponse listEvents(const JobState& state, const RecordedRequest& request);
    static QJsonObject eventJson(const SimulatedEvent& event);
    std::optional<FakeResponse> takeFault(const QString& id, RequestKind kind, bool afterEffect);
    void trackInFlight(FakeResponse& response);
    void changeStatus(JobState& state, const QString& status);
    void appendEvent(JobState& state, const QString& level, const QString& message);
    void seedEvents(JobState& state);
    QJsonObject jobJson(const SimulatedJob& job) const;
    static Route route(const RecordedRequest& request);

    QPointer<FakeOpenAiServer> m_server;
    QHash<QString, JobState> m_jobs;
    mutable QStringList m_listOrder; // jobIds(), kept until add() changes it
    mutable bool m_listOrderValid = false;
    qint64 m_nextSequence = 1;
    qint64 m_newestCreatedAt = 0;
    qint64 m_nextEventNumber = 1;
    int m_nextManyNumber = 1;
    UnknownJobHook m_unknownJobHook;
    CancelMode m_cancelMode = CancelMode::Immediate;
    int m_cancellingReads = 2;
    int m_latencyMs = 0;
    QHash<QString, int> m_jobLatencyMs;
    QHash<QString, QList<Fault>> m_faults;
    QHash<int, QList<Fault>> m_listPageFaults;

    int m_requestCount = 0;
    QMap<RequestKind, int> m_requestsByKind;
    QHash<QString, int> m_cancelsById;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
    int m_requestNumber = 0; // for x-request-id; never reset
};
