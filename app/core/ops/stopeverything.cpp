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
    s.m_jobs = read;
    s.m_unfinished
        = int(std::count_if(read.cbegin(), read.cend(), [](const FineTuningJob& job) { return !job.isTerminal(); }));
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
        return tr("No job is running: nothing to cancel.");
    case Verdict::Cancel:
        break;
    }
    return tr("Stop everything running: %n job(s) not finished yet.", nullptr, m_unfinished);
}

QString StopEverything::capWarning(const QString& where) const
{
    if (!m_reachedCap || m_verdict == Verdict::ReadFailed)
        return QString();
    return tr("Only the newest %n job(s) were read (%1): older ones still running are not among those cancelled.",
              nullptr, readCount())
        .arg(where);
}
