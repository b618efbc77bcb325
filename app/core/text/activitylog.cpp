#include "activitylog.h"

#include "outputgate.h"

#include <QDateTime>
#include <QSaveFile>

ActivityLog::ActivityLog(int maxLines, QObject* parent) : QObject(parent), m_maxLines(qMax(1, maxLines)) { }

void ActivityLog::addSecret(const QString& secret)
{
    OutputGate::addSecret(secret);
}

void ActivityLog::add(const QString& message)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    // Every line passes the output gate whole: it often quotes the server.
    const QString line = stamp + QStringLiteral("  ") + OutputGate::clean(message, OutputGate::lineBytes);
    m_lines.append(line);
    if (m_lines.size() > m_maxLines)
        m_lines.remove(0, m_lines.size() - m_maxLines);
    emit lineAdded(line);
}

void ActivityLog::clear()
{
    m_lines.clear();
    emit cleared();
}

QString ActivityLog::text() const
{
    return m_lines.isEmpty() ? QString() : m_lines.join(u'\n') + u'\n';
}

bool ActivityLog::saveTo(const QString& path, QString* errorMessage) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    // Masked again: a secret registered after a line was added is masked in the file too.
    file.write(OutputGate::mask(text()).toUtf8());
    if (!file.commit()) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    return true;
}
