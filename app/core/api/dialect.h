#pragma once

#include "apiconfig.h"
#include "jobpage.h"
#include "jobresult.h"
#include "provider.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

// How one provider's job APIs are spoken, for each kind of job it offers (kinds(): fine-tuning, batches): where each
// operation goes for a configuration, how it is authorised, how its lists page, what its statuses mean, how its
// bodies parse, which ids it accepts and how its dashboard links look. One subclass per provider (openaidialect.cpp,
// azuredialect.cpp, …), one table (Dialect::of). Nothing above the api layer names a provider or what a kind means:
// it asks the dialect of the configuration's provider, with the kind of the job. Stateless and thread-safe.
class Dialect
{
    Q_DECLARE_TR_FUNCTIONS(Dialect)

public:
    enum class Operation { Cancel, Retrieve, Events, Pause, Resume };
    // How the list of jobs pages: cursor `after` + `has_more` (OpenAI, Azure), page number `page`/`page_size` until
    // `total` (Mistral), or one unpaged answer (Together).
    enum class Paging { Cursor, PageNumber, None };
    // Where a job's events come from: a list endpoint of their own, the job itself (Mistral), or nowhere.
    enum class EventsSource { List, InJob, None };
    // What an id is to this provider.
    enum class IdFit { No, Yes, YesWithWarning };

    virtual ~Dialect() = default;

    // The dialect of a provider: the one table of them.
    static const Dialect& of(Provider provider);
    static const QList<const Dialect*>& all();

    virtual Provider provider() const = 0;
    const ProviderInfo& info() const { return ProviderInfo::of(provider()); }

    // The URL every path of the API hangs under, for a configuration: the base URL (Azure: from its endpoint).
    virtual QUrl apiRoot(const ApiConfig& config) const;
    // The kinds of job the provider runs, in the order they are listed.
    virtual QList<JobKind> kinds() const { return {JobKind::FineTuning, JobKind::Batch}; }
    bool hasKind(JobKind kind) const { return kinds().contains(kind); }
    // Whether the provider offers an operation on a kind of job (never on a kind it does not run).
    virtual bool offers(Operation operation, JobKind kind) const;
    virtual bool hasList(JobKind kind) const { return hasKind(kind); }
    virtual Paging paging(JobKind kind) const;
    virtual EventsSource eventsSource(JobKind kind) const;
    // The largest page the list accepts.
    virtual int maxPageSize(JobKind kind) const;

    // {root}{jobsPath}/{id}[/{suffix}] with the id percent-encoded as one path segment, plus the provider's query;
    // invalid for an operation not offered or an id that cannot be one segment (empty, or starting with a dot).
    QUrl url(const ApiConfig& config, Operation operation, const QString& jobId,
             JobKind kind = JobKind::FineTuning) const;
    // The list of jobs: `cursor` is the last id read (Cursor) or the page number (PageNumber, "" = 0); ignored
    // unpaged. limit is bounded to 1–maxPageSize().
    QUrl listUrl(const ApiConfig& config, const QString& cursor, int limit, JobKind kind = JobKind::FineTuning) const;
    // A page of a fine-tuning job's events (EventsSource::List): after the event id `after` (when the list pages by
    // cursor).
    QUrl eventsUrl(const ApiConfig& config, const QString& jobId, const QString& after, int limit) const;
    static QByteArray method(Operation operation);
    // The provider's authorisation headers for the configuration's key (and organization/project where it has them),
    // nothing else of the provider's: each dialect sends only its own.
    virtual void authorise(QNetworkRequest& request, const ApiConfig& config) const = 0;

