#include "eventscommand.h"

#include "clioptions.h"
#include "console.h"
#include "eventlister.h"
#include "outputgate.h"

void EventsCommand::run(const ApiConfig& config, const JobId::Parsed& id)
{
    m_events = new EventLister(config, m_console.log(), this);
    connect(m_events, &EventLister::finished, this, &EventsCommand::onFinished);
    m_events->start(id, m_options.limit);
}

bool EventsCommand::stop()
{
    if (!m_events || !m_events->isRunning())
        return false;
    m_events->abort(); // reading only: nothing to record; onFinished() ends with 128 + n
    return true;
}

void EventsCommand::print()
{
    const QList<JobEvent>& events = m_events->events();
    if (m_options.json) {
        for (const JobEvent& event : events) {
            const QJsonObject o{{QLatin1String("id"), CliText::jsonField(event.id)},
                                {QLatin1String("created_at"), CliText::jsonTime(event.createdAt)},
                                {QLatin1String("level"), CliText::jsonField(event.level)},
                                {QLatin1String("message"), CliText::jsonField(event.message)},
                                {QLatin1String("type"), CliText::jsonField(event.type)}};
            m_console.out(CliText::compact(o));
        }
        return;
    }
    for (const JobEvent& event : events) {
        const QDateTime when = CliText::inLocalTime(event.createdAt);
        m_console.out(QStringLiteral("%1  %2  %3")
                          .arg(event.createdAt > 0 ? when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                                   : QStringLiteral("-").leftJustified(19),
                               OutputGate::clean(event.level, 20).leftJustified(5),
                               OutputGate::clean(event.message, OutputGate::lineBytes)));
    }
    if (m_events->hasMore())
        m_console.err(tr("Older events not shown (--limit %1).").arg(m_options.limit));
}

void EventsCommand::onFinished()
{
    print();
    const ApiError& error = m_events->error();
    if (error.isError()) {
        m_console.err(QStringLiteral("%1 error %2 %3")
                          .arg(m_events->jobId())
                          .arg(error.httpStatus)
                          .arg(OutputGate::clean(error.message, OutputGate::lineBytes)));
        return emit finished(m_console.endCode(CliText::exitCodeOf(error)));
    }
    emit finished(CliExit::AllCancelled);
}
