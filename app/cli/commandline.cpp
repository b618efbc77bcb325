#include "commandline.h"

#include "accountfinder.h"
#include "activitylog.h"
#include "cancelcommand.h"
#include "eventscommand.h"
#include "everywherecommand.h"
#include "listcommand.h"
#include "outputgate.h"
#include "profilecommand.h"
#include "showcommand.h"
#include "signalwatcher.h"

#include <QSet>
#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

CommandLine::CommandLine(QObject* parent)
    : QObject(parent), m_console(new Console(this)), m_signals(new SignalWatcher(this))
{
    connect(m_signals, &SignalWatcher::received, this, &CommandLine::onSignal);
}

CommandLine::~CommandLine()
{
    delete m_command; // before the console it writes to (and a key prompt gives the terminal its echo back)
    m_command = nullptr;
}

bool CommandLine::wantsCommandLine(const QStringList& arguments)
{
    if (arguments.size() < 2)
        return false;
    static const QStringList cliOptions = {QStringLiteral("-h"), QStringLiteral("--help"), QStringLiteral("--help-all"),
                                           QStringLiteral("-v"), QStringLiteral("--version")};
    const QString& first = arguments.at(1);
    // Other options (--demo, -platform, -style, …) open the window: --demo is the window's demo mode (windowmain.cpp),
    // the rest belong to QApplication.
    return !first.startsWith(u'-') || cliOptions.contains(first);
}

void CommandLine::done(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_console->outError().isEmpty()) {
        // A script reading stdout did not get the results: it must not believe it did.
        m_console->err(tr("Could not write the results to standard output: %1. Every attempt is in the history (the "
                          "audit trail).")
                           .arg(m_console->outError()));
        if (m_console->signal() == 0)
            exitCode = OutputFailed;
    }
    emit finished(exitCode);
}

void CommandLine::onSignal(int signalNumber)
{
    if (m_console->signal() != 0 || m_finished)
        return;
    m_console->setSignal(signalNumber);
    if (m_command && m_command->stop())
        return; // it ends with 128 + n
    m_console->err(tr("Stopped by %1 before any cancel was sent.").arg(SignalWatcher::name(signalNumber)));
    done(128 + signalNumber);
}

void CommandLine::start(const QStringList& arguments)
{
    if (const int code = CliOptions::parse(arguments, &m_options, *m_console); code >= 0)
        return done(code);
    m_console->setVerbose(m_options.verbose);
    if (m_options.command == CliOptions::Command::Profile) {
        auto* command = new ProfileCommand(*m_console, m_options, this);
        runCommand(command);
        return command->run();
    }
    if (m_options.allProfiles) {
        auto* command = new EverywhereCommand(*m_console, m_options, this);
        runCommand(command);
        return command->run();
    }
    m_account = new AccountFinder(*m_console, m_options, this);
    int exitCode = 0;
    if (!m_account->choose(&exitCode))
        return done(exitCode);
    connect(m_account, &AccountFinder::failed, this, [this](int code) { done(code); });
    connect(m_account, &AccountFinder::found, this, &CommandLine::haveAccount);
    // "-" reads the ids from stdin: read to its end first, without blocking the event loop (a signal while it waits
    // for input is handled at once), then every id is checked as if it had been an argument.
    const bool sends = m_options.command == CliOptions::Command::Cancel
        || m_options.command == CliOptions::Command::Pause || m_options.command == CliOptions::Command::Resume;
    if (sends && m_options.positional.contains(QStringLiteral("-")))
        return readStandardInput();
    takeIds();
}

void CommandLine::readStandardInput()
{
    if (::fcntl(STDIN_FILENO, F_GETFD) == -1) {
        m_console->err(tr("Could not read job ids from standard input."));
        return done(BadUsage);
    }
    m_stdinNotifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdinNotifier, &QSocketNotifier::activated, this, &CommandLine::onStandardInput);
}

void CommandLine::onStandardInput()
{
    // Ready to read: read() does not wait (stdin is left blocking, as the shell shares it).
    char buffer[16 * 1024];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n > 0) {
        m_standardInput.append(buffer, n);
        return;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    m_stdinNotifier->setEnabled(false);
    m_stdinNotifier->deleteLater();
    m_stdinNotifier = nullptr;
    if (n < 0) {
        m_console->err(tr("Could not read job ids from standard input."));
        return done(BadUsage);
    }
    takeIds();
}

