#include "clioptions.h"

#include "apiconfig.h"
#include "appinfo.h"
#include "cancelbatch.h"
#include "console.h"
#include "eventlister.h"
#include "joblister.h"
#include "outputgate.h"
#include "provider.h"
#include "providerfacts.h"

#include <QCommandLineParser>

#include <algorithm>

namespace {
using Command = CliOptions::Command;

QString description()
{
    return CliOptions::tr(
               "Cancel fine-tuning jobs (%1).\n\n"
               "Without arguments, FtCancel opens its window. With \"cancel ID…\" it works headless. Each ID argument "
               "may hold several ids (separated by spaces, commas or line breaks, inside dashboard URLs, JSON or log "
               "lines); \"-\" reads them from stdin. Every job is looked up first; one that has already finished is "
               "skipped (\"<id> already <status>\"). When a person is at a terminal, also with ids on a pipe, "
               "FtCancel asks there (on /dev/tty) before cancelling more than one job; what was typed before the "
               "question does not answer it. Without a terminal (cron, CI) it never asks.\n"
               "\"pause ID…\" pauses running fine-tuning jobs and \"resume ID…\" resumes paused ones (OpenAI and "
               "Azure OpenAI only: elsewhere nothing is sent, exit 2), with the options and exit codes of cancel.\n"
               "One line per job on stdout (\"<id> <status>\"), errors on stderr (\"<id> error <http status> "
               "<message>\", http status 0 when there was no HTTP answer).\n\n"
               "The account: --profile NAME, or the default profile (\"ftcancel profile default NAME\"), or without "
               "profiles the environment alone (OPENAI_API_KEY, OPENAI_BASE_URL). A profile's key is in the "
               "keychain; the provider's environment variables still override it and its fields (OPENAI_API_KEY, "
               "OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_BASE_URL; AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, "
               "OPENAI_API_VERSION; TOGETHER_API_KEY; MISTRAL_API_KEY), and --base-url, --org and --project override "
               "both.\n"
               "Profiles: \"profile list [--json]\", \"profile add NAME --provider %2 [--base-url URL] [--org ID] "
               "[--project ID] [--api-version V]\" (the key is read from stdin, never from an argument; a terminal "
               "is asked without echo), \"profile remove NAME\", \"profile rename OLD NEW\", \"profile default "
               "NAME\".\n\n"
               "Exit codes: 0 every job ended cancelled (with --dry-run: every job would be cancelled); 1 the API "
               "refused at least one, or one did not end cancelled, had nothing to cancel or was not found, or the "
               "list showed a job with an id FtCancel will not send; 2 bad usage or an invalid id (nothing sent); 3 "
               "no credentials, keychain failure, or the API rejected the key (HTTP 401: nothing more is sent with "
               "it); 4 network failure or timeout, or rate limited (the time to retry is printed; it wins over 1); 5 "
               "stdout could not be written; 128 + n stopped by signal n (130 Ctrl+C).")
        .arg(ProviderInfo::keys(u','), ProviderInfo::keys());
}

QList<QCommandLineOption> accountOptions()
{
    return {
        {QStringLiteral("profile"), CliOptions::tr("Use this profile (default: the default profile)."),
         CliOptions::tr("NAME")},
        {QStringLiteral("base-url"),
         CliOptions::tr("API base URL or endpoint (default: the profile's, else %1).")
             .arg(ApiConfig::defaultBaseUrl().toString()),
         CliOptions::tr("URL")},
        {QStringLiteral("org"), CliOptions::tr("Organization ID (org-…, OpenAI)."), CliOptions::tr("ID")},
        {QStringLiteral("project"), CliOptions::tr("Project ID (proj_…, OpenAI)."), CliOptions::tr("ID")},
        {QStringLiteral("provider"), CliOptions::tr("profile add: the provider, %1.").arg(ProviderInfo::keys()),
         CliOptions::tr("NAME")},
        {QStringLiteral("api-version"),
         CliOptions::tr("profile add: the API version (Azure OpenAI: v1, the default, or a date such as 2024-10-21)."),
         CliOptions::tr("V")},
        {QStringLiteral("ca-file"),
         CliOptions::tr("Also trust the CA certificates in this PEM file (a TLS-inspecting proxy's), on top of the "
                        "system's. SSL_CERT_FILE is honoured too."),
         CliOptions::tr("FILE")},
    };
}

QList<QCommandLineOption> requestOptions()
{
    return {
        {QStringLiteral("timeout"),
         CliOptions::tr("Seconds to wait for an answer (default %1).").arg(ApiConfig::defaultTimeoutSeconds),
         CliOptions::tr("SECONDS")},
        {QStringLiteral("max-retries"),
         CliOptions::tr("Retries after a failed attempt, 0 to %1 (default %2).")
             .arg(ApiConfig::maxMaxRetries)
             .arg(ApiConfig::defaultMaxRetries),
         CliOptions::tr("N")},
        {QStringLiteral("deadline"),
         CliOptions::tr("Give up on a job after this many seconds, retries included (default %1).")
             .arg(ApiConfig::defaultDeadlineSeconds),
         CliOptions::tr("SECONDS")},
        {QStringLiteral("concurrency"),
         CliOptions::tr("Requests in flight at most, 1 to %1 (default %2).")
             .arg(CancelBatch::maxConcurrency)
             .arg(CancelBatch::defaultConcurrency),
         CliOptions::tr("N")},
    };
}

QList<QCommandLineOption> cancelOptions()
{
    QCommandLineOption waitSeconds(QStringLiteral("wait-seconds"), QString(), CliOptions::tr("SECONDS"));
    waitSeconds.setFlags(QCommandLineOption::HiddenFromHelp);
    return {
        {QStringLiteral("dry-run"),
         CliOptions::tr("Look the jobs up and say what would be cancelled; cancel nothing.")},
        {QStringLiteral("yes"), CliOptions::tr("Do not ask before cancelling several jobs.")},
        {QStringLiteral("no-preview"),
         CliOptions::tr("Send the cancels without looking the jobs up first (for known ids).")},
        {QStringLiteral("wait"),
         CliOptions::tr("After each cancel, watch the job until it reaches a final status (--wait=SECONDS: at most "
                        "that long; default %1 s for a fine-tuning job, %2 s for a batch).")
             .arg(CancelBatch::defaultWatchSeconds)
             .arg(Limits::defaultBatchWatchSeconds)},
        waitSeconds,
        {QStringLiteral("all-profiles"),
         CliOptions::tr("cancel --all-active: in every saved profile, each with its own key (reads them all at once, "
                        "asks once, grouped by profile; the environment's variables are not used).")},
        {QStringLiteral("all-active"),
         CliOptions::tr("cancel: every job of the account that has not finished, as the list just read shows it (no "
                        "look-up of each job; lists and counts them and asks first; without a terminal it needs "
                        "--yes).")},
    };
}

QList<QCommandLineOption> outputOptions()
{
    return {
        {QStringLiteral("all"), CliOptions::tr("list: finished jobs too.")},
        {QStringLiteral("kind"),
         CliOptions::tr("list, cancel --all-active: the kind of job to read: fine-tuning, batch or all (default "
                        "fine-tuning, or batch where the provider runs only batches). cancel, show, events: what the "
                        "ids are where a provider's ids look alike (Mistral): fine-tuning (the default) or batch."),
         CliOptions::tr("KIND")},
        {QStringLiteral("status"),
         CliOptions::tr("list: only jobs with this status (repeat it, or separate with commas)."),
         CliOptions::tr("STATUS")},
        {QStringLiteral("limit"),
         CliOptions::tr("list: read at most N jobs (default %1); events: show N (default %2).")
             .arg(JobLister::defaultCap)
             .arg(EventLister::defaultLimit),
         CliOptions::tr("N")},
        {QStringLiteral("json"), CliOptions::tr("Print one JSON object per job (or event, or profile) on stdout.")},
        {QStringLiteral("verbose"), CliOptions::tr("Print the step-by-step log on stderr (the key is masked).")},
    };
}

// --wait takes an optional value, which QCommandLineParser does not do: --wait=N becomes --wait --wait-seconds N.
QStringList withWaitSeconds(const QStringList& arguments)
{
    QStringList args;
    for (const QString& argument : arguments) {
        if (argument.startsWith(QLatin1String("--wait="))) {
            args << QStringLiteral("--wait") << QStringLiteral("--wait-seconds") << argument.mid(7);
            continue;
        }
        args << argument;
    }
    return args;
}

// A key given as an argument would be readable by every user of the machine (ps, /proc/N/cmdline): refused before
// anything else, without repeating it.
bool hasKeyOption(const QStringList& arguments)
{
    return std::any_of(arguments.cbegin() + std::min<qsizetype>(1, arguments.size()), arguments.cend(),
                       [](const QString& a) {
                           for (const char* name : {"--key", "--api-key", "-k"}) {
                               const QLatin1String option(name);
                               if (a == option || a.startsWith(option + QLatin1Char('=')))
                                   return true;
                           }
                           return false;
                       });
}

std::optional<Command> commandNamed(const QString& name)
{
    static const QList<QPair<QString, Command>> commands{
        {QStringLiteral("cancel"), Command::Cancel},   {QStringLiteral("list"), Command::List},
        {QStringLiteral("show"), Command::Show},       {QStringLiteral("events"), Command::Events},
        {QStringLiteral("profile"), Command::Profile}, {QStringLiteral("pause"), Command::Pause},
        {QStringLiteral("resume"), Command::Resume}};
    for (const auto& [key, command] : commands) {
        if (key == name)
            return command;
    }
    return std::nullopt;
}

class Checker
{
public:
    Checker(const QCommandLineParser& parser, CliOptions* options, Console& console)
        : m_parser(parser), m_o(options), m_console(console)
    {
    }
    bool optionsFitTheCommand();
    bool positionalFitsTheCommand();
    bool numbersInRange();
    bool kindFits();
    void takeValues();

private:
    bool onlyFor(const QString& name, std::initializer_list<Command> allowed);
    bool intOption(const QString& name, int low, int high, int* target);
    std::optional<QString> value(const QString& name) const
    {
        return m_parser.isSet(name) ? std::optional<QString>(m_parser.value(name)) : std::nullopt;
    }

