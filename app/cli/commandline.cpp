#include "commandline.h"

#include "activitylog.h"
#include "appinfo.h"
#include "appsettings.h"
#include "auditlog.h"
#include "finetuningclient.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "secretstore.h"
#include "signalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cstring>
#include <unistd.h>

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
} // namespace

CommandLine::CommandLine(QObject* parent)
    : QObject(parent),
      m_signals(new SignalWatcher(this)),
      m_log(new ActivityLog(5000, this)),
      m_client(new FineTuningClient(this))
{
    m_client->setLog(m_log);
    connect(m_log, &ActivityLog::lineAdded, this, [this](const QString& line) {
        if (m_verbose)
            err(line); // already through the gate
    });
    connect(m_signals, &SignalWatcher::received, this, &CommandLine::onSignal);
}

CommandLine::~CommandLine() = default;

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
    if (m_request) {
        // report() records the job as "outcome unknown" and ends with 128 + n.
        m_log->add(tr("Stopped by %1.").arg(name));
        m_request->abort();
        return;
    }
    err(tr("Stopped by %1 before any request was sent.").arg(name));
    done(128 + signalNumber);
}

void CommandLine::start(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Cancel OpenAI fine-tuning jobs.\n\n"
           "Without arguments, FtCancel opens its window. With \"cancel ID…\" it works headless:\n"
           "one line per job on stdout (\"<id> <status>\"), errors on stderr (\"<id> error <http status> "
           "<message>\", http status 0 when there was no HTTP answer).\n\n"
           "The API key comes from OPENAI_API_KEY or, when that is unset, from the keychain entry the window "
           "saved (organization and project then come from there too, unless --org/--project or OPENAI_ORG_ID/"
           "OPENAI_PROJECT_ID say otherwise). OPENAI_BASE_URL is honoured.\n\n"
           "Exit codes: 0 every job ended cancelled; 1 the API refused at least one, or one did not end "
           "cancelled; 2 bad usage or an invalid id (nothing sent); 3 no credentials or keychain failure; "
           "4 network failure or timeout."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), tr("The command to run: cancel."));
    parser.addPositionalArgument(QStringLiteral("ids"), tr("Job ids (ftjob-…) or dashboard URLs."),
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
    const QCommandLineOption jsonOption(QStringLiteral("json"), tr("Print one JSON object per job on stdout."));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           tr("Print the step-by-step log on stderr (the key is masked)."));
    parser.addOptions({baseUrlOption, orgOption, projectOption, timeoutOption, retriesOption, deadlineOption,
                       jsonOption, verboseOption});

    if (!parser.parse(arguments)) {
        err(parser.errorText());
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
    if (positional.isEmpty() || positional.first() != QLatin1String("cancel")) {
        err((positional.isEmpty()
                 ? tr("No command given.")
                 : tr("Unknown command \u201C%1\u201D.").arg(OutputGate::clean(positional.first(), 80)))
            + u' ' + tr("Usage: ftcancel cancel ID [ID…]; see \"ftcancel --help\"."));
        return done(BadUsage);
    }
    positional.removeFirst();
    if (positional.isEmpty()) {
        err(tr("No job id given. Usage: ftcancel cancel ID [ID…]"));
        return done(BadUsage);
    }
    m_json = parser.isSet(jsonOption);
    m_verbose = parser.isSet(verboseOption);

    // Every id is checked before anything is sent: a typo in the third id must not leave two jobs cancelled
    // and the script confused.
    bool allValid = true;
    for (const QString& arg : std::as_const(positional)) {
        const JobId::Parsed parsed = JobId::parse(arg);
        if (!parsed.isValid()) {
            // The reason may quote the argument (a key pasted where the id goes): both pass the gate.
            err(tr("Invalid job id \u201C%1\u201D: %2")
                    .arg(OutputGate::clean(arg, 80), OutputGate::clean(parsed.error, OutputGate::lineBytes)));
            allValid = false;
            continue;
        }
        if (!parsed.warning.isEmpty())
            err(tr("Warning for %1: %2").arg(OutputGate::clean(parsed.id), parsed.warning));
        m_jobs.append(parsed);
    }
    if (!allValid) {
        err(tr("Nothing was sent."));
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
    // Numeric options: a whole number in range, or a clear complaint and nothing sent.
    const auto intOption = [&](const QCommandLineOption& option, int low, int high, int* target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < low || value > high) {
            err(tr("--%1 takes a whole number from %2 to %3.").arg(option.names().constFirst()).arg(low).arg(high));
            return false;
        }
        *target = value;
        return true;
    };
    if (!intOption(timeoutOption, 1, ApiConfig::maxTimeoutSeconds, &m_config.timeoutSeconds)
        || !intOption(retriesOption, 0, ApiConfig::maxMaxRetries, &m_config.maxRetries)
        || !intOption(deadlineOption, 1, ApiConfig::maxDeadlineSeconds, &m_config.deadlineSeconds)) {
        return done(BadUsage);
    }
    m_config.organization
        = parser.isSet(orgOption) ? parser.value(orgOption).trimmed() : qEnvironmentVariable("OPENAI_ORG_ID").trimmed();
    m_config.project = parser.isSet(projectOption) ? parser.value(projectOption).trimmed()
                                                   : qEnvironmentVariable("OPENAI_PROJECT_ID").trimmed();
    const bool orgGiven = parser.isSet(orgOption) || !m_config.organization.isEmpty();
    const bool projectGiven = parser.isSet(projectOption) || !m_config.project.isEmpty();

    m_config.apiKey = qEnvironmentVariable("OPENAI_API_KEY").trimmed();
    OutputGate::addSecret(m_config.apiKey);
    if (!m_config.apiKey.isEmpty())
        return haveCredentials();

    // No key in the environment: use the account the window saved.
    m_secrets = new SecretStore(this);
    connect(m_secrets, &SecretStore::loaded, this,
            [this, orgGiven, projectGiven](const Credentials& saved, const SecretStore::Outcome& outcome) {
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
                if (!orgGiven)
                    m_config.organization = saved.organization;
                if (!projectGiven)
                    m_config.project = saved.project;
                haveCredentials();
            });
    m_secrets->load();
}

