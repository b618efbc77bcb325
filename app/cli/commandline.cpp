#include "commandline.h"

#include "activitylog.h"
#include "appinfo.h"
#include "appsettings.h"
#include "cancelbatch.h"
#include "eventlister.h"
#include "finetuningclient.h"
#include "joblister.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "secretstore.h"
#include "signalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimeZone>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <utility>

namespace {
// Writes all of data to fd (a pipe may take it in pieces); returns 0 or the errno of the failure.
int writeAll(int fd, const QByteArray& data)
{
    const char* p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += n;
        left -= n;
    }
    return 0;
}

// A server field for --json: through the gate, or null when empty.
QJsonValue jsonField(const QString& text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(OutputGate::clean(text));
}

// A time for --json: ISO 8601 in UTC, or null when unknown.
QJsonValue jsonTime(qint64 secs)
{
    return secs > 0 ? QJsonValue(QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(Qt::ISODate)) : QJsonValue();
}

// A time for people: local, to the minute.
// A time in the system's time zone, looked up once: converting through the C library's local time makes glibc
// check /etc/localtime on every call (two stat() calls a job, 20,000 for `list --limit 10000`).
QDateTime inLocalTime(qint64 secs)
{
    static const QTimeZone zone = QTimeZone::systemTimeZone();
    return zone.isValid() ? QDateTime::fromSecsSinceEpoch(secs, zone)
                          : QDateTime::fromSecsSinceEpoch(secs).toLocalTime();
}

QString localTime(qint64 secs)
{
    return secs > 0 ? inLocalTime(secs).toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

// The job as `list --json` and `show --json` print it: stable field names (README), every string through the gate.
QJsonObject jobJson(const FineTuningJob& job)
{
    return QJsonObject{
        {QLatin1String("id"), jsonField(job.id)},
        {QLatin1String("status"), jsonField(job.status)},
        {QLatin1String("model"), jsonField(job.model)},
        {QLatin1String("fine_tuned_model"), jsonField(job.fineTunedModel)},
        {QLatin1String("created_at"), jsonTime(job.createdAt)},
        {QLatin1String("estimated_finish"), jsonTime(job.estimatedFinish)},
        {QLatin1String("finished_at"), jsonTime(job.finishedAt)},
        {QLatin1String("trained_tokens"), job.trainedTokens >= 0 ? QJsonValue(job.trainedTokens) : QJsonValue()},
        {QLatin1String("organization_id"), jsonField(job.organizationId)},
        {QLatin1String("suffix"), jsonField(job.suffix)},
        {QLatin1String("metadata"), jsonField(job.metadata)},
        {QLatin1String("error"), jsonField(job.errorMessage)},
        {QLatin1String("finished"), job.isTerminal()},
    };
}

// Rows of cells as aligned columns (the last one is not padded).
QStringList alignedColumns(const QList<QStringList>& rows)
{
    QList<int> widths;
    for (const QStringList& row : rows) {
        for (int c = 0; c < row.size(); ++c) {
            if (widths.size() <= c)
                widths << 0;
            widths[c] = qMax(widths[c], int(row.at(c).size()));
        }
    }
    QStringList lines;
    for (const QStringList& row : rows) {
        QString line;
        for (int c = 0; c < row.size(); ++c)
            line += c + 1 < row.size() ? row.at(c).leftJustified(widths.at(c) + 2) : row.at(c);
        lines << line.trimmed();
    }
    return lines;
}
} // namespace

CommandLine::CommandLine(QObject* parent)
    : QObject(parent), m_signals(new SignalWatcher(this)), m_log(new ActivityLog(5000, this))
{
    connect(m_log, &ActivityLog::lineAdded, this, [this](const QString& line) {
        if (m_verbose)
            err(line); // already through the gate
    });
    connect(m_signals, &SignalWatcher::received, this, &CommandLine::onSignal);
}

CommandLine::~CommandLine()
{
    delete m_answerNotifier;
    if (m_terminal >= 0)
        ::close(m_terminal);
}

bool CommandLine::wantsCommandLine(const QStringList& arguments)
{
    if (arguments.size() < 2)
        return false;
    static const QStringList cliOptions = {QStringLiteral("-h"), QStringLiteral("--help"), QStringLiteral("--help-all"),
                                           QStringLiteral("-v"), QStringLiteral("--version")};
    const QString& first = arguments.at(1);
    // Other options (-platform, -style, …) belong to QApplication and open the window.
    return !first.startsWith(u'-') || cliOptions.contains(first);
}

void CommandLine::out(const QString& line)
{
    if (!m_outError.isEmpty())
        return; // once a write failed, the rest would only fail too
    if (const int error = writeAll(STDOUT_FILENO, (line + u'\n').toUtf8()); error != 0)
        m_outError = QString::fromLocal8Bit(std::strerror(error));
}

void CommandLine::err(const QString& line)
{
    // Nowhere left to complain to if stderr fails too; the exit code still tells.
    writeAll(STDERR_FILENO, (line + u'\n').toUtf8());
}

