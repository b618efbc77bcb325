#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

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

    bool isError() const { return !errorKind.isEmpty(); }

    // Whether a result is an attempt worth recording: an input error (invalid id, bad settings) sent nothing.
    static bool isAttempt(const JobResult& result);
    // The entry for a finished request, stamped now; free text from the API is redacted against config.apiKey.
    static AuditEntry fromResult(const JobResult& result, const ApiConfig& config, const QString& source);
};

// The audit trail: an append-only JSON Lines file, one compact object per cancel attempt, shared by the window
// and the command line. Each append is a single unbuffered write, so a crash loses at most the line being
// written; reading skips damaged lines (and says which) instead of failing.
class AuditLog final
{
    Q_DECLARE_TR_FUNCTIONS(AuditLog)

public:
    explicit AuditLog(const QString& path = defaultPath());

    // <AppDataLocation>/audit.jsonl; creates the directory.
    static QString defaultPath();

    QString path() const { return m_path; }

    // Appends one line (file mode 0600). Returns false and sets error when the line could not be written.
    bool append(const AuditEntry& entry, QString* error) const;

    // Every readable entry, oldest first. Corrupt, truncated or non-object lines are skipped and counted, with a
    // warning naming the line number. A missing file is an empty trail; an unreadable one adds a warning.
    QList<AuditEntry> readAll(int* skippedLines = nullptr, QStringList* warnings = nullptr) const;
    // Like readAll(), but only the newest maxEntries entries (oldest first). notLoaded counts the older
    // non-empty lines that were not even parsed; error is set when the file exists but cannot be read.
    QList<AuditEntry> readNewest(int maxEntries, int* skippedLines = nullptr, QStringList* warnings = nullptr,
                                 int* notLoaded = nullptr, QString* error = nullptr) const;

    // Writes entries as CSV (RFC 4180: header row, CRLF line ends, fields with a comma, quote, CR or LF quoted,
    // quotes doubled). Text fields that a spreadsheet would run as a formula (starting with =, +, -, @, tab
    // or CR) get a leading apostrophe. Numbers (HTTP status, attempts) are ours and written as they are.
    static bool exportCsv(const QString& path, const QList<AuditEntry>& entries, QString* error);
    // One CSV field, quoted and neutralised as exportCsv() does it.
    static QString csvField(const QString& text);

private:
    QString m_path;
};
