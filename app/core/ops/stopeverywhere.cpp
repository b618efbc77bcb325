#include "stopeverywhere.h"

#include "activitylog.h"
#include "batchitem.h"
#include "joblister.h"
#include "outputgate.h"

#include <algorithm>

namespace {
// "prod (OpenAI)", or the provider alone for an account without a profile.
QString accountName(const ApiConfig& config)
{
    const QString provider = ProviderInfo::of(config.provider).displayName;
    return config.profileName.isEmpty()
        ? provider
        : QStringLiteral("%1 (%2)").arg(OutputGate::clean(config.profileName, 100), provider);
}

// The exit code of an error, as the command line gives it: 4 no answer, 3 the key, 1 otherwise.
int codeOf(const ApiError& error)
{
    if (error.isTransport() || error.httpStatus == 429)
        return 4;
    if (error.kind == ApiError::Kind::Http && error.httpStatus == 401)
        return 3;
    return 1;
}
} // namespace

QList<FineTuningJob> StopEverywhere::Account::toCancel() const
{
    QList<FineTuningJob> jobs;
    if (!readable())
        return jobs;
    for (const FineTuningJob& job : decided->jobs()) {
        if (!job.isTerminal())
            jobs << job;
    }
    return jobs;
}

QString StopEverywhere::Account::whyNotRead() const
{
    if (!problem.isEmpty())
        return problem;
    if (decided && decided->verdict() == StopEverything::Verdict::ReadFailed)
        return tr("its list could not be read to the end: %1")
            .arg(OutputGate::clean(decided->error().message, OutputGate::lineBytes));
    return QString();
}

StopEverywhere::StopEverywhere(const QList<Account>& accounts, const QList<JobKind>& kinds,
                               const CancelBatch::Options& options, ActivityLog* log, QObject* parent)
    : QObject(parent), m_accounts(accounts), m_kinds(kinds), m_options(options), m_log(log)
{
    for (const Account& account : std::as_const(m_accounts))
        OutputGate::addSecret(account.config.apiKey);
}

StopEverywhere::~StopEverywhere()
{
    for (const QPointer<JobLister>& lister : std::as_const(m_listers)) {
        if (lister)
            lister->disconnect(this);
    }
    for (const Account& account : std::as_const(m_accounts)) {
        if (account.batch)
            account.batch->disconnect(this);
    }
}

void StopEverywhere::start(int capPerAccount)
{
    // Every account at once: the slowest one sets the time to the question, not their sum.
    m_listers.clear();
    m_readsPending = 0;
    for (int i = 0; i < m_accounts.size(); ++i) {
        Account& account = m_accounts[i];
        if (account.problem.isEmpty()) {
            if (const QString problem = account.config.problem(); !problem.isEmpty())
                account.problem = OutputGate::clean(problem, OutputGate::lineBytes);
        }
        if (!account.problem.isEmpty()) {
            m_listers << nullptr;
            continue;
        }
        auto* lister = new JobLister(account.config, m_log, this);
        QList<JobKind> kinds = m_kinds;
        lister->setKinds(kinds);
        m_listers << lister;
        ++m_readsPending;
        connect(lister, &JobLister::finished, this, [this, i, lister] { onRead(i, lister); });
        lister->start(capPerAccount);
    }
    if (m_readsPending == 0)
        emit readFinished();
}

void StopEverywhere::onRead(int index, JobLister* lister)
{
    Account& account = m_accounts[index];
    account.decided = StopEverything::decide(lister->jobs(), lister->error(), lister->reachedCap());
    lister->deleteLater();
    if (--m_readsPending == 0)
        emit readFinished();
}

int StopEverywhere::toCancelCount() const
{
    int n = 0;
    for (const Account& account : m_accounts)
        n += int(account.toCancel().size());
    return n;
}

int StopEverywhere::unreadableCount() const
{
    return int(std::count_if(m_accounts.cbegin(), m_accounts.cend(),
                             [](const Account& account) { return !account.readable(); }));
}

