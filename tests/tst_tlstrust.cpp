#include "activitylog.h"
#include "apiconfig.h"
#include "appinfo.h"
#include "appsettings.h"
#include "fakeopenaiserver.h"
#include "finetuningclient.h"
#include "jobrequest.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

// Extra CA certificates (a TLS-inspecting proxy's): --ca-file, the setting and SSL_CERT_FILE add them to the
// system's; a file that cannot be used is an error before anything is sent. The server is a TLS FakeOpenAiServer
// whose certificate comes from the test CA in tests/data (untrusted by the system).
class TestTlsTrust final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void untrustedWithoutTheCa();
    void trustedWithCaFile();
    void trustedWithSslCertFile();
    void systemCertificatesStayTrusted();
    void systemBundleIsNotExtra();
    void serverOutsideTheExtraCasIsCheckedAgainstTheSystemsToo();
    void unusableFileSendsNothing_data();
    void unusableFileSendsNothing();
    void fifoIsRefusedWithoutWaitingForAWriter_data();
    void fifoIsRefusedWithoutWaitingForAWriter();
    void caFileIsReadAgainOnlyWhenItChanges();
    void settingIsReadIntoTheConfiguration();
    void commandLine_data();
    void commandLine();

private:
    JobResult cancel(const ApiConfig& config, const QString& id);
    ApiConfig config() const;
    static QString data(const QString& name) { return QStringLiteral(FTCANCEL_TEST_DATA "/") + name; }

    FakeOpenAiServer* m_server = nullptr;
    QTemporaryDir m_dir;
};

void TestTlsTrust::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication(); // the English plural forms
    QVERIFY(m_dir.isValid());
}

void TestTlsTrust::init()
{
    qunsetenv("SSL_CERT_FILE");
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->setTlsIdentity(data(QStringLiteral("localhost-test-ca.crt")),
                                     data(QStringLiteral("localhost-test-ca.key"))));
    QVERIFY(m_server->listen());
    QVERIFY(m_server->baseUrl().scheme() == QLatin1String("https"));
    m_server->setHandler([](const RecordedRequest& request) {
        const QString id = QString::fromLatin1(request.path().split('/').value(4));
        return FakeResponse::job(id, QStringLiteral("cancelled"));
    });
}

void TestTlsTrust::cleanup()
{
    qunsetenv("SSL_CERT_FILE");
    delete m_server;
    m_server = nullptr;
}

ApiConfig TestTlsTrust::config() const
{
    ApiConfig c;
    c.baseUrl = m_server->baseUrl();
    c.apiKey = QStringLiteral("sk-tls-trust-test-key-0123456789");
    c.maxRetries = 0;
    c.timeoutSeconds = 20;
    return c;
}

JobResult TestTlsTrust::cancel(const ApiConfig& config, const QString& id)
{
    FineTuningClient client;
    client.setConfig(config);
    JobRequest* request = client.cancelJob(JobId::parse(id));
    QSignalSpy finished(request, &JobRequest::finished);
    if (!finished.wait(30000))
        return JobResult();
    return finished.first().first().value<JobResult>();
}

void TestTlsTrust::untrustedWithoutTheCa()
{
    ApiConfig c = config();
    QVERIFY(c.loadExtraCaCertificates());
    QVERIFY(c.extraCaCertificates.isEmpty());
    const JobResult result = cancel(c, QStringLiteral("ftjob-untrusted"));
    QCOMPARE(result.error.networkError, QNetworkReply::SslHandshakeFailedError);
    QVERIFY2(result.error.message.contains(QStringLiteral("certificate was not accepted")),
             qPrintable(result.error.message));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestTlsTrust::trustedWithCaFile()
{
    ApiConfig c = config();
    c.caFile = data(QStringLiteral("test-ca.crt"));
    QVERIFY(c.loadExtraCaCertificates());
    QCOMPARE(c.extraCaCertificates.size(), 1);
    QVERIFY(c.problem().isEmpty());
    const JobResult result = cancel(c, QStringLiteral("ftjob-cafile"));
    QVERIFY2(result.isOk(), qPrintable(result.error.message));
    QCOMPARE(result.job.status, QStringLiteral("cancelled"));
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->tlsHandshakeCount(), 1);
    QVERIFY(c.describe().contains(QStringLiteral("1 extra CA certificate trusted")));
}

