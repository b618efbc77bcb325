#include "auditentry.h"

#include "apiconfig.h"
#include "jobresult.h"
#include "outputgate.h"

bool AuditEntry::isAttempt(const JobResult& result)
{
    return result.error.kind != ApiError::Kind::Input;
}

AuditEntry AuditEntry::forAccount(const ApiConfig& config, const QString& source)
{
    OutputGate::addSecret(config.apiKey);
    // Every field passes the output gate: masked, control characters shown, capped (the trail must stay small
    // and safe to show whatever the server sent).
    AuditEntry e;
    e.organization = OutputGate::clean(config.organization);
    e.project = OutputGate::clean(config.project);
    QString host = config.baseUrl.host();
    if (config.baseUrl.port() != -1)
        host += QStringLiteral(":%1").arg(config.baseUrl.port());
    e.baseHost = OutputGate::clean(host);
    e.source = source;
    e.profile = OutputGate::clean(config.profileName);
    e.provider = ProviderInfo::of(config.provider).key;
    return e;
}

AuditEntry AuditEntry::fromResult(const JobResult& result, const ApiConfig& config, const QString& source)
{
    return fromResult(result, forAccount(config, source));
}

AuditEntry AuditEntry::fromResult(const JobResult& result, const AuditEntry& account)
{
    const auto field = [](const QString& text) {
        return OutputGate::clean(text);
    };
    AuditEntry e = account;
    e.time = QDateTime::currentDateTimeUtc();
    e.jobId = field(result.requestedId);
    e.kind = jobKindKey(result.requestedKind);
    e.httpStatus = result.httpStatus != 0 ? result.httpStatus : result.error.httpStatus;
    // Everything that came from the server is redacted too: an API (or a proxy) may echo the key anywhere.
    e.requestId = field(result.requestId.isEmpty() ? result.error.requestId : result.requestId);
    if (result.isOk()) {
        e.status = field(result.job.status);
    } else {
        e.errorKind = result.error.kindName();
        e.errorMessage = OutputGate::clean(result.error.message, OutputGate::lineBytes);
    }
    e.attempts = result.attempts;
    return e;
}
