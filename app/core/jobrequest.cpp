#include "jobrequest.h"

#include "activitylog.h"
#include "finetuningclient.h"
#include "responseparser.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

JobRequest::JobRequest(QNetworkAccessManager* manager, const ApiConfig& config, Action action,
                       const QString& jobId, ActivityLog* log, QObject* parent)
    : QObject(parent)
    , m_manager(manager)
    , m_config(config)
    , m_action(action)
    , m_jobId(jobId)
    , m_log(log)
{
}

void JobRequest::log(const QString& message)
{
    if (m_log)
        m_log->add(message);
}

void JobRequest::start()
{
    const QString problem = m_config.problem();
    if (!problem.isEmpty()) {
        JobResult result;
        result.requestedId = m_jobId;
        result.error = ApiError::input(problem);
        // Keep the "finished is asynchronous" promise even for a refusal.
        QMetaObject::invokeMethod(this, [this, result] { finish(result); }, Qt::QueuedConnection);
        return;
    }

    const bool cancel = m_action == Action::Cancel;
    const QUrl url = FineTuningClient::jobUrl(m_config.baseUrl, m_jobId, cancel ? QStringLiteral("cancel") : QString());
    const QNetworkRequest request = FineTuningClient::buildRequest(m_config, url);

    log(m_config.describe());
    log(QStringLiteral("%1 %2").arg(cancel ? QStringLiteral("POST") : QStringLiteral("GET"),
                                     url.toString(QUrl::RemoveUserInfo)));
    m_elapsed.start();
    // POST with no body at all: a JSON-validating server answers 415 to an empty JSON body.
    m_reply = cancel ? m_manager->post(request, QByteArray()) : m_manager->get(request);
    m_reply->setParent(this);
    connect(m_reply, &QNetworkReply::finished, this, &JobRequest::onReplyFinished);
}

void JobRequest::abort()
{
    if (m_done)
        return;
    m_abortedByUser = true;
    if (m_reply) {
        m_reply->abort(); // emits finished synchronously; onReplyFinished reports the stop
    } else {
        JobResult result;
        result.requestedId = m_jobId;
        result.error = ApiError::network(QNetworkReply::OperationCanceledError, QString(), QString(), false, 0, true);
        finish(result);
    }
}

void JobRequest::onReplyFinished()
{
    QNetworkReply* reply = m_reply;
    if (!reply || m_done)
        return;
    m_reply = nullptr;

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray requestId = reply->rawHeader("x-request-id");
    const QByteArray contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    const QByteArray body = reply->readAll();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString errorString = reply->errorString();
    const QString host = reply->url().host();
    reply->deleteLater();

    JobResult result;
    if (status == 0 || m_abortedByUser) {
        // No HTTP answer: a transport failure, a timeout or the operator's stop.
        const bool timedOut = networkError == QNetworkReply::OperationCanceledError && !m_abortedByUser;
        result.error = ApiError::network(networkError, errorString, host, timedOut, m_config.timeoutSeconds,
                                         m_abortedByUser);
    } else {
        result = ResponseParser::parseJob(status, contentType, body);
        result.error.requestId = QString::fromLatin1(requestId);
        log(tr("HTTP %1 after %2 ms, request id %3")
                .arg(status)
                .arg(m_elapsed.elapsed())
                .arg(requestId.isEmpty() ? tr("(none)") : QString::fromLatin1(requestId)));
    }
    result.requestedId = m_jobId;
    result.httpStatus = status;
    result.requestId = QString::fromLatin1(requestId);
    finish(result);
}

void JobRequest::finish(JobResult result)
{
    if (m_done)
        return;
    m_done = true;
    result.requestedId = m_jobId;
    result.elapsedMs = m_elapsed.isValid() ? m_elapsed.elapsed() : 0;
    if (result.isOk()) {
        QString line = tr("Job %1 status: %2").arg(result.job.id.isEmpty() ? m_jobId : result.job.id,
                                                   result.job.status);
        if (!result.job.model.isEmpty())
            line += tr(" (model %1)").arg(result.job.model);
        log(line);
    } else {
        log(tr("Error (%1): %2").arg(result.error.kindName(), result.error.message));
    }
    emit finished(result);
    deleteLater();
}
