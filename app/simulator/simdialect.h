#pragma once

#include "jobsimulator.h"
#include "provider.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

#include <memory>
#include <optional>

// SimDialect: what the JobSimulator must know to speak as one provider: where its fine-tuning endpoints are, how a
// request is authorised, what its ids, statuses, job, list, events and error bodies look like. The simulator keeps
// the jobs and their state; a dialect only addresses and words them. One class per provider (simdialect.cpp for
// OpenAI, simazure.cpp, simtogether.cpp, simmistral.cpp); adding a provider is one more class here.
class SimDialect
{
public:
    using Route = JobSimulator::Route;
    using Phase = JobSimulator::Phase;
    using RequestKind = JobSimulator::RequestKind;

    // The slice of the job list (newest first) one list request asks for.
    struct ListSlice
    {
        qsizetype start = 0;
        qsizetype count = -1; // -1: all from start (an unpaged list)
        qsizetype pageSize = 0; // for the page number failListPage() counts: start / pageSize + 1; 0: page 1
        std::optional<FakeResponse> refusal; // a bad limit, page or cursor
    };
    // What an error is about, so each dialect can word and code it as its API does.
    enum class ErrorKind { Unauthorized, NotFound, InvalidUrl, AlreadyFinished, BadRequest, Gone, Internal };

    virtual ~SimDialect() = default;
    static std::unique_ptr<SimDialect> create(Provider provider);

    virtual Provider provider() const = 0;
    // The path the client's base URL (or endpoint) ends in: "/v1", or "" for Azure's endpoint.
    virtual QString basePath() const { return QStringLiteral("/v1"); }

    // ---- requests ----
    virtual Route route(const RecordedRequest& request) const = 0;
    // nullopt: authorised. expectedKey empty: any plausible key is accepted.
    virtual std::optional<FakeResponse> checkAuth(const RecordedRequest& request, const QByteArray& expectedKey) const;
    // param: the parameter at fault, where the shape has one (OpenAI's "param")
    virtual FakeResponse error(int status, ErrorKind kind, const QString& message,
                               const QString& param = QString()) const;
    // The answer when setGone() is on: by default error(status, Gone, message).
    virtual FakeResponse gone(int status, const QString& message) const;

    // ---- ids and statuses ----
    virtual QString makeId(int number) const; // the id addMany() gives its number-th job
    virtual QString defaultModel() const;
    virtual JobSimulator::StatusMix realisticMix() const;
    virtual Phase phaseOf(const QString& status) const;
    virtual QString word(Phase phase) const; // the status a job moves to in this phase

    // ---- bodies ----
    virtual QJsonObject jobJson(const SimulatedJob& job, const Route& route, bool detailed) const;
    virtual ListSlice listSlice(const QUrlQuery& query, const QStringList& ids) const;
    virtual QJsonObject listEnvelope(const QJsonArray& data, bool hasMore, qsizetype total) const;
    virtual FakeResponse events(const SimulatedJob& job, const QUrlQuery& query) const;
    virtual QJsonObject eventJson(const SimulatedEvent& event) const;

    // ---- batches (defaults: OpenAI's /v1/batches; Azure's too) ----
    virtual bool hasFineTuning() const { return true; } // Anthropic: batches only
    virtual QString makeBatchId(int number) const; // batch_sim000001
    virtual QString defaultBatchModel() const { return defaultModel(); }
    virtual JobSimulator::StatusMix realisticBatchMix() const;
    virtual Phase batchPhaseOf(const QString& status) const;
    virtual QString batchWord(Phase phase) const; // empty: the provider has no such batch status
    virtual QJsonObject batchJson(const SimulatedJob& job) const;
    virtual ListSlice batchListSlice(const QUrlQuery& query, const QStringList& ids) const;
    virtual FakeResponse batchList(const QJsonArray& data, bool hasMore, qsizetype total) const;

    // The kind's words: phaseOf/word for fine-tuning, batchPhaseOf/batchWord for batches.
    Phase phaseIn(const QString& status, JobKind kind) const;
    QString wordIn(Phase phase, JobKind kind) const;

    // What a batch's requests have come to in this phase, of job.requestTotal.
    struct RequestCounts
    {
        int total = 0;
        int succeeded = 0;
        int failed = 0;
        int canceled = 0;
        int processing = 0;
    };
    static RequestCounts countsOf(const SimulatedJob& job, Phase phase);

    // ---- shared helpers for the dialects ----
    static FakeResponse jsonAnswer(const QJsonObject& object, int status = 200);
    static QString hexOf(int number, int digits); // a fixed, pseudo-random lower-case hex string for a number
    static QString uuidOf(int number); // a fixed, pseudo-random UUID (version 4 shape) for a number
    static QString isoTime(qint64 secondsSinceEpoch); // 2024-07-23T20:00:00.000Z
    // OpenAI's path split: /{prefix...}/fine_tuning/jobs[/{id}[/action]] with prefix the given parts.
    static Route routeFineTuningJobs(const RecordedRequest& request, const QList<QByteArray>& prefix,
                                     bool withPauseResume);
    // Cursor paging (after, limit) as OpenAI and Azure do it; nullopt when `after` is not in ids.
    // Any collection: /{collection...}[/{id}[/action]], the actions those given (cancel POST, events GET, pause and
    // resume POST). Sets jobKind and fineTuning from kind.
    static Route routeJobs(const RecordedRequest& request, const QList<QByteArray>& collection, JobKind kind,
                           const QList<QByteArray>& actions);
    static ListSlice cursorSlice(const QUrlQuery& query, const QStringList& ids, const SimDialect& dialect);
    static std::optional<int> parseLimit(const QUrlQuery& query, const SimDialect& dialect, FakeResponse* error);
};

std::unique_ptr<SimDialect> makeSimAzure();
std::unique_ptr<SimDialect> makeSimTogether();
std::unique_ptr<SimDialect> makeSimMistral();
std::unique_ptr<SimDialect> makeSimAnthropic();
