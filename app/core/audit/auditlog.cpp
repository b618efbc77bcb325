#include "auditlog.h"

#include "auditfile.h"
#include "auditjson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <optional>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
// Whether path still names the regular file fd is open on (then st describes it): not moved away or deleted (the
// line would be lost), not replaced by a link or anything else.
bool stillNamed(int fd, const QString& path, struct stat* st)
{
    struct stat atPath
    {
    };
    return ::lstat(QFile::encodeName(path).constData(), &atPath) == 0 && S_ISREG(atPath.st_mode) && ::fstat(fd, st) == 0
        && st->st_dev == atPath.st_dev && st->st_ino == atPath.st_ino;
}

// Opens the trail to append to it, making its folder first; returns the descriptor (and fills st), or -1 with *why
// saying what went wrong, ending "Nothing was recorded."
int openToAppend(const QString& path, struct stat* st, QString* why)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (const int mkdirErrno = AuditFile::makeFolder(QFile::encodeName(dir)); mkdirErrno != 0) {
        *why = QCoreApplication::translate("AuditLog", "Could not create the folder %1: %2.")
                   .arg(QDir::toNativeSeparators(dir), qt_error_string(mkdirErrno))
            + u' ' + QCoreApplication::translate("AuditLog", "Nothing was recorded.");
        return -1;
    }
    // O_APPEND keeps lines from the window and the CLI whole when both write. Read and write access through one
    // descriptor: the last-byte check in writeLine() must look at the very file that is written (opening the path a
    // second time could reach another one).
    const int fd = AuditFile::openTrail(path, O_RDWR | O_APPEND | O_CREAT, st, why);
    if (fd < 0)
        *why += u' ' + QCoreApplication::translate("AuditLog", "Nothing was recorded.");
    return fd;
}

// Writes the entry as one line at the end of the file fd (st: as it was before); returns what went wrong, or
// nothing when the line is in.
QString writeLine(int fd, const struct stat& st, const AuditEntry& entry, const QString& path)
{
    QByteArray line;
    // A previous writer that died mid-line left no line end: start on a fresh line so only that line is lost.
    if (st.st_size > 0) {
        char last = '\n';
        if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
            line += '\n';
    }
    // Control characters are escaped, so an entry is always exactly one line.
    line += AuditJson::toLine(entry);
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
        return QString();

    // Take back the part that did reach the file, so no half line is left for the next writer to end. Only while
    // it is still the end of the file: if another writer appended meanwhile, cutting would take their line too.
    bool takenBack = written == 0;
    struct stat now
    {
    };
    if (!takenBack && ::fstat(fd, &now) == 0 && now.st_size == before + written)
        takenBack = ::ftruncate(fd, before) == 0;
    const QString problem = QCoreApplication::translate("AuditLog", "Could not write to %1: %2.")
                                .arg(QDir::toNativeSeparators(path), qt_error_string(writeErrno));
    return problem + u' '
        + (takenBack ? QCoreApplication::translate("AuditLog", "Nothing was recorded.")
                     : QCoreApplication::translate(
                         "AuditLog", "Part of the line stayed in the file; it will be skipped as damaged."));
}
} // namespace

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

    // A file kept open is used only while the path still names it, as a regular file (a link or anything else in
    // its place: the open below refuses it).
    struct stat st
    {
    };
    int fd = -1;
    if (m_open) {
        if (stillNamed(m_open->fd, m_path, &st))
            fd = m_open->fd;
        else
            m_open.reset();
    }
    std::optional<AuditFile::Descriptor> fresh;
    if (fd < 0) {
        QString why;
        fd = openToAppend(m_path, &st, &why);
        if (fd < 0)
            return fail(why);
        if (m_keepOpen)
            m_open = std::make_shared<OpenFile>(fd);
        else
            fresh.emplace(fd);
    }
    // A file made by hand or by another tool: the trail names accounts. Through the descriptor, never the path.
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        ::fchmod(fd, S_IRUSR | S_IWUSR);
    const QString problem = writeLine(fd, st, entry, m_path);
    return problem.isEmpty() || fail(problem);
}
