#include "pagerequest.h"

#include "activitylog.h"
#include "apicall.h"
#include "dialect.h"

#include <QUrlQuery>

PageRequest::PageRequest(QNetworkAccessManager* manager, const ApiConfig& config, Kind kind,
                         const QNetworkRequest& request, ActivityLog* log, QObject* parent)
    : QObject(parent), m_manager(manager), m_config(config), m_kind(kind), m_request(request), m_log(log)
{
}

void PageRequest::start()
{
    if (m_started)
        return;
    m_started = true;
    const QString problem = m_config.problem();
    if (!problem.isEmpty() || !m_request.url().isValid()) {
        PageResult result;
        result.error = ApiError::input(!problem.isEmpty() ? problem : tr("That job id cannot be part of a URL."));
        QMetaObject::invokeMethod(
            this, [this, result] { finish(result); }, Qt::QueuedConnection);
        return;
    }
    ApiCall::Limits limits;
    limits.maxRetries = m_config.maxRetries;
    limits.deadlineSeconds = m_config.deadlineSeconds;
    limits.maxBodyBytes = maxPageBodyBytes;
    m_call = new ApiCall(m_manager, m_request, QByteArrayLiteral("GET"), limits, m_log, this);
    m_call->setSubject(subject());
    connect(m_call, &ApiCall::retryScheduled, this, &PageRequest::retryScheduled);
    connect(m_call, &ApiCall::finished, this, &PageRequest::onFinished);
    m_call->start();
}

QString PageRequest::subject() const
{
    // Which page of which list: its lines must be told apart from those of the jobs being cancelled meanwhile.
    const QUrlQuery query(m_request.url());
    const QString after = query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
    const QString page = query.queryItemValue(QStringLiteral("page"), QUrl::FullyDecoded);
    if (m_kind == Kind::Jobs && !page.isEmpty() && page != QLatin1String("0"))
        return tr("jobs list, page %1").arg(page);
    if (m_kind == Kind::Jobs)
        return after.isEmpty() ? tr("jobs list, first page") : tr("jobs list after %1").arg(after);
    // …/{id}/events, or …/{id} where the job carries its events
    const QStringList path = m_request.url().path(QUrl::FullyDecoded).split(u'/', Qt::SkipEmptyParts);
    const bool own = !path.isEmpty() && path.constLast() == QLatin1String("events");
    const QString job = own && path.size() >= 2 ? path.at(path.size() - 2) : path.value(path.size() - 1);
    return after.isEmpty() ? tr("events of %1").arg(job) : tr("events of %1 after %2").arg(job, after);
}

void PageRequest::abort()
{
    if (m_call)
        m_call->abort();
}

void PageRequest::onFinished(const ApiReply& reply)
{
    PageResult result;
    if (!reply.hasAnswer()) {
        result.error = reply.error;
        if (reply.error.kind == ApiError::Kind::Network && reply.httpStatus != 0) {
            // An answer cut off: ApiCall words it for a cancel; a page is only read.
            result.error.message = tr("%1 sent HTTP %2 but the connection broke before the whole page arrived.")
                                       .arg(m_request.url().host())
                                       .arg(reply.httpStatus);
        }
    } else {
        result = Dialect::of(m_config.provider)
                     .parsePage(m_kind == Kind::Jobs ? Dialect::Page::Jobs : Dialect::Page::Events, m_jobKind,
                                reply.httpStatus, reply.contentType, reply.body);
    }
    // A read asks for nothing to be cancelled: its errors say nothing of a cancel.
    result.error = result.error.forReading();
    if (result.error.isError() && !reply.note.isEmpty())
        result.error.message += QLatin1Char(' ') + reply.note;
    result.httpStatus = reply.httpStatus;
    result.requestId = reply.requestId;
    result.error.requestId = reply.requestId;
    result.attempts = reply.attempts;
    finish(result);
}

void PageRequest::finish(const PageResult& result)
{
    if (m_done)
        return;
    m_done = true;
    const QString what = subject();
    if (m_log && result.isOk())
        m_log->add(tr("%1: %2").arg(what,
                                    m_kind == Kind::Jobs
                                        ? tr("Read %n job(s).", nullptr, int(result.jobs.size()))
                                        : tr("Read %n event(s).", nullptr, int(result.events.size()))));
    else if (m_log)
        m_log->add(tr("%1: Error (%2): %3").arg(what, result.error.kindName(), result.error.message));
    emit finished(result);
    deleteLater();
}
