#include "cancelcommand.h"

#include "activitylog.h"
#include "cancelbatch.h"
#include "clioptions.h"
#include "console.h"
#include "joblister.h"
#include "outputgate.h"
#include "providerfacts.h"
#include "signalwatcher.h"
#include "stopeverything.h"

#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <termios.h>
#include <unistd.h>

CancelCommand::~CancelCommand()
{
    delete m_answerNotifier;
}

void CancelCommand::run(const ApiConfig& config, const QList<JobId::Parsed>& jobs)
{
    m_config = config;
    if (m_options.allActive)
        return runAllActive();
    startBatch(jobs);
}

bool CancelCommand::stop()
{
    const QString name = SignalWatcher::name(m_console.signal());
    if (m_batch && m_batch->isRunning()) {
        // Rows in flight are recorded as "outcome unknown"; onBatchFinished() ends with 128 + n.
        m_console.log()->add(tr("Stopped by %1.").arg(name));
        m_batch->stop(tr("Outcome unknown: stopped by %1 while the request was in flight or waiting to be retried. "
                         "The job may or may not have been cancelled; check it before retrying.")
                          .arg(name));
        return true;
    }
    if (m_batch && m_batch->state() == CancelBatch::State::AwaitingConfirmation) {
        m_batch->decline();
        return true;
    }
    if (m_lister && m_lister->isRunning()) {
        m_lister->abort(); // reading only: onListRead() ends with 128 + n
        return true;
    }
    return false;
}

CancelBatch::Action CancelCommand::action() const
{
    if (m_options.command == CliOptions::Command::Pause)
        return CancelBatch::Action::Pause;
    if (m_options.command == CliOptions::Command::Resume)
        return CancelBatch::Action::Resume;
    return CancelBatch::Action::Cancel;
}

void CancelCommand::runAllActive()
{
    // "Stop everything running": read the whole list, then the same batch as for pasted ids, with the list as its
    // look-up. Without a terminal to ask on, only --yes (or --dry-run) may go on: never a guess.
    if (!m_options.yes && !m_options.dryRun && !m_console.canAsk()) {
        m_console.err(tr("--all-active cancels every job that has not finished. Without a terminal to ask on, add "
                         "--yes to do it (or --dry-run to see the list). Nothing was sent."));
        return emit finished(CliExit::BadUsage);
    }
    m_lister = new JobLister(m_config, m_console.log(), this);
    m_lister->setKinds(m_options.listKinds(m_config.provider));
    connect(m_lister, &JobLister::finished, this, &CancelCommand::onListRead);
    m_lister->start(m_options.limit);
}

void CancelCommand::onListRead()
{
    const StopEverything decided = StopEverything::decide(m_lister->jobs(), m_lister->error(), m_lister->reachedCap());
    switch (decided.verdict()) {
    case StopEverything::Verdict::ReadFailed:
        m_console.err(decided.message());
        return emit finished(m_console.endCode(CliText::exitCodeOf(m_lister->error())));
    case StopEverything::Verdict::NothingRunning:
        m_console.err(decided.message());
        return emit finished(CliExit::AllCancelled);
    case StopEverything::Verdict::Cancel:
        break;
    }
    if (const QString capped = decided.capWarning(QStringLiteral("--limit")); !capped.isEmpty())
        m_console.err(capped);
    if (const QString paused = decided.pausedNote(); !paused.isEmpty())
        m_console.err(paused);
    const QList<FineTuningJob>& jobs = decided.jobs();
    // The list just read is the look-up: the question comes at once, and the cancels after it.
    startBatch({}, jobs);
}

void CancelCommand::startBatch(const QList<JobId::Parsed>& jobs, const QList<FineTuningJob>& listed)
{
    CancelBatch::Options options;
    options.action = action();
    options.preview = m_options.preview;
    options.concurrency = m_options.concurrency;
    options.watch = m_options.wait;
    options.watchSeconds = m_options.waitSeconds;
    if (m_options.waitSecondsGiven) // --wait=N is the limit for every kind; plain --wait, each kind's own
        options.batchWatchSeconds = m_options.waitSeconds;
    options.source = QStringLiteral("cli");
    // The step-by-step log is only shown with --verbose; without it the batch does not write one (a thousand jobs
    // make some five thousand lines, each through the output gate).
    m_batch = new CancelBatch(m_config, options, m_options.verbose ? m_console.log() : nullptr, this);
    m_batch->addIds(jobs);
    m_batch->addListed(listed);
    connectBatch();
    if (const QString problem = m_batch->start(); !problem.isEmpty()) {
        m_console.err(problem);
        return emit finished(CliExit::BadUsage);
    }
}

