#include "simclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <memory>

// ftcancel-fake-api, the real program: --provider NAME speaks that provider (and prints the endpoint and the
// environment to use), --gone MESSAGE answers every fine-tuning endpoint 410 with the message.
class TestFakeApi final : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    void speaksEachProvider_data();
    void speaksEachProvider();
    void typedIdsInTheProvidersShape();
    void goneInTheProvidersShape_data();
    void goneInTheProvidersShape();
    void unfinishedSeedsNoFinishedJobs();
    void unknownProviderIsRefused();

private:
    // Starts the program on a free port with --jobs N and waits for its banner (the "N jobs" line comes last).
    bool start(const QStringList& arguments, int jobs = 3);
    QString line(const QString& prefix) const; // the first output line starting with prefix

    std::unique_ptr<QProcess> m_process;
    QString m_out;
    QString m_url;
};

void TestFakeApi::cleanup()
{
    if (m_process) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
    m_out.clear();
    m_url.clear();
}

bool TestFakeApi::start(const QStringList& arguments, int jobs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(QStringLiteral(FTCANCEL_FAKE_API));
    m_process->setArguments(
        QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--jobs"), QString::number(jobs)}
        + arguments);
    m_process->start();
    if (!m_process->waitForStarted(10000))
        return false;
    QElapsedTimer timer;
    timer.start();
    const QString last = QStringLiteral("%1 jobs, for example").arg(jobs);
    while (!m_out.contains(last) && timer.elapsed() < 10000) {
        m_process->waitForReadyRead(200);
        m_out += QString::fromUtf8(m_process->readAllStandardOutput());
    }
    if (!m_out.contains(last))
        return false;
    const QString banner = line(QStringLiteral("Fake "));
    const qsizetype at = banner.indexOf(QLatin1String(" API at "));
    if (at < 0)
        return false;
    m_url = banner.mid(at + 8).section(u' ', 0, 0);
    return true;
}

QString TestFakeApi::line(const QString& prefix) const
{
    const QStringList lines = m_out.split(u'\n');
    for (const QString& candidate : lines) {
        if (candidate.startsWith(prefix))
            return candidate;
    }
    return QString();
}

void TestFakeApi::speaksEachProvider_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("environment"); // %1: the URL
    QTest::addColumn<QByteArray>("authName");
    QTest::addColumn<QByteArray>("authValue");
    QTest::addColumn<QString>("listPath");
    QTest::addColumn<QString>("countKey"); // a key only this provider's list has; empty: data only
    QTest::newRow("openai") << "openai"
                            << "OpenAI"
                            << "/v1"
                            << "OPENAI_BASE_URL=%1 OPENAI_API_KEY=sk-fake-key" << QByteArray("Authorization")
                            << QByteArray("Bearer sk-fake-key") << "/fine_tuning/jobs"
                            << "has_more";
    QTest::newRow("azure") << "azure"
                           << "Azure OpenAI"
                           << ""
                           << "AZURE_OPENAI_ENDPOINT=%1 AZURE_OPENAI_API_KEY=fake-key" << QByteArray("api-key")
                           << QByteArray("fake-key") << "/openai/v1/fine_tuning/jobs"
                           << "has_more";
    QTest::newRow("together") << "together"
                              << "Together AI"
                              << "/v1"
                              << "TOGETHER_API_KEY=fake-key" << QByteArray("Authorization")
                              << QByteArray("Bearer fake-key") << "/fine-tunes"
                              << "";
    QTest::newRow("mistral, any case") << "Mistral"
                                       << "Mistral AI"
                                       << "/v1"
                                       << "MISTRAL_API_KEY=fake-key" << QByteArray("Authorization")
                                       << QByteArray("Bearer fake-key") << "/fine_tuning/jobs?page=0&page_size=100"
                                       << "total";
}

void TestFakeApi::speaksEachProvider()
{
    QFETCH(QString, provider);
    QFETCH(QString, name);
    QFETCH(QString, path);
    QFETCH(QString, environment);
    QFETCH(QByteArray, authName);
    QFETCH(QByteArray, authValue);
    QFETCH(QString, listPath);
    QFETCH(QString, countKey);
    QVERIFY2(start({QStringLiteral("--provider"), provider}), qPrintable(m_out));
    QVERIFY2(line(QStringLiteral("Fake ")).startsWith(QStringLiteral("Fake %1 API at http://127.0.0.1:").arg(name)),
             qPrintable(m_out));
    const QUrl url(m_url);
    QCOMPARE(url.path(), path);
    QCOMPARE(line(QStringLiteral("Environment: ")),
             QStringLiteral("Environment: ")
                 + (environment.contains(QLatin1String("%1")) ? environment.arg(m_url) : environment));
    if (provider == QLatin1String("together") || provider == QLatin1String("Mistral"))
        QVERIFY2(line(QStringLiteral("Base URL: ")).contains(QStringLiteral("--base-url ") + m_url), qPrintable(m_out));
    if (provider == QLatin1String("azure"))
        QVERIFY(line(QStringLiteral("API version: ")).contains(QLatin1String("OPENAI_API_VERSION=2024-10-21")));

    SimClient client(url);
    client.setHeader(authName, authValue);
    const SimAnswer list = client.get(listPath);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json.value(QStringLiteral("data")).toArray().size(), 3);
    if (countKey.isEmpty())
        QCOMPARE(list.json.keys(), QStringList{QStringLiteral("data")});
    else
        QVERIFY2(list.json.contains(countKey), list.body.constData());
    // Each request is printed as it is answered.
    QTRY_VERIFY_WITH_TIMEOUT((m_out += QString::fromUtf8(m_process->readAllStandardOutput()))
                                 .contains(QStringLiteral("GET %1%2 -> 200").arg(path, listPath)),
                             5000);
    // Without the provider's auth: 401.
    client.setHeader(authName, QByteArray());
    QCOMPARE(client.get(listPath).status, 401);
}