    const QCommandLineParser& m_parser;
    CliOptions* m_o;
    Console& m_console;
};

// Options that belong to another command are a mistake worth saying, not something to ignore.
bool Checker::onlyFor(const QString& name, std::initializer_list<Command> allowed)
{
    if (!m_parser.isSet(name) || std::find(allowed.begin(), allowed.end(), m_o->command) != allowed.end())
        return true;
    m_console.err(
        CliOptions::tr("--%1 does not apply to \u201C%2\u201D; see \"ftcancel --help\".").arg(name, m_o->commandName));
    return false;
}

bool Checker::optionsFitTheCommand()
{
    const auto jobs = {Command::Cancel, Command::Pause, Command::Resume, Command::List, Command::Show, Command::Events};
    const auto sends = {Command::Cancel, Command::Pause, Command::Resume};
    for (const char* name : {"profile", "timeout", "max-retries", "deadline", "ca-file", "verbose"}) {
        if (!onlyFor(QString::fromLatin1(name), jobs))
            return false;
    }
    return onlyFor(QStringLiteral("all-active"), {Command::Cancel})
        && onlyFor(QStringLiteral("all-profiles"), {Command::Cancel}) && onlyFor(QStringLiteral("all"), {Command::List})
        && onlyFor(QStringLiteral("status"), {Command::List})
        && onlyFor(QStringLiteral("kind"),
                   {Command::Cancel, Command::Pause, Command::Resume, Command::List, Command::Show, Command::Events})
        && onlyFor(QStringLiteral("limit"), {Command::List, Command::Events})
        && onlyFor(QStringLiteral("dry-run"), sends) && onlyFor(QStringLiteral("yes"), sends)
        && onlyFor(QStringLiteral("no-preview"), sends) && onlyFor(QStringLiteral("wait"), sends)
        && onlyFor(QStringLiteral("concurrency"), sends) && onlyFor(QStringLiteral("provider"), {Command::Profile})
        && onlyFor(QStringLiteral("api-version"), {Command::Profile});
}

bool Checker::positionalFitsTheCommand()
{
    const QStringList& positional = m_o->positional;
    const QString& command = m_o->commandName;
    QString problem;
    if (m_parser.isSet(QStringLiteral("all-profiles")) && !m_parser.isSet(QStringLiteral("all-active")))
        problem = CliOptions::tr("--all-profiles goes with --all-active: ftcancel cancel --all-active --all-profiles");
    else if (m_parser.isSet(QStringLiteral("all-profiles"))
             && (m_parser.isSet(QStringLiteral("profile")) || m_parser.isSet(QStringLiteral("base-url"))
                 || m_parser.isSet(QStringLiteral("org")) || m_parser.isSet(QStringLiteral("project"))))
        problem = CliOptions::tr("--all-profiles uses every profile as saved; it cannot be combined with --profile, "
                                 "--base-url, --org or --project.");
    else if (m_o->command == Command::List && !positional.isEmpty())
        problem = CliOptions::tr("\u201Clist\u201D takes no job id; see \"ftcancel --help\".");
    else if ((m_o->command == Command::Show || m_o->command == Command::Events) && positional.size() != 1)
        problem = CliOptions::tr("\u201C%1\u201D takes one job id: ftcancel %1 ID").arg(command);
    else if (m_o->command == Command::Cancel && m_parser.isSet(QStringLiteral("all-active")) && !positional.isEmpty())
        problem = CliOptions::tr("--all-active cancels every job that has not finished; it takes no ids.");
    else if (m_o->command == Command::Cancel && !m_parser.isSet(QStringLiteral("all-active")) && positional.isEmpty())
        problem = CliOptions::tr("No job id given. Usage: ftcancel cancel ID [ID…]");
    else if ((m_o->command == Command::Pause || m_o->command == Command::Resume) && positional.isEmpty())
        problem = CliOptions::tr("No job id given. Usage: ftcancel %1 ID [ID…]").arg(command);
    else if (m_parser.isSet(QStringLiteral("dry-run")) && m_parser.isSet(QStringLiteral("no-preview")))
        problem = CliOptions::tr("--dry-run looks the jobs up; it cannot be combined with --no-preview.");
    if (!problem.isEmpty())
        m_console.err(problem);
    return problem.isEmpty();
}

// Numeric options: a whole number in range, or a clear complaint and nothing sent.
bool Checker::intOption(const QString& name, int low, int high, int* target)
{
    if (!m_parser.isSet(name))
        return true;
    bool ok = false;
    const int value = m_parser.value(name).toInt(&ok);
    if (!ok || value < low || value > high) {
        const QString shown = name == QLatin1String("wait-seconds") ? QStringLiteral("wait") : name;
        m_console.err(CliOptions::tr("--%1 takes a whole number from %2 to %3.").arg(shown).arg(low).arg(high));
        return false;
    }
    *target = value;
    return true;
}

bool Checker::numbersInRange()
{
    int timeout = 0, retries = 0, deadline = 0;
    m_o->concurrency = CancelBatch::defaultConcurrency;
    m_o->waitSeconds = CancelBatch::defaultWatchSeconds;
    m_o->limit = m_o->command == Command::Events ? EventLister::defaultLimit : JobLister::defaultCap;
    if (!intOption(QStringLiteral("timeout"), 1, ApiConfig::maxTimeoutSeconds, &timeout)
        || !intOption(QStringLiteral("max-retries"), 0, ApiConfig::maxMaxRetries, &retries)
        || !intOption(QStringLiteral("deadline"), 1, ApiConfig::maxDeadlineSeconds, &deadline)
        || !intOption(QStringLiteral("concurrency"), 1, CancelBatch::maxConcurrency, &m_o->concurrency)
        || !intOption(QStringLiteral("wait-seconds"), 1, ApiConfig::maxDeadlineSeconds, &m_o->waitSeconds)
        || !intOption(QStringLiteral("limit"), 1, 1000000, &m_o->limit)) {
        return false;
    }
    if (m_parser.isSet(QStringLiteral("timeout")))
        m_o->timeoutSeconds = timeout;
    if (m_parser.isSet(QStringLiteral("max-retries")))
        m_o->maxRetries = retries;
    if (m_parser.isSet(QStringLiteral("deadline")))
        m_o->deadlineSeconds = deadline;
    return true;
}

// --kind: fine-tuning, batch, or (for lists) all; said plainly otherwise, and nothing sent.
bool Checker::kindFits()
{
    if (!m_parser.isSet(QStringLiteral("kind")))
        return true;
    const QString text = m_parser.value(QStringLiteral("kind")).trimmed().toLower();
    const bool lists = m_o->command == Command::List || m_parser.isSet(QStringLiteral("all-active"));
    m_o->kindGiven = true;
    if (text == QLatin1String("all")) {
        if (!lists) {
            m_console.err(CliOptions::tr("--kind all is for lists (list, cancel --all-active); for job ids say "
                                         "--kind fine-tuning or --kind batch."));
            return false;
        }
        m_o->kinds = allJobKinds();
        return true;
    }
    bool ok = false;
    const JobKind kind = jobKindByKey(text == QLatin1String("batches") ? QStringLiteral("batch") : text, &ok);
    if (!ok) {
        m_console.err(CliOptions::tr("--kind takes fine-tuning, batch or all, not \u201C%1\u201D.")
                          .arg(OutputGate::clean(text, 40)));
        return false;
    }
    m_o->kinds = {kind};
    m_o->idKind = kind;
    return true;
}

void Checker::takeValues()
{
    m_o->allActive = m_parser.isSet(QStringLiteral("all-active"));
    m_o->allProfiles = m_parser.isSet(QStringLiteral("all-profiles"));
    m_o->all = m_parser.isSet(QStringLiteral("all"));
    for (const QString& v : m_parser.values(QStringLiteral("status"))) {
        for (const QString& status : v.split(u',', Qt::SkipEmptyParts))
            m_o->statuses << status.trimmed();
    }
    m_o->json = m_parser.isSet(QStringLiteral("json"));
    m_o->verbose = m_parser.isSet(QStringLiteral("verbose"));
    m_o->dryRun = m_parser.isSet(QStringLiteral("dry-run"));
    m_o->yes = m_parser.isSet(QStringLiteral("yes"));
    m_o->preview = !m_parser.isSet(QStringLiteral("no-preview"));
    m_o->wait = m_parser.isSet(QStringLiteral("wait"));
    m_o->waitSecondsGiven = m_parser.isSet(QStringLiteral("wait-seconds"));
    m_o->profile = value(QStringLiteral("profile"));
    m_o->baseUrl = value(QStringLiteral("base-url"));
    m_o->organization = value(QStringLiteral("org"));
    m_o->project = value(QStringLiteral("project"));
    m_o->caFile = value(QStringLiteral("ca-file"));
    m_o->provider = value(QStringLiteral("provider"));
    m_o->apiVersion = value(QStringLiteral("api-version"));
}
} // namespace