bool CommandLine::takeIdsFrom(const QString& argument, const QString& text, QSet<QString>* seen)
{
    // The profile's provider decides which ids are accepted; another provider's id is refused with a hint.
    const JobId::Extracted extracted = JobId::extract(text, m_account->config().provider, m_options.idKind);
    bool valid = true;
    for (const JobId::Rejected& rejected : extracted.rejected) {
        // Both the fragment and the reason passed the gate (a key pasted where an id goes is masked).
        m_console->err(tr("Invalid job id \u201C%1\u201D: %2").arg(rejected.fragment, rejected.reason));
        valid = false;
    }
    if (extracted.ids.isEmpty() && extracted.rejected.isEmpty()) {
        m_console->err(argument == QLatin1String("-")
                           ? tr("No job id found on standard input.")
                           : tr("No job id found in \u201C%1\u201D.").arg(OutputGate::clean(argument, 80)));
        valid = false;
    }
    for (const JobId::Parsed& parsed : extracted.ids) {
        if (seen->contains(parsed.id))
            continue;
        if (m_options.kindGiven && parsed.kind != m_options.idKind) {
            // --kind batch with a fine-tuning job's id (or the other way round): said, never sent to the wrong API.
            m_console->err(
                parsed.kind == JobKind::Batch
                    ? tr("%1 is a batch, not a fine-tuning job; leave out --kind or say --kind batch.").arg(parsed.id)
                    : tr("%1 is a fine-tuning job, not a batch; leave out --kind or say --kind "
                         "fine-tuning.")
                          .arg(parsed.id));
            valid = false;
            continue;
        }
        seen->insert(parsed.id);
        if (!parsed.warning.isEmpty())
            m_console->err(tr("Warning for %1: %2").arg(parsed.id, parsed.warning));
        m_jobs.append(parsed);
    }
    return valid;
}

void CommandLine::takeIds()
{
    // Every id is checked before anything is sent: a typo in the third id must not leave two jobs cancelled and
    // the script confused.
    bool allValid = true;
    QSet<QString> seen;
    for (const QString& argument : std::as_const(m_options.positional)) {
        QString text = argument;
        if (argument == QLatin1String("-")) {
            // Read once, to its end: a second "-" finds nothing more, as a second read of stdin would.
            text = QString::fromUtf8(m_standardInput);
            m_standardInput.clear();
        }
        allValid = takeIdsFrom(argument, text, &seen) && allValid;
    }
    if (!allValid) {
        m_console->err(tr("Nothing was sent."));
        return done(BadUsage);
    }
    m_account->findKey();
}

void CommandLine::runCommand(Command* command)
{
    m_command = command;
    connect(command, &Command::finished, this, &CommandLine::done);
}

void CommandLine::haveAccount()
{
    if (m_finished)
        return;
    if (m_console->signal() != 0)
        return done(128 + m_console->signal());
    const ApiConfig& config = m_account->config();
    OutputGate::addSecret(config.apiKey);
    m_console->log()->addSecret(config.apiKey);
    if (const QString problem = config.problem(); !problem.isEmpty()) {
        m_console->err(OutputGate::clean(problem, OutputGate::lineBytes));
        return done(BadUsage);
    }
    const bool oneId
        = m_options.command == CliOptions::Command::Show || m_options.command == CliOptions::Command::Events;
    if (oneId && m_jobs.size() != 1) {
        m_console->err(tr("Give one job id."));
        return done(BadUsage);
    }
    switch (m_options.command) {
    case CliOptions::Command::List: {
        auto* list = new ListCommand(*m_console, m_options, this);
        runCommand(list);
        return list->run(config);
    }
    case CliOptions::Command::Show: {
        auto* show = new ShowCommand(*m_console, m_options, this);
        runCommand(show);
        return show->run(config, m_jobs.first());
    }
    case CliOptions::Command::Events: {
        auto* events = new EventsCommand(*m_console, m_options, this);
        runCommand(events);
        return events->run(config, m_jobs.first());
    }
    case CliOptions::Command::Cancel:
    case CliOptions::Command::Pause:
    case CliOptions::Command::Resume:
    case CliOptions::Command::Profile: {
        auto* cancel = new CancelCommand(*m_console, m_options, this);
        runCommand(cancel);
        return cancel->run(config, std::exchange(m_jobs, {})); // the batch's rows hold the ids from now on
    }
    }
}
