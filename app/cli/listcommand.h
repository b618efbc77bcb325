#pragma once

#include "apiconfig.h"
#include "command.h"
#include "finetuningjob.h"

class JobLister;

// `ftcancel list`: the account's jobs, active first then newest, as a table or JSON lines.
class ListCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    void run(const ApiConfig& config);
    bool stop() override;

private:
    void onFinished();
    void print(const QList<FineTuningJob>& jobs);

    JobLister* m_lister = nullptr;
};
