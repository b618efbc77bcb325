#include "apiconfig.h"

#include "outputgate.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QPair>
#include <QRegularExpression>
#include <QSet>
#include <QSslConfiguration>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}
} // namespace

QUrl ApiConfig::defaultBaseUrl()
{
    return QUrl(QStringLiteral("https://api.openai.com/v1"));
}

QString ApiConfig::effectiveBaseUrl(const QString& savedSetting)
{
    const QString fromEnv = qEnvironmentVariable("OPENAI_BASE_URL").trimmed();
    if (!fromEnv.isEmpty())
        return fromEnv;
    if (!savedSetting.trimmed().isEmpty())
        return savedSetting.trimmed();
    return defaultBaseUrl().toString();
}

QUrl ApiConfig::parseBaseUrl(const QString& text, QString* error, Provider provider)
{
    const QString example = ProviderInfo::of(provider).defaultBaseUrl.isEmpty()
        ? QStringLiteral("https://<resource>.openai.azure.com")
        : ProviderInfo::of(provider).defaultBaseUrl;
    const QString trimmed = text.trimmed();
    const QUrl url(trimmed, QUrl::StrictMode);
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return QUrl();
    };
    if (trimmed.isEmpty())
        return fail(tr("The base URL is empty."));
    if (!url.isValid() || url.host().isEmpty())
        return fail(tr("\u201C%1\u201D is not a valid URL; it should look like %2.").arg(trimmed, example));
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return fail(tr("The base URL must start with https://."));
    if (scheme == QLatin1String("http") && !isLoopbackHost(url.host()))
        return fail(tr("The base URL %1 uses plain http: the API key would travel in clear text. Use https:// "
                       "(plain http is allowed only for this computer: localhost, 127.0.0.1, ::1).")
                        .arg(trimmed));
    if (!url.userInfo().isEmpty())
        return fail(tr("The base URL must not contain a user name or password."));
    if (url.hasFragment())
        return fail(tr("The base URL must not contain a # fragment."));
    return url;
}

QString ApiConfig::checkAccountId(const QString& value, const QString& fieldName, const QString& expectedPrefix)
{
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        const bool ok
            = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_';
        if (!ok)
            return tr("The %1 may contain only letters, digits, - and _ (it looks like %2…).")
                .arg(fieldName, expectedPrefix);
    }
    return QString();
}