void StopEverywhere::confirm()
{
    if (m_confirmed || m_readsPending > 0)
        return;
    m_confirmed = true;
    m_batchesPending = 0;
    for (int i = 0; i < m_accounts.size(); ++i) {
        Account& account = m_accounts[i];
        const QList<FineTuningJob> jobs = account.toCancel();
        if (jobs.isEmpty())
            continue;
        auto* batch = new CancelBatch(account.config, m_options, m_log, this);
        batch->addListed(jobs);
        account.batch = batch;
        ++m_batchesPending;
        // The list is the look-up and the question was asked once for every account: it is confirmed as soon as
        // it is ready.
        connect(batch, &CancelBatch::lookupFinished, batch, &CancelBatch::confirm);
        connect(batch, &CancelBatch::itemChanged, this, [this, i](int row) { emit itemChanged(i, row); });
        connect(batch, &CancelBatch::finished, this, &StopEverywhere::onBatchFinished);
        if (const QString problem = batch->start(); !problem.isEmpty()) {
            account.problem = OutputGate::clean(problem, OutputGate::lineBytes);
            account.batch = nullptr;
            batch->deleteLater();
            --m_batchesPending;
        }
    }
    if (m_batchesPending == 0)
        emit finished();
}

void StopEverywhere::decline()
{
    if (m_confirmed)
        return;
    m_confirmed = true;
    emit finished();
}

void StopEverywhere::onBatchFinished()
{
    if (--m_batchesPending == 0)
        emit finished();
}

void StopEverywhere::stop(const QString& reason)
{
    for (const QPointer<JobLister>& lister : std::as_const(m_listers)) {
        if (lister && lister->isRunning())
            lister->abort();
    }
    for (const Account& account : std::as_const(m_accounts)) {
        if (account.batch && account.batch->isRunning())
            account.batch->stop(reason);
    }
}

bool StopEverywhere::isRunning() const
{
    return m_readsPending > 0 || m_batchesPending > 0;
}

QList<Outcome::Kind> StopEverywhere::outcomes() const
{
    QList<Outcome::Kind> all;
    for (const Account& account : m_accounts) {
        if (account.batch)
            all += account.batch->outcomes();
    }
    return all;
}

QStringList StopEverywhere::summary() const
{
    QStringList lines;
    for (const Account& account : m_accounts) {
        const QString name = accountName(account.config);
        if (!account.readable()) {
            lines << tr("%1: not read, nothing cancelled: %2").arg(name, account.whyNotRead());
            continue;
        }
        if (!account.batch) {
            const int left = int(account.toCancel().size());
            lines << (left == 0 ? tr("%1: nothing running").arg(name)
                                : tr("%1: %n job(s) not finished, none cancelled", nullptr, left).arg(name));
            continue;
        }
        // "3 cancelled, 1 failed": each outcome with its count, most frequent first.
        QList<QPair<Outcome::Kind, int>> counts;
        for (const Outcome::Kind kind : account.batch->outcomes()) {
            auto it = std::find_if(counts.begin(), counts.end(), [kind](const auto& c) { return c.first == kind; });
            if (it == counts.end())
                counts.append({kind, 1});
            else
                ++it->second;
        }
        std::stable_sort(counts.begin(), counts.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        QStringList parts;
        for (const auto& [kind, count] : counts)
            parts << QStringLiteral("%1 %2").arg(count).arg(Outcome::label(kind));
        lines << QStringLiteral("%1: %2").arg(name, parts.join(QStringLiteral(", ")));
    }
    return lines;
}

int StopEverywhere::exitCode() const
{
    int code = Outcome::exitCode(outcomes());
    for (const Account& account : m_accounts) {
        if (account.readable())
            continue;
        const int own = account.decided ? codeOf(account.decided->error()) : 3; // no key, or its keychain failed
        if (own == 4 || code == 4)
            code = 4;
        else if (own == 3 || code == 3)
            code = 3;
        else
            code = std::max(code, own);
    }
    return code;
}
