#include "jobrequest.h"

#include "activitylog.h"
#include "finetuningclient.h"
#include "responseparser.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>
#include <QTimer>

JobRequest::JobRequest(QNetworkAccessManager* manager, const ApiConfig& config, Action action, const QString& jobId,
                       ActivityLog* log, QObject* parent)
    : QObject(parent),
      m_manager(manager),
      m_config(config),
      m_action(action),
      m_jobId(jobId),
      m_log(log),
      m_waitTimer(new QTimer(this)),
      m_deadlineTimer(new QTimer(this)),
      m_policy(config.maxRetries)
{
    m_waitTimer->setSingleShot(true);
    m_deadlineTimer->setSingleShot(true);
    // Coarse timers may fire 5 % early: a wait the server asked for, or the deadline, must not.
    m_waitTimer->setTimerType(Qt::PreciseTimer);
    m_deadlineTimer->setTimerType(Qt::PreciseTimer);
    connect(m_waitTimer, &QTimer::timeout, this, &JobRequest::sendAttempt);
    connect(m_deadlineTimer, &QTimer::timeout, this, &JobRequest::onDeadline);
}

void JobRequest::log(const QString& message)
{
    if (m_log)
        m_log->add(message);
}

int JobRequest::remainingMs() const
{
    return int(qMax<qint64>(0, m_deadline.remainingTime()));
}

void JobRequest::start()
{
    if (m_phase != Phase::Idle)
        return;
    const QString problem = m_config.problem();
    if (!problem.isEmpty()) {
        JobResult result;
        result.error = ApiError::input(problem);
        result.attempts = 0;
        m_phase = Phase::Sending;
        // Keep the "finished is asynchronous" promise even for a refusal.
        QMetaObject::invokeMethod(
            this, [this, result] { finish(result); }, Qt::QueuedConnection);
        return;
    }
    log(m_config.describe());
    m_elapsed.start();
    m_deadline.setRemainingTime(qint64(m_config.deadlineSeconds) * 1000);
    m_deadlineTimer->start(m_config.deadlineSeconds * 1000);
    sendAttempt();
}

void JobRequest::sendAttempt()
{
    ++m_attempts;
    send(m_action == Action::Retrieve);
}

void JobRequest::send(bool retrieve)
{
    m_phase = retrieve && m_action == Action::Cancel ? Phase::Verifying : Phase::Sending;
    m_body.clear();
    m_tooLarge = false;
    m_sslErrors.clear();

    const QUrl url
        = FineTuningClient::jobUrl(m_config.baseUrl, m_jobId, retrieve ? QString() : QStringLiteral("cancel"));
    if (!url.isValid()) {
        JobResult refused;
        refused.error = ApiError::input(JobId::parse(m_jobId).error);
        QMetaObject::invokeMethod(
            this, [this, refused] { finish(refused); }, Qt::QueuedConnection);
        return;
    }
    // The attempt's own transfer timeout, as configured. An attempt that would outlast the overall deadline is ended
    // by the deadline timer, not by a shortened timeout, so the message can tell the two apart.
    QNetworkRequest request = FineTuningClient::buildRequest(m_config, url);
    m_attemptTimeoutMs = request.transferTimeout();

    const int maxAttempts = m_config.maxRetries + 1;
    const QString attemptText = m_phase == Phase::Sending && maxAttempts > 1
        ? tr(" (attempt %1 of %2)").arg(m_attempts).arg(maxAttempts)
        : QString();
    log(QStringLiteral("%1 %2%3").arg(retrieve ? QStringLiteral("GET") : QStringLiteral("POST"),
                                      url.toString(QUrl::RemoveUserInfo), attemptText));
    m_attemptElapsed.start();
    // POST with no body at all: a JSON-validating server answers 415 to an empty JSON body. The content type is the
    // one the official SDKs send; without one Qt warns on stderr and sends a form type whenever the URL has a query
    // (Azure's ?api-version=…).
    if (!retrieve)
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    m_reply = retrieve ? m_manager->get(request) : m_manager->post(request, QByteArray());
    m_reply->setParent(this);
    m_reply->setReadBufferSize(64 * 1024);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &JobRequest::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &JobRequest::onReadyRead);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError>& errors) {
        // Never ignored: they end the request, and the message names them.
        for (const QSslError& e : errors)
            m_sslErrors << e.errorString();
    });
    connect(m_reply, &QNetworkReply::finished, this, &JobRequest::onReplyFinished);
}

void JobRequest::onMetaDataChanged()
{
    if (!m_reply)
        return;
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > maxJobBodyBytes) {
        m_tooLarge = true;
        m_reply->abort();
    }
}

