#include "appsettings.h"

#include "apiconfig.h"
#include "joblimits.h"

#include <QSettings>

namespace {
const QString keyBaseUrl = QStringLiteral("api/baseUrl");
const QString keyTimeout = QStringLiteral("api/timeoutSeconds");
const QString keyGeometry = QStringLiteral("window/geometry");
const QString keyJobsHeader = QStringLiteral("window/jobsHeader");
const QString keyRetries = QStringLiteral("api/maxRetries");
const QString keyDeadline = QStringLiteral("api/deadlineSeconds");
const QString keyConcurrency = QStringLiteral("batch/concurrency");
const QString keyWatch = QStringLiteral("batch/watch");
const QString keyWatchSeconds = QStringLiteral("batch/watchSeconds");
const QString keyAsk = QStringLiteral("batch/askBeforeCancelling");
const QString keyListCap = QStringLiteral("jobs/listCap");
const QString keyAutoRefresh = QStringLiteral("jobs/autoRefresh");
const QString keyAutoRefreshSeconds = QStringLiteral("jobs/autoRefreshSeconds");
const QString keyCaFile = QStringLiteral("api/caFile");

int boundedInt(const QString& key, int fallback, int low, int high)
{
    bool ok = false;
    const int value = QSettings().value(key, fallback).toInt(&ok);
    return ok && value >= low && value <= high ? value : fallback;
}
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
    return boundedInt(keyTimeout, ApiConfig::defaultTimeoutSeconds, 1, ApiConfig::maxTimeoutSeconds);
}

int AppSettings::maxRetries() const
{
    return boundedInt(keyRetries, ApiConfig::defaultMaxRetries, 0, ApiConfig::maxMaxRetries);
}

void AppSettings::setMaxRetries(int retries)
{
    QSettings().setValue(keyRetries, retries);
}

int AppSettings::deadlineSeconds() const
{
    return boundedInt(keyDeadline, ApiConfig::defaultDeadlineSeconds, 1, ApiConfig::maxDeadlineSeconds);
}

void AppSettings::setDeadlineSeconds(int seconds)
{
    QSettings().setValue(keyDeadline, seconds);
}

int AppSettings::concurrency() const
{
    return boundedInt(keyConcurrency, Limits::defaultConcurrency, 1, Limits::maxConcurrency);
}

void AppSettings::setConcurrency(int requests)
{
    QSettings().setValue(keyConcurrency, requests);
}

bool AppSettings::watchEnabled() const
{
    return QSettings().value(keyWatch, true).toBool();
}

void AppSettings::setWatchEnabled(bool watch)
{
    QSettings().setValue(keyWatch, watch);
}

int AppSettings::watchSeconds() const
{
    return boundedInt(keyWatchSeconds, Limits::defaultWatchSeconds, 1, maxWatchSeconds);
}

void AppSettings::setWatchSeconds(int seconds)
{
    QSettings().setValue(keyWatchSeconds, seconds);
}

bool AppSettings::askBeforeCancelling() const
{
    return QSettings().value(keyAsk, true).toBool();
}

void AppSettings::setAskBeforeCancelling(bool ask)
{
    QSettings().setValue(keyAsk, ask);
}

int AppSettings::listCap() const
{
    return boundedInt(keyListCap, Limits::defaultListCap, 1, maxListCap);
}

void AppSettings::setListCap(int jobs)
{
    QSettings().setValue(keyListCap, jobs);
}

bool AppSettings::autoRefresh() const
{
    return QSettings().value(keyAutoRefresh, false).toBool();
}

void AppSettings::setAutoRefresh(bool refresh)
{
    QSettings().setValue(keyAutoRefresh, refresh);
}

int AppSettings::autoRefreshSeconds() const
{
    return boundedInt(keyAutoRefreshSeconds, defaultAutoRefreshSeconds, minAutoRefreshSeconds, 3600);
}

void AppSettings::setAutoRefreshSeconds(int seconds)
{
    QSettings().setValue(keyAutoRefreshSeconds, seconds);
}

ApiConfig AppSettings::apiConfig(QString* baseUrlError) const
{
    ApiConfig config;
    config.baseUrl = ApiConfig::parseBaseUrl(ApiConfig::effectiveBaseUrl(baseUrl()), baseUrlError);
    config.timeoutSeconds = timeoutSeconds();
    config.maxRetries = maxRetries();
    config.deadlineSeconds = deadlineSeconds();
    config.caFile = caFile();
    config.loadExtraCaCertificates();
    return config;
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

QByteArray AppSettings::jobsHeaderState() const
{
    return QSettings().value(keyJobsHeader).toByteArray();
}

void AppSettings::setJobsHeaderState(const QByteArray& state)
{
    QSettings().setValue(keyJobsHeader, state);
}

QString AppSettings::caFile() const
{
    return QSettings().value(keyCaFile).toString();
}

void AppSettings::setCaFile(const QString& path)
{
    QSettings settings;
    if (path.trimmed().isEmpty())
        settings.remove(keyCaFile);
    else
        settings.setValue(keyCaFile, path.trimmed());
}
