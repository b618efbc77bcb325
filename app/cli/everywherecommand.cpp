#include "everywherecommand.h"

#include "activitylog.h"
#include "appsettings.h"
#include "batchitem.h"
#include "clioptions.h"
#include "console.h"
#include "everyaccount.h"
#include "outputgate.h"
#include "signalwatcher.h"

#include <QProcessEnvironment>
#include <QSocketNotifier>

#include <cerrno>
#include <termios.h>
#include <unistd.h>

namespace {
QString accountLine(const ApiConfig& config)
{
    return QStringLiteral("%1 (%2, %3)")
        .arg(OutputGate::clean(config.profileName, 100), ProviderInfo::of(config.provider).displayName,
             OutputGate::clean(config.baseUrl.host(), 200));
}
} // namespace

EverywhereCommand::~EverywhereCommand()
{
    delete m_answerNotifier;
}

void EverywhereCommand::run()
{
    // Never a guess: without a person to ask, only --yes (or --dry-run) may go on, and nothing is read before.
    if (!m_options.yes && !m_options.dryRun && !m_console.canAsk()) {
        m_console.err(tr("--all-active --all-profiles cancels every job that has not finished in every profile. "
                         "Without a terminal to ask on, add --yes to do it (or --dry-run to see the lists). Nothing "
                         "was sent."));
        return emit finished(CliExit::BadUsage);
    }
    auto* every = new EveryAccount(this);
    if (every->profileCount() == 0) {
        m_console.err(tr("No profiles are saved: --all-profiles stops the jobs of every profile (ftcancel profile "
                         "add NAME --provider …). Nothing was sent."));
        return emit finished(CliExit::NoCredentials);
    }
    connect(every, &EveryAccount::done, this, &EverywhereCommand::readAccounts);
    QString baseError;
    ApiConfig base = AppSettings().apiConfig(&baseError);
    base.timeoutSeconds = m_options.timeoutSeconds.value_or(base.timeoutSeconds);
    base.maxRetries = m_options.maxRetries.value_or(base.maxRetries);
    base.deadlineSeconds = m_options.deadlineSeconds.value_or(base.deadlineSeconds);
    every->read(base);
}

bool EverywhereCommand::stop()
{
    const QString name = SignalWatcher::name(m_console.signal());
    if (m_answerNotifier) {
        m_console.say(tr("Nothing cancelled."));
        m_sweep->decline();
        return true;
    }
    if (m_sweep && m_sweep->isRunning()) {
        m_console.log()->add(tr("Stopped by %1.").arg(name));
        m_sweep->stop(tr("Outcome unknown: stopped by %1 while the request was in flight or waiting to be retried. "
                         "The job may or may not have been cancelled; check it before retrying.")
                          .arg(name));
        return true;
    }
    return false;
}

void EverywhereCommand::readAccounts(const QList<StopEverywhere::Account>& accounts)
{
    for (const StopEverywhere::Account& account : accounts)
        m_console.log()->addSecret(account.config.apiKey);
    CancelBatch::Options options;
    options.preview = true;
    options.concurrency = m_options.concurrency;
    options.watch = m_options.wait;
    options.watchSeconds = m_options.waitSeconds;
    if (m_options.waitSecondsGiven)
        options.batchWatchSeconds = m_options.waitSeconds;
    options.source = QStringLiteral("cli");
    // The kinds asked for (--kind), else every kind each provider runs: stop everything means all of it.
    const QList<JobKind> kinds = m_options.kindGiven ? m_options.kinds : allJobKinds();
    m_sweep = new StopEverywhere(accounts, kinds, options, m_options.verbose ? m_console.log() : nullptr, this);
    connect(m_sweep, &StopEverywhere::readFinished, this, &EverywhereCommand::onRead);
    connect(m_sweep, &StopEverywhere::itemChanged, this, &EverywhereCommand::onItemChanged);
    connect(m_sweep, &StopEverywhere::finished, this, &EverywhereCommand::onFinished);
    m_sweep->start(m_options.limit);
}