void TestFakeApi::typedIdsInTheProvidersShape()
{
    QVERIFY2(start({QStringLiteral("--provider"), QStringLiteral("together")}), qPrintable(m_out));
    {
        SimClient client{QUrl(m_url)};
        client.setHeader("Authorization", "Bearer fake-key");
        const SimAnswer cancel = client.post(QStringLiteral("/fine-tunes/ft-demo1/cancel"));
        QCOMPARE(cancel.status, 200);
        QCOMPARE(cancel.json.value(QStringLiteral("status")).toString(), QStringLiteral("cancel_requested"));
        QCOMPARE(client.get(QStringLiteral("/fine-tunes/ftjob-demo1")).status, 404); // OpenAI's shape is unknown here
    }
    cleanup();
    QVERIFY2(start({QStringLiteral("--provider"), QStringLiteral("mistral")}), qPrintable(m_out));
    SimClient client{QUrl(m_url)};
    client.setHeader("Authorization", "Bearer fake-key");
    const SimAnswer job = client.get(QStringLiteral("/fine_tuning/jobs/00000000-0000-4000-8000-000000000001"));
    QCOMPARE(job.status, 200);
    QCOMPARE(job.json.value(QStringLiteral("status")).toString(), QStringLiteral("RUNNING"));
    QCOMPARE(client.get(QStringLiteral("/fine_tuning/jobs/ftjob-demo1")).status, 422);
    QCOMPARE(client.get(QStringLiteral("/fine_tuning/jobs/00000000-0000-4000-8000-00000missing")).status, 422);
}

void TestFakeApi::goneInTheProvidersShape_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QByteArray>("authName");
    QTest::addColumn<QByteArray>("authValue");
    QTest::addColumn<QString>("listPath");
    QTest::addColumn<bool>("detail"); // {"detail": message}, else {"error":{"message": message}}
    QTest::newRow("openai") << "openai" << QByteArray("Authorization") << QByteArray("Bearer sk-x1234")
                            << "/fine_tuning/jobs" << false;
    QTest::newRow("azure") << "azure" << QByteArray("api-key") << QByteArray("x12345")
                           << "/openai/fine_tuning/jobs?api-version=2024-10-21" << false;
    QTest::newRow("mistral") << "mistral" << QByteArray("Authorization") << QByteArray("Bearer x12345")
                             << "/fine_tuning/jobs" << true;
}

void TestFakeApi::goneInTheProvidersShape()
{
    QFETCH(QString, provider);
    QFETCH(QByteArray, authName);
    QFETCH(QByteArray, authValue);
    QFETCH(QString, listPath);
    QFETCH(bool, detail);
    const QString words = QStringLiteral("Fine-tuning endpoints have been removed (see the changelog).");
    QVERIFY2(start({QStringLiteral("--provider"), provider, QStringLiteral("--gone"), words}), qPrintable(m_out));
    SimClient client{QUrl(m_url)};
    client.setHeader(authName, authValue);
    const SimAnswer answer = client.get(listPath);
    QCOMPARE(answer.status, 410);
    const QString message = detail ? answer.json.value(QStringLiteral("detail")).toString()
                                   : answer.json[QStringLiteral("error")][QStringLiteral("message")].toString();
    QCOMPARE(message, words);
}

void TestFakeApi::unfinishedSeedsNoFinishedJobs()
{
    QVERIFY2(start({QStringLiteral("--provider"), QStringLiteral("mistral"), QStringLiteral("--unfinished")}, 60),
             qPrintable(m_out));
    SimClient client{QUrl(m_url)};
    client.setHeader("Authorization", "Bearer fake-key");
    const SimAnswer list = client.get(QStringLiteral("/fine_tuning/jobs"));
    QCOMPARE(list.json.value(QStringLiteral("total")).toInt(), 60);
    for (const QJsonValue& job : list.json.value(QStringLiteral("data")).toArray()) {
        const QString status = job[QStringLiteral("status")].toString();
        QVERIFY2(status != QLatin1String("SUCCESS") && status != QLatin1String("FAILED")
                     && status != QLatin1String("FAILED_VALIDATION") && status != QLatin1String("CANCELLED"),
                 qPrintable(status));
    }
}

void TestFakeApi::unknownProviderIsRefused()
{
    QProcess process;
    process.start(
        QStringLiteral(FTCANCEL_FAKE_API),
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--provider"), QStringLiteral("cohere")});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(QString::fromUtf8(process.readAllStandardError())
                .contains(QLatin1String("openai|azure|together|mistral|anthropic")));
}

QTEST_GUILESS_MAIN(TestFakeApi)
#include "tst_fakeapi.moc"
