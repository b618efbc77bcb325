// ftcancel-fake-api: the simulator (app/simulator, which the tests and demo mode run in process) as a program, so
// FtCancel can be tried end to end without an account or a network:
//   build/tests/ftcancel-fake-api --port 8080 --jobs 50 &
//   OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=sk-anything build/app/ftcancel
// --provider openai|azure|together|mistral|anthropic speaks that provider's paths, auth header, ids, statuses and
// bodies; the program prints the base URL (Azure: the endpoint) and the environment to use. --gone MESSAGE answers
// every fine-tuning endpoint 410 with MESSAGE in the provider's error shape, as an API that has retired them.
// --batches N seeds N batches the same way (Anthropic has only batches).
// --jobs N seeds N jobs (mostly running, queued or validating files; some finished) that list, retrieve, cancel and
// show events as the API does; --latency MS delays every answer; --tls-cert and --tls-key serve HTTPS instead (a line
// "TLS handshake N" per connection tells how often clients connected); --unfinished seeds only jobs that have not
// finished (running, queued, validating files: an account where everything must be stopped); --timestamps starts each
// request line with the CLOCK_MONOTONIC time (ns) the request arrived, for bench/run to set beside a driver's clock.
// Ids typed by hand work too: an id containing
// "missing" is unknown (404); "slow" answers after 3 s; "flaky" fails with 503 once; any other id of the provider's
// shape (ftjob-…; Together ft-…; Mistral a UUID; batch_… or msgbatch_… under batch paths) is a job that is running
// until cancelled. Cancelling a finished job is refused as the API does.
#include "jobsimulator.h"
#include "provider.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <QRegularExpression>

#include <ctime>