void EverywhereCommand::onRead()
{
    if (m_console.signal() != 0)
        return emit finished(128 + m_console.signal());
    // Grouped by profile and provider: the count, then each job and what it is.
    const int total = m_sweep->toCancelCount();
    const int accountsWithJobs = int(std::count_if(m_sweep->accounts().cbegin(), m_sweep->accounts().cend(),
                                                   [](const auto& a) { return !a.toCancel().isEmpty(); }));
    // To the person asked (the terminal), else on stderr: stdout stays the results.
    const bool asking = !m_options.yes && !m_options.dryRun && m_console.canAsk();
    const auto show = [this, asking](const QString& line) {
        if (asking)
            m_console.say(line);
        else
            m_console.err(line);
    };
    for (const StopEverywhere::Account& account : m_sweep->accounts()) {
        if (!account.readable()) {
            m_console.err(tr("%1: not read, nothing of it will be cancelled: %2")
                              .arg(accountLine(account.config), account.whyNotRead()));
            continue;
        }
        const QList<FineTuningJob> jobs = account.toCancel();
        show(tr("%1: %n job(s) not finished", nullptr, int(jobs.size())).arg(accountLine(account.config)));
        if (const QString capped = account.decided->capWarning(QStringLiteral("--limit")); !capped.isEmpty())
            show(QStringLiteral("  ") + capped);
        for (const FineTuningJob& job : jobs) {
            show(QStringLiteral("  %1  %2  %3  %4")
                     .arg(OutputGate::clean(job.id, 200), jobKindKey(job.kind), OutputGate::clean(job.status, 100),
                          OutputGate::clean(job.model, 200)));
        }
    }
    if (total == 0 || m_options.dryRun) {
        if (total == 0)
            m_console.err(tr("Nothing running in any profile that could be read: nothing to cancel."));
        m_sweep->decline();
        return;
    }
    if (m_options.yes)
        return m_sweep->confirm();
    ::tcflush(m_console.askIn(), TCIFLUSH);
    m_console.write(tr("Cancel %n job(s) in %1 profile(s)? [y/N] ", nullptr, total).arg(accountsWithJobs));
    m_answerNotifier = new QSocketNotifier(m_console.askIn(), QSocketNotifier::Read, this);
    connect(m_answerNotifier, &QSocketNotifier::activated, this, &EverywhereCommand::onAnswer);
}

void EverywhereCommand::onAnswer()
{
    char buffer[256];
    const ssize_t n = ::read(m_console.askIn(), buffer, sizeof buffer);
    if (n > 0) {
        m_answer.append(buffer, n);
        if (!m_answer.contains('\n'))
            return;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    m_answerNotifier->setEnabled(false);
    m_answerNotifier->deleteLater();
    m_answerNotifier = nullptr;
    const QByteArray answer = m_answer.trimmed().toLower();
    if (answer == "y" || answer == "yes") {
        m_sweep->confirm();
    } else {
        m_console.say(tr("Nothing cancelled."));
        m_sweep->decline();
    }
}

void EverywhereCommand::onItemChanged(int account, int row)
{
    const StopEverywhere::Account& a = m_sweep->accounts().at(account);
    if (!a.batch)
        return;
    const BatchItem& item = a.batch->item(row);
    if (item.phase != BatchItem::Phase::Done || m_reported.contains({account, row}) || item.outcome == Outcome::NotSent)
        return;
    m_reported.insert({account, row});
    const QString line = QStringLiteral("%1: %2 %3")
                             .arg(OutputGate::clean(a.config.profileName, 100), OutputGate::clean(item.id),
                                  item.outcome == Outcome::Cancelled || item.outcome == Outcome::StillStopping
                                      ? OutputGate::clean(item.status())
                                      : Outcome::label(item.outcome));
    if (Outcome::category(item.outcome) == Outcome::Category::Error)
        m_console.err(line + QStringLiteral(" ") + item.message);
    else
        m_console.out(line);
}

void EverywhereCommand::onFinished()
{
    if (m_console.signal() != 0)
        return emit finished(128 + m_console.signal());
    // What happened in each account, and one exit code for all of them.
    for (const QString& line : m_sweep->summary())
        m_console.err(line);
    emit finished(m_options.dryRun ? (m_sweep->unreadableCount() > 0 ? m_sweep->exitCode() : CliExit::AllCancelled)
                                   : m_sweep->exitCode());
}