void CancelCommand::connectBatch()
{
    connect(m_batch, &CancelBatch::itemChanged, this, &CancelCommand::onItemChanged);
    connect(m_batch, &CancelBatch::lookupFinished, this, &CancelCommand::onLookupFinished);
    connect(m_batch, &CancelBatch::finished, this, &CancelCommand::onBatchFinished);
    connect(m_batch, &CancelBatch::auditFailed, this, [this](const QString& jobId, const QString& why) {
        // A failure to record is a warning: it never changes the exit code.
        m_console.err(tr("Warning: could not record %1 in the history: %2").arg(jobId, why));
    });
    connect(m_batch, &CancelBatch::retryScheduled, this,
            [this](int row, int attempt, int maxAttempts, int delayMs, const QString& reason) {
                // Always said: a script's operator should know why nothing is happening.
                m_console.err(
                    OutputGate::clean(tr("%1 retrying in %2 s (attempt %3 of %4): %5")
                                          .arg(m_batch->item(row).id, QString::number(delayMs / 1000.0, 'f', 1))
                                          .arg(attempt)
                                          .arg(maxAttempts)
                                          .arg(reason),
                                      OutputGate::lineBytes));
            });
    connect(m_batch, &CancelBatch::rateLimitChanged, this, [this] {
        if (!m_batch->isPaused() || m_rateLimited)
            return;
        // Nobody to press "Retry now": send nothing more, let what is in flight finish, and say when to try again.
        m_rateLimited = true;
        m_console.err(tr("Rate limited until %1: nothing more is sent; the requests in flight finish.")
                          .arg(CliText::untilText(m_batch->rateLimitedUntil())));
        QTimer::singleShot(0, m_batch, [batch = m_batch] { batch->windDown(); });
    });
}

QStringList CancelCommand::confirmationExtras() const
{
    // The jobs counted by status and model, then the listed jobs whose id is not sent (stop everything).
    QStringList lines{QStringLiteral("  ") + m_batch->breakdown(m_batch->cancellableRows())};
    const QList<int> refused = m_batch->refusedIdRows();
    if (!refused.isEmpty())
        lines << tr("Not sent: %n job(s) listed as not finished have an id FtCancel will not send:", nullptr,
                    int(refused.size()));
    for (const int row : refused) {
        const BatchItem& item = m_batch->item(row);
        lines << QStringLiteral("  %1  %2  %3  (%4)")
                     .arg(item.id, OutputGate::clean(item.before().status, 100),
                          OutputGate::clean(item.before().model, 200), item.error().message);
    }
    return lines;
}

void CancelCommand::onLookupFinished()
{
    const QList<int> rows = m_batch->cancellableRows();
    if (m_options.dryRun) {
        // Nothing is cancelled: each job that would be says so, and the batch ends here.
        for (const int row : rows)
            report(row);
        m_batch->decline();
        return;
    }
    // Scripts are never blocked by a prompt: only a person at a terminal is asked (canAsk()), and only for several
    // jobs (for "stop everything running", always).
    if ((rows.size() > 1 || m_options.allActive) && !rows.isEmpty() && !m_options.yes && m_console.canAsk())
        return askToConfirm();
    m_batch->confirm();
}

void CancelCommand::askToConfirm()
{
    const QList<int> rows = m_batch->cancellableRows();
    // The account, so nobody cancels in the wrong one: the profile and its provider, where, as whom.
    QString account = m_config.baseUrl.host();
    if (!m_config.profileName.isEmpty())
        account = tr("profile %1, %2, %3")
                      .arg(m_config.profileName, ProviderInfo::of(m_config.provider).displayName, account);
    if (!m_config.organization.isEmpty())
        account += QStringLiteral(", ") + m_config.organization;
    const int n = int(rows.size());
    switch (action()) {
    case CancelBatch::Action::Cancel:
        m_console.say(tr("About to cancel %n job(s) (%1):", nullptr, n).arg(OutputGate::clean(account)));
        break;
    case CancelBatch::Action::Pause:
        m_console.say(tr("About to pause %n job(s) (%1):", nullptr, n).arg(OutputGate::clean(account)));
        break;
    case CancelBatch::Action::Resume:
        m_console.say(tr("About to resume %n job(s) (%1):", nullptr, n).arg(OutputGate::clean(account)));
        break;
    }
    const QStringList extras = confirmationExtras();
    m_console.say(extras.first());
    for (const int row : rows) {
        const BatchItem& item = m_batch->item(row);
        QString line = QStringLiteral("  %1  %2  %3")
                           .arg(item.id, OutputGate::clean(item.before().status, 100),
                                OutputGate::clean(item.before().model, 200));
        if (item.otherOrganization)
            line += QStringLiteral("  ")
                + tr("(organization %1, not %2)")
                      .arg(OutputGate::clean(item.before().organizationId, 100),
                           OutputGate::clean(m_config.organization, 100));
        m_console.say(line);
    }
    for (int i = 1; i < extras.size(); ++i)
        m_console.say(extras.at(i));
    // What was typed before the question (a "y⏎" while the jobs were looked up) must not answer a list not seen yet.
    ::tcflush(m_console.askIn(), TCIFLUSH);
    m_console.write(action() == CancelBatch::Action::Pause        ? tr("Pause %n job(s)? [y/N] ", nullptr, n)
                        : action() == CancelBatch::Action::Resume ? tr("Resume %n job(s)? [y/N] ", nullptr, n)
                                                                  : tr("Cancel %n job(s)? [y/N] ", nullptr, n));
    m_answerNotifier = new QSocketNotifier(m_console.askIn(), QSocketNotifier::Read, this);
    connect(m_answerNotifier, &QSocketNotifier::activated, this, &CancelCommand::onAnswer);
}

