#include "stopeverything.h"

#include "outputgate.h"

#include <algorithm>

StopEverything StopEverything::decide(const QList<FineTuningJob>& read, const ApiError& readError, bool reachedCap)
{
    StopEverything s;
    s.m_error = readError;
    s.m_reachedCap = reachedCap;
    if (readError.isError()) {
        s.m_verdict = Verdict::ReadFailed; // what was read is not all there is: nothing is taken from it
        return s;
    }
    // Paused jobs spend nothing: left as they are, never cancelled (nor resumed) by stopping everything.
    s.m_readCount = int(read.size());
    s.m_jobs.reserve(read.size());
    for (const FineTuningJob& job : read) {
        if (job.statusClass == StatusClass::Paused) {
            ++s.m_paused;
            continue;
        }
        s.m_jobs << job;
    }
    s.m_unfinished = int(
        std::count_if(s.m_jobs.cbegin(), s.m_jobs.cend(), [](const FineTuningJob& job) { return !job.isTerminal(); }));
    s.m_verdict = s.m_unfinished == 0 ? Verdict::NothingRunning : Verdict::Cancel;
    return s;
}

QString StopEverything::message() const
{
    switch (m_verdict) {
    case Verdict::ReadFailed:
        return tr("Nothing cancelled: the list of jobs could not be read to the end, so what runs is not known: %1")
            .arg(OutputGate::clean(m_error.message, OutputGate::lineBytes));
    case Verdict::NothingRunning:
        if (m_paused > 0)
            return tr("No job is running: nothing to cancel. %n paused job(s) left alone.", nullptr, m_paused);
        return tr("No job is running: nothing to cancel.");
    case Verdict::Cancel:
        break;
    }
    const QString running = tr("Stop everything running: %n job(s) not finished yet.", nullptr, m_unfinished);
    return m_paused > 0 ? running + QLatin1Char(' ') + pausedNote() : running;
}

QString StopEverything::pausedNote() const
{
    if (m_paused == 0)
        return QString();
    return tr("%n paused job(s) left alone: they spend nothing, and nothing is resumed.", nullptr, m_paused);
}

QString StopEverything::capWarning(const QString& where) const
{
    if (!m_reachedCap || m_verdict == Verdict::ReadFailed)
        return QString();
    return tr("Only the newest %n job(s) were read (%1): older ones still running are not among those cancelled.",
              nullptr, readCount())
        .arg(where);
}
