#include "auditfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace {
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

} // namespace

namespace AuditFile {

Descriptor::~Descriptor()
{
    if (m_fd >= 0)
        ::close(m_fd);
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

} // namespace AuditFile
