#include "auditlog.h"

#include "apiconfig.h"
#include "jobresult.h"
#include "outputgate.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPromise>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThreadPool>
#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
// JSON keys: snake_case like the CLI's --json output. Changing one makes older lines unreadable.
const QLatin1String keyTime("time");
const QLatin1String keyJobId("job_id");
const QLatin1String keyOrganization("organization");
const QLatin1String keyProject("project");
const QLatin1String keyBaseHost("base_host");
const QLatin1String keyHttpStatus("http_status");
const QLatin1String keyStatus("status");
const QLatin1String keyRequestId("request_id");
const QLatin1String keyErrorKind("error_kind");
const QLatin1String keyErrorMessage("error_message");
const QLatin1String keyAttempts("attempts");
const QLatin1String keySource("source");
const QLatin1String keyProfile("profile");
const QLatin1String keyProvider("provider");

// A JSON string as QJsonDocument writes one (tst_auditlog compares them byte for byte): '"' and '\\' escaped,
// control characters as \b \f \n \r \t or \u00XX, a lone surrogate as \uXXXX, everything else as UTF-8.
void appendJsonString(QByteArray& out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    qsizetype plain = 0; // where the characters written as they are start
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text[i];
        const char16_t u = c.unicode();
        if (c.isHighSurrogate() && i + 1 < n && text[i + 1].isLowSurrogate()) {
            ++i; // a pair: as UTF-8, with the rest
            continue;
        }
        if (u >= 0x20 && u != '"' && u != '\\' && !c.isSurrogate())
            continue;
        out += text.mid(plain, i - plain).toUtf8();
        plain = i + 1;
        out += '\\';
        switch (u) {
        case '"':
        case '\\':
            out += char(u);
            break;
        case '\b':
            out += 'b';
            break;
        case '\f':
            out += 'f';
            break;
        case '\n':
            out += 'n';
            break;
        case '\r':
            out += 'r';
            break;
        case '\t':
            out += 't';
            break;
        default:
            out += 'u';
            for (const int shift : {12, 8, 4, 0})
                out += hex[(u >> shift) & 0xf];
        }
    }
    out += text.mid(plain).toUtf8();
    out += '"';
}

// One entry as one line of compact JSON, keys in QJsonObject's order (sorted), as lines were always written. Made
// by hand: building a QJsonObject and serialising it was most of what a cancel's audit line cost.
QByteArray toJsonLine(const AuditEntry& e)
{
    QByteArray line;
    line.reserve(320 + e.errorMessage.size());
    const auto key = [&line](QLatin1String name) {
        line += line.isEmpty() ? "{\"" : ",\"";
        line += QByteArrayView(name.data(), name.size());
        line += "\":";
    };
    const auto text = [&](QLatin1String name, QStringView value) {
        key(name);
        appendJsonString(line, value);
    };
    const auto number = [&](QLatin1String name, int value) {
        key(name);
        line += QByteArray::number(value);
    };
    number(keyAttempts, e.attempts);
    text(keyBaseHost, e.baseHost);
    text(keyErrorKind, e.errorKind);
    text(keyErrorMessage, e.errorMessage);
    number(keyHttpStatus, e.httpStatus);
    text(keyJobId, e.jobId);
    text(keyOrganization, e.organization);
    text(keyProfile, e.profile);
    text(keyProject, e.project);
    text(keyProvider, e.provider);
    text(keyRequestId, e.requestId);
    text(keySource, e.source);
    text(keyStatus, e.status);
    text(keyTime, e.time.toUTC().toString(Qt::ISODateWithMs));
    line += '}';
    // Control characters are escaped, so an entry is always exactly one line.
    return line;
}

// Closes a file descriptor when it goes out of scope.
class Descriptor final
{
public:
    explicit Descriptor(int fd) : m_fd(fd) { }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(Descriptor)
    int get() const { return m_fd; }

private:
    int m_fd;
};

// What a path that is not a regular file is, as a sentence naming it.
QString notARegularFile(const QString& shownPath, mode_t mode)
{
    if (S_ISLNK(mode))
        return QCoreApplication::translate("AuditLog", "%1 is a symbolic link; links are not followed.").arg(shownPath);
    if (S_ISDIR(mode))
        return QCoreApplication::translate("AuditLog", "%1 is a folder, not a file.").arg(shownPath);
    if (S_ISFIFO(mode))
        return QCoreApplication::translate("AuditLog", "%1 is a named pipe (FIFO), not a file.").arg(shownPath);
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QCoreApplication::translate("AuditLog", "%1 is a device, not a file.").arg(shownPath);
    if (S_ISSOCK(mode))
        return QCoreApplication::translate("AuditLog", "%1 is a socket, not a file.").arg(shownPath);
    return QCoreApplication::translate("AuditLog", "%1 is not a regular file.").arg(shownPath);
}

