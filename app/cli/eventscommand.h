#pragma once

#include "apiconfig.h"
#include "command.h"
#include "jobid.h"

class EventLister;

// `ftcancel events ID`: a job's events, oldest first, as lines or JSON lines.
class EventsCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    void run(const ApiConfig& config, const JobId::Parsed& id);
    bool stop() override;

private:
    void onFinished();
    void print();

    EventLister* m_events = nullptr;
};
