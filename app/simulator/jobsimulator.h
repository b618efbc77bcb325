#pragma once

#include "fakeopenaiserver.h"
#include "provider.h"

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
#include <memory>
#include <optional>

class SimDialect;

// One entry of a simulated job's event list (FineTuningJobEvent).
struct SimulatedEvent
{
    QString id; // ftevent-…
    qint64 createdAt = 0;
    QString level; // info, warn or error
    QString message;
    QString status; // the job's status right after the event (Mistral's status-updated, Together's event type)
};

// What a test can read back about one simulated job.
struct SimulatedJob
{
    QString id;
    QString status;
    QString model;
    qint64 createdAt = 0;
    qint64 finishedAt = 0; // 0: null in the job object
    qint64 modifiedAt = 0; // the last status change (Mistral's modified_at, Together's updated_at)
    QJsonObject metadata; // empty: null in the job object
    QList<SimulatedEvent> events; // oldest first, as they happened
    JobKind kind = JobKind::FineTuning; // a batch has no events, but request counts
    qint64 cancelRequestedAt = 0; // when a cancel moved it (Anthropic's cancel_initiated_at, OpenAI's cancelling_at)
    int requestTotal = 0; // a batch's requests (1000); what is done, failed or canceled follows from its status

    bool isValid() const { return !id.isEmpty(); }
};

// One request as the simulator saw it: what a test asserts on (exact method, path, query, headers sent or not).
struct SimulatedRequest
{
    QByteArray method;
    QString path; // as sent, percent-encoding kept, without the query: "/openai/v1/fine_tuning/jobs/ftjob-1/cancel"
    QString query; // as sent after '?', without it; empty when there was none
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, in name order
    int kind = 0; // a JobSimulator::RequestKind (int: this struct comes before the class)
    QString jobId; // the job the request named; empty for lists and unknown URLs
    int status = 0; // what the simulator answered; 0: withheld or the connection closed

    bool hasHeader(const QByteArray& name) const; // case-insensitive
    QByteArray header(const QByteArray& name) const; // case-insensitive; empty when absent
    QString queryItem(const QString& name) const; // fully decoded; empty when absent
    bool hasQueryItem(const QString& name) const;
};

