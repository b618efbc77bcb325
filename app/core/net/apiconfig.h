#pragma once

#include "provider.h"
#include "retrypolicy.h"

#include <QCoreApplication>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <optional>

class QSslConfiguration;

// Everything a request needs to reach the API as a given account: where (base URL), who (key, organization,
// project) and how long to wait. A value type; the client copies it into each request.
struct ApiConfig
{
    Q_DECLARE_TR_FUNCTIONS(ApiConfig)

public:
    // The account: which provider and profile (the name shown and written in the audit trail; empty: none saved,
    // as with environment variables alone), where, as whom. Organization and project are OpenAI's; the API version
    // Azure's ("v1" or a dated one).
    Provider provider = Provider::OpenAI;
    QString profileName;
    QUrl baseUrl = defaultBaseUrl();
    QString apiKey;
    QString organization;
    QString project;
    QString apiVersion;
    int timeoutSeconds = defaultTimeoutSeconds; // per attempt: no byte for this long ends it
    int maxRetries = defaultMaxRetries; // retries after the first attempt (0–10)
    int deadlineSeconds = defaultDeadlineSeconds; // the whole operation, retries and waits included
    // Extra certificate authorities, trusted on top of the system's (a TLS-inspecting proxy's CA): the PEM file
    // named by the setting or --ca-file, and the one named by SSL_CERT_FILE. loadExtraCaCertificates() fills the
    // list; a file that cannot be used is a problem() and nothing is sent.
    QString caFile;
    QList<QSslCertificate> extraCaCertificates;
    QString caProblem; // why caFile or SSL_CERT_FILE cannot be used, translated; empty when they can

    static constexpr int defaultTimeoutSeconds = 60;
    static constexpr int maxTimeoutSeconds = 3600;
    static constexpr int defaultMaxRetries = RetryPolicy::defaultMaxRetries;
    static constexpr int maxMaxRetries = RetryPolicy::maxMaxRetries;
    static constexpr int defaultDeadlineSeconds = 180;
    static constexpr int maxDeadlineSeconds = 24 * 3600;
    static QUrl defaultBaseUrl();

    // The base URL in force: OPENAI_BASE_URL when set, else the saved setting, else the default.
    static QString effectiveBaseUrl(const QString& savedSetting);
    // Parses a user-typed base URL (Azure: the resource's endpoint, which may end in /openai or /openai/v1: the
    // dialect understands both); on failure returns an invalid QUrl and sets error, with the provider's example.
    static QUrl parseBaseUrl(const QString& text, QString* error, Provider provider = Provider::OpenAI);
    // Checks an Organization or Project ID typed by a user; empty is fine (not sent).
    static QString checkAccountId(const QString& value, const QString& fieldName, const QString& expectedPrefix);

    // Reads caFile and SSL_CERT_FILE into extraCaCertificates; false (and caProblem set) when one of them is
    // missing, unreadable or holds no PEM certificate.
    bool loadExtraCaCertificates();
    // The PEM certificates of one file that the system does not trust already; *error set when the file cannot be
    // read or holds no certificate. Only a regular file is opened: a FIFO, a device or a socket is refused unopened
    // (opening a FIFO would wait for a writer for ever), a folder with the system's words for it. The file is
    // parsed again only when its device, inode, size or modification time changes; until then the certificates
    // (or the error) of the last read are returned.
    static QList<QSslCertificate> readCaFile(const QString& path, QString* error);
    // The TLS configuration of a request: Qt's default (the system's CAs, looked up on demand) without extra CAs.
    // With extra ones (usually a TLS-inspecting proxy's, which signs every server's certificate), first those alone:
    // Qt stops looking up the system's CAs once any CA is added, and loading all of them costs some 35 ms a process.
    // A server whose chain is not from an extra CA gets widenedTrust(), and from then on so does every request.
    static QSslConfiguration sslConfigurationWith(const QList<QSslCertificate>& extraCaCertificates);
    // For a handshake that failed for an unknown issuer with the extra CAs alone (configuration `used`): the system's
    // CAs plus the extra ones. Empty when `used` was not such a configuration (widening would not change anything).
    static std::optional<QSslConfiguration> widenedTrust(const QSslConfiguration& used);

    // Empty when the configuration can be used; otherwise a sentence saying what to fix.
    QString problem() const;
    // "v1", empty (v1) or a dated Azure API version (2024-10-21, 2025-04-01-preview).
    static bool isApiVersion(const QString& version);
    // One line for the log: the configuration in use, with the key masked.
    QString describe() const;

private:
    // What of problem() depends on the provider: its address, API version, organization and project.
    QString providerProblem() const;
};
