#include "apicall.h"

#include "activitylog.h"
#include "apiconfig.h"

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QSslError>
#include <QTimer>

ApiCall::ApiCall(QNetworkAccessManager* manager, const QNetworkRequest& request, const QByteArray& verb,
                 const Limits& limits, ActivityLog* log, QObject* parent)
    : QObject(parent),
      m_manager(manager),
      m_request(request),
      m_verb(verb),
      m_limits(limits),
      m_log(log),
      m_waitTimer(new QTimer(this)),
      m_deadlineTimer(new QTimer(this)),
      m_policy(limits.maxRetries)
{
    m_waitTimer->setSingleShot(true);
    m_deadlineTimer->setSingleShot(true);
    // Coarse timers may fire 5 % early: a wait the server asked for, or the deadline, must not.
    m_waitTimer->setTimerType(Qt::PreciseTimer);
    m_deadlineTimer->setTimerType(Qt::PreciseTimer);
    connect(m_waitTimer, &QTimer::timeout, this, &ApiCall::sendAttempt);
    connect(m_deadlineTimer, &QTimer::timeout, this, &ApiCall::onDeadline);
}

void ApiCall::log(const QString& message)
{
    if (!m_log)
        return;
    m_log->add(m_subject.isEmpty() ? message : tr("%1: %2").arg(m_subject, message));
}

void ApiCall::hold()
{
    if (m_phase == Phase::Done || m_held)
        return;
    m_held = true;
    if (m_phase == Phase::Waiting)
        suspendWait();
}

void ApiCall::suspendWait()
{
    // The wait and the deadline stop together: a call held by its batch must not run out of time meanwhile.
    m_heldWaitMs = qMax(0, m_waitTimer->remainingTime());
    m_waitTimer->stop();
    m_heldDeadlineMs = remainingMs();
    m_deadlineTimer->stop();
    log(tr("The retry waits: the batch is paused."));
}

void ApiCall::release()
{
    if (!m_held)
        return;
    m_held = false;
    if (m_phase != Phase::Waiting)
        return;
    m_deadline.setRemainingTime(m_heldDeadlineMs);
    m_deadlineTimer->start(int(m_heldDeadlineMs));
    m_waitTimer->start(int(m_heldWaitMs));
}

void ApiCall::stopRetrying(const QString& note)
{
    if (m_phase == Phase::Done)
        return;
    m_noRetry = true;
    m_noRetryNote = note;
    if (m_phase != Phase::Waiting)
        return;
    ApiReply reply = m_last;
    reply.note = note;
    log(tr("Not retrying: %1").arg(note));
    finish(reply);
}

int ApiCall::remainingMs() const
{
    return int(qMax<qint64>(0, m_deadline.remainingTime()));
}

void ApiCall::start()
{
    if (m_phase != Phase::Idle)
        return;
    m_elapsed.start();
    m_deadline.setRemainingTime(qint64(m_limits.deadlineSeconds) * 1000);
    m_deadlineTimer->start(m_limits.deadlineSeconds * 1000);
    sendAttempt();
}

void ApiCall::sendAttempt()
{
    ++m_attempts;
    m_phase = Phase::Sending;
    m_body.clear();
    m_tooLarge = false;
    m_sslErrors.clear();
    m_sslUnknownIssuerOnly = false;
    // The attempt's own transfer timeout, as configured. An attempt that would outlast the overall deadline is ended
    // by the deadline timer, not by a shortened timeout, so the message can tell the two apart.
    m_attemptTimeoutMs = m_request.transferTimeout();

    const int maxAttempts = m_limits.maxRetries + 1;
    if (m_log) { // built only for a log that takes them: the URL's text and three arg()s a request otherwise
        const QString attemptText
            = maxAttempts > 1 ? tr(" (attempt %1 of %2)").arg(m_attempts).arg(maxAttempts) : QString();
        log(QStringLiteral("%1 %2%3").arg(QString::fromLatin1(m_verb), m_request.url().toString(QUrl::RemoveUserInfo),
                                          attemptText));
        if (m_attempts > 1)
            log(tr("Attempt %1 of %2 started.").arg(m_attempts).arg(maxAttempts));
    }
    emit attemptStarted(m_attempts, maxAttempts);
    m_attemptElapsed.start();
    if (m_verb == "GET")
        m_reply = m_manager->get(m_request);
    else if (m_verb == "POST")
        m_reply = m_manager->post(m_request, QByteArray()); // no body at all, as the SDKs send a cancel
    else
        m_reply = m_manager->sendCustomRequest(m_request, m_verb);
    m_reply->setParent(this);
    m_reply->setReadBufferSize(64 * 1024);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &ApiCall::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &ApiCall::onReadyRead);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError>& errors) {
        // Never ignored: they end the request, and the message names them.
        m_sslUnknownIssuerOnly = !errors.isEmpty();
        for (const QSslError& e : errors) {
            m_sslErrors << e.errorString();
            switch (e.error()) {
            case QSslError::UnableToGetIssuerCertificate:
            case QSslError::UnableToGetLocalIssuerCertificate:
            case QSslError::UnableToVerifyFirstCertificate:
            case QSslError::SelfSignedCertificateInChain:
            case QSslError::CertificateUntrusted:
                break;
            default:
                m_sslUnknownIssuerOnly = false;
            }
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, &ApiCall::onReplyFinished);
}

