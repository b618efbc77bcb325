#include "activitylog.h"

#include "redaction.h"

#include <QDateTime>
#include <QSaveFile>

ActivityLog::ActivityLog(int maxLines, QObject* parent) : QObject(parent), m_maxLines(qMax(1, maxLines)) { }

void ActivityLog::addSecret(const QString& secret)
{
    if (!secret.isEmpty() && !m_secrets.contains(secret))
        m_secrets.append(secret);
}

void ActivityLog::add(const QString& message)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    QString body = Redaction::redact(message, m_secrets);
    body.replace(u'\n', u' ');
    const QString line = stamp + QStringLiteral("  ") + body;
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
    file.write(Redaction::redact(text(), m_secrets).toUtf8());
    if (!file.commit()) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    return true;
}
