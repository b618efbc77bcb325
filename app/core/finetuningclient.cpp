#include "finetuningclient.h"

#include "activitylog.h"
#include "appinfo.h"
#include "jobrequest.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QTimer>

FineTuningClient::FineTuningClient(QObject* parent) : QObject(parent), m_manager(new QNetworkAccessManager(this))
{
    // The API never redirects; following one could hand the key to another host.
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    // The desktop's proxy settings and HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), through libproxy.
    QNetworkProxyFactory::setUseSystemConfiguration(true);
}

void FineTuningClient::setLog(ActivityLog* log)
{
    m_log = log;
}

JobRequest* FineTuningClient::cancelJob(const JobId::Parsed& jobId)
{
    return startRequest(int(JobRequest::Action::Cancel), jobId);
}

JobRequest* FineTuningClient::retrieveJob(const JobId::Parsed& jobId)
{
    return startRequest(int(JobRequest::Action::Retrieve), jobId);
}

JobRequest* FineTuningClient::startRequest(int action, const JobId::Parsed& jobId)
{
    auto* request = new JobRequest(m_manager, m_config, JobRequest::Action(action), jobId.id, m_log, this);
    if (!jobId.isValid()) {
        // Refused before anything is sent; reported asynchronously like every other outcome.
        const QString error = jobId.error.isEmpty() ? JobId::parse(QString()).error : jobId.error;
        QTimer::singleShot(0, request, [request, error] {
            JobResult result;
            result.error = ApiError::input(error);
            emit request->finished(result);
            request->deleteLater();
        });
        return request;
    }
    request->start();
    return request;
}

QUrl FineTuningClient::jobUrl(const QUrl& base, const QString& jobId, const QString& action)
{
    // Percent-encoding keeps "/" "?" "#" inside the segment, but not dots: QUrl decodes %2E and Qt removes dot
    // segments (and, in 6.4, any "." plus one character) before sending. No job id starts with a dot.
    if (jobId.isEmpty() || jobId.startsWith(u'.'))
        return QUrl();
    QUrl url = base;
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    path += QStringLiteral("/fine_tuning/jobs/") + QString::fromLatin1(QUrl::toPercentEncoding(jobId));
    if (!action.isEmpty())
        path += u'/' + action;
    url.setPath(path, QUrl::TolerantMode);
    return url;
}

QNetworkRequest FineTuningClient::buildRequest(const ApiConfig& config, const QUrl& url)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + config.apiKey.toUtf8());
    if (!config.organization.isEmpty())
        request.setRawHeader("OpenAI-Organization", config.organization.toUtf8());
    if (!config.project.isEmpty())
        request.setRawHeader("OpenAI-Project", config.project.toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, AppInfo::userAgent());
    request.setTransferTimeout(config.timeoutSeconds * 1000);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Always ask the API, never a cache (QNetworkAccessManager has none unless one is set; this keeps it that way
    // if one ever is). It does not stop re-sending: Qt 6.4 sends a request, a POST too, once more by itself when the
    // connection closes before any byte of the answer (README, tst_faults::connectionResetBeforeTheBody).
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    return request;
}

QNetworkProxy FineTuningClient::proxyFor(const QNetworkAccessManager* manager, const QUrl& url)
{
    const QNetworkProxyQuery query(url);
    QList<QNetworkProxy> proxies;
    if (manager && manager->proxyFactory())
        proxies = manager->proxyFactory()->queryProxy(query);
    else if (manager && manager->proxy().type() != QNetworkProxy::DefaultProxy)
        proxies << manager->proxy();
    else
        proxies = QNetworkProxyFactory::proxyForQuery(query);
    // Like QNetworkAccessManager, the first entry that can carry the request wins; NoProxy means "go direct".
    for (const QNetworkProxy& proxy : std::as_const(proxies)) {
        switch (proxy.type()) {
        case QNetworkProxy::NoProxy:
        case QNetworkProxy::HttpProxy:
        case QNetworkProxy::Socks5Proxy:
            return proxy;
        case QNetworkProxy::HttpCachingProxy:
            if (url.scheme() == QLatin1String("http"))
                return proxy;
            break;
        case QNetworkProxy::DefaultProxy:
        case QNetworkProxy::FtpCachingProxy:
            break;
        }
    }
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

QString FineTuningClient::proxyAddress(const QNetworkAccessManager* manager, const QUrl& url)
{
    const QNetworkProxy proxy = proxyFor(manager, url);
    if (proxy.type() == QNetworkProxy::NoProxy || proxy.hostName().isEmpty())
        return QString();
    const QString host
        = proxy.hostName().contains(u':') ? QStringLiteral("[%1]").arg(proxy.hostName()) : proxy.hostName();
    return proxy.port() > 0 ? QStringLiteral("%1:%2").arg(host).arg(proxy.port()) : host;
}
