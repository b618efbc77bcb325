#include "jobrequest.h"

#include "activitylog.h"
#include "apicall.h"
#include "cancelverdict.h"
#include "dialect.h"
#include "jobid.h"

#include <QElapsedTimer>

JobRequest::JobRequest(QNetworkAccessManager* manager, const ApiConfig& config, const QString& problem, Action action,
                       const QString& jobId, const QNetworkRequest& actionRequest, const QNetworkRequest& readRequest,
                       ActivityLog* log, QObject* parent)
    : QObject(parent),
      m_manager(manager),
      m_config(config),
      m_problem(problem),
      m_action(action),
      m_jobId(jobId),
      m_actionRequest(actionRequest),
      m_readRequest(readRequest),
      m_log(log)
{
}

void JobRequest::log(const QString& message)
{
    if (m_log)
        m_log->add(tr("%1: %2").arg(m_jobId, message));
}

void JobRequest::hold()
{
    m_held = true;
    if (m_call)
        m_call->hold();
}

void JobRequest::release()
{
    m_held = false;
    if (m_call)
        m_call->release();
}

void JobRequest::stopRetrying(const QString& note)
{
    if (m_done)
        return;
    m_noRetry = true;
    m_noRetryNote = note;
    if (m_call)
        m_call->stopRetrying(note); // may finish this request at once
}

ApiCall* JobRequest::call() const
{
    return m_call;
}

int JobRequest::lastHttpStatus() const
{
    return m_call ? m_call->lastHttpStatus() : m_lastStatus;
}

ApiCall* JobRequest::makeCall(const QNetworkRequest& request, const QByteArray& verb, int maxRetries,
                              int deadlineSeconds)
{
    ApiCall::Limits limits;
    limits.maxRetries = maxRetries;
    limits.deadlineSeconds = qMax(1, deadlineSeconds);
    limits.maxBodyBytes = maxJobBodyBytes;
    auto* call = new ApiCall(m_manager, request, verb, limits, m_log, this);
    call->setSubject(m_jobId);
    if (m_held)
        call->hold();
    connect(call, &ApiCall::retryScheduled, this, &JobRequest::retryScheduled);
    return call;
}

void JobRequest::start()
{
    if (m_started)
        return;
    m_started = true;
    if (!m_problem.isEmpty() || !m_actionRequest.url().isValid()) {
        JobResult result;
        result.error
            = ApiError::input(!m_problem.isEmpty() ? m_problem : JobId::parse(m_jobId, m_config.provider).error);
        result.attempts = 0;
        // Keep the "finished is asynchronous" promise even for a refusal.
        QMetaObject::invokeMethod(
            this, [this, result] { finish(result); }, Qt::QueuedConnection);
        return;
    }
    m_call
        = makeCall(m_actionRequest, m_action == Action::Retrieve ? QByteArrayLiteral("GET") : QByteArrayLiteral("POST"),
                   m_config.maxRetries, m_config.deadlineSeconds);
    connect(m_call, &ApiCall::finished, this, &JobRequest::onFinished);
    m_call->start();
}

void JobRequest::abort()
{
    if (m_done)
        return;
    m_aborted = true;
    if (m_call)
        m_call->abort(); // finished() comes synchronously and reports the stop
}

JobResult JobRequest::resultOf(const ApiReply& reply) const
{
    JobResult result;
    if (!reply.hasAnswer()) {
        result.error = reply.error;
        result.httpStatus
            = reply.error.isTransport() || reply.error.kind == ApiError::Kind::Stopped ? 0 : reply.httpStatus;
    } else {
        result = Dialect::of(m_config.provider).parseJob(m_jobKind, reply.httpStatus, reply.contentType, reply.body);
        // An answer about another job (a proxy's cache, a mixed-up gateway) is no news about this one. An answer
        // without an id is taken as about the job asked for.
        if (result.isOk() && !result.job.id.isEmpty() && result.job.id != m_jobId) {
            result.error = ApiError::wrongJob(reply.httpStatus, m_jobId, result.job.id);
            result.job = FineTuningJob();
        } else if (result.job.id == m_jobId) {
            result.job.id = m_jobId; // the same text: kept once (a batch holds its rows' ids already)
        }
    }
    if (result.error.isError() && !reply.note.isEmpty())
        result.error.message += QLatin1Char(' ') + reply.note;
    result.serverWaitMs = reply.serverWaitMs;
    result.error.requestId = reply.requestId;
    result.requestId = reply.requestId;
    return result;
}

void JobRequest::onFinished(const ApiReply& reply)
{
    m_lastStatus = reply.httpStatus;
    m_attempts = reply.attempts;
    m_elapsedMs = reply.elapsedMs;
    JobResult result = resultOf(reply);
    result.attempts = reply.attempts;
    // A retried cancel that the API refuses may have been done by an earlier attempt whose answer was lost.
    const bool refusedAfterRetry = m_action == Action::Cancel && reply.attempts > 1 && !m_aborted && !m_noRetry
        && CancelVerdict::deservesReadBack(result);
    if (!refusedAfterRetry)
        return finish(result);
    log(tr("The API refused a retried cancel; an earlier attempt may have cancelled the job. Reading it to check."));
    const int left = qMax<qint64>(1, m_config.deadlineSeconds - reply.elapsedMs / 1000);
    m_call = makeCall(m_readRequest, QByteArrayLiteral("GET"), 0, int(left));
    connect(m_call, &ApiCall::finished, this, [this, result](const ApiReply& read) { onReadBack(read, result); });
    m_call->start();
}

void JobRequest::onReadBack(const ApiReply& reply, const JobResult& refused)
{
    m_elapsedMs += reply.elapsedMs;
    const JobResult read = resultOf(reply);
    if (CancelVerdict::of(refused, read) == CancelVerdict::Verdict::Accepted) {
        log(read.job.statusClass == StatusClass::Cancelled
                ? tr("The job is cancelled: an earlier attempt had already cancelled it.")
                : tr("The job is being cancelled (%1): an earlier attempt had asked already.").arg(read.job.status));
        return finish(read);
    }
    JobResult result = refused;
    if (read.isOk()) {
        result.job = read.job;
        result.error.message += QLatin1Char(' ') + tr("Its status now is \u201C%1\u201D.").arg(read.job.status);
    } else if (!m_aborted) {
        result.error.message
            += QLatin1Char(' ') + tr("Reading the job to check its status failed too: %1").arg(read.error.message);
    } else {
        result = read;
    }
    finish(result);
}

void JobRequest::finish(JobResult result)
{
    if (m_done)
        return;
    m_done = true;
    result.requestedId = m_jobId;
    result.requestedKind = m_jobKind;
    result.elapsedMs = m_elapsedMs;
    result.attempts = m_attempts;
    if (m_log && result.isOk()) {
        QString line = tr("Job %1 status: %2").arg(m_jobId, result.job.status);
        if (!result.job.model.isEmpty())
            line += tr(" (model %1)").arg(result.job.model);
        m_log->add(line); // names the job already
    } else if (m_log) {
        log(tr("Error (%1): %2").arg(result.error.kindName(), result.error.message));
    }
    emit finished(result);
    deleteLater();
}