namespace {
// The distribution's bundle of the system's CAs, or empty.
QString systemBundlePath()
{
    static const char* const bundles[] = {
        "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Arch
        "/etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL
        "/etc/ssl/ca-bundle.pem", // openSUSE
        "/etc/ssl/cert.pem", // Alpine, BSDs, macOS
    };
    for (const char* bundle : bundles) {
        if (QFileInfo(QString::fromLatin1(bundle)).isFile())
            return QString::fromLatin1(bundle);
    }
    return QString();
}

// The PEM certificate blocks of a file, each with its base64 text without white space (the block's identity).
QList<QPair<QByteArray, QByteArray>> pemBlocks(const QByteArray& pem)
{
    static const QByteArray begin = QByteArrayLiteral("-----BEGIN CERTIFICATE-----");
    static const QByteArray end = QByteArrayLiteral("-----END CERTIFICATE-----");
    QList<QPair<QByteArray, QByteArray>> blocks;
    for (qsizetype from = pem.indexOf(begin); from >= 0; from = pem.indexOf(begin, from)) {
        const qsizetype to = pem.indexOf(end, from);
        if (to < 0)
            break;
        QByteArray body = pem.mid(from + begin.size(), to - from - begin.size());
        body.removeIf([](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
        blocks.append({body, pem.mid(from, to + end.size() - from)});
        from = to + end.size();
    }
    return blocks;
}

// The identities of the system bundle's certificates, read once. Parsing certificates is what costs (Qt takes about
// 0.3 ms each); comparing their text costs next to nothing.
const QSet<QByteArray>& systemBundleBlocks()
{
    static const QSet<QByteArray> blocks = [] {
        QSet<QByteArray> set;
        QFile file(systemBundlePath());
        if (!file.fileName().isEmpty() && file.open(QIODevice::ReadOnly)) {
            for (const auto& block : pemBlocks(file.readAll()))
                set.insert(block.first);
        }
        return set;
    }();
    return blocks;
}

// The system's CAs as certificates: the bundle parses several times faster than Qt's scan of the certificate
// folders (QSslConfiguration::systemCaCertificates()), which is the fallback.
QList<QSslCertificate> systemCaCertificates()
{
    const QString bundle = systemBundlePath();
    const QList<QSslCertificate> certificates
        = bundle.isEmpty() ? QList<QSslCertificate>() : QSslCertificate::fromPath(bundle, QSsl::Pem);
    return certificates.isEmpty() ? QSslConfiguration::systemCaCertificates() : certificates;
}
} // namespace

namespace {
// Which file, as it is now: a CA file is read again only when one of these changes (the window asks for its
// configuration on every keystroke; parsing a bundle of 150 certificates takes some 45 ms).
struct FileIdentity
{
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    qint64 mtimeNs = 0;

    static FileIdentity of(const struct stat& st)
    {
        return {st.st_dev, st.st_ino, st.st_size, qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    }
    bool operator==(const FileIdentity& o) const
    {
        return device == o.device && inode == o.inode && size == o.size && mtimeNs == o.mtimeNs;
    }
};

// What a CA file held when it was last read: its certificates, or why it cannot be used.
struct CaFileRead
{
    FileIdentity identity;
    QList<QSslCertificate> certificates;
    QString error;
};

struct CaFileCache
{
    QMutex mutex;
    QHash<QString, CaFileRead> reads; // by path as given; a handful at most (the setting, SSL_CERT_FILE)
};

CaFileCache& caFileCache()
{
    static CaFileCache cache;
    return cache;
}

// "a FIFO", "a device" …: what is there instead of a regular file.
QString kindOfFile(mode_t mode)
{
    if (S_ISFIFO(mode))
        return ApiConfig::tr("a FIFO");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return ApiConfig::tr("a device");
    if (S_ISSOCK(mode))
        return ApiConfig::tr("a socket");
    return ApiConfig::tr("not a file");
}

// The system bundle's identity, to tell it when it is named under another path (a link to it): it adds nothing.
std::optional<FileIdentity> systemBundleIdentity()
{
    static const std::optional<FileIdentity> identity = []() -> std::optional<FileIdentity> {
        struct stat st
        {
        };
        const QString bundle = systemBundlePath();
        if (bundle.isEmpty() || ::stat(QFile::encodeName(bundle).constData(), &st) != 0)
            return std::nullopt;
        return FileIdentity::of(st);
    }();
    return identity;
}

// The PEM certificates of a bundle's text that the system does not trust already; *error set when there is none.
QList<QSslCertificate> extraCertificatesIn(const QByteArray& pem, const QString& shown, QString* error)
{
    const QList<QPair<QByteArray, QByteArray>> blocks = pemBlocks(pem);
    // Certificates the system trusts already are not extra: SSL_CERT_FILE often names the system's own bundle, or
    // the system's plus one more. Only the others are parsed and added.
    QByteArray extra;
    for (const auto& block : blocks) {
        if (!systemBundleBlocks().contains(block.first))
            extra += block.second + '\n';
    }
    const QList<QSslCertificate> certificates
        = extra.isEmpty() ? QList<QSslCertificate>() : QSslCertificate::fromData(extra, QSsl::Pem);
    if (blocks.isEmpty() || (!extra.isEmpty() && certificates.isEmpty()))
        *error = ApiConfig::tr("The CA certificate file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
                     .arg(shown);
    return certificates;
}
} // namespace

// A read kept for the next time the same file (same identity) is asked for; its certificates, its error in *error.
static QList<QSslCertificate> rememberCaFile(CaFileCache& cache, const QString& path, CaFileRead read, QString* error)
{
    *error = read.error;
    const QList<QSslCertificate> certificates = read.certificates;
    const QMutexLocker lock(&cache.mutex);
    if (cache.reads.size() >= 16)
        cache.reads.clear(); // paths come from settings and the environment: a few at most, unless tried in a loop
    cache.reads.insert(path, std::move(read));
    return certificates;
}

// What an opened regular CA file holds: its certificates, or why it cannot be used; with its identity (for the cache).
static CaFileRead readOpenedCaFile(QFile& file, const struct stat& st, const QString& shown)
{
    CaFileRead read;
    read.identity = FileIdentity::of(st);
    // A certificate bundle is small; anything this large is not one.
    constexpr qint64 maxBytes = 16 * 1024 * 1024;
    const QByteArray pem = file.read(maxBytes + 1);
    if (pem.size() > maxBytes)
        read.error = ApiConfig::tr("The CA certificate file %1 is larger than 16 MiB; it is not a certificate bundle.")
                         .arg(shown);
    else if (file.error() != QFileDevice::NoError)
        read.error = ApiConfig::tr("The CA certificate file %1 cannot be read: %2.").arg(shown, file.errorString());
    else
        read.certificates = extraCertificatesIn(pem, shown, &read.error);
    return read;
}

QList<QSslCertificate> ApiConfig::readCaFile(const QString& path, QString* error)
{
    const QString shown = QDir::toNativeSeparators(path);
    const QByteArray native = QFile::encodeName(path);
    const auto fail = [error](const QString& message) {
        *error = message;
        return QList<QSslCertificate>();
    };
    const auto cannotRead = [&](int errorNumber) {
        return errorNumber == ENOENT
            ? fail(tr("The CA certificate file %1 does not exist.").arg(shown))
            : fail(tr("The CA certificate file %1 cannot be read: %2.").arg(shown, qt_error_string(errorNumber)));
    };
    // Only a regular file is opened: opening a FIFO for reading waits for a writer, for ever, and the thread waiting
    // is the one that handles signals and the window. A link is followed (CA files are often links into the
    // system's store); what it leads to is checked, and checked again on the descriptor after opening.
    struct stat st
    {
    };
    if (::stat(native.constData(), &st) != 0)
        return cannotRead(errno);
    if (S_ISDIR(st.st_mode))
        return cannotRead(EISDIR);
    if (!S_ISREG(st.st_mode))
        return fail(tr("The CA certificate file %1 is not a regular file (%2).").arg(shown, kindOfFile(st.st_mode)));
    // The system's own bundle (what SSL_CERT_FILE names on many machines and CI images) adds nothing: not read at all.
    if (systemBundleIdentity() == FileIdentity::of(st))
        return {};
    CaFileCache& cache = caFileCache();
    {
        const QMutexLocker lock(&cache.mutex);
        const auto known = cache.reads.constFind(path);
        if (known != cache.reads.constEnd() && known->identity == FileIdentity::of(st)) {
            *error = known->error;
            return known->certificates;
        }
    }

    // O_NONBLOCK: should a FIFO have taken the file's place since stat(), opening it does not wait (and fstat()
    // below refuses it). O_NOCTTY: a terminal never becomes ours.
    int fd = -1;
    do {
        fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return cannotRead(errno);
    QFile file;
    file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle);
    if (::fstat(fd, &st) != 0)
        return cannotRead(errno);
    if (S_ISDIR(st.st_mode))
        return cannotRead(EISDIR);
    if (!S_ISREG(st.st_mode))
        return fail(tr("The CA certificate file %1 is not a regular file (%2).").arg(shown, kindOfFile(st.st_mode)));
    CaFileRead read = readOpenedCaFile(file, st, shown);
    return rememberCaFile(cache, path, std::move(read), error);
}

bool ApiConfig::loadExtraCaCertificates()
{
    extraCaCertificates.clear();
    caProblem.clear();
    QString error;
    if (!caFile.trimmed().isEmpty()) {
        extraCaCertificates += readCaFile(caFile.trimmed(), &error);
        if (!error.isEmpty()) {
            caProblem = error;
            return false;
        }
    }
    // OpenSSL's own variable, which Qt does not read: honoured the same way (added, not instead of the system's).
    const QString sslCertFile = qEnvironmentVariable("SSL_CERT_FILE").trimmed();
    if (!sslCertFile.isEmpty()) {
        extraCaCertificates += readCaFile(sslCertFile, &error);
        if (!error.isEmpty()) {
            caProblem = tr("SSL_CERT_FILE is set: %1").arg(error);
            return false;
        }
    }
    return true;
}

namespace {
struct TrustCache
{
    QMutex mutex;
    QList<QSslCertificate> extra; // the extra CAs the two configurations below were built for
    QSslConfiguration extraOnly;
    QSslConfiguration withSystem;
    bool widened = false; // a server's chain needed the system's CAs: every request gets withSystem now
};

TrustCache& trustCache()
{
    static TrustCache cache;
    return cache;
}

// Under the cache's lock: both configurations for these extra CAs, the one with the system's CAs built when needed.
void prepareTrust(TrustCache& cache, const QList<QSslCertificate>& extra, bool withSystem)
{
    if (cache.extra != extra || cache.extraOnly.isNull()) {
        cache.extra = extra;
        cache.extraOnly = QSslConfiguration::defaultConfiguration();
        cache.extraOnly.setCaCertificates(extra);
        cache.withSystem = QSslConfiguration();
        cache.widened = false;
    }
    if (withSystem && cache.withSystem.isNull()) {
        static const QList<QSslCertificate> system = systemCaCertificates();
        cache.withSystem = QSslConfiguration::defaultConfiguration();
        cache.withSystem.setCaCertificates(system + extra);
    }
}
} // namespace

QSslConfiguration ApiConfig::sslConfigurationWith(const QList<QSslCertificate>& extraCaCertificates)
{
    if (extraCaCertificates.isEmpty())
        return QSslConfiguration::defaultConfiguration();
    // Built once per set of extra CAs: a batch builds a request per job.
    TrustCache& cache = trustCache();
    const QMutexLocker lock(&cache.mutex);
    prepareTrust(cache, extraCaCertificates, false);
    return cache.widened ? cache.withSystem : cache.extraOnly;
}

std::optional<QSslConfiguration> ApiConfig::widenedTrust(const QSslConfiguration& used)
{
    TrustCache& cache = trustCache();
    const QMutexLocker lock(&cache.mutex);
    const QList<QSslCertificate> usedCas = used.caCertificates();
    if (usedCas.isEmpty() || cache.extraOnly.isNull() || usedCas != cache.extraOnly.caCertificates())
        return std::nullopt;
    prepareTrust(cache, cache.extra, true);
    cache.widened = true;
    return cache.withSystem;
}

QString ApiConfig::providerProblem() const
{
    const ProviderInfo& info = ProviderInfo::of(provider);
    // A provider without a default address (Azure) needs its own: the OpenAI default is never its endpoint.
    if (info.defaultBaseUrl.isEmpty() && (baseUrl.isEmpty() || baseUrl == defaultBaseUrl()))
        return tr("%1 needs the endpoint of its resource, such as https://<resource>.openai.azure.com.")
            .arg(info.displayName);
    QString error;
    if (!parseBaseUrl(baseUrl.toString(), &error, provider).isValid())
        return error;
    if (info.hasApiVersion && !isApiVersion(apiVersion))
        return tr("The API version \u201C%1\u201D is neither v1 nor a dated version such as 2024-10-21.")
            .arg(OutputGate::clean(apiVersion, 64));
    // Organization and project are sent only to a provider that has them.
    if (!info.hasOrganization)
        return QString();
    if (const QString p = checkAccountId(organization, tr("Organization ID"), QStringLiteral("org-")); !p.isEmpty())
        return p;
    return checkAccountId(project, tr("Project ID"), QStringLiteral("proj_"));
}

bool ApiConfig::isApiVersion(const QString& version)
{
    // Empty is v1, the default. A dated one: 2024-10-21, 2025-04-01-preview.
    static const QRegularExpression dated(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}(-preview)?$"));
    const QString v = version.trimmed();
    return v.isEmpty() || v.compare(QLatin1String("v1"), Qt::CaseInsensitive) == 0 || dated.match(v).hasMatch();
}

QString ApiConfig::problem() const
{
    if (!caProblem.isEmpty())
        return caProblem;
    const ProviderInfo& info = ProviderInfo::of(provider);
    if (apiKey.trimmed().isEmpty())
        return tr("No API key. Enter your %1 API key first.").arg(info.displayName);
    for (const QChar c : apiKey) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7F)
            return tr("The API key contains a space or an unusual character; paste it again.");
    }
    if (const QString p = providerProblem(); !p.isEmpty())
        return p;
    if (timeoutSeconds < 1 || timeoutSeconds > maxTimeoutSeconds)
        return tr("The timeout must be between 1 and %1 seconds.").arg(maxTimeoutSeconds);
    if (maxRetries < 0 || maxRetries > maxMaxRetries)
        return tr("The number of retries must be between 0 and %1.").arg(maxMaxRetries);
    if (deadlineSeconds < 1 || deadlineSeconds > maxDeadlineSeconds)
        return tr("The overall deadline must be between 1 and %1 seconds.").arg(maxDeadlineSeconds);
    return QString();
}

QString ApiConfig::describe() const
{
    const QString none = tr("(none)");
    const QString retries = tr("up to %n retry(s)", nullptr, maxRetries);
    const ProviderInfo& info = ProviderInfo::of(provider);
    const QString key = apiKey.isEmpty() ? tr("(no key)") : OutputGate::maskKey(apiKey);
    QString account;
    if (info.hasOrganization)
        account = tr("key %1, organization %2, project %3")
                      .arg(key, organization.isEmpty() ? none : organization, project.isEmpty() ? none : project);
    else if (info.hasApiVersion)
        account = tr("key %1, API version %2")
                      .arg(key, apiVersion.trimmed().isEmpty() ? QStringLiteral("v1") : apiVersion.trimmed());
    else
        account = tr("key %1").arg(key);
    QString where = baseUrl.toString(QUrl::RemoveUserInfo);
    // Who: the profile and its provider, so that a log says which account every line was about.
    if (!profileName.isEmpty())
        where += tr(" (profile %1, %2)").arg(OutputGate::clean(profileName, 100), info.displayName);
    else if (provider != Provider::OpenAI)
        where += tr(" (%1)").arg(info.displayName);
    QString text = tr("Using %1 with %2, timeout %3 s, %4, deadline %5 s")
                       .arg(where, account)
                       .arg(timeoutSeconds)
                       .arg(retries)
                       .arg(deadlineSeconds);
    if (!extraCaCertificates.isEmpty())
        text += tr(", %n extra CA certificate(s) trusted", nullptr, int(extraCaCertificates.size()));
    return text;
}