void TestTlsTrust::trustedWithSslCertFile()
{
    // Qt itself does not read SSL_CERT_FILE (OpenSSL's variable): FtCancel does.
    qputenv("SSL_CERT_FILE", QFile::encodeName(data(QStringLiteral("test-ca.crt"))));
    ApiConfig c = config();
    QVERIFY(c.loadExtraCaCertificates());
    QCOMPARE(c.extraCaCertificates.size(), 1);
    const JobResult result = cancel(c, QStringLiteral("ftjob-sslcertfile"));
    QVERIFY2(result.isOk(), qPrintable(result.error.message));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestTlsTrust::systemCertificatesStayTrusted()
{
    // Adding a CA turns off Qt's on-demand lookup of the system's: they must be in the list then, next to ours.
    const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    if (system.isEmpty())
        QSKIP("this system has no CA certificates");
    ApiConfig c = config();
    c.caFile = data(QStringLiteral("test-ca.crt"));
    QVERIFY(c.loadExtraCaCertificates());
    const QNetworkRequest request
        = FineTuningClient::buildRequest(c, FineTuningClient::jobUrl(c.baseUrl, "ftjob-x", {}));
    // First the extra CAs alone (a proxy's CA signs every server's certificate: no need to load the system's) …
    QCOMPARE(request.sslConfiguration().caCertificates(), c.extraCaCertificates);
    // … and when a server's certificate is from elsewhere, the system's with them.
    const std::optional<QSslConfiguration> wider = ApiConfig::widenedTrust(request.sslConfiguration());
    QVERIFY(wider);
    const QList<QSslCertificate> trusted = wider->caCertificates();
    QVERIFY(trusted.contains(c.extraCaCertificates.first()));
    QVERIFY2(trusted.contains(system.first()) && trusted.contains(system.last()),
             qPrintable(QStringLiteral("%1 trusted").arg(trusted.size())));
    QVERIFY(!ApiConfig::widenedTrust(*wider)); // nothing wider than that
    QVERIFY(!ApiConfig::widenedTrust(QSslConfiguration::defaultConfiguration()));
    // Without extra CAs the request keeps Qt's default (system CAs looked up on demand).
    ApiConfig plain = config();
    QVERIFY(plain.loadExtraCaCertificates());
    const QNetworkRequest defaultRequest
        = FineTuningClient::buildRequest(plain, FineTuningClient::jobUrl(plain.baseUrl, "ftjob-x", {}));
    QCOMPARE(defaultRequest.sslConfiguration().caCertificates(),
             QSslConfiguration::defaultConfiguration().caCertificates());
}

void TestTlsTrust::systemBundleIsNotExtra()
{
    // SSL_CERT_FILE often names the system's own bundle: nothing extra to add, Qt's default stays (and is fast).
    const QString bundle = QStringLiteral("/etc/ssl/certs/ca-certificates.crt");
    if (!QFile::exists(bundle))
        QSKIP("no Debian CA bundle here");
    qputenv("SSL_CERT_FILE", QFile::encodeName(bundle));
    ApiConfig c = config();
    QVERIFY(c.loadExtraCaCertificates());
    QVERIFY(c.extraCaCertificates.isEmpty());
    // The system's bundle plus the test CA: only the test CA is extra.
    QFile system(bundle);
    QVERIFY(system.open(QIODevice::ReadOnly));
    QFile ca(data(QStringLiteral("test-ca.crt")));
    QVERIFY(ca.open(QIODevice::ReadOnly));
    QFile both(m_dir.filePath(QStringLiteral("both.pem")));
    QVERIFY(both.open(QIODevice::WriteOnly | QIODevice::Truncate));
    both.write(system.readAll() + ca.readAll());
    both.close();
    c.caFile = both.fileName();
    QVERIFY(c.loadExtraCaCertificates());
    QCOMPARE(c.extraCaCertificates.size(), 1);
    QCOMPARE(c.extraCaCertificates.first().subjectInfo(QSslCertificate::CommonName),
             QStringList{QStringLiteral("FtCancel Test CA")});
}

void TestTlsTrust::serverOutsideTheExtraCasIsCheckedAgainstTheSystemsToo()
{
    // An extra CA that did not sign the server's certificate (the test CA did, and the system does not trust it):
    // the extra CA alone fails, the system's CAs are tried too, and the answer is still "not accepted", nothing sent.
    ApiConfig c = config();
    c.caFile = data(QStringLiteral("expired-localhost.crt"));
    QVERIFY(c.loadExtraCaCertificates());
    QCOMPARE(c.extraCaCertificates.size(), 1);
    ActivityLog log;
    FineTuningClient client;
    client.setConfig(c);
    client.setLog(&log);
    JobRequest* request = client.cancelJob(JobId::parse(QStringLiteral("ftjob-elsewhere")));
    QSignalSpy finished(request, &JobRequest::finished);
    QVERIFY(finished.wait(30000));
    const JobResult result = finished.first().first().value<JobResult>();
    QCOMPARE(result.error.networkError, QNetworkReply::SslHandshakeFailedError);
    QVERIFY2(result.error.message.contains(QStringLiteral("certificate was not accepted")),
             qPrintable(result.error.message));
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(m_server->tlsHandshakeCount(), 0); // none completed: two were refused
    QCOMPARE(result.attempts, 1); // the second try is the same attempt
    QVERIFY2(log.text().contains(QStringLiteral("checking it against the system's CAs too")), qPrintable(log.text()));
    // From then on requests carry the system's CAs with the extra one (no failed handshake first).
    const QNetworkRequest next = FineTuningClient::buildRequest(c, FineTuningClient::jobUrl(c.baseUrl, "ftjob-x", {}));
    QVERIFY(next.sslConfiguration().caCertificates().size() > 1);
}

void TestTlsTrust::unusableFileSendsNothing_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content"); // written to file when not null
    QTest::addColumn<bool>("viaEnvironment");
    QTest::addColumn<QString>("named");
    QTest::newRow("missing") << "missing.pem" << QByteArray() << false << "does not exist";
    QTest::newRow("folder") << "." << QByteArray() << false << "cannot be read: Is a directory.";
    QTest::newRow("FIFO") << "ca.fifo" << QByteArray() << false << "is not a regular file (a FIFO)";
    QTest::newRow("SSL_CERT_FILE FIFO") << "ssl.fifo" << QByteArray() << true
                                        << "SSL_CERT_FILE is set: The CA certificate file";
    QTest::newRow("empty") << "empty.pem" << QByteArray("") << false << "holds no PEM certificate";
    QTest::newRow("not PEM") << "junk.pem" << QByteArray("hello\n") << false << "holds no PEM certificate";
    QTest::newRow("SSL_CERT_FILE missing") << "missing.pem" << QByteArray() << true << "SSL_CERT_FILE is set";
}