void CancelCommand::onAnswer()
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
        m_batch->confirm();
    } else {
        m_console.say(action() == CancelBatch::Action::Cancel ? tr("Nothing cancelled.") : tr("Nothing sent."));
        m_batch->decline();
    }
}

void CancelCommand::onItemChanged(int row)
{
    const BatchItem& item = m_batch->item(row);
    if (item.phase != BatchItem::Phase::Done || m_reported.contains(row))
        return;
    // Declined or stopped before sending: said once at the end, not as a result.
    if (item.outcome == Outcome::NotSent)
        return;
    report(row);
}

void CancelCommand::report(int row)
{
    m_reported.insert(row);
    const BatchItem& item = m_batch->item(row);
    if (m_options.json)
        return m_console.out(CliText::compact(reportJson(item)));
    const QString id = OutputGate::clean(item.id);
    const QString status = OutputGate::clean(item.status());
    const bool isError
        = Outcome::category(item.outcome) == Outcome::Category::Error || item.outcome == Outcome::Stopped;
    // Everything that came from the server passes the gate: a status with a line break must not forge a line.
    switch (item.outcome) {
    case Outcome::AlreadyFinished:
        m_console.out(tr("%1 already %2").arg(id, status));
        break;
    case Outcome::WouldCancel:
        m_console.out(tr("%1 would be cancelled (now %2)").arg(id, status));
        break;
    case Outcome::WouldPause:
        m_console.out(tr("%1 would be paused (now %2)").arg(id, status));
        break;
    case Outcome::WouldResume:
        m_console.out(tr("%1 would be resumed (now %2)").arg(id, status));
        break;
    case Outcome::Skipped:
        m_console.out(id + u' ' + item.message);
        break;
    default:
        if (isError)
            m_console.err(QStringLiteral("%1 error %2 %3").arg(id).arg(item.httpStatus).arg(item.message));
        else if (item.kind == JobKind::Batch && !item.after().requestCounts.isEmpty())
            m_console.out(QStringLiteral("%1 %2 (%3)").arg(id, status, OutputGate::clean(item.after().requestCounts)));
        else
            m_console.out(id + u' ' + status);
        break;
    }
}

QJsonObject CancelCommand::reportJson(const BatchItem& item) const
{
    using CliText::jsonField;
    QJsonObject o{{QLatin1String("id"), OutputGate::clean(item.id)},
                  {QLatin1String("kind"), jobKindKey(item.kind)},
                  {QLatin1String("outcome"), Outcome::name(item.outcome)},
                  {QLatin1String("action"), CancelBatch::actionKey(action())},
                  {QLatin1String("ok"), Outcome::isDone(item.outcome)},
                  {QLatin1String("status"), jsonField(item.status())},
                  {QLatin1String("status_before"), jsonField(item.before().status)},
                  {QLatin1String("http_status"), item.httpStatus},
                  {QLatin1String("attempts"), item.attempts},
                  {QLatin1String("request_id"), item.requestId.isEmpty() ? QJsonValue() : QJsonValue(item.requestId)},
                  {QLatin1String("message"), item.message.isEmpty() ? QJsonValue() : QJsonValue(item.message)}};
    const FineTuningJob& job = item.before().model.isEmpty() ? item.after() : item.before();
    if (!job.model.isEmpty())
        o.insert(QLatin1String("model"), jsonField(job.model));
    if (!item.after().requestCounts.isEmpty())
        o.insert(QLatin1String("request_counts"), jsonField(item.after().requestCounts));
    if (item.otherOrganization)
        o.insert(QLatin1String("organization"), jsonField(item.before().organizationId));
    if (item.error().isError()) {
        const ApiError& error = item.error();
        QJsonObject e{{QLatin1String("kind"), error.kindName()}, {QLatin1String("message"), item.message}};
        if (!error.apiType.isEmpty())
            e.insert(QLatin1String("type"), jsonField(error.apiType));
        if (!error.apiCode.isEmpty())
            e.insert(QLatin1String("code"), jsonField(error.apiCode));
        if (!error.apiMessage.isEmpty())
            e.insert(QLatin1String("api_message"), jsonField(error.apiMessage));
        o.insert(QLatin1String("error"), e);
    }
    return o;
}