// Opens the trail itself and only if it is a regular file: never what a symbolic link points to (another file
// would be written, or made owner-only), never blocking on a named pipe, never a device. flags adds the access
// mode. Returns the descriptor and fills st, or returns -1 with errno set (EINVAL: not a regular file) and *why
// set to a sentence.
int openTrail(const QString& path, int flags, struct stat* st, QString* why)
{
    const QByteArray native = QFile::encodeName(path);
    const QString shown = QDir::toNativeSeparators(path);
    int fd = -1;
    do {
        // O_NONBLOCK: opening a FIFO (or a device) must not wait for the other end; O_NOCTTY: a terminal must
        // not become ours.
        fd = ::open(native.constData(), flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        const int openErrno = errno;
        // ELOOP (a link), EISDIR (a folder), ENXIO (a FIFO nobody reads, a socket): say what is there.
        struct stat link
        {
        };
        if (openErrno != ENOENT && ::lstat(native.constData(), &link) == 0 && !S_ISREG(link.st_mode))
            *why = notARegularFile(shown, link.st_mode);
        else
            *why = QCoreApplication::translate("AuditLog", "Could not open %1: %2")
                       .arg(shown, qt_error_string(openErrno));
        errno = openErrno;
        return -1;
    }
    // O_NOFOLLOW refuses only a link: a FIFO, a device or (to read) a folder does open; the descriptor decides.
    if (::fstat(fd, st) != 0) {
        const int statErrno = errno;
        *why = QCoreApplication::translate("AuditLog", "Could not open %1: %2").arg(shown, qt_error_string(statErrno));
        ::close(fd);
        errno = statErrno;
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        *why = notARegularFile(shown, st->st_mode);
        ::close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

// Creates a folder and those above it that are missing (owner-only: the trail names accounts). Returns 0, or the
// errno that says why not in the system's words (EACCES for a read-only data folder, ENOTDIR for a file in the way).
int makeFolder(const QByteArray& path)
{
    struct stat st
    {
    };
    if (::stat(path.constData(), &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (errno != ENOENT)
        return errno;
    const qsizetype slash = path.lastIndexOf('/');
    if (slash > 0) {
        if (const int parentErrno = makeFolder(path.left(slash)); parentErrno != 0)
            return parentErrno;
    }
    if (::mkdir(path.constData(), 0700) == 0)
        return 0;
    const int mkdirErrno = errno;
    // Made meanwhile by another writer (the window and the command line may start at once): fine if a folder.
    if (mkdirErrno == EEXIST && ::stat(path.constData(), &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return mkdirErrno;
}

// pread() until n bytes are in, from offset on. Returns 0, the errno of the failure, or -1 when the file ended
// early (it was made shorter while being read: a writer took back a line it could not finish).
int readAt(int fd, char* data, qint64 n, qint64 offset)
{
    qint64 done = 0;
    while (done < n) {
        const ssize_t got = ::pread(fd, data + done, size_t(n - done), off_t(offset + done));
        if (got > 0)
            done += got;
        else if (got < 0 && errno == EINTR)
            continue;
        else
            return got < 0 ? errno : -1;
    }
    return 0;
}

bool isBlank(const QByteArray& bytes)
{
    return std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

// A line that holds no entry, kept until the end of the read, when its line number may be known.
struct SkippedLine
{
    enum class Kind { Overlong, Incomplete, NotJson, NotObject, NoTimeOrJobId };
    Kind kind;
    qint64 offset; // of its first byte
    qint64 fromEnd; // 0: the piece after the last '\n'
    qint64 length;
    QString detail; // the JSON parser's words
};

QString describeSkip(const SkippedLine& s, const QString& where)
{
    switch (s.kind) {
    case SkippedLine::Kind::Overlong:
        return QCoreApplication::translate("AuditLog", "%1 is longer than %2 (%3); skipped without reading it.")
            .arg(where, QLocale().formattedDataSize(AuditLog::maxLineBytes), QLocale().formattedDataSize(s.length));
    case SkippedLine::Kind::Incomplete:
        return QCoreApplication::translate("AuditLog", "%1 is incomplete (cut off while being written); skipped.")
            .arg(where);
    case SkippedLine::Kind::NotJson:
        return QCoreApplication::translate("AuditLog", "%1 is not valid JSON (%2); skipped.").arg(where, s.detail);
    case SkippedLine::Kind::NotObject:
        return QCoreApplication::translate("AuditLog", "%1 is not a JSON object; skipped.").arg(where);
    case SkippedLine::Kind::NoTimeOrJobId:
        return QCoreApplication::translate("AuditLog", "%1 has no valid time or job id; skipped.").arg(where);
    }
    return where;
}

// On the way out every field gets a little more room than on the way in, so a field that was capped when written
// (it ends "… (N bytes more)") is shown as it is instead of being capped again.
constexpr int capNoteRoom = 64;

// The entry a line holds, every text field through the output gate (the file may be old, or edited by hand):
// masked, control characters shown, capped. Or nothing, with skipped->kind and detail saying why.
std::optional<AuditEntry> parseLine(const QByteArray& bytes, bool lastPiece, SkippedLine* skipped)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.trimmed(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Only the last piece can lack its line end: a writer that died in the middle of it.
        skipped->kind = lastPiece ? SkippedLine::Kind::Incomplete : SkippedLine::Kind::NotJson;
        skipped->detail = parseError.errorString();
        return std::nullopt;
    }
    if (!doc.isObject()) {
        skipped->kind = SkippedLine::Kind::NotObject;
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    const auto text = [&o](QLatin1String key, int maxBytes = OutputGate::fieldBytes) {
        return OutputGate::clean(o.value(key).toString(), maxBytes + capNoteRoom);
    };
    AuditEntry e;
    e.time = QDateTime::fromString(o.value(keyTime).toString(), Qt::ISODateWithMs).toUTC();
    e.jobId = text(keyJobId);
    if (!e.time.isValid() || e.jobId.isEmpty()) {
        skipped->kind = SkippedLine::Kind::NoTimeOrJobId;
        return std::nullopt;
    }
    e.organization = text(keyOrganization);
    e.project = text(keyProject);
    e.baseHost = text(keyBaseHost);
    e.httpStatus = o.value(keyHttpStatus).toInt();
    e.status = text(keyStatus);
    e.requestId = text(keyRequestId);
    e.errorKind = text(keyErrorKind);
    e.errorMessage = text(keyErrorMessage, OutputGate::lineBytes);
    e.attempts = o.value(keyAttempts).toInt();
    e.source = text(keySource);
    e.profile = text(keyProfile);
    e.provider = o.contains(keyProvider) ? text(keyProvider) : ProviderInfo::of(Provider::OpenAI).key;
    return e;
}
} // namespace

// ---- AuditEntry ---------------------------------------------------------------------------------------------

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

// ---- AuditLog -----------------------------------------------------------------------------------------------

AuditLog::AuditLog(const QString& path) : m_path(path) { }

QString AuditLog::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("audit.jsonl"));
}

// The descriptor of a trail kept open, and which file it is.
struct AuditLog::OpenFile
{
    explicit OpenFile(int descriptor) : fd(descriptor) { }
    ~OpenFile() { ::close(fd); }
    Q_DISABLE_COPY_MOVE(OpenFile)
    const int fd;
};

void AuditLog::setKeepOpen(bool keep)
{
    m_keepOpen = keep;
    if (!keep)
        close();
}

void AuditLog::close()
{
    m_open.reset();
}

bool AuditLog::append(const AuditEntry& entry, QString* error) const
{
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };

    // A file kept open is used only while the path still names it, as a regular file: not moved away or deleted
    // (the line would be lost), not replaced by a link or anything else (then the open below refuses it).
    struct stat st
    {
    };
    int fd = -1;
    if (m_open) {
        struct stat atPath
        {
        };
        const bool same = ::lstat(QFile::encodeName(m_path).constData(), &atPath) == 0 && S_ISREG(atPath.st_mode)
            && ::fstat(m_open->fd, &st) == 0 && st.st_dev == atPath.st_dev && st.st_ino == atPath.st_ino;
        if (same)
            fd = m_open->fd;
        else
            m_open.reset();
    }
    std::optional<Descriptor> fresh;
    if (fd < 0) {
        const QString dir = QFileInfo(m_path).absolutePath();
        if (const int mkdirErrno = makeFolder(QFile::encodeName(dir)); mkdirErrno != 0)
            return fail(tr("Could not create the folder %1: %2.")
                            .arg(QDir::toNativeSeparators(dir), qt_error_string(mkdirErrno))
                        + u' ' + tr("Nothing was recorded."));

        // O_APPEND keeps lines from the window and the CLI whole when both write. Read and write access through one
        // descriptor: the last-byte check below must look at the very file that is written (opening the path a
        // second time could reach another one).
        QString why;
        fd = openTrail(m_path, O_RDWR | O_APPEND | O_CREAT, &st, &why);
        if (fd < 0)
            return fail(why + u' ' + tr("Nothing was recorded."));
        if (m_keepOpen)
            m_open = std::make_shared<OpenFile>(fd);
        else
            fresh.emplace(fd);
    }
    // A file made by hand or by another tool: the trail names accounts. Through the descriptor, never the path.
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        ::fchmod(fd, S_IRUSR | S_IWUSR);

    QByteArray line;
    // A previous writer that died mid-line left no line end: start on a fresh line so only that line is lost.
    if (st.st_size > 0) {
        char last = '\n';
        if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
            line += '\n';
    }
    line += toJsonLine(entry);
    line += '\n';
    // Unbuffered: the line goes to the kernel before append() returns, so a crash of this process afterwards
    // loses nothing. One write() normally takes it all; after a short one (a full disk, a file size limit) the
    // next write() says why it stopped.
    const off_t before = st.st_size;
    qsizetype written = 0;
    int writeErrno = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(fd, line.constData() + written, size_t(line.size() - written));
        if (n > 0) {
            written += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            writeErrno = n < 0 ? errno : EIO;
            break;
        }
    }
    if (writeErrno == 0)
        return true;

    // Take back the part that did reach the file, so no half line is left for the next writer to end. Only while
    // it is still the end of the file: if another writer appended meanwhile, cutting would take their line too.
    bool takenBack = written == 0;
    struct stat now
    {
    };
    if (!takenBack && ::fstat(fd, &now) == 0 && now.st_size == before + written)
        takenBack = ::ftruncate(fd, before) == 0;
    const QString problem
        = tr("Could not write to %1: %2.").arg(QDir::toNativeSeparators(m_path), qt_error_string(writeErrno));
    return fail(problem + u' '
                + (takenBack ? tr("Nothing was recorded.")
                             : tr("Part of the line stayed in the file; it will be skipped as damaged.")));
}

AuditReadResult AuditLog::readNewest(int maxEntries, qint64 maxScanBytes,
                                     const std::function<bool()>& stopRequested) const
{
    AuditReadResult result;
    struct stat st
    {
    };
    QString why;
    // Not through a link and only a regular file, as append(): a FIFO would block this read for ever.
    const Descriptor fd(openTrail(m_path, O_RDONLY, &st, &why));
    if (fd.get() < 0) {
        if (errno != ENOENT)
            result.error = why; // else nothing recorded yet
        return result;
    }

    const qint64 size = st.st_size;
    qint64 pos = size; // bytes [pos, size) have been read
    // The bytes of the lines handled so far, '\n' included, but for over-long lines: maxScanBytes bounds what is
    // parsed and kept, and over-long lines are passed over unkept. (Counted, they let a few huge lines at the end of
    // the file use up the budget and hide every entry before them.)
    qint64 counted = 0;
    QByteArray pending; // the end part of a line whose start lies before pos; empty once the line is over-long
    qint64 pendingLength = 0; // that line's length so far, also when over-long
    qint64 linesSeen = 0; // lines handled, counted from the end: the piece after the last '\n' is number 0
    bool full = false; // maxEntries or maxScanBytes reached
    std::vector<SkippedLine> skips; // newest first

    // One line, [offset, offset + length) of the file; bytes holds it unless it is over-long.
    const auto handle = [&](const QByteArray& bytes, qint64 offset, qint64 length) {
        const qint64 fromEnd = linesSeen++;
        const bool overlong = length > maxLineBytes;
        if (!overlong) {
            const qint64 lineBytes = length + (fromEnd == 0 ? 0 : 1);
            if (maxScanBytes >= 0 && counted + lineBytes > maxScanBytes) {
                full = true; // this line and those before it are not loaded
                result.notLoadedBytes = offset + length;
                return;
            }
            counted += lineBytes;
            if (isBlank(bytes))
                return; // blank lines are neither entries nor damage
        }
        if (maxEntries >= 0 && result.entries.size() >= maxEntries) {
            full = true;
            result.notLoadedBytes = offset + length;
            return;
        }
        SkippedLine skipped{SkippedLine::Kind::Overlong, offset, fromEnd, length, QString()};
        if (!overlong) {
            if (std::optional<AuditEntry> entry = parseLine(bytes, fromEnd == 0, &skipped)) {
                result.entries.append(std::move(*entry));
                return;
            }
        }
        (skipped.kind == SkippedLine::Kind::Overlong ? result.overlongLines : result.damagedLines)++;
        if (skips.size() < size_t(maxWarnings))
            skips.push_back(std::move(skipped));
    };

    QByteArray chunk;
    bool stoppedEarly = false;
    while (!full && pos > 0) {
        if (stopRequested && stopRequested()) {
            stoppedEarly = true;
            break;
        }
        const qint64 start = std::max<qint64>(0, pos - chunkBytes);
        chunk.resize(qsizetype(pos - start));
        if (const int readErrno = readAt(fd.get(), chunk.data(), chunk.size(), start); readErrno != 0) {
            const QString shown = QDir::toNativeSeparators(m_path);
            result.error = readErrno < 0
                ? tr("%1 became shorter while it was being read; refresh to read it again.").arg(shown)
                : tr("Could not read %1: %2").arg(shown, qt_error_string(readErrno));
            break;
        }
        // Lines from the end of the piece back to its start; what comes before the first '\n' belongs to a line
        // that begins in an earlier piece.
        qsizetype end = chunk.size();
        while (!full) {
            const qsizetype newline = end > 0 ? chunk.lastIndexOf('\n', end - 1) : -1;
            if (newline < 0) {
                pendingLength += end;
                if (pendingLength <= maxLineBytes)
                    pending.prepend(chunk.constData(), end);
                else
                    pending = QByteArray(); // over-long: only its length is kept
                break;
            }
            const qsizetype pieceLength = end - newline - 1;
            const qint64 length = pieceLength + pendingLength;
            const qint64 offset = start + newline + 1;
            if (length > maxLineBytes)
                handle(QByteArray(), offset, length);
            else if (pendingLength == 0)
                handle(QByteArray::fromRawData(chunk.constData() + newline + 1, pieceLength), offset, length);
            else
                handle(chunk.mid(newline + 1, pieceLength) + pending, offset, length);
            pending = QByteArray();
            pendingLength = 0;
            end = newline;
        }
        pos = start;
    }
    const bool wholeFile = !full && !stoppedEarly && pos == 0 && result.error.isEmpty();
    if (wholeFile)
        handle(pending, 0, pendingLength); // the first line of the file
    if (!full && pos > 0)
        result.notLoadedBytes = pos + pendingLength;

    // Line numbers are known once every line has been seen; otherwise the byte offset says where a line is.
    const bool numbered = wholeFile && !full;
    for (auto it = skips.crbegin(); it != skips.crend(); ++it) {
        const QString where
            = numbered ? tr("Line %1").arg(linesSeen - it->fromEnd) : tr("The line at byte %1").arg(it->offset);
        result.warnings << describeSkip(*it, where);
    }
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

QString AuditLog::csvField(const QString& text)
{
    QString field = text;
    // Spreadsheets run a cell that starts with one of these as a formula (CSV injection); an apostrophe makes
    // it plain text. Only text is neutralised: the numbers we write are never negative.
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!field.isEmpty() && formulaStarts.contains(field.front()))
        field.prepend(u'\'');
    if (field.contains(u',') || field.contains(u'"') || field.contains(u'\r') || field.contains(u'\n')) {
        field.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        field = u'"' + field + u'"';
    }
    return field;
}

bool AuditLog::exportCsv(const QString& path, const QList<AuditEntry>& entries, QString* error)
{
    // The header is not translated: it names columns for scripts and spreadsheets, like the JSON keys.
    QString text = QStringLiteral("time_utc,job_id,status,error_kind,error_message,http_status,request_id,"
                                  "organization,project,base_host,attempts,source,profile,provider\r\n");
    for (const AuditEntry& e : entries) {
        const QStringList fields{
            csvField(e.time.toUTC().toString(Qt::ISODateWithMs)),
            csvField(e.jobId),
            csvField(e.status),
            csvField(e.errorKind),
            csvField(e.errorMessage),
            QString::number(e.httpStatus),
            csvField(e.requestId),
            csvField(e.organization),
            csvField(e.project),
            csvField(e.baseHost),
            QString::number(e.attempts),
            csvField(e.source),
            csvField(e.profile),
            csvField(e.provider),
        };
        text += fields.join(u',') + QStringLiteral("\r\n");
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    // Owner-only like the trail (it names accounts and jobs), set on the new file before a byte is in it, also when
    // it replaces a file that others could read.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        if (error)
            *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    file.write(text.toUtf8());
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}
