#include "appsettings.h"

#include "apiconfig.h"

#include <QSettings>

namespace {
const QString keyBaseUrl = QStringLiteral("api/baseUrl");
const QString keyTimeout = QStringLiteral("api/timeoutSeconds");
const QString keyGeometry = QStringLiteral("window/geometry");
} // namespace

QString AppSettings::baseUrl() const
{
    return QSettings().value(keyBaseUrl).toString();
}

void AppSettings::setBaseUrl(const QString& url)
{
    QSettings settings;
    if (url.trimmed().isEmpty() || url.trimmed() == ApiConfig::defaultBaseUrl().toString())
        settings.remove(keyBaseUrl);
    else
        settings.setValue(keyBaseUrl, url.trimmed());
}

int AppSettings::timeoutSeconds() const
{
    bool ok = false;
    const int value = QSettings().value(keyTimeout, ApiConfig::defaultTimeoutSeconds).toInt(&ok);
    return ok && value >= 1 && value <= ApiConfig::maxTimeoutSeconds ? value : ApiConfig::defaultTimeoutSeconds;
}

void AppSettings::setTimeoutSeconds(int seconds)
{
    QSettings().setValue(keyTimeout, seconds);
}

QByteArray AppSettings::windowGeometry() const
{
    return QSettings().value(keyGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry)
{
    QSettings().setValue(keyGeometry, geometry);
}