    // The class of a raw status word; Unknown for any word the provider does not document.
    virtual StatusClass statusClass(const QString& raw, JobKind kind) const = 0;
    // A job object of the provider, with provider, kind and statusClass filled in.
    virtual FineTuningJob jobFromJson(const QJsonObject& object, JobKind kind) const;
    // An event object of the provider's events list (or of a job's events, InJob).
    virtual JobEvent eventFromJson(const QJsonObject& object) const;
    // A job answer: 2xx + JSON object + a status, or the error.
    JobResult parseJob(JobKind kind, int httpStatus, const QByteArray& contentType, const QByteArray& body) const;
    enum class Page { Jobs, Events };
    // A list answer ({"data":[…]} with has_more, total, or neither; a bare array); the events carried by a job for
    // InJob. jobKind: what the jobs of the list are.
    PageResult parsePage(Page page, JobKind jobKind, int httpStatus, const QByteArray& contentType,
                         const QByteArray& body) const;
    // The error of a non-2xx answer in the provider's shapes; what came back when it was none.
    virtual ApiError errorOf(int httpStatus, const QByteArray& contentType, const QByteArray& body) const;

    // What the confirmation of a cancel says about this provider's cancels; empty when nothing (Together: the steps
    // already trained are billed).
    virtual QString cancelNote(JobKind kind) const;
    // What the summary of a cancelled job of this kind adds: a cancelled batch keeps the results of the requests
    // already done (partial output); empty when nothing.
    virtual QString afterCancelNote(JobKind kind) const;
    // What a refused pause (HTTP 400/409) means, in plain words; empty when the API's own words say it all.
    virtual QString pauseRefusedNote() const { return QString(); }

    // The job's page in the provider's dashboard; empty when it has none (the action is hidden, not broken).
    virtual QString dashboardUrl(const QString& jobId, JobKind kind) const;
    // Whether a pasted URL is one of the provider's (dashboard or API), so that its id segment is taken.
    virtual bool ownsUrl(const QUrl& url) const;
    // The kind a URL of the provider's is about, from its path ("/batches/…"): FineTuning when it says nothing.
    virtual JobKind kindOfUrl(const QUrl& url) const;
    // Whether an id (already one word of letters, digits, - and _) is one of the provider's jobs of this kind;
    // warning set with YesWithWarning. Never Yes for a kind the provider does not run.
    virtual IdFit fitsId(const QString& id, JobKind kind, QString* warning) const = 0;
    // An example id for messages: "ftjob-abc123", "batch_abc123".
    virtual QString idExample(JobKind kind) const = 0;
    // "Job ids start with ftjob-." — what the provider's ids of a kind look like, for messages.
    virtual QString idRule(JobKind kind) const = 0;

protected:
    // Where the jobs of a kind hang under the root: "/fine_tuning/jobs" (Together: "/fine-tunes"), "/batches".
    virtual QString jobsPath(JobKind kind) const;
    // The query item of a cursor-paged list: "after" (Anthropic's batches: "after_id").
    virtual QString cursorParameter(JobKind /*kind*/) const { return QStringLiteral("after"); }
    // OpenAI's batch object (id, status, endpoint, model, request_counts {total, completed, failed}, created_at …)
    // as a job: what OpenAI, Azure and (with upper-case statuses) Together share.
    FineTuningJob openAiStyleBatch(const QJsonObject& object) const;
    // OpenAI's batch statuses (Azure's too): validating, in_progress, finalizing, cancelling → completed, failed,
    // expired, cancelled.
    static StatusClass openAiBatchStatusClass(const QString& raw);
    // batch_<letters and digits>
    static bool isOpenAiBatchId(const QString& id);
    // Adds the provider's query items every request carries (Azure's api-version) to url.
    virtual void addQuery(QUrl& url, const ApiConfig& config) const;
    // The common part of an error object {"error":{"message","type","code","param"}} or {"error":"…"}.
    static ApiError openAiStyleError(int httpStatus, const QByteArray& contentType, const QByteArray& body);
    static bool isUuid(QStringView text);
    // An ISO 8601 / RFC 3339 time ("2023-05-17T17:35:45.123Z") in seconds since the epoch; 0 when it is none.
    static qint64 isoSeconds(const QJsonValue& value);
    static void setBearer(QNetworkRequest& request, const ApiConfig& config);
};