// Rows that never got their line (a dry run's declined rows are reported already; listed ids that were refused
// get theirs here), and why the rest was not sent.
void CancelCommand::reportNotSent()
{
    QStringList notSent;
    for (int row = 0; row < m_batch->rowCount(); ++row) {
        const BatchItem& item = m_batch->item(row);
        if (m_reported.contains(row))
            continue;
        if (item.outcome == Outcome::NotSent)
            notSent << item.id;
        else
            report(row);
    }
    if (!notSent.isEmpty() && !m_options.dryRun) {
        const QString ids = OutputGate::clean(notSent.join(u' '), OutputGate::lineBytes);
        const int n = int(notSent.size());
        if (m_console.signal() != 0)
            m_console.err(tr("%n job(s) not sent because of %1: %2", nullptr, n)
                              .arg(SignalWatcher::name(m_console.signal()), ids));
        else if (m_batch->isKeyRejected())
            m_console.err(tr("%n job(s) not sent, the API rejected the key: %1", nullptr, n).arg(ids));
        else if (m_rateLimited)
            m_console.err(tr("%n job(s) not sent, rate limited until %1; retry then: %2", nullptr, n)
                              .arg(CliText::untilText(m_batch->rateLimitedUntil()), ids));
        else
            m_console.err(action() == CancelBatch::Action::Cancel
                              ? tr("%n job(s) kept running, no cancel sent: %1", nullptr, n).arg(ids)
                              : tr("%n job(s) left as they are, nothing sent: %1", nullptr, n).arg(ids));
    }
    if (const int refused = m_batch->count(Outcome::RefusedId); refused > 0)
        m_console.err(
            tr("%n listed job(s) not sent: the server listed an id FtCancel will not send.", nullptr, refused));
}

void CancelCommand::onBatchFinished()
{
    reportNotSent();
    // What a cancelled batch keeps, said once: its finished requests' results stay (partial output).
    for (int row = 0; row < m_batch->rowCount(); ++row) {
        const BatchItem& item = m_batch->item(row);
        const QString note = ProviderFacts::afterCancelNote(m_config.provider, item.kind);
        if (!note.isEmpty() && !m_options.json
            && (item.outcome == Outcome::Cancelled || item.outcome == Outcome::StillStopping)) {
            m_console.err(note);
            break;
        }
    }
    if (m_console.signal() != 0)
        return emit finished(128 + m_console.signal());
    if (m_batch->isKeyRejected()) {
        const ProviderInfo& info = ProviderInfo::of(m_config.provider);
        m_console.err(m_config.profileName.isEmpty()
                          ? tr("The API rejected the key (HTTP 401), so nothing more was sent with it. Check "
                               "OPENAI_API_KEY or the key saved in the window.")
                          : tr("The API rejected the key (HTTP 401), so nothing more was sent with it. Check %1 or "
                               "the key of the profile \u201C%2\u201D.")
                                .arg(info.keyVariable, m_config.profileName));
        return emit finished(CliExit::NoCredentials);
    }
    if (m_rateLimited) {
        m_console.err(tr("Rate limited until %1; retry then.").arg(CliText::untilText(m_batch->rateLimitedUntil())));
        return emit finished(CliExit::NetworkFailure);
    }
    QList<Outcome::Kind> outcomes = m_batch->outcomes();
    if (m_options.dryRun) {
        // Declined only to end the dry run: those rows are what would be cancelled.
        for (Outcome::Kind& kind : outcomes) {
            if (kind == Outcome::NotSent)
                kind = Outcome::WouldCancel; // "would be done", whatever the action
        }
    }
    emit finished(Outcome::exitCode(outcomes, m_options.dryRun));
}
