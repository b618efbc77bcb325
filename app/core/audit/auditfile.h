#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <sys/stat.h>

// The trail's file on disk, by POSIX calls: opened only as the regular file it must be (never through a link, never
// blocking on a pipe), folders made owner-only, and read in pieces from any offset.
namespace AuditFile {

// Closes a file descriptor when it goes out of scope.
class Descriptor final
{
public:
    explicit Descriptor(int fd) : m_fd(fd) { }
    ~Descriptor();
    Q_DISABLE_COPY_MOVE(Descriptor)
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Opens the trail itself and only if it is a regular file: never what a symbolic link points to (another file
// would be written, or made owner-only), never blocking on a named pipe, never a device. flags adds the access
// mode. Returns the descriptor and fills st, or returns -1 with errno set (EINVAL: not a regular file) and *why
// set to a sentence.
int openTrail(const QString& path, int flags, struct stat* st, QString* why);

// Creates a folder and those above it that are missing (owner-only: the trail names accounts). Returns 0, or the
// errno that says why not in the system's words (EACCES for a read-only data folder, ENOTDIR for a file in the way).
int makeFolder(const QByteArray& path);

// pread() until n bytes are in, from offset on. Returns 0, the errno of the failure, or -1 when the file ended
// early (it was made shorter while being read: a writer took back a line it could not finish).
int readAt(int fd, char* data, qint64 n, qint64 offset);

} // namespace AuditFile
