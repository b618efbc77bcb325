#pragma once

#include "apierror.h"
#include "finetuningjob.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

// "Stop everything running", decided once for the window and the command line: the account's whole list is read
// first (each binding reads it its own way: the window's jobs view, the command line's JobLister), then this says
// what may follow. A read that failed refuses: what runs is not known, so nothing is cancelled. A read that stopped
// at its cap warns that older jobs were not considered. Every job not finished (Unknown included: never taken as
// finished) is taken, in the order read; the batch looks them up as listed and always asks before it sends. A paused
// job (or one pausing) spends nothing: it is left alone — neither cancelled nor resumed — and the message says how
// many were.
struct StopEverything
{
    Q_DECLARE_TR_FUNCTIONS(StopEverything)

public:
    enum class Verdict {
        ReadFailed, // nothing may be cancelled: message() says why
        NothingRunning, // every job read has finished
        Cancel, // jobs() go to the batch, which asks first
    };

    static StopEverything decide(const QList<FineTuningJob>& read, const ApiError& readError, bool reachedCap);

    Verdict verdict() const { return m_verdict; }
    // The jobs read, as the batch takes them (addListed): it skips the finished ones itself.
    const QList<FineTuningJob>& jobs() const { return m_jobs; }
    int unfinished() const { return m_unfinished; }
    // Paused (or pausing) jobs read: left alone, not among jobs().
    int paused() const { return m_paused; }
    // "2 paused job(s) left alone: they spend nothing, and nothing is resumed."; empty when none was read.
    QString pausedNote() const;
    bool reachedCap() const { return m_reachedCap; }
    const ApiError& error() const { return m_error; } // the read's, when it failed
    int readCount() const { return m_readCount; }
    // What the operator reads about the verdict, translated, the server's words through the output gate.
    QString message() const;
    // "Only the newest N jobs were read: older ones still running are not among those cancelled." where: what sets
    // the cap ("Settings → Jobs list", "--limit"); empty when the read did not stop at its cap.
    QString capWarning(const QString& where) const;

private:
    Verdict m_verdict = Verdict::NothingRunning;
    QList<FineTuningJob> m_jobs;
    ApiError m_error;
    int m_unfinished = 0;
    int m_paused = 0;
    int m_readCount = 0;
    bool m_reachedCap = false;
};