void ApiCall::onMetaDataChanged()
{
    if (!m_reply)
        return;
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_limits.maxBodyBytes) {
        m_tooLarge = true;
        m_reply->abort();
    }
}

void ApiCall::onReadyRead()
{
    if (!m_reply || m_tooLarge)
        return;
    // Every byte counts, with or without Content-Length (a chunked body, or one ended by a close).
    takeBody(m_reply);
    if (m_body.size() > m_limits.maxBodyBytes) {
        m_tooLarge = true;
        m_reply->abort();
    }
}

void ApiCall::takeBody(QNetworkReply* reply)
{
    // What has arrived, up to one byte past the cap (so that "too large" can be told). Not read(cap): QIODevice
    // allocates the whole size asked for first, 8 MiB for every chunk of an answer.
    const qint64 wanted = qMin(reply->bytesAvailable(), m_limits.maxBodyBytes + 1 - m_body.size());
    if (wanted > 0)
        m_body += reply->read(wanted);
}

void ApiCall::abort()
{
    if (m_phase == Phase::Done)
        return;
    m_aborted = true;
    if (m_reply) {
        m_reply->abort(); // finished() comes synchronously; onReplyFinished reports the stop
        return;
    }
    ApiReply reply = m_last;
    reply.error = ApiError::network(QNetworkReply::OperationCanceledError, QString(), QString(), false, 0, true);
    log(tr("Stopped while waiting to retry."));
    finish(reply);
}

void ApiCall::onDeadline()
{
    m_deadlineHit = true;
    if (m_reply) {
        m_reply->abort();
        return;
    }
    if (m_phase == Phase::Waiting) {
        m_waitTimer->stop();
        ApiReply reply = m_last;
        reply.note = tr("Gave up: the overall deadline of %n second(s) passed.", nullptr, m_limits.deadlineSeconds);
        finish(reply);
    }
}

// Why a reply brought no (complete) HTTP answer: the overall deadline, the transfer timeout, or the transport (a
// connection broken mid-answer, TLS, a proxy), in the words ApiError gives them.
ApiError ApiCall::noAnswerError(QNetworkReply* reply, int status, bool truncated) const
{
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString host = reply->url().host();
    const bool timedOut = networkError == QNetworkReply::OperationCanceledError && !m_aborted;
    const bool partial = status != 0 || !m_body.isEmpty();
    // With no HTTP answer from the API, a proxy in the way may be what failed: the message names it.
    const QString proxy = status == 0 ? proxyAddress(m_manager, reply->url()) : QString();
    if (m_deadlineHit && !m_aborted) {
        // The overall deadline ended this attempt before its own timeout did: say how long it had waited.
        return ApiError::timeout(host, m_attemptElapsed.elapsed(), m_limits.deadlineSeconds, partial, proxy);
    }
    if (timedOut) // the transfer timeout: that long without a byte
        return ApiError::timeout(host, m_attemptTimeoutMs, 0, partial, proxy);
    const QNetworkReply::NetworkError code
        = truncated && networkError == QNetworkReply::NoError ? QNetworkReply::RemoteHostClosedError : networkError;
    const QString details = m_sslErrors.isEmpty() ? reply->errorString() : m_sslErrors.join(QStringLiteral("; "));
    ApiError error = ApiError::network(code, details, host, false, 0, m_aborted, proxy);
    if (status != 0 && error.kind == ApiError::Kind::Network) {
        error.message = tr("%1 sent HTTP %2 but the connection broke before the whole answer arrived. "
                           "The job may or may not have been cancelled; check it before retrying.")
                            .arg(host)
                            .arg(status);
    }
    return error;
}

ApiReply ApiCall::replyOf(QNetworkReply* reply)
{
    ApiReply result;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray requestId = reply->rawHeader("x-request-id");
    if (!m_tooLarge && reply->isOpen())
        takeBody(reply);
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString host = reply->url().host();
    result.httpStatus = status;
    result.requestId = QString::fromLatin1(requestId);
    result.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();

    // Fewer bytes than Content-Length is a broken connection, whatever Qt reports: under load Qt 6.4 sometimes
    // finishes such a reply without an error. (Qt drops Content-Length when it decompresses a body.)
    const QVariant declaredLength = reply->header(QNetworkRequest::ContentLengthHeader);
    const bool truncated
        = !m_tooLarge && status != 0 && declaredLength.isValid() && m_body.size() < declaredLength.toLongLong();
    const bool transportError = (networkError != QNetworkReply::NoError && int(networkError) < 200) || truncated;
    if (m_tooLarge) {
        result.error = ApiError::tooLarge(status, m_limits.maxBodyBytes);
    } else if (status == 0 || transportError || m_aborted) {
        // No (complete) HTTP answer: a transport failure, a timeout, the deadline or the operator's stop.
        result.error = noAnswerError(reply, status, truncated);
        result.error.requestId = result.requestId;
    } else if (status >= 300 && status < 400) {
        result.error = ApiError::redirect(status, QString::fromUtf8(reply->rawHeader("location")));
        result.error.requestId = result.requestId;
    } else {
        result.body = m_body;
    }
    if (status != 0 && m_log) {
        log(tr("HTTP %1 after %2 ms, request id %3")
                .arg(status)
                .arg(m_attemptElapsed.elapsed())
                .arg(requestId.isEmpty() ? tr("(none)") : QString::fromLatin1(requestId)));
    }
    return result;
}

