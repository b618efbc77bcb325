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

    static constexpr int maxWatchSeconds = 3600;

    QString baseUrl() const; // empty means "default"
    void setBaseUrl(const QString& url);

    int timeoutSeconds() const;
    void setTimeoutSeconds(int seconds);

    int maxRetries() const;
    void setMaxRetries(int retries);

    int deadlineSeconds() const;
    void setDeadlineSeconds(int seconds);

    // Cancel batches (the window's; the command line takes options): requests in flight at most (1–16), whether
    // to watch an accepted cancel until the job stops and for how long, and whether to ask before cancelling.
    int concurrency() const;
    void setConcurrency(int requests);

    bool watchEnabled() const;
    void setWatchEnabled(bool watch);

    int watchSeconds() const;
    void setWatchSeconds(int seconds);

    bool askBeforeCancelling() const; // true unless the operator ticked "Don't ask again"
    void setAskBeforeCancelling(bool ask);

    // The window's list of the account's jobs: how many to read at most (newest first), and whether to read it
    // again every so many seconds (off unless the operator turns it on).
    static constexpr int maxListCap = 100000;
    static constexpr int defaultAutoRefreshSeconds = 30;
    static constexpr int minAutoRefreshSeconds = 5;
    int listCap() const;
    void setListCap(int jobs);

    bool autoRefresh() const;
    void setAutoRefresh(bool refresh);

    int autoRefreshSeconds() const;
    void setAutoRefreshSeconds(int seconds);

    // The request settings above on top of defaults (base URL resolved with OPENAI_BASE_URL, extra CAs read from
    // caFile() and SSL_CERT_FILE, a problem() when they cannot be); no credentials.
    ApiConfig apiConfig(QString* baseUrlError) const;

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    // The account jobs table's header (QHeaderView::saveState: sort column and order, column widths).
    QByteArray jobsHeaderState() const;
    void setJobsHeaderState(const QByteArray& state);

    // A PEM file of extra CA certificates, trusted on top of the system's (empty: none).
    QString caFile() const;
    void setCaFile(const QString& path);
};
