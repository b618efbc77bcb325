// AuditLog: reading the trail, from the end backwards, newest entry first.

#include "auditlog.h"

#include "auditfile.h"
#include "auditjson.h"

#include <QDir>
#include <QPromise>
#include <QThreadPool>
#include <algorithm>
#include <vector>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>

namespace {
using AuditJson::SkippedLine;

// The lines of a trail, fed to it piece by piece from the end of the file back to its start: each becomes an entry
// of result or a skipped line, until maxEntries entries or maxScanBytes bytes are in (isFull()).
class BackwardScan final
{
public:
    BackwardScan(AuditReadResult& result, int maxEntries, qint64 maxScanBytes)
        : m_result(result), m_maxEntries(maxEntries), m_maxScanBytes(maxScanBytes)
    {
    }

    bool isFull() const { return m_full; }
    // The line that begins in an earlier piece, so far; its length also when over-long.
    qint64 pendingLength() const { return m_pendingLength; }

    // The piece [start, start + chunk.size()) of the file; the pieces after it have been fed already.
    void feed(const QByteArray& chunk, qint64 start);
    // Once the start of the file is reached: the first line of the file.
    void feedFirstLine() { handle(m_pending, 0, m_pendingLength); }
    // A warning for each skipped line kept, oldest first; line numbers only when numbered (every line was seen).
    void addWarnings(bool numbered) const;

private:
    // One line, [offset, offset + length) of the file; bytes holds it unless it is over-long.
    void handle(const QByteArray& bytes, qint64 offset, qint64 length);

    AuditReadResult& m_result;
    const int m_maxEntries;
    const qint64 m_maxScanBytes;
    // The bytes of the lines handled so far, '\n' included, but for over-long lines: maxScanBytes bounds what is
    // parsed and kept, and over-long lines are passed over unkept. (Counted, they let a few huge lines at the end of
    // the file use up the budget and hide every entry before them.)
    qint64 m_counted = 0;
    QByteArray m_pending; // the end part of a line whose start lies before the piece; empty once over-long
    qint64 m_pendingLength = 0;
    qint64 m_linesSeen = 0; // lines handled, counted from the end: the piece after the last '\n' is number 0
    bool m_full = false; // maxEntries or maxScanBytes reached
    std::vector<SkippedLine> m_skips; // newest first
};

void BackwardScan::handle(const QByteArray& bytes, qint64 offset, qint64 length)
{
    const qint64 fromEnd = m_linesSeen++;
    const bool overlong = length > AuditLog::maxLineBytes;
    if (!overlong) {
        const qint64 lineBytes = length + (fromEnd == 0 ? 0 : 1);
        if (m_maxScanBytes >= 0 && m_counted + lineBytes > m_maxScanBytes) {
            m_full = true; // this line and those before it are not loaded
            m_result.notLoadedBytes = offset + length;
            return;
        }
        m_counted += lineBytes;
        if (AuditJson::isBlank(bytes))
            return; // blank lines are neither entries nor damage
    }
    if (m_maxEntries >= 0 && m_result.entries.size() >= m_maxEntries) {
        m_full = true;
        m_result.notLoadedBytes = offset + length;
        return;
    }
    SkippedLine skipped{SkippedLine::Kind::Overlong, offset, fromEnd, length, QString()};
    if (!overlong) {
        if (std::optional<AuditEntry> entry = AuditJson::parseLine(bytes, fromEnd == 0, &skipped)) {
            m_result.entries.append(std::move(*entry));
            return;
        }
    }
    (skipped.kind == SkippedLine::Kind::Overlong ? m_result.overlongLines : m_result.damagedLines)++;
    if (m_skips.size() < size_t(AuditLog::maxWarnings))
        m_skips.push_back(std::move(skipped));
}

void BackwardScan::feed(const QByteArray& chunk, qint64 start)
{
    // Lines from the end of the piece back to its start; what comes before the first '\n' belongs to a line that
    // begins in an earlier piece.
    qsizetype end = chunk.size();
    while (!m_full) {
        const qsizetype newline = end > 0 ? chunk.lastIndexOf('\n', end - 1) : -1;
        if (newline < 0) {
            m_pendingLength += end;
            if (m_pendingLength <= AuditLog::maxLineBytes)
                m_pending.prepend(chunk.constData(), end);
            else
                m_pending = QByteArray(); // over-long: only its length is kept
            break;
        }
        const qsizetype pieceLength = end - newline - 1;
        const qint64 length = pieceLength + m_pendingLength;
        const qint64 offset = start + newline + 1;
        if (length > AuditLog::maxLineBytes)
            handle(QByteArray(), offset, length);
        else if (m_pendingLength == 0)
            handle(QByteArray::fromRawData(chunk.constData() + newline + 1, pieceLength), offset, length);
        else
            handle(chunk.mid(newline + 1, pieceLength) + m_pending, offset, length);
        m_pending = QByteArray();
        m_pendingLength = 0;
        end = newline;
    }
}

void BackwardScan::addWarnings(bool numbered) const
{
    for (auto it = m_skips.crbegin(); it != m_skips.crend(); ++it) {
        const QString where = numbered ? AuditLog::tr("Line %1").arg(m_linesSeen - it->fromEnd)
                                       : AuditLog::tr("The line at byte %1").arg(it->offset);
        m_result.warnings << AuditJson::describeSkip(*it, where);
    }
}
} // namespace

