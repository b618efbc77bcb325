#pragma once

#include "command.h"
#include "stopeverywhere.h"

#include <QSet>

class QSocketNotifier;

// `ftcancel cancel --all-active --all-profiles [--kind …]`: stop everything in every saved profile. Each profile
// is its own account with its own key (the environment's variables are not applied: they would make every OpenAI
// profile one account); the keys are read from the keychain, then every account's active jobs at once
// (StopEverywhere), then one question grouped by profile and provider (count, each job, what it is; the default
// is to keep them running), then the cancels, each in its own account. An account that cannot be read is said and
// nothing of it is cancelled; the others go on. Without a terminal and without --yes (or --dry-run) it refuses
// before anything is read: exit 2.
class EverywhereCommand final : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    ~EverywhereCommand() override;
    void run();
    bool stop() override;

private:
    void readAccounts(const QList<StopEverywhere::Account>& accounts);
    void onRead();
    void askToConfirm();
    void onAnswer();
    void onItemChanged(int account, int row);
    void onFinished();

    StopEverywhere* m_sweep = nullptr;
    QSocketNotifier* m_answerNotifier = nullptr;
    QByteArray m_answer;
    QSet<QPair<int, int>> m_reported;
};
