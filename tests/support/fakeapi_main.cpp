// ftcancel-fake-api: the tests' FakeOpenAiServer as a program, so FtCancel can be tried end to end without an
// OpenAI account or a network:
//   build/tests/ftcancel-fake-api --port 8080 &
//   OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=sk-anything build/app/ftcancel
// Every ftjob-… id is a job that is "running" until cancelled; cancelling it again is refused as the API does;
// an id containing "missing" is unknown (404); "slow" answers after 3 s; "flaky" fails with 503 once.
#include "fakeopenaiserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ftcancel-fake-api"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A local stand-in for the OpenAI fine-tuning API (127.0.0.1)."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to listen on (default 8080)."),
                                        QStringLiteral("PORT"), QStringLiteral("8080"));
    parser.addOption(portOption);
    parser.process(app);

    QHash<QString, QString> statusById;
    QSet<QString> failedOnce;
    FakeOpenAiServer server;
    QTextStream out(stdout);
    server.setHandler([&](const RecordedRequest& request) {
        const QList<QByteArray> parts = request.path().split('/');
        // /v1/fine_tuning/jobs/{id}[/cancel]
        const QString id
            = parts.size() >= 5 ? QString::fromUtf8(QByteArray::fromPercentEncoding(parts.at(4))) : QString();
        const bool cancel = request.method == "POST" && parts.size() == 6 && parts.at(5) == "cancel";
        const bool retrieve = request.method == "GET" && parts.size() == 5;
        out << request.method << ' ' << request.target << Qt::endl;
        if (!request.header("authorization").startsWith("Bearer ") || request.header("authorization").size() < 12)
            return FakeResponse::apiError(401, QStringLiteral("You didn't provide an API key."),
                                          QStringLiteral("invalid_request_error"), QString());
        if (parts.size() < 4 || parts.at(2) != "fine_tuning" || parts.at(3) != "jobs" || (!cancel && !retrieve))
            return FakeResponse::apiError(404, QStringLiteral("Unknown endpoint."),
                                          QStringLiteral("invalid_request_error"), QString());
        if (id.contains(QLatin1String("missing")))
            return FakeResponse::apiError(404, QStringLiteral("Could not find fine tune: %1").arg(id),
                                          QStringLiteral("invalid_request_error"),
                                          QStringLiteral("fine_tune_not_found"));
        if (id.contains(QLatin1String("flaky")) && !failedOnce.contains(id)) {
            failedOnce.insert(id);
            return FakeResponse::apiError(503, QStringLiteral("The server is overloaded."),
                                          QStringLiteral("server_error"), QString());
        }
        QString& status = statusById[id];
        if (status.isEmpty())
            status = QStringLiteral("running");
        FakeResponse response;
        if (cancel && status == QLatin1String("cancelled")) {
            response = FakeResponse::apiError(400, QStringLiteral("Job has already been cancelled: %1").arg(id),
                                              QStringLiteral("invalid_request_error"), QString());
        } else {
            if (cancel)
                status = QStringLiteral("cancelled");
            response = FakeResponse::job(id, status);
        }
        response.withHeader("x-request-id", "req_fake_" + QByteArray::number(server.requestCount()));
        if (id.contains(QLatin1String("slow")))
            response.withDelay(3000);
        return response;
    });
    const quint16 port = quint16(parser.value(portOption).toUInt());
    if (!server.listen(port)) {
        QTextStream(stderr) << "cannot listen on 127.0.0.1:" << port << Qt::endl;
        return 1;
    }
    out << "Fake OpenAI API at " << server.baseUrl().toString() << " (Ctrl+C to stop)" << Qt::endl;
    return app.exec();
}
