#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

// The providers FtCancel speaks to. Only the provider table (dialect.cpp) and the dialects know what each one means;
// everything above them asks its dialect (Dialect::of) instead of naming a provider.
enum class Provider { OpenAI, Azure, Together, Mistral, Anthropic };

// The kinds of long, paid job a provider may run: each is its own paths, ids and statuses in the provider's Dialect
// (Dialect::kinds() says which a provider offers). Nothing above the api layer names what a kind means.
enum class JobKind { FineTuning, Batch };

// "fine-tuning", "batch": command line, settings, audit trail, --json.
QString jobKindKey(JobKind kind);
// The kind whose key is `key` (case-insensitive); ok set false (and FineTuning returned) when it is none.
JobKind jobKindByKey(QStringView key, bool* ok);
const QList<JobKind>& allJobKinds();

// What a job class reasons about, whatever words a provider uses. The raw status is always what is shown; only the
// class is reasoned about. Unknown is never "finished": it can be cancelled, and the confirmation says so.
enum class StatusClass {
    Unknown,
    Active, // can be cancelled: queued, validating, running, …
    Stopping, // cancelling, cancel_requested, CANCELLATION_REQUESTED: being stopped, watched until it is
    Paused, // paused (or pausing): spends nothing while it stays so; can still be cancelled
    Succeeded,
    Failed,
    Cancelled,
};

// Finished: it will not change again (and cancelling it is pointless).
constexpr bool isFinished(StatusClass c)
{
    return c == StatusClass::Succeeded || c == StatusClass::Failed || c == StatusClass::Cancelled;
}

// A named account: which provider, where, as whom. No secret: the key lives in the keychain entry of the profile
// (ProfileStore), or comes from the environment. A value, carried by every request, result, batch row and audit line.
struct Profile
{
    QString name; // "Default", "prod-eu", …; unique, case-sensitive
    Provider provider = Provider::OpenAI;
    QString baseUrl; // as typed; empty: the provider's default (Azure has none: its endpoint must be given)
    QString organization; // OpenAI only
    QString project; // OpenAI only
    QString apiVersion; // Azure only: "v1" (the default) or a dated version such as "2024-10-21"

    bool operator==(const Profile& o) const
    {
        return name == o.name && provider == o.provider && baseUrl == o.baseUrl && organization == o.organization
            && project == o.project && apiVersion == o.apiVersion;
    }
    bool operator!=(const Profile& o) const { return !(*this == o); }
};

Q_DECLARE_METATYPE(Profile)

// One row of the provider table: the facts about a provider that are data. How it is spoken to (paths, headers,
// bodies, ids, statuses) is its Dialect's.
struct ProviderInfo
{
    Provider provider;
    QString key; // "openai", "azure", "together", "mistral": command line, settings, audit trail, --json
    QString displayName; // "OpenAI", "Azure OpenAI", …: not translated (names)
    QString defaultBaseUrl; // empty: none, the profile must give one (Azure's endpoint)
    QString keyVariable; // the environment variable of its key that the official SDKs read
    QString baseUrlVariable; // of its base URL or endpoint; empty: none
    QString apiVersionVariable; // of its API version; empty: none
    bool hasOrganization = false; // organization and project are sent (OpenAI-Organization, OpenAI-Project)
    bool hasApiVersion = false;

    static const ProviderInfo& of(Provider provider);
    // The row whose key is `key` (case-insensitive), or nullptr.
    static const ProviderInfo* byKey(QStringView key);
    static const QList<ProviderInfo>& all();
    // "openai|azure|together|mistral"
    static QString keys(QChar separator = u'|');
};