bool CommandLine::canAsk()
{
    if (!m_terminalChecked) {
        m_terminalChecked = true;
        // The controlling terminal, also when stdin is a pipe of ids (`grep … | ftcancel cancel -`): a person is at
        // it. None (cron, CI, setsid): nobody can be asked, and a script is never blocked by a question.
        m_terminal = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (m_terminal >= 0) {
            m_askIn = m_terminal;
            m_askOut = m_terminal;
        } else if (::isatty(STDIN_FILENO) == 1) {
            // A terminal on stdin that is not the controlling one: the answer comes from it, the question on stderr.
            m_askIn = STDIN_FILENO;
            m_askOut = STDERR_FILENO;
        }
    }
    return m_askIn >= 0;
}

void CommandLine::say(const QString& line)
{
    writeAll(m_askOut, (line + u'\n').toUtf8());
}

void CommandLine::done(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_outError.isEmpty()) {
        // A script reading stdout did not get the results: it must not believe it did.
        err(tr("Could not write the results to standard output: %1. Every attempt is in the history (the audit "
               "trail).")
                .arg(m_outError));
        if (m_signal == 0)
            exitCode = OutputFailed;
    }
    emit finished(exitCode);
}

void CommandLine::onSignal(int signalNumber)
{
    if (m_signal != 0 || m_finished)
        return;
    m_signal = signalNumber;
    const QString name = SignalWatcher::name(signalNumber);
    if (m_batch && m_batch->isRunning()) {
        // Rows in flight are recorded as "outcome unknown"; onBatchFinished() ends with 128 + n.
        m_log->add(tr("Stopped by %1.").arg(name));
        m_batch->stop(tr("Outcome unknown: stopped by %1 while the request was in flight or waiting to be retried. "
                         "The job may or may not have been cancelled; check it before retrying.")
                          .arg(name));
        return;
    }
    if (m_batch && m_batch->state() == CancelBatch::State::AwaitingConfirmation) {
        m_batch->decline();
        return;
    }
    if ((m_lister && m_lister->isRunning()) || (m_events && m_events->isRunning())) {
        // Reading only: nothing to record. The finished handler ends with 128 + n.
        if (m_lister)
            m_lister->abort();
        if (m_events)
            m_events->abort();
        return;
    }
    err(tr("Stopped by %1 before any cancel was sent.").arg(name));
    done(128 + signalNumber);
}

