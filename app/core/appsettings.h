#pragma once

#include <QByteArray>
#include <QString>

// Non-secret preferences kept with QSettings (base URL, timeout, window layout). Secrets never come here:
// they belong to SecretStore.
class AppSettings
{
public:
    AppSettings() = default;

    QString baseUrl() const; // empty means "default"
    void setBaseUrl(const QString& url);

    int timeoutSeconds() const;
    void setTimeoutSeconds(int seconds);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
};
