#include "listcommand.h"

#include "clioptions.h"
#include "console.h"
#include "joblister.h"
#include "outputgate.h"

#include <algorithm>

void ListCommand::run(const ApiConfig& config)
{
    m_lister = new JobLister(config, m_console.log(), this);
    m_lister->setKinds(m_options.listKinds(config.provider));
    connect(m_lister, &JobLister::finished, this, &ListCommand::onFinished);
    m_lister->start(m_options.limit);
}

bool ListCommand::stop()
{
    if (!m_lister || !m_lister->isRunning())
        return false;
    m_lister->abort(); // reading only: nothing to record; onFinished() ends with 128 + n
    return true;
}

void ListCommand::print(const QList<FineTuningJob>& jobs)
{
    if (m_options.json) {
        for (const FineTuningJob& job : jobs)
            m_console.out(CliText::compact(CliText::jobJson(job)));
        return;
    }
    if (jobs.isEmpty())
        return;
    // A KIND column when both kinds are listed; batches' request counts instead of fine-tuning's tokens and suffix.
    const QList<JobKind> kinds = m_lister->kinds();
    const bool fineTuning = kinds.contains(JobKind::FineTuning);
    const bool batches = kinds.contains(JobKind::Batch);
    QStringList header{tr("ID")};
    if (fineTuning && batches)
        header << tr("KIND");
    header << tr("STATUS") << tr("MODEL") << tr("CREATED") << tr("FINISHES");
    if (fineTuning)
        header << tr("TOKENS") << tr("SUFFIX");
    if (batches)
        header << tr("REQUESTS");
    QList<QStringList> rows{header};
    for (const FineTuningJob& job : jobs) {
        QStringList row{OutputGate::clean(job.id, 200)};
        if (fineTuning && batches)
            row << jobKindKey(job.kind);
        row << OutputGate::clean(job.status, 100) << OutputGate::clean(job.model, 200)
            << CliText::localTime(job.createdAt)
            << (job.estimatedFinish > 0 ? u'~' + CliText::localTime(job.estimatedFinish) : QString());
        if (fineTuning)
            row << (job.trainedTokens >= 0 ? QString::number(job.trainedTokens) : QString())
                << OutputGate::clean(job.suffix, 100);
        if (batches)
            row << OutputGate::clean(job.requestCounts, 200);
        rows << row;
    }
    for (const QString& line : CliText::alignedColumns(rows))
        m_console.out(line);
}

void ListCommand::onFinished()
{
    QList<FineTuningJob> jobs = m_lister->jobs();
    JobLister::sortActiveFirst(jobs);
    const int read = int(jobs.size());
    jobs.erase(std::remove_if(jobs.begin(), jobs.end(),
                              [this](const FineTuningJob& job) {
                                  if (!m_options.statuses.isEmpty())
                                      return !m_options.statuses.contains(job.status);
                                  return !m_options.all && job.isTerminal();
                              }),
               jobs.end());
    print(jobs);
    // What was read, on stderr, so stdout stays the table (or the JSON lines) alone.
    if (!m_options.json) {
        const QString what = m_options.all || !m_options.statuses.isEmpty()
            ? tr("%n job(s) shown", nullptr, int(jobs.size()))
            : tr("%n active job(s)", nullptr, int(jobs.size()));
        m_console.err(tr("%1, of %n read.", nullptr, read).arg(what));
    }
    if (m_lister->reachedCap())
        m_console.err(tr("Stopped reading at %n job(s) (--limit); older jobs were not read.", nullptr, read));
    const ApiError& error = m_lister->error();
    if (error.isError()) {
        m_console.err(tr("Reading the list failed after %n job(s): %1", nullptr, read)
                          .arg(OutputGate::clean(error.message, OutputGate::lineBytes)));
        return emit finished(m_console.endCode(CliText::exitCodeOf(error)));
    }
    emit finished(m_console.endCode(CliExit::AllCancelled));
}