void CommandLine::haveCredentials()
{
    m_log->addSecret(m_config.apiKey);
    const QString problem = m_config.problem();
    if (!problem.isEmpty()) {
        err(OutputGate::clean(problem, OutputGate::lineBytes));
        return done(BadUsage);
    }
    m_client->setConfig(m_config);
    cancelNext();
}

void CommandLine::cancelNext()
{
    if (m_signal != 0) {
        const int notSent = int(m_jobs.size()) - m_next;
        if (notSent > 0) {
            QStringList ids;
            for (int i = m_next; i < m_jobs.size(); ++i)
                ids << m_jobs.at(i).id;
            err(tr("%n job(s) not sent because of %1: %2", nullptr, notSent)
                    .arg(SignalWatcher::name(m_signal), OutputGate::clean(ids.join(u' '), OutputGate::lineBytes)));
        }
        return done(128 + m_signal);
    }
    if (m_next >= m_jobs.size()) {
        if (m_anyNetwork)
            return done(NetworkFailure);
        return done(m_anyRefused ? NotCancelled : AllCancelled);
    }
    JobRequest* request = m_client->cancelJob(m_jobs.at(m_next++));
    m_request = request;
    connect(request, &JobRequest::retryScheduled, this,
            [this, id = request->jobId()](int attempt, int maxAttempts, int delayMs, const QString& reason) {
                // Always said: a script's operator should know why nothing is happening.
                err(OutputGate::clean(tr("%1 retrying in %2 s (attempt %3 of %4): %5")
                                          .arg(id, QString::number(delayMs / 1000.0, 'f', 1))
                                          .arg(attempt)
                                          .arg(maxAttempts)
                                          .arg(reason),
                                      OutputGate::lineBytes));
            });
    connect(request, &JobRequest::finished, this, [this](const JobResult& result) {
        m_request = nullptr;
        report(result);
        cancelNext();
    });
}

void CommandLine::report(const JobResult& finished)
{
    JobResult result = finished;
    if (m_signal != 0 && result.error.kind == ApiError::Kind::Stopped) {
        result.error.message = tr("Outcome unknown: stopped by %1 while the request was in flight or waiting to be "
                                  "retried. The job may or may not have been cancelled; check it before retrying.")
                                   .arg(SignalWatcher::name(m_signal));
    }
    // The same trail the window writes, recorded before printing (a closed pipe on stdout must not lose it).
    // A failure to record is a warning: it never changes the exit code.
    if (AuditEntry::isAttempt(result)) {
        QString auditError;
        if (!AuditLog().append(AuditEntry::fromResult(result, m_config, QStringLiteral("cli")), &auditError))
            err(tr("Warning: could not record %1 in the history: %2")
                    .arg(OutputGate::clean(result.requestedId), OutputGate::clean(auditError, OutputGate::lineBytes)));
    }

    const ApiError& error = result.error;
    if (result.isOk()) {
        if (!result.isCancelled())
            m_anyRefused = true;
    } else if (error.isTransport()) {
        m_anyNetwork = true;
    } else {
        m_anyRefused = true;
    }

    // Everything that came from the server passes the gate: a status with a line break must not forge a line.
    const QString id = OutputGate::clean(result.requestedId);
    if (!result.isOk()) {
        err(QStringLiteral("%1 error %2 %3")
                .arg(id)
                .arg(error.httpStatus)
                .arg(OutputGate::clean(error.message, OutputGate::lineBytes)));
    } else if (!m_json) {
        out(id + u' ' + OutputGate::clean(result.job.status));
    }
    if (m_json) {
        QJsonObject o{{QLatin1String("id"), id},
                      {QLatin1String("ok"), result.isCancelled()},
                      {QLatin1String("http_status"), result.httpStatus},
                      {QLatin1String("attempts"), result.attempts},
                      {QLatin1String("request_id"), jsonField(result.requestId)}};
        if (result.isOk()) {
            o.insert(QLatin1String("status"), jsonField(result.job.status));
            if (!result.job.model.isEmpty())
                o.insert(QLatin1String("model"), jsonField(result.job.model));
        } else {
            QJsonObject e{{QLatin1String("kind"), error.kindName()},
                          {QLatin1String("message"), OutputGate::clean(error.message, OutputGate::lineBytes)}};
            if (!error.apiType.isEmpty())
                e.insert(QLatin1String("type"), jsonField(error.apiType));
            if (!error.apiCode.isEmpty())
                e.insert(QLatin1String("code"), jsonField(error.apiCode));
            if (!error.apiMessage.isEmpty())
                e.insert(QLatin1String("api_message"), jsonField(error.apiMessage));
            // A refused cancel may come with the job's real status, read back after a retry.
            o.insert(QLatin1String("status"), jsonField(result.job.status));
            o.insert(QLatin1String("error"), e);
        }
        out(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
}
