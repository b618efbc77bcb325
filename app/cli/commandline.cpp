#include "commandline.h"

#include "activitylog.h"
#include "appinfo.h"
#include "appsettings.h"
#include "auditlog.h"
#include "finetuningclient.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "secretstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

CommandLine::CommandLine(QObject* parent)
    : QObject(parent),
      m_out(stdout),
      m_err(stderr),
      m_log(new ActivityLog(5000, this)),
      m_client(new FineTuningClient(this))
{
    m_client->setLog(m_log);
    connect(m_log, &ActivityLog::lineAdded, this, [this](const QString& line) {
        if (m_verbose) {
            m_err << line << Qt::endl;
        }
    });
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

void CommandLine::done(int exitCode)
{
    m_out.flush();
    m_err.flush();
    emit finished(exitCode);
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
           "saved (organization and project then come from there too). OPENAI_ORG_ID, OPENAI_PROJECT_ID and "
           "OPENAI_BASE_URL are honoured.\n\n"
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
        m_err << parser.errorText() << Qt::endl << tr("Try \"ftcancel --help\".") << Qt::endl;
        return done(BadUsage);
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        m_out << parser.helpText();
        return done(AllCancelled);
    }
    if (parser.isSet(QStringLiteral("version"))) {
        m_out << AppInfo::displayName() << ' ' << AppInfo::version() << Qt::endl;
        return done(AllCancelled);
    }

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.first() != QLatin1String("cancel")) {
        m_err << (positional.isEmpty() ? tr("No command given.")
                                       : tr("Unknown command \u201C%1\u201D.").arg(positional.first()))
              << ' ' << tr("Usage: ftcancel cancel ID [ID…]; see \"ftcancel --help\".") << Qt::endl;
        return done(BadUsage);
    }
    positional.removeFirst();
    if (positional.isEmpty()) {
        m_err << tr("No job id given. Usage: ftcancel cancel ID [ID…]") << Qt::endl;
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
            m_err << tr("Invalid job id \u201C%1\u201D: %2").arg(OutputGate::clean(arg, 80), OutputGate::clean(parsed.error, OutputGate::lineBytes))
                  << Qt::endl;
            allValid = false;
            continue;
        }
        if (!parsed.warning.isEmpty())
            m_err << tr("Warning for %1: %2").arg(parsed.id, parsed.warning) << Qt::endl;
        m_jobs.append(parsed);
    }
    if (!allValid) {
        m_err << tr("Nothing was sent.") << Qt::endl;
        return done(BadUsage);
    }

    QString error;
    m_config = AppSettings().apiConfig(&error);
    if (parser.isSet(baseUrlOption))
        m_config.baseUrl = ApiConfig::parseBaseUrl(parser.value(baseUrlOption), &error);
    if (!m_config.baseUrl.isValid()) {
        m_err << error << Qt::endl;
        return done(BadUsage);
    }
    // Numeric options: a whole number in range, or a clear complaint and nothing sent.
    const auto intOption = [&](const QCommandLineOption& option, int low, int high, int* target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < low || value > high) {
            m_err << tr("--%1 takes a whole number from %2 to %3.").arg(option.names().constFirst()).arg(low).arg(high)
                  << Qt::endl;
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
    if (!m_config.apiKey.isEmpty())
        return haveCredentials();

    // No key in the environment: use the account the window saved.
    m_secrets = new SecretStore(this);
    connect(m_secrets, &SecretStore::loaded, this,
            [this, orgGiven, projectGiven](const Credentials& saved, const SecretStore::Outcome& outcome) {
                if (outcome.status == SecretStore::Status::NotFound || (outcome.isOk() && saved.apiKey.isEmpty())) {
                    m_err << tr("No API key: set OPENAI_API_KEY, or save a key in the FtCancel window.") << Qt::endl;
                    return done(NoCredentials);
                }
                if (!outcome.isOk()) {
                    m_err << tr("Could not read the API key from the keychain: %1").arg(outcome.message) << Qt::endl
                          << tr("Set OPENAI_API_KEY instead.") << Qt::endl;
                    return done(NoCredentials);
                }
                m_config.apiKey = saved.apiKey;
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
        m_err << OutputGate::clean(problem, OutputGate::lineBytes) << Qt::endl;
        return done(BadUsage);
    }
    m_client->setConfig(m_config);
    cancelNext();
}

void CommandLine::cancelNext()
{
    if (m_next >= m_jobs.size()) {
        if (m_anyNetwork)
            return done(NetworkFailure);
        return done(m_anyRefused ? NotCancelled : AllCancelled);
    }
    JobRequest* request = m_client->cancelJob(m_jobs.at(m_next++));
    connect(request, &JobRequest::retryScheduled, this,
            [this, id = request->jobId()](int attempt, int maxAttempts, int delayMs, const QString& reason) {
                // Always said: a script's operator should know why nothing is happening.
                m_err << tr("%1 retrying in %2 s (attempt %3 of %4): %5")
                             .arg(id, QString::number(delayMs / 1000.0, 'f', 1))
                             .arg(attempt)
                             .arg(maxAttempts)
                             .arg(reason)
                      << Qt::endl;
            });
    connect(request, &JobRequest::finished, this, [this](const JobResult& result) {
        report(result);
        cancelNext();
    });
}

void CommandLine::report(const JobResult& result)
{
    // The same trail the window writes, recorded before printing (a closed pipe on stdout must not lose it).
    // A failure to record is a warning: it never changes the exit code.
    if (AuditEntry::isAttempt(result)) {
        QString auditError;
        if (!AuditLog().append(AuditEntry::fromResult(result, m_config, QStringLiteral("cli")), &auditError))
            m_err << tr("Warning: could not record %1 in the history: %2").arg(result.requestedId, auditError)
                  << Qt::endl;
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

    if (!result.isOk()) {
        m_err << OutputGate::clean(
            QStringLiteral("%1 error %2 %3").arg(result.requestedId).arg(error.httpStatus).arg(error.message),
            OutputGate::lineBytes)
              << Qt::endl;
    } else if (!m_json) {
        m_out << result.requestedId << ' ' << result.job.status << Qt::endl;
    }
    if (m_json) {
        QJsonObject o{{QLatin1String("id"), result.requestedId},
                      {QLatin1String("ok"), result.isCancelled()},
                      {QLatin1String("http_status"), result.httpStatus},
                      {QLatin1String("attempts"), result.attempts},
                      {QLatin1String("request_id"), result.requestId.isEmpty() ? QJsonValue() : result.requestId}};
        if (result.isOk()) {
            o.insert(QLatin1String("status"), result.job.status);
            if (!result.job.model.isEmpty())
                o.insert(QLatin1String("model"), result.job.model);
        } else {
            QJsonObject e{{QLatin1String("kind"), error.kindName()},
                          {QLatin1String("message"), OutputGate::clean(error.message, OutputGate::lineBytes)}};
            if (!error.apiType.isEmpty())
                e.insert(QLatin1String("type"), error.apiType);
            if (!error.apiCode.isEmpty())
                e.insert(QLatin1String("code"), error.apiCode);
            if (!error.apiMessage.isEmpty())
                e.insert(QLatin1String("api_message"), OutputGate::clean(error.apiMessage));
            // A refused cancel may come with the job's real status, read back after a retry.
            o.insert(QLatin1String("status"), result.job.status.isEmpty() ? QJsonValue() : result.job.status);
            o.insert(QLatin1String("error"), e);
        }
        m_out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) << Qt::endl;
    }
}