QList<JobKind> CliOptions::listKinds(Provider provider) const
{
    if (!kinds.isEmpty())
        return kinds;
    const QList<JobKind> offered = ProviderFacts::kinds(provider);
    return offered.isEmpty() ? QList<JobKind>{JobKind::FineTuning} : QList<JobKind>{offered.first()};
}

int CliOptions::parse(const QStringList& arguments, CliOptions* options, Console& console)
{
    if (hasKeyOption(arguments)) {
        console.err(tr("FtCancel takes no key as an argument (every user of this computer can read a program's "
                       "arguments). \"ftcancel profile add\" reads it from standard input; or set the provider's "
                       "environment variable (OPENAI_API_KEY, …)."));
        return CliExit::BadUsage;
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(description());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("command"),
        tr("cancel ID…, cancel --all-active, pause ID…, resume ID…, list, show ID, events ID or profile …."));
    parser.addPositionalArgument(QStringLiteral("ids"),
                                 tr("Job ids (ftjob-…), dashboard URLs or text holding them; - reads stdin."),
                                 QStringLiteral("ID [ID…]"));
    parser.addOptions(accountOptions() + requestOptions() + cancelOptions() + outputOptions());
    if (!parser.parse(withWaitSeconds(arguments))) {
        console.err(OutputGate::clean(parser.errorText(), OutputGate::lineBytes));
        console.err(tr("Try \"ftcancel --help\"."));
        return CliExit::BadUsage;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        QString help = parser.helpText();
        help.chop(help.endsWith(u'\n') ? 1 : 0);
        console.out(help);
        return CliExit::AllCancelled;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        console.out(AppInfo::displayName() + u' ' + AppInfo::version());
        return CliExit::AllCancelled;
    }
    options->positional = parser.positionalArguments();
    const std::optional<Command> command
        = options->positional.isEmpty() ? std::nullopt : commandNamed(options->positional.first());
    if (!command) {
        console.err(
            (options->positional.isEmpty()
                 ? tr("No command given.")
                 : tr("Unknown command \u201C%1\u201D.").arg(OutputGate::clean(options->positional.first(), 80)))
            + u' ' + tr("Usage: ftcancel cancel ID [ID…]; see \"ftcancel --help\"."));
        return CliExit::BadUsage;
    }
    options->command = *command;
    options->commandName = options->positional.takeFirst();
    Checker checker(parser, options, console);
    if (!checker.optionsFitTheCommand() || !checker.positionalFitsTheCommand() || !checker.numbersInRange()
        || !checker.kindFits())
        return CliExit::BadUsage;
    checker.takeValues();
    return -1;
}
