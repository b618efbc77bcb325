#include "profilescan.h"

#include <QDirIterator>
#include <QFile>
#include <QSet>
#include <QStandardPaths>

namespace ProfileScan {

QStringList profileFiles()
{
    QStringList roots;
    for (const char* var : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"}) {
        if (!qEnvironmentVariableIsEmpty(var))
            roots << qEnvironmentVariable(var);
    }
    for (auto location :
         {QStandardPaths::AppConfigLocation, QStandardPaths::AppDataLocation, QStandardPaths::CacheLocation,
          QStandardPaths::GenericConfigLocation, QStandardPaths::GenericDataLocation})
        roots << QStandardPaths::writableLocation(location);
    QSet<QString> seen;
    QStringList files;
    for (const QString& root : std::as_const(roots)) {
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (!seen.contains(path)) {
                seen.insert(path);
                files << path;
            }
        }
    }
    return files;
}

QStringList filesContaining(const QStringList& files, const QList<QByteArray>& needles)
{
    QStringList hits;
    for (const QString& path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = file.readAll();
        for (const QByteArray& needle : needles) {
            if (bytes.contains(needle)) {
                hits << path;
                break;
            }
        }
    }
    return hits;
}

} // namespace ProfileScan