void ApiCall::onReplyFinished()
{
    QNetworkReply* reply = m_reply;
    if (!reply || m_phase == Phase::Done)
        return;
    m_reply = nullptr;
    ApiReply result = replyOf(reply);
    RetryPolicy::Attempt attempt;
    attempt.httpStatus = result.httpStatus;
    attempt.errorKind = result.error.isError() ? result.error.kind
        : result.httpStatus >= 400             ? ApiError::Kind::Http
                                               : ApiError::Kind::None;
    attempt.shouldRetry = reply->rawHeader("x-should-retry");
    attempt.retryAfterMs = reply->rawHeader("retry-after-ms");
    attempt.retryAfter = reply->rawHeader("retry-after");
    reply->deleteLater();

    m_last = result;
    if (m_aborted || m_deadlineHit)
        return finish(result);

    // Trusted extra CAs are tried alone first (ApiConfig::sslConfigurationWith); a server whose certificate is not
    // from one of them is tried again at once with the system's CAs as well. Nothing reached the server: it is the
    // same attempt, and verification stays as strict (the CAs trusted only grow to what they would be anyway).
    if (m_sslUnknownIssuerOnly && reply->error() == QNetworkReply::SslHandshakeFailedError) {
        if (const std::optional<QSslConfiguration> wider = ApiConfig::widenedTrust(m_request.sslConfiguration())) {
            log(tr("The server's certificate is not from an extra CA; checking it against the system's CAs too."));
            m_request.setSslConfiguration(*wider);
            --m_attempts;
            return sendAttempt();
        }
    }

    const RetryPolicy::Decision decision = m_policy.decide(m_attempts - 1, attempt);
    if (decision.serverWaitTooLong) {
        result.note = decision.message;
        result.serverWaitMs = decision.serverWaitMs;
        log(tr("Not retrying: %1").arg(decision.reason));
        return finish(result);
    }
    if (decision.retry && m_noRetry) {
        result.note = m_noRetryNote;
        log(tr("Not retrying: %1").arg(m_noRetryNote));
        return finish(result);
    }
    if (decision.retry)
        return scheduleRetry(decision, result);
    if (!decision.reason.isEmpty() && attempt.errorKind != ApiError::Kind::None && attempt.httpStatus != 0)
        log(tr("Not retrying: %1").arg(decision.reason));
    finish(result);
}

// The policy says try again: after its wait, unless the wait would pass the overall deadline (then this is the
// answer, with a note saying why no other try came).
void ApiCall::scheduleRetry(const RetryPolicy::Decision& decision, ApiReply& result)
{
    const int maxAttempts = m_limits.maxRetries + 1;
    if (decision.delayMs >= remainingMs()) {
        log(tr("Not retrying: the wait of %1 s would pass the overall deadline.")
                .arg(QString::number(decision.delayMs / 1000.0, 'f', 1)));
        result.note = tr("Gave up: another try would pass the overall deadline.");
        return finish(result);
    }
    log(tr("Retrying in %1 s (attempt %2 of %3): %4")
            .arg(QString::number(decision.delayMs / 1000.0, 'f', 1))
            .arg(m_attempts + 1)
            .arg(maxAttempts)
            .arg(decision.reason));
    m_phase = Phase::Waiting;
    m_waitTimer->start(decision.delayMs);
    if (m_held)
        suspendWait();
    emit retryScheduled(m_attempts + 1, maxAttempts, decision.delayMs, decision.reason);
}

void ApiCall::finish(ApiReply reply)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_waitTimer->stop();
    m_deadlineTimer->stop();
    reply.attempts = m_attempts;
    reply.elapsedMs = m_elapsed.isValid() ? m_elapsed.elapsed() : 0;
    emit finished(reply);
    deleteLater();
}

QNetworkProxy ApiCall::proxyFor(const QNetworkAccessManager* manager, const QUrl& url)
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

QString ApiCall::proxyAddress(const QNetworkAccessManager* manager, const QUrl& url)
{
    const QNetworkProxy proxy = proxyFor(manager, url);
    if (proxy.type() == QNetworkProxy::NoProxy || proxy.hostName().isEmpty())
        return QString();
    const QString host
        = proxy.hostName().contains(u':') ? QStringLiteral("[%1]").arg(proxy.hostName()) : proxy.hostName();
    return proxy.port() > 0 ? QStringLiteral("%1:%2").arg(host).arg(proxy.port()) : host;
}
