#pragma once

#include "apiconfig.h"
#include "command.h"
#include "jobid.h"

struct JobResult;

// `ftcancel show ID`: one GET, through the same operation the cancel's look-up uses.
class ShowCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    void run(const ApiConfig& config, const JobId::Parsed& id);

private:
    void onFinished(const JobResult& result);
    // The dashboard page of a job, empty when the provider has none.
    QString dashboardUrl(const QString& id, JobKind kind) const;

    ApiConfig m_config;
};