AuditReadResult AuditLog::readNewest(int maxEntries, qint64 maxScanBytes,
                                     const std::function<bool()>& stopRequested) const
{
    AuditReadResult result;
    struct stat st
    {
    };
    QString why;
    // Not through a link and only a regular file, as append(): a FIFO would block this read for ever.
    const AuditFile::Descriptor fd(AuditFile::openTrail(m_path, O_RDONLY, &st, &why));
    if (fd.get() < 0) {
        if (errno != ENOENT)
            result.error = why; // else nothing recorded yet
        return result;
    }

    BackwardScan scan(result, maxEntries, maxScanBytes);
    qint64 pos = st.st_size; // bytes [pos, size) have been read
    QByteArray chunk;
    bool stoppedEarly = false;
    while (!scan.isFull() && pos > 0) {
        if (stopRequested && stopRequested()) {
            stoppedEarly = true;
            break;
        }
        const qint64 start = std::max<qint64>(0, pos - chunkBytes);
        chunk.resize(qsizetype(pos - start));
        if (const int readErrno = AuditFile::readAt(fd.get(), chunk.data(), chunk.size(), start); readErrno != 0) {
            const QString shown = QDir::toNativeSeparators(m_path);
            result.error = readErrno < 0
                ? tr("%1 became shorter while it was being read; refresh to read it again.").arg(shown)
                : tr("Could not read %1: %2").arg(shown, qt_error_string(readErrno));
            break;
        }
        scan.feed(chunk, start);
        pos = start;
    }
    const bool wholeFile = !scan.isFull() && !stoppedEarly && pos == 0 && result.error.isEmpty();
    if (wholeFile)
        scan.feedFirstLine();
    if (!scan.isFull() && pos > 0)
        result.notLoadedBytes = pos + scan.pendingLength();

    // Line numbers are known once every line has been seen; otherwise the byte offset says where a line is.
    scan.addWarnings(wholeFile && !scan.isFull());
    return result;
}

QFuture<AuditReadResult> AuditLog::readNewestInBackground(int maxEntries, qint64 maxScanBytes) const
{
    // The task holds the promise and a copy of this object, nothing of the caller: the caller may be gone
    // (a dialog closed mid-read) by the time it ends.
    auto promise = std::make_shared<QPromise<AuditReadResult>>();
    QFuture<AuditReadResult> future = promise->future();
    promise->start();
    const AuditLog log(*this);
    QThreadPool::globalInstance()->start([promise, log, maxEntries, maxScanBytes] {
        promise->addResult(log.readNewest(maxEntries, maxScanBytes, [&promise] { return promise->isCanceled(); }));
        promise->finish();
    });
    return future;
}

QList<AuditEntry> AuditLog::readAll(int* skippedLines, QStringList* warnings) const
{
    AuditReadResult read = readNewest(-1, -1);
    if (skippedLines)
        *skippedLines = read.skippedLines();
    if (warnings) {
        *warnings = read.warnings;
        if (!read.error.isEmpty())
            *warnings << read.error;
    }
    std::reverse(read.entries.begin(), read.entries.end());
    return read.entries;
}
