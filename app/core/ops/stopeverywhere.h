#pragma once

#include "apiconfig.h"
#include "cancelbatch.h"
#include "finetuningjob.h"
#include "outcome.h"
#include "stopeverything.h"

#include <QList>
#include <QObject>
#include <QPointer>

class ActivityLog;
class JobLister;

// "Stop everything, everywhere": every account (profile) at once. start() reads each account's jobs of the kinds
// asked for, all accounts at the same time, each with its own key; readFinished() when every read ended. An
// account that cannot be read (no key, a keychain error, a bad configuration, a list that failed or did not end) is
// reported and nothing of it is cancelled; the others go on. Nothing is sent before confirm(): then one CancelBatch
// per account with jobs still running (the list is its look-up), all at once, each in its own account; finished()
// when the last one ended. decline() ends it with nothing sent. The same decision as for one account
// (StopEverything) is made per account.
class StopEverywhere final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StopEverywhere)

public:
    struct Account
    {
        ApiConfig config; // with its key
        QString problem; // set before start(): why this account cannot be read (its key could not be had, …)
        // After the read:
        std::optional<StopEverything> decided; // none when the account was not read (problem)
        QPointer<CancelBatch> batch; // after confirm(), for accounts with jobs to cancel

        bool readable() const
        {
            return problem.isEmpty() && decided && decided->verdict() != StopEverything::Verdict::ReadFailed;
        }
        // The listed jobs a confirm() would cancel in it.
        QList<FineTuningJob> toCancel() const;
        // Why nothing of it is cancelled (translated, gated); empty when it was read.
        QString whyNotRead() const;
    };

    StopEverywhere(const QList<Account>& accounts, const QList<JobKind>& kinds, const CancelBatch::Options& options,
                   ActivityLog* log, QObject* parent = nullptr);
    ~StopEverywhere() override;

    void start(int capPerAccount);
    const QList<Account>& accounts() const { return m_accounts; }
    int toCancelCount() const; // over every account
    int unreadableCount() const;

    void confirm();
    void decline();
    // Stops every batch (rows in flight: outcome unknown, with reason) or read under way.
    void stop(const QString& reason);
    bool isRunning() const;

    // Every row's outcome over every account, for the exit code.
    QList<Outcome::Kind> outcomes() const;
    // One line per account: "prod (OpenAI): 3 cancelled, 1 failed" / "eu (Azure OpenAI): not read: …".
    QStringList summary() const;
    // The exit code over every account: 4 when any had no answer (network, rate limit), else 3 when an account's key
    // could not be had or was rejected, else 1 when anything was not cancelled or not read, else 0.
    int exitCode() const;

signals:
    void readFinished();
    void itemChanged(int account, int row);
    void finished();

private:
    void onRead(int index, JobLister* lister);
    void onBatchFinished();

    QList<Account> m_accounts;
    QList<JobKind> m_kinds;
    CancelBatch::Options m_options;
    QPointer<ActivityLog> m_log;
    QList<QPointer<JobLister>> m_listers;
    int m_readsPending = 0;
    int m_batchesPending = 0;
    bool m_confirmed = false;
};