void TestTlsTrust::unusableFileSendsNothing()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(bool, viaEnvironment);
    QFETCH(QString, named);
    const QString path = m_dir.filePath(file);
    if (file.endsWith(QLatin1String(".fifo")) && !QFile::exists(path))
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    if (!content.isNull()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
    }
    ApiConfig c = config();
    if (viaEnvironment)
        qputenv("SSL_CERT_FILE", QFile::encodeName(path));
    else
        c.caFile = path;
    QVERIFY(!c.loadExtraCaCertificates());
    QVERIFY2(c.problem().contains(named), qPrintable(c.problem()));
    QVERIFY2(c.problem().contains(QDir::toNativeSeparators(path)), qPrintable(c.problem()));
    const JobResult result = cancel(c, QStringLiteral("ftjob-nothing"));
    QCOMPARE(result.error.kind, ApiError::Kind::Input);
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestTlsTrust::fifoIsRefusedWithoutWaitingForAWriter_data()
{
    QTest::addColumn<bool>("viaEnvironment");
    QTest::newRow("CA file") << false;
    QTest::newRow("SSL_CERT_FILE") << true;
}

void TestTlsTrust::fifoIsRefusedWithoutWaitingForAWriter()
{
    // Opening a FIFO to read waits for a writer: the check runs in a thread of its own here, so that a check that
    // waits fails this test (after a generous time, then a writer comes and lets it go) instead of hanging it.
    QFETCH(bool, viaEnvironment);
    const QString fifo = m_dir.filePath(QStringLiteral("wait.fifo"));
    QFile::remove(fifo);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    ApiConfig c = config();
    if (viaEnvironment)
        qputenv("SSL_CERT_FILE", QFile::encodeName(fifo));
    else
        c.caFile = fifo;
    bool loaded = true;
    std::unique_ptr<QThread> check(QThread::create([&c, &loaded] { loaded = c.loadExtraCaCertificates(); }));
    check->start();
    const bool done = check->wait(QDeadlineTimer(30000));
    if (!done) {
        const int writer = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK);
        if (writer >= 0)
            ::close(writer); // the reader gets its end of file
        check->wait();
    }
    QVERIFY2(done, "reading the CA file waited for a writer");
    QVERIFY(!loaded);
    QVERIFY2(c.problem().contains(QStringLiteral("is not a regular file (a FIFO)")), qPrintable(c.problem()));
    QVERIFY2(c.problem().contains(QDir::toNativeSeparators(fifo)), qPrintable(c.problem()));
}

