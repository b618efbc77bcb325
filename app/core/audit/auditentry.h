#pragma once

#include <QDateTime>
#include <QString>

struct ApiConfig;
struct JobResult;

// One cancel attempt as the audit trail keeps it: when, which job, as which account and against which host,
// and what came back. Never holds the key: the error message is redacted against it on the way in.
struct AuditEntry
{
    QDateTime time; // UTC
    QString jobId;
    QString organization;
    QString project;
    QString baseHost; // host[:port] of the base URL, without user info
    int httpStatus = 0; // 0 when there was no HTTP answer
    QString status; // the job status the API returned; empty on error
    QString requestId; // x-request-id
    QString errorKind; // ApiError::kindName(); empty on success
    QString errorMessage;
    int attempts = 0; // HTTP attempts made, retries included
    QString source; // "window" or "cli"
    // The account: the profile's name (empty: none, as with environment variables alone) and the provider's key
    // ("openai", "azure", …). Lines written before profiles existed read as "openai", the only provider then.
    QString profile;
    QString provider;
    // "fine-tuning" or "batch" (jobKindKey); lines written before batches existed read as "fine-tuning".
    QString kind;
    // What was sent: "cancel", "pause" or "resume"; lines written before pausing existed read as "cancel".
    QString action = QStringLiteral("cancel");

    bool isError() const { return !errorKind.isEmpty(); }

    // Whether a result is an attempt worth recording: an input error (invalid id, bad settings) sent nothing.
    static bool isAttempt(const JobResult& result);
    // The entry for a finished request, stamped now; free text from the API is redacted against config.apiKey.
    static AuditEntry fromResult(const JobResult& result, const ApiConfig& config, const QString& source);
    // What every entry of one account and source holds alike (organization, project, host, source), through the
    // output gate, with config.apiKey registered there: for a batch, which writes a line per job.
    static AuditEntry forAccount(const ApiConfig& config, const QString& source);
    // fromResult() on such an entry.
    static AuditEntry fromResult(const JobResult& result, const AuditEntry& account);
};
