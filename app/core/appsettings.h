#pragma once

#include "apiconfig.h"

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

    int maxRetries() const;
    void setMaxRetries(int retries);

    int deadlineSeconds() const;
    void setDeadlineSeconds(int seconds);

    // The request settings above on top of defaults (base URL resolved with OPENAI_BASE_URL); no credentials.
    ApiConfig apiConfig(QString* baseUrlError) const;

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
};