void TestTlsTrust::caFileIsReadAgainOnlyWhenItChanges()
{
    // The window asks for its configuration on every keystroke: the bundle is parsed when it changes, not each time.
    // Shown from outside: the file's bytes are replaced in place by junk of the same size and its time set back, so
    // that nothing stat() reports changes; the certificates read before are still the ones in use. Any change
    // stat() sees (the time, the size, another file put in its place) has it read again.
    QFile ca(data(QStringLiteral("test-ca.crt")));
    QVERIFY(ca.open(QIODevice::ReadOnly));
    const QByteArray pem = ca.readAll();
    const QString path = m_dir.filePath(QStringLiteral("cached.pem"));
    const QByteArray native = QFile::encodeName(path);
    QFile::remove(path);
    const auto write = [&path](const QByteArray& bytes, QIODevice::OpenMode mode) {
        QFile f(path);
        return f.open(mode) && f.write(bytes) == bytes.size();
    };
    QVERIFY(write(pem, QIODevice::WriteOnly | QIODevice::Truncate));
    struct stat before
    {
    };
    QCOMPARE(::stat(native.constData(), &before), 0);

    AppSettings().setCaFile(path);
    QString error;
    QCOMPARE(AppSettings().apiConfig(&error).extraCaCertificates.size(), 1);

    // Same inode, same size, same time: junk in place.
    QVERIFY(write(QByteArray(pem.size(), 'x'), QIODevice::ReadWrite)); // no truncation: the same size, in place
    const struct timespec times[2] = {before.st_atim, before.st_mtim};
    QCOMPARE(::utimensat(AT_FDCWD, native.constData(), times, 0), 0);
    for (int i = 0; i < 50; ++i) {
        const ApiConfig c = AppSettings().apiConfig(&error);
        QCOMPARE(c.extraCaCertificates.size(), 1);
        QCOMPARE(c.caProblem, QString());
    }

    // A new modification time: read again, and the junk is seen for what it is.
    const struct timespec later[2] = {before.st_atim, {before.st_mtim.tv_sec + 10, before.st_mtim.tv_nsec}};
    QCOMPARE(::utimensat(AT_FDCWD, native.constData(), later, 0), 0);
    ApiConfig junk = AppSettings().apiConfig(&error);
    QVERIFY(junk.extraCaCertificates.isEmpty());
    QVERIFY2(junk.caProblem.contains(QStringLiteral("holds no PEM certificate")), qPrintable(junk.caProblem));
    QVERIFY(!junk.problem().isEmpty()); // the same error each time it is asked, cached or not
    QVERIFY2(AppSettings().apiConfig(&error).caProblem.contains(QStringLiteral("holds no PEM certificate")),
             qPrintable(AppSettings().apiConfig(&error).caProblem));

    // Another file put in its place (a new inode), with the certificate again: read again.
    const QString next = m_dir.filePath(QStringLiteral("next.pem"));
    QFile::remove(next);
    QVERIFY(QFile::copy(data(QStringLiteral("test-ca.crt")), next));
    QCOMPARE(::rename(QFile::encodeName(next).constData(), native.constData()), 0);
    QCOMPARE(AppSettings().apiConfig(&error).extraCaCertificates.size(), 1);
    AppSettings().setCaFile(QString());
}