void JobRequest::onReadyRead()
{
    if (!m_reply || m_tooLarge)
        return;
    m_body += m_reply->read(maxJobBodyBytes + 1 - m_body.size());
    if (m_body.size() > maxJobBodyBytes) {
        m_tooLarge = true;
        m_reply->abort();
    }
}

void JobRequest::abort()
{
    if (m_phase == Phase::Done)
        return;
    m_abortedByUser = true;
    if (m_reply) {
        m_reply->abort(); // finished() comes synchronously; onReplyFinished reports the stop
        return;
    }
    JobResult result = m_lastResult;
    result.error = ApiError::network(QNetworkReply::OperationCanceledError, QString(), QString(), false, 0, true);
    log(tr("Stopped while waiting to retry."));
    finish(result);
}

void JobRequest::onDeadline()
{
    m_deadlineHit = true;
    if (m_reply) {
        m_reply->abort();
        return;
    }
    if (m_phase == Phase::Waiting) {
        m_waitTimer->stop();
        JobResult result = m_lastResult;
        result.error.message += QLatin1Char(' ')
            + tr("Gave up: the overall deadline of %n second(s) passed.", nullptr, m_config.deadlineSeconds);
        finish(result);
    }
}

JobResult JobRequest::resultOfReply(QNetworkReply* reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray requestId = reply->rawHeader("x-request-id");
    const QByteArray contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    if (!m_tooLarge && reply->isOpen())
        m_body += reply->read(maxJobBodyBytes + 1 - m_body.size());
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString host = reply->url().host();

    JobResult result;
    // Fewer bytes than Content-Length is a broken connection, whatever Qt reports: under load Qt 6.4 sometimes
    // finishes such a reply without an error. (Qt drops Content-Length when it decompresses a body.)
    const QVariant declaredLength = reply->header(QNetworkRequest::ContentLengthHeader);
    const bool truncated
        = !m_tooLarge && status != 0 && declaredLength.isValid() && m_body.size() < declaredLength.toLongLong();
    const bool transportError = (networkError != QNetworkReply::NoError && int(networkError) < 200) || truncated;
    if (m_tooLarge) {
        result.error = ApiError::tooLarge(status, maxJobBodyBytes);
    } else if (status == 0 || transportError || m_abortedByUser) {
        // No (complete) HTTP answer: a transport failure, a timeout, the deadline or the operator's stop.
        const bool timedOut = networkError == QNetworkReply::OperationCanceledError && !m_abortedByUser;
        const bool partial = status != 0 || !m_body.isEmpty();
        // With no HTTP answer from the API, a proxy in the way may be what failed: the message names it.
        const QString proxy = status == 0 ? FineTuningClient::proxyAddress(m_manager, reply->url()) : QString();
        if (m_deadlineHit && !m_abortedByUser) {
            // The overall deadline ended this attempt before its own timeout did: say how long it had waited.
            result.error
                = ApiError::timeout(host, m_attemptElapsed.elapsed(), m_config.deadlineSeconds, partial, proxy);
        } else if (timedOut) {
            // The transfer timeout: that long without a byte.
            result.error = ApiError::timeout(host, m_attemptTimeoutMs, 0, partial, proxy);
        } else {
            const QNetworkReply::NetworkError code = truncated && networkError == QNetworkReply::NoError
                ? QNetworkReply::RemoteHostClosedError
                : networkError;
            const QString details
                = m_sslErrors.isEmpty() ? reply->errorString() : m_sslErrors.join(QStringLiteral("; "));
            result.error = ApiError::network(code, details, host, false, 0, m_abortedByUser, proxy);
            if (status != 0 && result.error.kind == ApiError::Kind::Network) {
                result.error.message = tr("%1 sent HTTP %2 but the connection broke before the whole answer arrived. "
                                          "The job may or may not have been cancelled; check it before retrying.")
                                           .arg(host)
                                           .arg(status);
            }
        }
        result.httpStatus = 0;
    } else if (status >= 300 && status < 400) {
        result.error = ApiError::redirect(status, QString::fromUtf8(reply->rawHeader("location")));
        result.httpStatus = status;
    } else {
        result = ResponseParser::parseJob(status, contentType, m_body);
        // An answer about another job (a proxy's cache, a mixed-up gateway) is no news about this one. An answer
        // without an id is taken as about the job asked for.
        if (result.isOk() && !result.job.id.isEmpty() && result.job.id != m_jobId) {
            result.error = ApiError::wrongJob(status, m_jobId, result.job.id);
            result.job = FineTuningJob();
        }
    }
    result.error.requestId = QString::fromLatin1(requestId);
    result.requestId = QString::fromLatin1(requestId);
    if (status != 0) {
        log(tr("HTTP %1 after %2 ms, request id %3")
                .arg(status)
                .arg(m_attemptElapsed.elapsed())
                .arg(requestId.isEmpty() ? tr("(none)") : QString::fromLatin1(requestId)));
    }
    return result;
}