// JobSimulator: a stateful stand-in for the fine-tuning endpoints of the OpenAI API (or, after setProvider(), of Azure
// OpenAI, Together or Mistral, in their paths, auth, ids, statuses and bodies), installed as the handler of a
// FakeOpenAiServer (answers under baseUrl()). It keeps jobs and their events, answers retrieve, cancel, list, events,
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
    // What a status means to the simulator, whatever the provider calls it (SimDialect::phaseOf / word).
    enum class Phase { Validating, Queued, Running, Stopping, Paused, Succeeded, Failed, Cancelled, Unknown };

    // Where a request goes, as the provider's dialect reads it.
    struct Route
    {
        RequestKind kind = RequestKind::Other;
        QString id; // empty for list and unknown URLs
        bool valid = false;
        bool fineTuning = false; // under the provider's fine-tuning paths (setGone() answers these)
        JobKind jobKind = JobKind::FineTuning; // under its fine-tuning or its batch paths
        bool dated = false; // Azure: the dated style (/openai/fine_tuning/…?api-version=…)
        std::optional<FakeResponse> refusal; // answered instead, after the auth check (a bad api-version, …)
    };

    // What a cancel does to a job that is not finished yet:
    //   Immediate:     it is "cancelled" at once (what the API reference documents: "Immediately cancel a fine-tune
    //                  job", answer status "cancelled").
    //   ViaCancelling: it is "cancelling" (Together: cancel_requested; Mistral: CANCELLATION_REQUESTED) and answers so
    //   to the cancel and to the next cancellingReads() retrieves
    //                  (GET /fine_tuning/jobs/{id}); the retrieve after those finds it "cancelled". Lists, events and
    //                  further cancels show the current status without moving it on. Counting reads, not time, keeps
    //                  tests deterministic however slow the machine is.
    enum class CancelMode { Immediate, ViaCancelling };

    using StatusMix = QList<QPair<QString, int>>; // status, weight
    // Called for a request naming a job the simulator does not know; it may add() the job (and script faults or
    // latency for it). If the job still does not exist afterwards, the request is answered 404.
    // kind: the paths it came by (a batch's id is added with addBatch()).
    using UnknownJobHook = std::function<void(const QString& id, JobKind kind)>;

    explicit JobSimulator(FakeOpenAiServer* server = nullptr, QObject* parent = nullptr);
    ~JobSimulator() override;

    void attach(FakeOpenAiServer* server); // installs the simulator as the server's handler

    // ---- provider ----
    // Speak as this provider from now on (default OpenAI): paths, auth header, error shape, list paging, job and
    // event bodies, status words. Also sets the cancel mode to the provider's (Together and Mistral: ViaCancelling,
    // into cancel_requested / CANCELLATION_REQUESTED; OpenAI and Azure: Immediate). Set it before adding jobs.
    void setProvider(Provider provider);
    Provider provider() const;
    // What the client is to use as base URL (OpenAI, Together, Mistral: http://127.0.0.1:<port>/v1) or endpoint
    // (Azure: http://127.0.0.1:<port>, the paths add /openai/v1 or /openai). Empty until attached to a server.
    QUrl baseUrl() const;
    // Only this key is accepted (Bearer for OpenAI, Together, Mistral; api-key for Azure); empty (the default): any
    // key of 5 characters or more.
    void setExpectedKey(const QByteArray& key);
    // Every fine-tuning endpoint answers `httpStatus` with `message` in the provider's error shape (Mistral: the
    // body {"detail": message}), as an API that has retired them; an httpStatus of 0 turns it off. The auth check
    // still comes first; scripted faults do not apply while gone.
    void setGone(int httpStatus, const QString& message);
    // The provider's words: what a status means (Unknown for a word it does not use), and the word of a phase
    // ("cancel_requested" for Together's Stopping; empty where the provider has none, as Mistral's Paused).
    Phase phaseOf(const QString& status) const;
    QString statusWord(Phase phase) const;
    // An error body in the provider's shape, for failNext() and friends (e.g. a 409 as Azure words it).
    FakeResponse errorResponse(int httpStatus, const QString& message) const;

    // ---- jobs ----
    // createdAt 0: one minute after the newest job added so far (starting at 2024-07-23 20:00 UTC), so jobs added
    // later list first. An empty model means the provider's (gpt-4o-mini-2024-07-18 for OpenAI and Azure). Adding an
    // existing id replaces that job. Statuses are the provider's words (Azure: OpenAI's; the dated style answers
    // validating_files and queued as "pending").
    void add(const QString& id, const QString& status, const QString& model = QString(), qint64 createdAt = 0);
    // Adds count jobs, statuses spread over the mix by weight in a fixed interleaved order (the same for the same
    // arguments). Ids: idPrefix + a running number ("ftjob-sim000001", …); with an empty idPrefix the provider's id
    // shape (OpenAI: ftjob-sim000001; Azure: ftjob-<32 hex>; Together: ft-<uuid>; Mistral: a UUID), fixed per
    // number. An empty mix is the provider's realisticMix(). Returns the ids in the order added.
    QStringList addMany(int count, const StatusMix& mix = StatusMix(), const QString& idPrefix = QString());
    QStringList addManyOfKind(JobKind kind, int count, const StatusMix& mix, const QString& idPrefix);
    // OpenAI's: mostly running, queued and validating_files; some succeeded, failed and cancelled.
    static StatusMix realisticMix();
    // The provider's: the same spread in its words, plus (except OpenAI) a few jobs of a status no spec knows
    // (unknownStatus()), which a client must treat as not finished.
    static StatusMix realisticMix(Provider provider);
    static QString unknownStatus(Provider provider); // "preempted", or "PREEMPTED" for Mistral
    // Batches, the second kind of job, on the provider's batch paths (OpenAI /v1/batches, Azure /openai/v1/batches
    // and the dated /openai/batches, Together /v1/batches, Mistral /v1/batch/jobs, Anthropic /v1/messages/batches),
    // in its words (OpenAI: validating, in_progress, finalizing, cancelling, completed, failed, expired,
    // cancelled). Lists of one kind never show the other. A cancelled batch goes through the provider's stopping
    // status (cancelling, canceling, CANCELLATION_REQUESTED) for cancellingReads() retrieves, except Together's,
    // which has none and is CANCELLED at once. Ids as addMany() makes them: batch_sim000001, msgbatch_01…, UUIDs.
    void addBatch(const QString& id, const QString& status, qint64 createdAt = 0);
    QStringList addManyBatches(int count, const StatusMix& mix = StatusMix());
    static StatusMix realisticBatchMix(Provider provider);
    Phase phaseOf(const QString& status, JobKind kind) const;
    QString statusWord(Phase phase, JobKind kind) const;
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
    // Azure pauses only a running job that has trained at least one step: a job marked untrained (running, no step
    // done yet) or not running (validating, queued) is refused with a 400 in Azure's words. OpenAI ignores the mark.
    void setUntrained(const QString& id, bool untrained = true);

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
    // The next `times` requests for page `page` (1-based) of the job list get `response`. A request's page is
    // (position of the first job it would return) / limit + 1, so paging with one limit hits it exactly. Mistral's
    // page=N (0-based) is page N + 1 here; Together's unpaged list is page 1.
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
    int listRequestCount(JobKind kind) const; // list pages asked for, of fine-tuning jobs or of batches
    // A request is in flight from when the simulator sees it until its (delayed) answer is due. Requests that are
    // never answered (hang()) are not counted: the simulator cannot tell when the client gives up on them.
    int inFlight() const { return m_inFlight; }
    int maxInFlight() const { return m_maxInFlight; }
    void resetCounters(); // request counts, cancels per id, the maximum in flight (not inFlight()) and requests()

    // Every request the simulator answered (not those the server answered from its enqueue() script), oldest first.
    QList<SimulatedRequest> requests() const { return m_log; }
    QList<SimulatedRequest> requests(RequestKind kind) const;
    SimulatedRequest lastRequest() const; // empty method when none
    void clearRequests();
    void setRecording(bool on); // default on; ftcancel-fake-api turns it off to keep its memory flat

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
        bool untrained = false; // Azure refuses to pause it
    };
    void addOfKind(JobKind kind, const QString& id, const QString& status, const QString& model, qint64 createdAt);
    QString word(const JobState& state, Phase phase) const;
    FakeResponse handle(const RecordedRequest& request);
    FakeResponse answer(const RecordedRequest& request, const Route& route);
    FakeResponse act(const RecordedRequest& request, const Route& route);
    FakeResponse retrieve(JobState& state, const Route& route);
    FakeResponse cancel(JobState& state, const Route& route);
    FakeResponse pause(JobState& state, const Route& route);
    FakeResponse resume(JobState& state, const Route& route);
    FakeResponse listJobs(const RecordedRequest& request, const Route& route);
    std::optional<FakeResponse> takeListPageFault(int page);
    bool matchesMetadataFilter(const SimulatedJob& job, const QUrlQuery& query) const;
    void record(const RecordedRequest& request, const Route& route, int status);
    Phase phase(const JobState& state) const;
    std::optional<FakeResponse> takeFault(const QString& id, RequestKind kind, bool afterEffect);
    void trackInFlight(FakeResponse& response);
    void changeStatus(JobState& state, const QString& status);
    void appendEvent(JobState& state, const QString& level, const QString& message);
    void seedEvents(JobState& state);
    QJsonObject jobJson(const SimulatedJob& job, const Route& route, bool detailed) const;

    QPointer<FakeOpenAiServer> m_server;
    std::unique_ptr<SimDialect> m_dialect;
    QByteArray m_expectedKey;
    int m_goneStatus = 0;
    QString m_goneMessage;
    QList<SimulatedRequest> m_log;
    bool m_recording = true;
    QHash<QString, JobState> m_jobs;
    mutable QStringList m_listOrder; // jobIds(), kept until add() changes it
    mutable bool m_listOrderValid = false;
    int m_batchCount = 0; // lists filter by kind only when both kinds are there
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
    QMap<JobKind, int> m_listsByKind;
    QHash<QString, int> m_cancelsById;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
    int m_requestNumber = 0; // for x-request-id; never reset
};