void CommandLine::start(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Cancel OpenAI fine-tuning jobs.\n\n"
           "Without arguments, FtCancel opens its window. With \"cancel ID…\" it works headless. Each ID argument "
           "may hold several ids (separated by spaces, commas or line breaks, inside dashboard URLs, JSON or log "
           "lines); \"-\" reads them from stdin. Every job is looked up first; one that has already finished is "
           "skipped (\"<id> already <status>\"). When a person is at a terminal, also with ids on a pipe, "
           "FtCancel asks there (on /dev/tty) before cancelling more than one job; what was typed before the "
           "question does not answer it. Without a terminal (cron, CI) it never asks.\n"
           "One line per job on stdout (\"<id> <status>\"), errors on stderr (\"<id> error <http status> "
           "<message>\", http status 0 when there was no HTTP answer).\n\n"
           "The API key comes from OPENAI_API_KEY or, when that is unset, from the keychain entry the window "
           "saved (organization and project then come from there too, unless --org/--project or OPENAI_ORG_ID/"
           "OPENAI_PROJECT_ID say otherwise). OPENAI_BASE_URL is honoured.\n\n"
           "Exit codes: 0 every job ended cancelled (with --dry-run: every job would be cancelled); 1 the API "
           "refused at least one, or one did not end cancelled, had nothing to cancel or was not found, or the list "
           "showed a job with an id FtCancel will not send; 2 bad usage or an invalid id (nothing sent); 3 no "
           "credentials, keychain failure, or the API rejected the key (HTTP 401: nothing more is sent with it); 4 "
           "network failure or timeout, or rate limited (the time to retry is printed; it wins over 1); 5 stdout "
           "could not be written; 128 + n stopped by signal n (130 Ctrl+C)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 tr("cancel ID…, cancel --all-active, list, show ID or events ID."));
    parser.addPositionalArgument(QStringLiteral("ids"),
                                 tr("Job ids (ftjob-…), dashboard URLs or text holding them; - reads stdin."),
                                 QStringLiteral("ID [ID…]"));
    const QCommandLineOption baseUrlOption(QStringLiteral("base-url"),
                                           tr("API base URL (default %1).").arg(ApiConfig::defaultBaseUrl().toString()),
                                           tr("URL"));
    const QCommandLineOption orgOption(QStringLiteral("org"), tr("Organization ID (org-…)."), tr("ID"));
    const QCommandLineOption projectOption(QStringLiteral("project"), tr("Project ID (proj_…)."), tr("ID"));
    const QCommandLineOption timeoutOption(
        QStringLiteral("timeout"),
        tr("Seconds to wait for an answer (default %1).").arg(ApiConfig::defaultTimeoutSeconds), tr("SECONDS"));
    const QCommandLineOption retriesOption(QStringLiteral("max-retries"),
                                           tr("Retries after a failed attempt, 0 to %1 (default %2).")
                                               .arg(ApiConfig::maxMaxRetries)
                                               .arg(ApiConfig::defaultMaxRetries),
                                           tr("N"));
    const QCommandLineOption deadlineOption(QStringLiteral("deadline"),
                                            tr("Give up on a job after this many seconds, retries included "
                                               "(default %1).")
                                                .arg(ApiConfig::defaultDeadlineSeconds),
                                            tr("SECONDS"));
    const QCommandLineOption concurrencyOption(QStringLiteral("concurrency"),
                                               tr("Requests in flight at most, 1 to %1 (default %2).")
                                                   .arg(CancelBatch::maxConcurrency)
                                                   .arg(CancelBatch::defaultConcurrency),
                                               tr("N"));
    const QCommandLineOption dryRunOption(QStringLiteral("dry-run"),
                                          tr("Look the jobs up and say what would be cancelled; cancel nothing."));
    const QCommandLineOption yesOption(QStringLiteral("yes"), tr("Do not ask before cancelling several jobs."));
    const QCommandLineOption noPreviewOption(QStringLiteral("no-preview"),
                                             tr("Send the cancels without looking the jobs up first (for known ids)."));
    const QCommandLineOption waitOption(
        QStringLiteral("wait"),
        tr("After each cancel, watch the job until it reaches a final status (--wait=SECONDS: at most that long, "
           "default %1).")
            .arg(CancelBatch::defaultWatchSeconds));
    QCommandLineOption waitSecondsOption(QStringLiteral("wait-seconds"), QString(), tr("SECONDS"));
    waitSecondsOption.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption allActiveOption(
        QStringLiteral("all-active"),
        tr("cancel: every job of the account that has not finished, as the list just read shows it (no look-up "
           "of each job; lists and counts them and asks first; without a terminal it needs --yes)."));
    const QCommandLineOption allOption(QStringLiteral("all"), tr("list: finished jobs too."));
    const QCommandLineOption statusOption(QStringLiteral("status"),
                                          tr("list: only jobs with this status (repeat it, or separate with commas)."),
                                          tr("STATUS"));
    const QCommandLineOption limitOption(QStringLiteral("limit"),
                                         tr("list: read at most N jobs (default %1); events: show N (default %2).")
                                             .arg(JobLister::defaultCap)
                                             .arg(EventLister::defaultLimit),
                                         tr("N"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        tr("Print one JSON object per job (or event) on stdout."));
    const QCommandLineOption caFileOption(QStringLiteral("ca-file"),
                                          tr("Also trust the CA certificates in this PEM file (a TLS-inspecting "
                                             "proxy's), on top of the system's. SSL_CERT_FILE is honoured too."),
                                          tr("FILE"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           tr("Print the step-by-step log on stderr (the key is masked)."));
    parser.addOptions({baseUrlOption, orgOption, projectOption, timeoutOption, retriesOption, deadlineOption,
                       concurrencyOption, dryRunOption, yesOption, noPreviewOption, waitOption, waitSecondsOption,
                       allActiveOption, allOption, statusOption, limitOption, jsonOption, caFileOption, verboseOption});

    // --wait takes an optional value, which QCommandLineParser does not do: --wait=N becomes --wait --wait-seconds N.
    QStringList args;
    for (const QString& argument : arguments) {
        if (argument.startsWith(QLatin1String("--wait="))) {
            args << QStringLiteral("--wait") << QStringLiteral("--wait-seconds") << argument.mid(7);
            continue;
        }
        args << argument;
    }
    if (!parser.parse(args)) {
        err(OutputGate::clean(parser.errorText(), OutputGate::lineBytes));
        err(tr("Try \"ftcancel --help\"."));
        return done(BadUsage);
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        QString help = parser.helpText();
        help.chop(help.endsWith(u'\n') ? 1 : 0);
        out(help);
        return done(AllCancelled);
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out(AppInfo::displayName() + u' ' + AppInfo::version());
        return done(AllCancelled);
    }

    QStringList positional = parser.positionalArguments();
    static const QStringList commands{QStringLiteral("cancel"), QStringLiteral("list"), QStringLiteral("show"),
                                      QStringLiteral("events")};
    if (positional.isEmpty() || !commands.contains(positional.first())) {
        err((positional.isEmpty()
                 ? tr("No command given.")
                 : tr("Unknown command \u201C%1\u201D.").arg(OutputGate::clean(positional.first(), 80)))
            + u' ' + tr("Usage: ftcancel cancel ID [ID…]; see \"ftcancel --help\"."));
        return done(BadUsage);
    }
    const QString command = positional.takeFirst();
    m_command = command == QLatin1String("list") ? Command::List
        : command == QLatin1String("show")       ? Command::Show
        : command == QLatin1String("events")     ? Command::Events
                                                 : Command::Cancel;
    m_allActive = parser.isSet(allActiveOption);
    m_all = parser.isSet(allOption);
    for (const QString& value : parser.values(statusOption)) {
        for (const QString& status : value.split(u',', Qt::SkipEmptyParts))
            m_statuses << status.trimmed();
    }
    // Options that belong to another command are a mistake worth saying, not something to ignore.
    const auto onlyFor = [&](const QCommandLineOption& option, std::initializer_list<Command> allowed) {
        if (!parser.isSet(option) || std::find(allowed.begin(), allowed.end(), m_command) != allowed.end())
            return true;
        err(tr("--%1 does not apply to \u201C%2\u201D; see \"ftcancel --help\".")
                .arg(option.names().constFirst(), command));
        return false;
    };
    if (!onlyFor(allActiveOption, {Command::Cancel}) || !onlyFor(allOption, {Command::List})
        || !onlyFor(statusOption, {Command::List}) || !onlyFor(limitOption, {Command::List, Command::Events})
        || !onlyFor(dryRunOption, {Command::Cancel}) || !onlyFor(yesOption, {Command::Cancel})
        || !onlyFor(noPreviewOption, {Command::Cancel}) || !onlyFor(waitOption, {Command::Cancel})
        || !onlyFor(concurrencyOption, {Command::Cancel})) {
        return done(BadUsage);
    }
    if (m_command == Command::List && !positional.isEmpty()) {
        err(tr("\u201Clist\u201D takes no job id; see \"ftcancel --help\"."));
        return done(BadUsage);
    }
    if ((m_command == Command::Show || m_command == Command::Events) && positional.size() != 1) {
        err(tr("\u201C%1\u201D takes one job id: ftcancel %1 ID").arg(command));
        return done(BadUsage);
    }
    if (m_command == Command::Cancel && m_allActive && !positional.isEmpty()) {
        err(tr("--all-active cancels every job that has not finished; it takes no ids."));
        return done(BadUsage);
    }
    if (m_command == Command::Cancel && !m_allActive && positional.isEmpty()) {
        err(tr("No job id given. Usage: ftcancel cancel ID [ID…]"));
        return done(BadUsage);
    }
    m_json = parser.isSet(jsonOption);
    m_verbose = parser.isSet(verboseOption);
    m_dryRun = parser.isSet(dryRunOption);
    m_yes = parser.isSet(yesOption);
    m_preview = !parser.isSet(noPreviewOption);
    m_wait = parser.isSet(waitOption);
    if (m_dryRun && !m_preview) {
        err(tr("--dry-run looks the jobs up; it cannot be combined with --no-preview."));
        return done(BadUsage);
    }

    QString error;
    m_config = AppSettings().apiConfig(&error);
    if (parser.isSet(baseUrlOption))
        m_config.baseUrl = ApiConfig::parseBaseUrl(parser.value(baseUrlOption), &error);
    if (!m_config.baseUrl.isValid()) {
        err(OutputGate::clean(error, OutputGate::lineBytes));
        return done(BadUsage);
    }
    if (parser.isSet(caFileOption)) {
        m_config.caFile = parser.value(caFileOption);
        m_config.loadExtraCaCertificates();
    }
    if (!m_config.caProblem.isEmpty()) {
        err(OutputGate::clean(m_config.caProblem, OutputGate::lineBytes) + u' ' + tr("Nothing was sent."));
        return done(BadUsage);
    }
    // Numeric options: a whole number in range, or a clear complaint and nothing sent.
    const auto intOption = [&](const QCommandLineOption& option, int low, int high, int* target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < low || value > high) {
            const QString name = option.names().constFirst() == QLatin1String("wait-seconds")
                ? QStringLiteral("wait")
                : option.names().constFirst();
            err(tr("--%1 takes a whole number from %2 to %3.").arg(name).arg(low).arg(high));
            return false;
        }
        *target = value;
        return true;
    };
    m_concurrency = CancelBatch::defaultConcurrency;
    m_waitSeconds = CancelBatch::defaultWatchSeconds;
    m_limit = m_command == Command::Events ? EventLister::defaultLimit : JobLister::defaultCap;
    if (!intOption(timeoutOption, 1, ApiConfig::maxTimeoutSeconds, &m_config.timeoutSeconds)
        || !intOption(retriesOption, 0, ApiConfig::maxMaxRetries, &m_config.maxRetries)
        || !intOption(deadlineOption, 1, ApiConfig::maxDeadlineSeconds, &m_config.deadlineSeconds)
        || !intOption(concurrencyOption, 1, CancelBatch::maxConcurrency, &m_concurrency)
        || !intOption(waitSecondsOption, 1, ApiConfig::maxDeadlineSeconds, &m_waitSeconds)
        || !intOption(limitOption, 1, 1000000, &m_limit)) {
        return done(BadUsage);
    }
    m_config.organization
        = parser.isSet(orgOption) ? parser.value(orgOption).trimmed() : qEnvironmentVariable("OPENAI_ORG_ID").trimmed();
    m_config.project = parser.isSet(projectOption) ? parser.value(projectOption).trimmed()
                                                   : qEnvironmentVariable("OPENAI_PROJECT_ID").trimmed();
    m_orgGiven = parser.isSet(orgOption) || !m_config.organization.isEmpty();
    m_projectGiven = parser.isSet(projectOption) || !m_config.project.isEmpty();

    m_idArguments = positional;
    // "-" reads the ids from stdin: read to its end first, without blocking the event loop (a signal while it waits
    // for input is handled at once), then every id is checked as if it had been an argument.
    if (m_command == Command::Cancel && m_idArguments.contains(QStringLiteral("-")))
        return readStandardInput();
    takeIds();
}

void CommandLine::readStandardInput()
{
    if (::fcntl(STDIN_FILENO, F_GETFD) == -1) {
        err(tr("Could not read job ids from standard input."));
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
        err(tr("Could not read job ids from standard input."));
        return done(BadUsage);
    }
    takeIds();
}

void CommandLine::takeIds()
{
    // Every id is checked before anything is sent: a typo in the third id must not leave two jobs cancelled and
    // the script confused.
    bool allValid = true;
    QSet<QString> seen;
    for (const QString& arg : std::as_const(m_idArguments)) {
        QString text = arg;
        if (arg == QLatin1String("-")) {
            // Read once, to its end: a second "-" finds nothing more, as a second read of stdin would.
            text = QString::fromUtf8(m_standardInput);
            m_standardInput.clear();
        }
        const JobId::Extracted extracted = JobId::extract(text);
        for (const JobId::Rejected& rejected : extracted.rejected) {
            // Both the fragment and the reason passed the gate (a key pasted where an id goes is masked).
            err(tr("Invalid job id \u201C%1\u201D: %2").arg(rejected.fragment, rejected.reason));
            allValid = false;
        }
        if (extracted.ids.isEmpty() && extracted.rejected.isEmpty()) {
            err(arg == QLatin1String("-") ? tr("No job id found on standard input.")
                                          : tr("No job id found in \u201C%1\u201D.").arg(OutputGate::clean(arg, 80)));
            allValid = false;
        }
        for (const JobId::Parsed& parsed : extracted.ids) {
            if (seen.contains(parsed.id))
                continue;
            seen.insert(parsed.id);
            if (!parsed.warning.isEmpty())
                err(tr("Warning for %1: %2").arg(parsed.id, parsed.warning));
            m_jobs.append(parsed);
        }
    }
    if (!allValid) {
        err(tr("Nothing was sent."));
        return done(BadUsage);
    }
    findCredentials();
}

void CommandLine::findCredentials()
{
    m_config.apiKey = qEnvironmentVariable("OPENAI_API_KEY").trimmed();
    OutputGate::addSecret(m_config.apiKey);
    if (!m_config.apiKey.isEmpty())
        return haveCredentials();

    // No key in the environment: use the account the window saved.
    m_secrets = new SecretStore(this);
    connect(m_secrets, &SecretStore::loaded, this,
            [this](const Credentials& saved, const SecretStore::Outcome& outcome) {
                if (outcome.status == SecretStore::Status::NotFound || (outcome.isOk() && saved.apiKey.isEmpty())) {
                    err(tr("No API key: set OPENAI_API_KEY, or save a key in the FtCancel window."));
                    return done(NoCredentials);
                }
                if (outcome.status == SecretStore::Status::Locked) {
                    err(outcome.message);
                    err(tr("Or set OPENAI_API_KEY to run without the keyring."));
                    return done(NoCredentials);
                }
                if (!outcome.isOk()) {
                    err(tr("Could not read the API key from the keychain: %1")
                            .arg(OutputGate::clean(outcome.message, OutputGate::lineBytes)));
                    err(tr("Set OPENAI_API_KEY instead."));
                    return done(NoCredentials);
                }
                m_config.apiKey = saved.apiKey;
                OutputGate::addSecret(saved.apiKey);
                if (!m_orgGiven)
                    m_config.organization = saved.organization;
                if (!m_projectGiven)
                    m_config.project = saved.project;
                haveCredentials();
            });
    m_secrets->load();
}

void CommandLine::haveCredentials()
{
    if (m_signal != 0)
        return done(128 + m_signal);
    m_log->addSecret(m_config.apiKey);
    if (const QString problem = m_config.problem(); !problem.isEmpty()) {
        err(OutputGate::clean(problem, OutputGate::lineBytes));
        return done(BadUsage);
    }
    switch (m_command) {
    case Command::List:
        return runList();
    case Command::Show:
    case Command::Events:
        return runShowOrEvents();
    case Command::Cancel:
        if (m_allActive)
            return runAllActive();
        return startBatch(std::exchange(m_jobs, {})); // the batch's rows hold the ids from now on
    }
}

int CommandLine::exitCodeOf(const ApiError& error)
{
    if (error.isTransport())
        return NetworkFailure;
    if (error.kind == ApiError::Kind::Http && error.httpStatus == 401 && error.contentType.isEmpty())
        return NoCredentials; // the API rejected the key (its JSON answer, not a proxy's page)
    return error.kind == ApiError::Kind::Input ? BadUsage : NotCancelled;
}

void CommandLine::runList()
{
    m_lister = new JobLister(m_config, m_log, this);
    connect(m_lister, &JobLister::finished, this, [this] {
        QList<FineTuningJob> jobs = m_lister->jobs();
        JobLister::sortActiveFirst(jobs);
        const int read = int(jobs.size());
        jobs.erase(std::remove_if(jobs.begin(), jobs.end(),
                                  [this](const FineTuningJob& job) {
                                      if (!m_statuses.isEmpty())
                                          return !m_statuses.contains(job.status);
                                      return !m_all && job.isTerminal();
                                  }),
                   jobs.end());
        if (m_json) {
            for (const FineTuningJob& job : std::as_const(jobs))
                out(QString::fromUtf8(QJsonDocument(jobJson(job)).toJson(QJsonDocument::Compact)));
        } else if (!jobs.isEmpty()) {
            QList<QStringList> rows{
                {tr("ID"), tr("STATUS"), tr("MODEL"), tr("CREATED"), tr("FINISHES"), tr("TOKENS"), tr("SUFFIX")}};
            for (const FineTuningJob& job : std::as_const(jobs)) {
                rows << QStringList{OutputGate::clean(job.id, 200),
                                    OutputGate::clean(job.status, 100),
                                    OutputGate::clean(job.model, 200),
                                    localTime(job.createdAt),
                                    job.estimatedFinish > 0 ? u'~' + localTime(job.estimatedFinish) : QString(),
                                    job.trainedTokens >= 0 ? QString::number(job.trainedTokens) : QString(),
                                    OutputGate::clean(job.suffix, 100)};
            }
            for (const QString& line : alignedColumns(rows))
                out(line);
        }
        // What was read, on stderr, so stdout stays the table (or the JSON lines) alone.
        if (!m_json) {
            const QString what = m_all || !m_statuses.isEmpty() ? tr("%n job(s) shown", nullptr, int(jobs.size()))
                                                                : tr("%n active job(s)", nullptr, int(jobs.size()));
            err(tr("%1, of %n read.", nullptr, read).arg(what));
        }
        if (m_lister->reachedCap())
            err(tr("Stopped reading at %n job(s) (--limit); older jobs were not read.", nullptr, read));
        const ApiError& error = m_lister->error();
        if (error.isError()) {
            err(tr("Reading the list failed after %n job(s): %1", nullptr, read)
                    .arg(OutputGate::clean(error.message, OutputGate::lineBytes)));
            return done(m_signal != 0 ? 128 + m_signal : exitCodeOf(error));
        }
        done(m_signal != 0 ? 128 + m_signal : AllCancelled);
    });
    m_lister->start(m_limit);
}

void CommandLine::runShowOrEvents()
{
    if (m_jobs.size() != 1) {
        err(tr("Give one job id."));
        return done(BadUsage);
    }
    const JobId::Parsed id = m_jobs.first();
    if (m_command == Command::Events) {
        m_events = new EventLister(m_config, m_log, this);
        connect(m_events, &EventLister::finished, this, [this] {
            const QList<JobEvent>& events = m_events->events();
            if (m_json) {
                for (const JobEvent& event : events) {
                    const QJsonObject o{{QLatin1String("id"), jsonField(event.id)},
                                        {QLatin1String("created_at"), jsonTime(event.createdAt)},
                                        {QLatin1String("level"), jsonField(event.level)},
                                        {QLatin1String("message"), jsonField(event.message)},
                                        {QLatin1String("type"), jsonField(event.type)}};
                    out(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
                }
            } else {
                for (const JobEvent& event : events) {
                    const QDateTime when = inLocalTime(event.createdAt);
                    out(QStringLiteral("%1  %2  %3")
                            .arg(event.createdAt > 0 ? when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                                     : QStringLiteral("-").leftJustified(19),
                                 OutputGate::clean(event.level, 20).leftJustified(5),
                                 OutputGate::clean(event.message, OutputGate::lineBytes)));
                }
                if (m_events->hasMore())
                    err(tr("Older events not shown (--limit %1).").arg(m_limit));
            }
            const ApiError& error = m_events->error();
            if (error.isError()) {
                err(QStringLiteral("%1 error %2 %3")
                        .arg(m_events->jobId())
                        .arg(error.httpStatus)
                        .arg(OutputGate::clean(error.message, OutputGate::lineBytes)));
                return done(m_signal != 0 ? 128 + m_signal : exitCodeOf(error));
            }
            done(AllCancelled);
        });
        m_events->start(id, m_limit);
        return;
    }
    // show: one GET, through the same operation the cancel's look-up uses.
    auto* client = new FineTuningClient(this);
    client->setConfig(m_config);
    client->setLog(m_log);
    JobRequest* request = client->retrieveJob(id);
    connect(request, &JobRequest::finished, this, [this](const JobResult& result) {
        if (!result.isOk()) {
            err(QStringLiteral("%1 error %2 %3")
                    .arg(result.requestedId)
                    .arg(result.error.httpStatus)
                    .arg(OutputGate::clean(result.error.message, OutputGate::lineBytes)));
            return done(m_signal != 0 ? 128 + m_signal : exitCodeOf(result.error));
        }
        const FineTuningJob& job = result.job;
        if (m_json) {
            out(QString::fromUtf8(QJsonDocument(jobJson(job)).toJson(QJsonDocument::Compact)));
            return done(AllCancelled);
        }
        QList<QStringList> rows{
            {tr("id:"), OutputGate::clean(job.id)},
            {tr("status:"), OutputGate::clean(job.status)},
            {tr("model:"), OutputGate::clean(job.model)},
            {tr("fine-tuned model:"), OutputGate::clean(job.fineTunedModel)},
            {tr("created:"), localTime(job.createdAt)},
            {tr("estimated finish:"), localTime(job.estimatedFinish)},
            {tr("finished:"), localTime(job.finishedAt)},
            {tr("trained tokens:"), job.trainedTokens >= 0 ? QString::number(job.trainedTokens) : QString()},
            {tr("organization:"), OutputGate::clean(job.organizationId)},
            {tr("suffix:"), OutputGate::clean(job.suffix)},
            {tr("metadata:"), OutputGate::clean(job.metadata)},
            {tr("error:"), OutputGate::clean(job.errorMessage, OutputGate::lineBytes)},
            {tr("request id:"), OutputGate::clean(result.requestId)},
        };
        rows.erase(std::remove_if(rows.begin(), rows.end(), [](const QStringList& row) { return row.at(1).isEmpty(); }),
                   rows.end());
        rows << QStringList{tr("dashboard:"), QStringLiteral("https://platform.openai.com/finetune/") + job.id};
        for (const QString& line : alignedColumns(rows))
            out(line);
        done(AllCancelled);
    });
}

void CommandLine::runAllActive()
{
    // "Stop everything running": read the whole list, then the same batch as for pasted ids, with the list as its
    // look-up. Without a terminal to ask on, only --yes (or --dry-run) may go on: never a guess.
    if (!m_yes && !m_dryRun && !canAsk()) {
        err(tr("--all-active cancels every job that has not finished. Without a terminal to ask on, add --yes to "
               "do it (or --dry-run to see the list). Nothing was sent."));
        return done(BadUsage);
    }
    m_lister = new JobLister(m_config, m_log, this);
    connect(m_lister, &JobLister::finished, this, [this] {
        if (m_lister->error().isError()) {
            err(tr("Could not read the list of jobs, so nothing was cancelled: %1")
                    .arg(OutputGate::clean(m_lister->error().message, OutputGate::lineBytes)));
            return done(m_signal != 0 ? 128 + m_signal : exitCodeOf(m_lister->error()));
        }
        if (m_lister->reachedCap())
            err(tr("Stopped reading at %n job(s) (--limit); older jobs were not considered.", nullptr,
                   int(m_lister->jobs().size())));
        const QList<FineTuningJob>& jobs = m_lister->jobs();
        if (std::all_of(jobs.cbegin(), jobs.cend(), [](const FineTuningJob& job) { return job.isTerminal(); })) {
            err(tr("No job is running: nothing to cancel."));
            return done(AllCancelled);
        }
        // The list just read is the look-up: the question comes at once, and the cancels after it.
        startBatch({}, jobs);
    });
    m_lister->start(m_limit);
}

void CommandLine::startBatch(const QList<JobId::Parsed>& jobs, const QList<FineTuningJob>& listed)
{
    CancelBatch::Options options;
    options.preview = m_preview;
    options.concurrency = m_concurrency;
    options.watch = m_wait;
    options.watchSeconds = m_waitSeconds;
    options.source = QStringLiteral("cli");
    // The step-by-step log is only shown with --verbose; without it the batch does not write one (a thousand jobs
    // make some five thousand lines, each through the output gate).
    m_batch = new CancelBatch(m_config, options, m_verbose ? m_log : nullptr, this);
    m_batch->addIds(jobs);
    m_batch->addListed(listed);
    connect(m_batch, &CancelBatch::itemChanged, this, &CommandLine::onItemChanged);
    connect(m_batch, &CancelBatch::lookupFinished, this, &CommandLine::onLookupFinished);
    connect(m_batch, &CancelBatch::finished, this, &CommandLine::onBatchFinished);
    connect(m_batch, &CancelBatch::auditFailed, this, [this](const QString& jobId, const QString& why) {
        // A failure to record is a warning: it never changes the exit code.
        err(tr("Warning: could not record %1 in the history: %2").arg(jobId, why));
    });
    connect(m_batch, &CancelBatch::retryScheduled, this,
            [this](int row, int attempt, int maxAttempts, int delayMs, const QString& reason) {
                // Always said: a script's operator should know why nothing is happening.
                err(OutputGate::clean(tr("%1 retrying in %2 s (attempt %3 of %4): %5")
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
        err(tr("Rate limited until %1: nothing more is sent; the requests in flight finish.")
                .arg(untilText(m_batch->rateLimitedUntil())));
        QTimer::singleShot(0, m_batch, [batch = m_batch] { batch->windDown(); });
    });
    if (const QString problem = m_batch->start(); !problem.isEmpty()) {
        err(problem);
        return done(BadUsage);
    }
}

QString CommandLine::untilText(const QDateTime& until)
{
    const QDateTime local = until.toLocalTime();
    return QStringLiteral("%1 (%2)").arg(local.toString(QStringLiteral("HH:mm:ss")),
                                         local.date().toString(Qt::ISODate));
}

QStringList CommandLine::confirmationExtras() const
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

void CommandLine::onLookupFinished()
{
    const QList<int> rows = m_batch->cancellableRows();
    if (m_dryRun) {
        // Nothing is cancelled: each job that would be says so, and the batch ends here.
        for (const int row : rows)
            report(row);
        m_batch->decline();
        return;
    }
    // Scripts are never blocked by a prompt: only a person at a terminal is asked (canAsk()), and only for several
    // jobs (for "stop everything running", always).
    if ((rows.size() > 1 || m_allActive) && !rows.isEmpty() && !m_yes && canAsk())
        return askToConfirm();
    m_batch->confirm();
}

void CommandLine::askToConfirm()
{
    const QList<int> rows = m_batch->cancellableRows();
    QString account = m_config.baseUrl.host();
    if (!m_config.organization.isEmpty())
        account += QStringLiteral(", ") + m_config.organization;
    say(tr("About to cancel %n job(s) (%1):", nullptr, int(rows.size())).arg(OutputGate::clean(account)));
    const QStringList extras = confirmationExtras();
    say(extras.first());
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
        say(line);
    }
    for (int i = 1; i < extras.size(); ++i)
        say(extras.at(i));
    // What was typed before the question (a "y⏎" while the jobs were looked up) must not answer a list not seen yet.
    ::tcflush(m_askIn, TCIFLUSH);
    writeAll(m_askOut, tr("Cancel %n job(s)? [y/N] ", nullptr, int(rows.size())).toUtf8());
    m_answerNotifier = new QSocketNotifier(m_askIn, QSocketNotifier::Read, this);
    connect(m_answerNotifier, &QSocketNotifier::activated, this, &CommandLine::onAnswer);
}

void CommandLine::onAnswer()
{
    char buffer[256];
    const ssize_t n = ::read(m_askIn, buffer, sizeof buffer);
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
        say(tr("Nothing cancelled."));
        m_batch->decline();
    }
}

void CommandLine::onItemChanged(int row)
{
    const BatchItem& item = m_batch->item(row);
    if (item.phase != BatchItem::Phase::Done || m_reported.contains(row))
        return;
    // Declined or stopped before sending: said once at the end, not as a result.
    if (item.outcome == Outcome::NotSent)
        return;
    report(row);
}

void CommandLine::report(int row)
{
    m_reported.insert(row);
    const BatchItem& item = m_batch->item(row);
    const QString id = OutputGate::clean(item.id);
    const QString status = OutputGate::clean(item.status());
    const bool isError
        = Outcome::category(item.outcome) == Outcome::Category::Error || item.outcome == Outcome::Stopped;
    // Everything that came from the server passes the gate: a status with a line break must not forge a line.
    if (!m_json) {
        switch (item.outcome) {
        case Outcome::AlreadyFinished:
            out(tr("%1 already %2").arg(id, status));
            break;
        case Outcome::WouldCancel:
            out(tr("%1 would be cancelled (now %2)").arg(id, status));
            break;
        default:
            if (isError)
                err(QStringLiteral("%1 error %2 %3").arg(id).arg(item.httpStatus).arg(item.message));
            else
                out(id + u' ' + status);
            break;
        }
        return;
    }
    QJsonObject o{{QLatin1String("id"), id},
                  {QLatin1String("outcome"), Outcome::name(item.outcome)},
                  {QLatin1String("ok"), item.outcome == Outcome::Cancelled},
                  {QLatin1String("status"), jsonField(item.status())},
                  {QLatin1String("status_before"), jsonField(item.before().status)},
                  {QLatin1String("http_status"), item.httpStatus},
                  {QLatin1String("attempts"), item.attempts},
                  {QLatin1String("request_id"), item.requestId.isEmpty() ? QJsonValue() : QJsonValue(item.requestId)},
                  {QLatin1String("message"), item.message.isEmpty() ? QJsonValue() : QJsonValue(item.message)}};
    const FineTuningJob& job = item.before().model.isEmpty() ? item.after() : item.before();
    if (!job.model.isEmpty())
        o.insert(QLatin1String("model"), jsonField(job.model));
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
    out(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

void CommandLine::onBatchFinished()
{
    // Rows that never got their line (a dry run's declined rows are reported already; listed ids that were refused
    // get theirs here).
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
    if (!notSent.isEmpty() && !m_dryRun) {
        const QString ids = OutputGate::clean(notSent.join(u' '), OutputGate::lineBytes);
        const int n = int(notSent.size());
        if (m_signal != 0)
            err(tr("%n job(s) not sent because of %1: %2", nullptr, n).arg(SignalWatcher::name(m_signal), ids));
        else if (m_batch->isKeyRejected())
            err(tr("%n job(s) not sent, the API rejected the key: %1", nullptr, n).arg(ids));
        else if (m_rateLimited)
            err(tr("%n job(s) not sent, rate limited until %1; retry then: %2", nullptr, n)
                    .arg(untilText(m_batch->rateLimitedUntil()), ids));
        else
            err(tr("%n job(s) kept running, no cancel sent: %1", nullptr, n).arg(ids));
    }
    if (const int refused = m_batch->count(Outcome::RefusedId); refused > 0)
        err(tr("%n listed job(s) not sent: the server listed an id FtCancel will not send.", nullptr, refused));
    if (m_signal != 0)
        return done(128 + m_signal);
    if (m_batch->isKeyRejected()) {
        err(tr("The API rejected the key (HTTP 401), so nothing more was sent with it. Check OPENAI_API_KEY or the "
               "key saved in the window."));
        return done(NoCredentials);
    }
    if (m_rateLimited) {
        err(tr("Rate limited until %1; retry then.").arg(untilText(m_batch->rateLimitedUntil())));
        return done(NetworkFailure);
    }
    QList<Outcome::Kind> outcomes = m_batch->outcomes();
    if (m_dryRun) {
        // Declined only to end the dry run: those rows are what would be cancelled.
        for (Outcome::Kind& kind : outcomes) {
            if (kind == Outcome::NotSent)
                kind = Outcome::WouldCancel;
        }
    }
    done(Outcome::exitCode(outcomes, m_dryRun));
}