namespace {

// Ids typed by hand become running jobs only in the provider's own shape (anything else is a 404, as it would be).
bool looksLikeJobId(Provider provider, const QString& id, JobKind kind)
{
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    if (kind == JobKind::Batch) {
        if (provider == Provider::Together || provider == Provider::Mistral)
            return uuid.match(id).hasMatch();
        return id.startsWith(provider == Provider::Anthropic ? QLatin1String("msgbatch_") : QLatin1String("batch_"));
    }
    switch (provider) {
    case Provider::Together:
        return id.startsWith(QLatin1String("ft-"));
    case Provider::Mistral:
        return uuid.match(id).hasMatch();
    case Provider::Anthropic:
        return id.startsWith(QLatin1String("msgbatch_"));
    case Provider::OpenAI:
    case Provider::Azure:
        break;
    }
    return id.startsWith(QLatin1String("ftjob-"));
}

// The environment a client is to be started with: "AZURE_OPENAI_ENDPOINT=http://127.0.0.1:8080
// AZURE_OPENAI_API_KEY=fake-key" (any key of 5 characters or more). A provider without a base URL variable is reached
// through a profile's --base-url.
void printEnvironment(QTextStream& out, const ProviderInfo& provider, const QString& url)
{
    const char* key = provider.provider == Provider::OpenAI ? "sk-fake-key" : "fake-key";
    if (provider.baseUrlVariable.isEmpty()) {
        out << "Environment: " << provider.keyVariable << '=' << key << Qt::endl;
        out << "Base URL: " << url << " (" << provider.displayName << " has no base URL variable: "
            << "ftcancel profile add NAME --provider " << provider.key << " --base-url " << url << ")" << Qt::endl;
    } else {
        out << "Environment: " << provider.baseUrlVariable << '=' << url << ' ' << provider.keyVariable << '=' << key
            << Qt::endl;
    }
    if (provider.hasApiVersion)
        out << "API version: v1 (the default) or a dated one: " << provider.apiVersionVariable << "=2024-10-21"
            << Qt::endl;
}

// --jobs N (or --batches N) in the provider's realistic mix; --unfinished leaves out what has finished.
QStringList seedJobs(JobSimulator& simulator, int jobs, bool unfinished, JobKind kind)
{
    const bool batches = kind == JobKind::Batch;
    JobSimulator::StatusMix mix = batches ? JobSimulator::realisticBatchMix(simulator.provider())
                                          : JobSimulator::realisticMix(simulator.provider());
    if (unfinished) {
        mix.removeIf([&simulator, kind](const QPair<QString, int>& status) {
            const JobSimulator::Phase phase = simulator.phaseOf(status.first, kind);
            return phase == JobSimulator::Phase::Succeeded || phase == JobSimulator::Phase::Failed
                || phase == JobSimulator::Phase::Cancelled;
        });
    }
    return batches ? simulator.addManyBatches(jobs, mix) : simulator.addMany(jobs, mix);
}

// An id typed by hand in the provider's shape is a running job; "missing", "slow" and "flaky" in it script it.
void acceptTypedIds(JobSimulator& simulator)
{
    simulator.setUnknownJobHook([&simulator](const QString& id, JobKind kind) {
        if (!looksLikeJobId(simulator.provider(), id, kind) || id.contains(QLatin1String("missing")))
            return; // unknown: 404
        if (kind == JobKind::Batch)
            simulator.addBatch(id, simulator.statusWord(JobSimulator::Phase::Running, kind));
        else
            simulator.add(id, simulator.statusWord(JobSimulator::Phase::Running));
        if (id.contains(QLatin1String("slow")))
            simulator.setJobLatency(id, 3000);
        if (id.contains(QLatin1String("flaky")))
            simulator.failNext(id, 1, JobSimulator::overloaded());
    });
}

void printExamples(QTextStream& out, const JobSimulator& simulator, const QStringList& seeded)
{
    if (seeded.isEmpty())
        return;
    QStringList examples;
    for (const QString& id : seeded) {
        const SimulatedJob job = simulator.job(id);
        const JobSimulator::Phase phase = simulator.phaseOf(job.status, job.kind);
        if (phase == JobSimulator::Phase::Running || phase == JobSimulator::Phase::Queued)
            examples.append(id);
        if (examples.size() == 3)
            break;
    }
    out << seeded.size() << " jobs, for example " << examples.join(QStringLiteral(", ")) << Qt::endl;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ftcancel-fake-api"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A local stand-in for the OpenAI fine-tuning API (127.0.0.1)."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to listen on (default 8080)."),
                                        QStringLiteral("PORT"), QStringLiteral("8080"));
    const QCommandLineOption jobsOption(QStringLiteral("jobs"),
                                        QStringLiteral("Start with N jobs in a realistic mix of statuses (default 0)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption latencyOption(QStringLiteral("latency"),
                                           QStringLiteral("Delay every answer by MS milliseconds (default 0)."),
                                           QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption tlsCertOption(QStringLiteral("tls-cert"),
                                           QStringLiteral("Serve HTTPS with this PEM certificate (needs --tls-key)."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption tlsKeyOption(QStringLiteral("tls-key"), QStringLiteral("The PEM key of --tls-cert."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption batchesOption(
        QStringLiteral("batches"), QStringLiteral("Start with N batches in a realistic mix of statuses (default 0)."),
        QStringLiteral("N"), QStringLiteral("0"));
    parser.addOption(portOption);
    parser.addOption(jobsOption);
    parser.addOption(batchesOption);
    parser.addOption(latencyOption);
    parser.addOption(tlsCertOption);
    parser.addOption(tlsKeyOption);
    const QCommandLineOption unfinishedOption(QStringLiteral("unfinished"),
                                              QStringLiteral("Seed only jobs that have not finished (with --jobs)."));
    const QCommandLineOption timestampsOption(
        QStringLiteral("timestamps"),
        QStringLiteral("Start each request line with its arrival time (CLOCK_MONOTONIC, ns)."));
    parser.addOption(unfinishedOption);
    parser.addOption(timestampsOption);
    const QCommandLineOption providerOption(
        QStringLiteral("provider"),
        QStringLiteral("Speak as this provider: %1 (default openai).").arg(ProviderInfo::keys()),
        QStringLiteral("NAME"), QStringLiteral("openai"));
    const QCommandLineOption goneOption(QStringLiteral("gone"),
                                        QStringLiteral("Answer every fine-tuning endpoint 410 with MESSAGE (retired)."),
                                        QStringLiteral("MESSAGE"));
    parser.addOption(providerOption);
    parser.addOption(goneOption);
    parser.process(app);

    QTextStream err(stderr);
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    bool jobsOk = false;
    const int jobs = parser.value(jobsOption).toInt(&jobsOk);
    bool batchesOk = false;
    const int batches = parser.value(batchesOption).toInt(&batchesOk);
    bool latencyOk = false;
    const int latency = parser.value(latencyOption).toInt(&latencyOk);
    if (!portOk || port > 65535 || !jobsOk || jobs < 0 || jobs > 1000000 || !batchesOk || batches < 0
        || batches > 1000000 || !latencyOk || latency < 0) {
        err << "ftcancel-fake-api: --port needs 0-65535, --jobs, --batches and --latency a number 0 or more"
            << Qt::endl;
        return 2;
    }
    const ProviderInfo* provider = ProviderInfo::byKey(parser.value(providerOption));
    if (!provider) {
        err << "ftcancel-fake-api: --provider needs one of " << ProviderInfo::keys() << Qt::endl;
        return 2;
    }

    FakeOpenAiServer server;
    if (parser.isSet(tlsCertOption) || parser.isSet(tlsKeyOption)) {
        if (!server.setTlsIdentity(parser.value(tlsCertOption), parser.value(tlsKeyOption))) {
            err << "ftcancel-fake-api: cannot read the certificate and key of --tls-cert / --tls-key" << Qt::endl;
            return 2;
        }
    }
    JobSimulator simulator(&server);
    simulator.setRecording(false); // it prints each request instead; a long run must not grow
    simulator.setProvider(provider->provider);
    simulator.setLatency(latency);
    if (parser.isSet(goneOption))
        simulator.setGone(410, parser.value(goneOption));
    const bool unfinished = parser.isSet(unfinishedOption);
    const QStringList seeded = seedJobs(simulator, jobs, unfinished, JobKind::FineTuning)
        + seedJobs(simulator, batches, unfinished, JobKind::Batch);
    acceptTypedIds(simulator);

    QTextStream out(stdout);
    const bool timestamps = parser.isSet(timestampsOption);
    // requestHandled comes as the request is answered (its latency still to wait): the time is the arrival's.
    QObject::connect(&simulator, &JobSimulator::requestHandled, &simulator,
                     [&out, timestamps](const RecordedRequest& request, int status) {
                         if (timestamps) {
                             timespec now{};
                             clock_gettime(CLOCK_MONOTONIC, &now);
                             out << '[' << qint64(now.tv_sec) * 1000000000LL + now.tv_nsec << "] ";
                         }
                         out << request.method << ' ' << request.target << " -> "
                             << (status == 0 ? QStringLiteral("(no answer)") : QString::number(status)) << Qt::endl;
                     });

    QObject::connect(&server, &FakeOpenAiServer::tlsHandshakeCompleted, &server,
                     [&out](int count) { out << "TLS handshake " << count << Qt::endl; });

    if (!server.listen(quint16(port))) {
        err << "cannot listen on 127.0.0.1:" << port << Qt::endl;
        return 1;
    }
    const QString url = simulator.baseUrl().toString();
    out << "Fake " << provider->displayName << " API at " << url << " (Ctrl+C to stop)" << Qt::endl;
    printEnvironment(out, *provider, url);
    printExamples(out, simulator, seeded);
    return app.exec();
}
