#include "showcommand.h"

#include "clioptions.h"
#include "console.h"
#include "dialect.h"
#include "finetuningclient.h"
#include "jobrequest.h"
#include "outputgate.h"

#include <algorithm>

void ShowCommand::run(const ApiConfig& config, const JobId::Parsed& id)
{
    m_config = config;
    auto* client = new FineTuningClient(this);
    client->setConfig(config);
    client->setLog(m_console.log());
    JobRequest* request = client->retrieveJob(id);
    connect(request, &JobRequest::finished, this, &ShowCommand::onFinished);
}

QString ShowCommand::dashboardUrl(const QString& id, JobKind kind) const
{
    // The provider's link to the job, from its dialect; none when the provider has no page per job.
    return Dialect::of(m_config.provider).dashboardUrl(id, kind);
}

void ShowCommand::onFinished(const JobResult& result)
{
    if (!result.isOk()) {
        m_console.err(QStringLiteral("%1 error %2 %3")
                          .arg(result.requestedId)
                          .arg(result.error.httpStatus)
                          .arg(OutputGate::clean(result.error.message, OutputGate::lineBytes)));
        return emit finished(m_console.endCode(CliText::exitCodeOf(result.error)));
    }
    const FineTuningJob& job = result.job;
    if (m_options.json) {
        m_console.out(CliText::compact(CliText::jobJson(job)));
        return emit finished(CliExit::AllCancelled);
    }
    QList<QStringList> rows{
        {tr("id:"), OutputGate::clean(job.id)},
        {tr("kind:"), jobKindKey(job.kind)},
        {tr("status:"), OutputGate::clean(job.status)},
        {tr("model:"), OutputGate::clean(job.model)},
        {tr("fine-tuned model:"), OutputGate::clean(job.fineTunedModel)},
        {tr("created:"), CliText::localTime(job.createdAt)},
        {tr("estimated finish:"), CliText::localTime(job.estimatedFinish)},
        {tr("finished:"), CliText::localTime(job.finishedAt)},
        {tr("requests:"), OutputGate::clean(job.requestCounts)},
        {tr("trained tokens:"), job.trainedTokens >= 0 ? QString::number(job.trainedTokens) : QString()},
        {tr("organization:"), OutputGate::clean(job.organizationId)},
        {tr("suffix:"), OutputGate::clean(job.suffix)},
        {tr("metadata:"), OutputGate::clean(job.metadata)},
        {tr("error:"), OutputGate::clean(job.errorMessage, OutputGate::lineBytes)},
        {tr("request id:"), OutputGate::clean(result.requestId)},
    };
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const QStringList& row) { return row.at(1).isEmpty(); }),
               rows.end());
    if (const QString url = dashboardUrl(job.id, job.kind); !url.isEmpty())
        rows << QStringList{tr("dashboard:"), url};
    for (const QString& line : CliText::alignedColumns(rows))
        m_console.out(line);
    emit finished(CliExit::AllCancelled);
}