void JobRequest::onReplyFinished()
{
    QNetworkReply* reply = m_reply;
    if (!reply || m_phase == Phase::Done)
        return;
    m_reply = nullptr;
    const JobResult result = resultOfReply(reply);
    RetryPolicy::Attempt attempt;
    attempt.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    attempt.errorKind = result.error.kind;
    attempt.shouldRetry = reply->rawHeader("x-should-retry");
    attempt.retryAfterMs = reply->rawHeader("retry-after-ms");
    attempt.retryAfter = reply->rawHeader("retry-after");
    reply->deleteLater();

    if (m_phase == Phase::Verifying) {
        // The GET after a refused retry: report what the job really is.
        JobResult refused = m_lastResult;
        if (result.isOk() && result.job.status == QLatin1String("cancelled")) {
            JobResult confirmed = result;
            log(tr("The job is cancelled: an earlier attempt had already cancelled it."));
            return finish(confirmed);
        }
        if (result.isOk()) {
            refused.job = result.job;
            refused.error.message += QLatin1Char(' ') + tr("Its status now is \u201C%1\u201D.").arg(result.job.status);
        } else if (!m_abortedByUser) {
            refused.error.message += QLatin1Char(' ')
                + tr("Reading the job to check its status failed too: %1").arg(result.error.message);
        } else {
            refused = result;
        }
        return finish(refused);
    }
    afterAttempt(result, attempt);
}

void JobRequest::afterAttempt(JobResult result, const RetryPolicy::Attempt& attempt)
{
    m_lastResult = result;
    if (m_abortedByUser || m_deadlineHit)
        return finish(result);

    const RetryPolicy::Decision decision = m_policy.decide(m_attempts - 1, attempt);
    if (decision.serverWaitTooLong) {
        result.error.message += QLatin1Char(' ') + decision.message;
        log(tr("Not retrying: %1").arg(decision.reason));
        return finish(result);
    }
    if (decision.retry) {
        const int maxAttempts = m_config.maxRetries + 1;
        if (decision.delayMs >= remainingMs()) {
            log(tr("Not retrying: the wait of %1 s would pass the overall deadline.")
                    .arg(QString::number(decision.delayMs / 1000.0, 'f', 1)));
            result.error.message += QLatin1Char(' ') + tr("Gave up: another try would pass the overall deadline.");
            return finish(result);
        }
        log(tr("Retrying in %1 s (attempt %2 of %3): %4")
                .arg(QString::number(decision.delayMs / 1000.0, 'f', 1))
                .arg(m_attempts + 1)
                .arg(maxAttempts)
                .arg(decision.reason));
        m_phase = Phase::Waiting;
        m_waitTimer->start(decision.delayMs);
        emit retryScheduled(m_attempts + 1, maxAttempts, decision.delayMs, decision.reason);
        return;
    }
    if (!decision.reason.isEmpty() && m_attempts > 0 && result.error.isError() && attempt.httpStatus != 0)
        log(tr("Not retrying: %1").arg(decision.reason));

    // A retried cancel that the API refuses may have been done by an earlier attempt whose answer was lost.
    const bool refusedAfterRetry = m_action == Action::Cancel && m_attempts > 1
        && result.error.kind == ApiError::Kind::Http && (result.httpStatus == 400 || result.httpStatus == 409);
    if (refusedAfterRetry)
        return verifyAfterRefusal(result);
    finish(result);
}

void JobRequest::verifyAfterRefusal(const JobResult& refused)
{
    m_lastResult = refused;
    log(tr("The API refused a retried cancel; an earlier attempt may have cancelled the job. Reading it to check."));
    send(true);
}

void JobRequest::finish(JobResult result)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_waitTimer->stop();
    m_deadlineTimer->stop();
    result.requestedId = m_jobId;
    result.elapsedMs = m_elapsed.isValid() ? m_elapsed.elapsed() : 0;
    result.attempts = m_attempts;
    if (result.isOk()) {
        QString line
            = tr("Job %1 status: %2").arg(result.job.id.isEmpty() ? m_jobId : result.job.id, result.job.status);
        if (!result.job.model.isEmpty())
            line += tr(" (model %1)").arg(result.job.model);
        log(line);
    } else {
        log(tr("Error (%1): %2").arg(result.error.kindName(), result.error.message));
    }
    emit finished(result);
    deleteLater();
}
