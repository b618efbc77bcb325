#include "finetuningclient.h"

#include "activitylog.h"
#include "appinfo.h"
#include "dialect.h"
#include "jobrequest.h"
#include "pagerequest.h"

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrlQuery>

namespace {
QString originOf(const QUrl& url)
{
    return url.scheme() + QStringLiteral("://") + url.host() + u':' + QString::number(url.port(-1));
}
} // namespace

FineTuningClient::FineTuningClient(QObject* parent) : QObject(parent)
{
    // The desktop's proxy settings and HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), through libproxy.
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    addManager();
    setConfig(m_config);
}

void FineTuningClient::setConfig(const ApiConfig& config)
{
    m_config = config;
    // Built once, not for each of a batch's thousands of requests (two a job: the action and the read-back).
    m_template = buildRequest(m_config, QUrl());
    m_postTemplate = m_template;
    // The content type the official SDKs send, with no body: without one Qt warns on stderr and sends a form type
    // whenever the URL has a query (Azure's ?api-version=…).
    m_postTemplate.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    m_problem = m_config.problem();
    m_usable = m_problem.isEmpty();
    m_description = m_usable ? m_config.describe() : QString();
    m_origin = originOf(m_config.baseUrl); // every request goes there
}

QNetworkRequest FineTuningClient::requestFor(const QUrl& url, bool post) const
{
    QNetworkRequest request = post ? m_postTemplate : m_template;
    request.setUrl(url);
    // Asked for each request: the trust for extra CAs widens during a run (ApiConfig::widenedTrust), and the
    // configuration of the moment is cached there.
    if (!m_config.extraCaCertificates.isEmpty() && url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(ApiConfig::sslConfigurationWith(m_config.extraCaCertificates));
    return request;
}

void FineTuningClient::addManager()
{
    auto* manager = new QNetworkAccessManager(this);
    // The API never redirects; following one could hand the key to another host.
    manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    connect(manager, &QNetworkAccessManager::finished, this, &FineTuningClient::onReplyFinished);
    m_managers.append({manager, 0});
}

int FineTuningClient::pickManager()
{
    // Over HTTP/2 one connection carries every request at once (Qt allows 100 streams, or fewer if the server says
    // so): the first manager takes them all. Over HTTP/1.1 each manager sends 6 at once and queues the rest, so
    // --concurrency 16 needs three. Until an answer tells which, an https origin is spread like HTTP/1.1: at most a
    // connection or two more at the start, never fewer requests in flight than asked.
    if (m_http2Origins.contains(m_origin))
        return 0;
    for (int i = 0; i < m_managers.size(); ++i) {
        if (m_managers.at(i).running < requestsPerManager)
            return i;
    }
    addManager();
    return int(m_managers.size()) - 1;
}

template <typename Request> void FineTuningClient::track(Request* request, int manager)
{
    ++m_managers[manager].running;
    connect(request, &Request::finished, this, [this, manager] { --m_managers[manager].running; });
}

void FineTuningClient::onReplyFinished(QNetworkReply* reply)
{
    // Learnt from every answer, so that a server that stops offering HTTP/2 (a proxy put in between) is spread again.
    const QString origin = originOf(reply->url());
    if (reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool())
        m_http2Origins.insert(origin);
    else if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
        m_http2Origins.remove(origin);
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

JobRequest* FineTuningClient::pauseJob(const JobId::Parsed& jobId)
{
    return startRequest(int(JobRequest::Action::Pause), jobId);
}

JobRequest* FineTuningClient::resumeJob(const JobId::Parsed& jobId)
{
    return startRequest(int(JobRequest::Action::Resume), jobId);
}

namespace {
Dialect::Operation operationOf(JobRequest::Action action)
{
    switch (action) {
    case JobRequest::Action::Cancel:
        return Dialect::Operation::Cancel;
    case JobRequest::Action::Pause:
        return Dialect::Operation::Pause;
    case JobRequest::Action::Resume:
        return Dialect::Operation::Resume;
    case JobRequest::Action::Retrieve:
        break;
    }
    return Dialect::Operation::Retrieve;
}
} // namespace

JobRequest* FineTuningClient::startRequest(int action, const JobId::Parsed& jobId)
{
    const Dialect& dialect = Dialect::of(m_config.provider);
    const Dialect::Operation operation = operationOf(JobRequest::Action(action));
    const QNetworkRequest actionRequest
        = requestFor(dialect.url(m_config, operation, jobId.id, jobId.kind), Dialect::method(operation) == "POST");
    const QNetworkRequest readRequest
        = requestFor(dialect.url(m_config, Dialect::Operation::Retrieve, jobId.id, jobId.kind));
    const int manager = pickManager();
    auto* request = new JobRequest(m_managers.at(manager).manager, m_config, m_problem, JobRequest::Action(action),
                                   jobId.id, actionRequest, readRequest, m_log, this);
    request->setJobKind(jobId.kind);
    track(request, manager);
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
    // The account and settings in use, once per client and configuration: a batch of 1,000 jobs said it 1,000 times
    // (the longest line of the log, and most of the log pane's work).
    if (m_log && m_usable && m_description != m_lastDescription) {
        m_log->add(m_description);
        m_lastDescription = m_description;
    }
    request->start();
    return request;
}

PageRequest* FineTuningClient::listJobs(const QString& cursor, int limit, JobKind kind)
{
    const QNetworkRequest request = requestFor(Dialect::of(m_config.provider).listUrl(m_config, cursor, limit, kind));
    const int manager = pickManager();
    auto* page
        = new PageRequest(m_managers.at(manager).manager, m_config, PageRequest::Kind::Jobs, request, m_log, this);
    page->setJobKind(kind);
    track(page, manager);
    page->start();
    return page;
}

PageRequest* FineTuningClient::listEvents(const JobId::Parsed& jobId, const QString& after, int limit)
{
    // Where the provider's events come from: their own list, or the job itself (read whole).
    const Dialect& dialect = Dialect::of(m_config.provider);
    QUrl url;
    const Dialect::EventsSource source = dialect.eventsSource(jobId.kind);
    if (jobId.isValid() && source == Dialect::EventsSource::List)
        url = dialect.eventsUrl(m_config, jobId.id, after, limit);
    else if (jobId.isValid() && source == Dialect::EventsSource::InJob)
        url = dialect.url(m_config, Dialect::Operation::Retrieve, jobId.id);
    const QNetworkRequest request = requestFor(url);
    const int manager = pickManager();
    auto* page
        = new PageRequest(m_managers.at(manager).manager, m_config, PageRequest::Kind::Events, request, m_log, this);
    track(page, manager);
    page->start();
    return page;
}

namespace {
// OpenAI's addressing under a base URL: what jobUrl() and listUrl() keep for their callers.
ApiConfig openAiAt(const QUrl& base)
{
    ApiConfig config;
    config.provider = Provider::OpenAI;
    config.baseUrl = base;
    return config;
}
} // namespace

QUrl FineTuningClient::listUrl(const QUrl& base, const QString& jobId, const QString& after, int limit)
{
    const Dialect& openAi = Dialect::of(Provider::OpenAI);
    return jobId.isEmpty() ? openAi.listUrl(openAiAt(base), after, limit)
                           : openAi.eventsUrl(openAiAt(base), jobId, after, limit);
}

QUrl FineTuningClient::jobUrl(const QUrl& base, const QString& jobId, const QString& action)
{
    Dialect::Operation operation = Dialect::Operation::Retrieve;
    if (action == QLatin1String("cancel"))
        operation = Dialect::Operation::Cancel;
    else if (action == QLatin1String("events"))
        operation = Dialect::Operation::Events;
    else if (action == QLatin1String("pause"))
        operation = Dialect::Operation::Pause;
    else if (action == QLatin1String("resume"))
        operation = Dialect::Operation::Resume;
    else if (!action.isEmpty())
        return QUrl();
    return Dialect::of(Provider::OpenAI).url(openAiAt(base), operation, jobId);
}

QNetworkRequest FineTuningClient::buildRequest(const ApiConfig& config, const QUrl& url)
{
    QNetworkRequest request(url);
    Dialect::of(config.provider).authorise(request, config);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, AppInfo::userAgent());
    request.setTransferTimeout(config.timeoutSeconds * 1000);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Qt 6's default, said here because the batch counts on it: over TLS, HTTP/2 when the server offers it by ALPN
    // (the APIs do), which carries every request of a batch at once on one connection. Plain HTTP stays HTTP/1.1.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    // Always ask the API, never a cache (QNetworkAccessManager has none unless one is set; this keeps it that way
    // if one ever is). It does not stop re-sending: Qt 6.4 sends a request, a POST too, once more by itself when the
    // connection closes before any byte of the answer (README, tst_faults::connectionResetBeforeTheBody).
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    // Extra CAs (--ca-file, the setting, SSL_CERT_FILE) are added to the system's, never instead of checking.
    if (!config.extraCaCertificates.isEmpty() && url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(ApiConfig::sslConfigurationWith(config.extraCaCertificates));
    return request;
}