void TestTlsTrust::settingIsReadIntoTheConfiguration()
{
    AppSettings settings;
    settings.setCaFile(data(QStringLiteral("test-ca.crt")));
    QString error;
    const ApiConfig c = AppSettings().apiConfig(&error);
    QCOMPARE(c.caFile, data(QStringLiteral("test-ca.crt")));
    QCOMPARE(c.extraCaCertificates.size(), 1);
    settings.setCaFile(QString());
    QVERIFY(AppSettings().apiConfig(&error).extraCaCertificates.isEmpty());
}

void TestTlsTrust::commandLine_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("sslCertFile");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("requests");
    QTest::addColumn<QString>("stderrContains");
    const QString ca = data(QStringLiteral("test-ca.crt"));
    QTest::newRow("no CA: untrusted") << QStringList() << QString() << 4 << 0 << "certificate was not accepted";
    QTest::newRow("--ca-file") << QStringList{"--ca-file", ca} << QString() << 0 << 1 << QString();
    QTest::newRow("SSL_CERT_FILE") << QStringList() << ca << 0 << 1 << QString();
    QTest::newRow("--ca-file missing") << QStringList{"--ca-file", m_dir.filePath("nope.pem")} << QString() << 2 << 0
                                       << "does not exist";
    QTest::newRow("SSL_CERT_FILE missing")
        << QStringList() << m_dir.filePath("nope.pem") << 2 << 0 << "SSL_CERT_FILE is set";
    // A FIFO is refused at once (opening it would wait for a writer): exit 2, promptly. The wait below is the
    // test's time limit, not a duration asserted.
    const QString fifo = m_dir.filePath(QStringLiteral("cli.fifo"));
    QFile::remove(fifo);
    ::mkfifo(QFile::encodeName(fifo).constData(), 0600);
    QTest::newRow("--ca-file FIFO") << QStringList{"--ca-file", fifo} << QString() << 2 << 0
                                    << "is not a regular file (a FIFO)";
    QTest::newRow("SSL_CERT_FILE FIFO") << QStringList() << fifo << 2 << 0 << "is not a regular file (a FIFO)";
    QTest::newRow("--ca-file folder") << QStringList{"--ca-file", m_dir.path()} << QString() << 2 << 0
                                      << "cannot be read: Is a directory.";
}

void TestTlsTrust::commandLine()
{
    QFETCH(QStringList, options);
    QFETCH(QString, sslCertFile);
    QFETCH(int, exitCode);
    QFETCH(int, requests);
    QFETCH(QString, stderrContains);
    const QString binary = qEnvironmentVariable("FTCANCEL_BINARY");
    QVERIFY2(QFile::exists(binary), "ctest sets FTCANCEL_BINARY");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-tls-trust-cli-key-0123456789"));
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    env.remove(QStringLiteral("SSL_CERT_FILE"));
    if (!sslCertFile.isEmpty())
        env.insert(QStringLiteral("SSL_CERT_FILE"), sslCertFile);
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(binary,
                  QStringList{"cancel", "--no-preview", "--max-retries", "0"} + options + QStringList{"ftjob-cli1"});
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(finished.wait(30000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), exitCode);
    QCOMPARE(m_server->requestCount(), requests);
    if (!stderrContains.isEmpty())
        QVERIFY2(err.contains(stderrContains), qPrintable(err));
    if (exitCode == 2)
        QVERIFY2(err.contains(QStringLiteral("Nothing was sent")), qPrintable(err));
    else if (exitCode == 0)
        QCOMPARE(QString::fromUtf8(process.readAllStandardOutput()), QStringLiteral("ftjob-cli1 cancelled\n"));
}

QTEST_GUILESS_MAIN(TestTlsTrust)
#include "tst_tlstrust.moc"
