#pragma once

#include "auditentry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

// What reading the trail found: the entries, and an account of every line that did not become one.
struct AuditReadResult
{
    QList<AuditEntry> entries; // newest first; every text field has passed OutputGate::clean
    int damagedLines = 0; // not JSON, not an object, no valid time or job id, or cut off while being written
    int overlongLines = 0; // longer than AuditLog::maxLineBytes: skipped without being kept in memory
    qint64 notLoadedBytes = 0; // the oldest part of the file, left unread because a limit was reached
    QStringList warnings; // one per skipped line, oldest first; only the newest AuditLog::maxWarnings
    QString error; // the file exists but could not be read (then entries holds what was read before)

    int skippedLines() const { return damagedLines + overlongLines; }
};

// The audit trail: an append-only JSON Lines file, one compact object per cancel attempt, shared by the window
// and the command line. Each append is a single unbuffered write, so a crash loses at most the line being
// written; reading starts at the end, skips damaged lines (and says which) instead of failing, and stops at a
// limit instead of reading a file of any size into memory.
class AuditLog final
{
    Q_DECLARE_TR_FUNCTIONS(AuditLog)

public:
    explicit AuditLog(const QString& path = defaultPath());

    // <AppDataLocation>/audit.jsonl; creates the directory.
    static QString defaultPath();

    QString path() const { return m_path; }

    // Lines longer than this are skipped unread (old versions wrote lines of several MiB).
    static constexpr qint64 maxLineBytes = 64 * 1024;
    // readNewest() reads at most this much of the end of the file by default (over-long lines not counted).
    static constexpr qint64 scanBudgetBytes = 32 * 1024 * 1024;
    // The file is read backwards in pieces of this size.
    static constexpr qint64 chunkBytes = 1024 * 1024;
    // At most this many warnings are kept (the newest); the counts cover every skipped line.
    static constexpr int maxWarnings = 100;

    // Appends one line (file mode 0600). Returns false and sets error when the line could not be written; then
    // nothing of it stays in the file, unless another writer appended meanwhile. A symbolic link, a folder, a
    // named pipe or a device where the file should be is never followed or written to.
    bool append(const AuditEntry& entry, QString* error) const;
    // For a batch, which appends a line per job: keep the file open between appends (one check of the path and one
    // write per line instead of creating the folder, opening, checking and closing each time). Before each line the
    // path must still name that very regular file; if it was moved away, deleted or replaced (by a link, a folder,
    // a pipe), the file is opened again as append() always does, with the same refusals. Copies share the file.
    void setKeepOpen(bool keep);
    // Closes a file kept open (the next append opens it again).
    void close();

    // Reads from the end of the file backwards, newest entry first, until maxEntries entries (-1: no limit) or
    // until maxScanBytes bytes (-1: no limit) have been read; what lies before is counted in notLoadedBytes.
    // Over-long lines do not count against maxScanBytes (they are passed over, never kept in memory), so huge
    // lines at the end of the file never hide the entries before them.
    // Damaged and over-long lines are skipped and counted, with a warning naming the line (its number when the
    // whole file was read, else its byte offset). A missing file is an empty trail. stopRequested, when set, is
    // asked between pieces of the file; returning true ends the read early with what was found so far.
    AuditReadResult readNewest(int maxEntries, qint64 maxScanBytes = scanBudgetBytes,
                               const std::function<bool()>& stopRequested = {}) const;
    // readNewest() in the global thread pool. Cancelling the future stops the read at the next piece; the
    // future holds one result once it is finished.
    QFuture<AuditReadResult> readNewestInBackground(int maxEntries, qint64 maxScanBytes = scanBudgetBytes) const;
    // Every readable entry, oldest first (readNewest() without limits).
    QList<AuditEntry> readAll(int* skippedLines = nullptr, QStringList* warnings = nullptr) const;

    // Writes entries as CSV (RFC 4180: header row, CRLF line ends, fields with a comma, quote, CR or LF quoted,
    // quotes doubled). Text fields that a spreadsheet would run as a formula (starting with =, +, -, @, tab
    // or CR) get a leading apostrophe. Numbers (HTTP status, attempts) are ours and written as they are. The file
    // is owner-only (0600), like the trail.
    static bool exportCsv(const QString& path, const QList<AuditEntry>& entries, QString* error);
    // One CSV field, quoted and neutralised as exportCsv() does it.
    static QString csvField(const QString& text);

private:
    struct OpenFile;

    QString m_path;
    bool m_keepOpen = false;
    mutable std::shared_ptr<OpenFile> m_open; // while kept open
};
