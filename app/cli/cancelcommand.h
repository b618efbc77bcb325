#pragma once

#include "apiconfig.h"
#include "cancelbatch.h"
#include "command.h"
#include "finetuningjob.h"
#include "jobid.h"

#include <QSet>

class BatchItem;
class JobLister;
class QSocketNotifier;

// `ftcancel cancel ID…` and `cancel --all-active`: the headless binding of CancelBatch. Looks the jobs up, asks a
// person at the terminal (/dev/tty, also when the ids come on a pipe) before cancelling more than one, cancels them
// concurrently and prints each result as it arrives; the exit code comes from the batch's Outcome classification.
class CancelCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    ~CancelCommand() override;
    void run(const ApiConfig& config, const QList<JobId::Parsed>& jobs);
    bool stop() override;
    // Cancel, pause or resume: from the command typed.
    CancelBatch::Action action() const;

private:
    void runAllActive();
    void onListRead();
    // The batch, with ids to look up and jobs a list has just read (looked up already).
    void startBatch(const QList<JobId::Parsed>& jobs, const QList<FineTuningJob>& listed = {});
    void connectBatch();
    // What the confirmation lists besides the jobs: first the count by status and model, then the listed jobs
    // whose id will not be sent.
    QStringList confirmationExtras() const;
    void onLookupFinished();
    void askToConfirm();
    void onAnswer();
    void onItemChanged(int row);
    void report(int row);
    QJsonObject reportJson(const BatchItem& item) const;
    void reportNotSent();
    void onBatchFinished();

    ApiConfig m_config;
    CancelBatch* m_batch = nullptr;
    JobLister* m_lister = nullptr;
    QSet<int> m_reported;
    QSocketNotifier* m_answerNotifier = nullptr;
    QByteArray m_answer;
    bool m_rateLimited = false; // a long rate limit ended the run: nothing more was sent
};
