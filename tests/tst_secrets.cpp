#include "appinfo.h"
#include "fakeopenaiserver.h"
#include "mainwindow.h"
#include "profilescan.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

// A whole session with one unique key — save credentials, cancel, fail, retry, save and copy the log, the command
// line with --json and --verbose — then every place a person or a file could see text is searched for the key.
class TestSecrets final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void fullSessionLeavesTheKeyNowhere();

private:
    void scanFile(const QString& path);
    void scanText(const QString& where, const QByteArray& text);

    QString m_key;
    QList<QByteArray> m_needles;
    QStringList m_messages; // everything qDebug/qWarning printed during the session
};

static QStringList* capturedMessages = nullptr;

static void captureMessage(QtMsgType, const QMessageLogContext&, const QString& message)
{
    if (capturedMessages)
        capturedMessages->append(message);
}

void TestSecrets::initTestCase()
{
    // No test mode: the window and the command line it starts must share one settings file (the profile the window
    // saves is the one the command line uses). tests/with-keyring.sh points XDG_CONFIG_HOME, XDG_DATA_HOME and
    // XDG_CACHE_HOME into a directory of this run alone.
    QVERIFY2(qEnvironmentVariable("XDG_CONFIG_HOME").startsWith(QDir::tempPath()), "run through tests/with-keyring.sh");
    AppInfo::applyToApplication();
    // A key made for this run, so any hit is ours.
    QString random;
    for (int i = 0; i < 40; ++i)
        random += QChar(
            u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[QRandomGenerator::global()->bounded(62)]);
    m_key = QStringLiteral("sk-proj-") + random;
    // The whole key, its body without the prefix, and a middle slice: a partial leak counts too.
    m_needles = {m_key.toUtf8(), random.toUtf8(), random.mid(10, 16).toUtf8()};
    capturedMessages = &m_messages;
    qInstallMessageHandler(captureMessage);
}

void TestSecrets::cleanupTestCase()
{
    qInstallMessageHandler(nullptr);
    capturedMessages = nullptr;
}

void TestSecrets::scanText(const QString& where, const QByteArray& text)
{
    for (const QByteArray& needle : std::as_const(m_needles))
        QVERIFY2(!text.contains(needle), qPrintable(QStringLiteral("the key appears in ") + where));
}

void TestSecrets::scanFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    scanText(path, file.readAll());
}

void TestSecrets::fullSessionLeavesTheKeyNowhere()
{
    FakeOpenAiServer server;
    QVERIFY(server.listen());
    qputenv("OPENAI_BASE_URL", server.baseUrl().toString().toUtf8());
    // Each job is looked up (running), then cancelled. 1: cancelled. 3: 500 then cancelled (a retry). 2: 401
    // quoting the key back (last: nothing more is sent with a rejected key). Then the command line, twice.
    server.enqueue(FakeResponse::job(QStringLiteral("ftjob-s1"), QStringLiteral("running")));
    server.enqueue(FakeResponse::job(QStringLiteral("ftjob-s1"), QStringLiteral("cancelled")));
    server.enqueue(FakeResponse::job(QStringLiteral("ftjob-s3"), QStringLiteral("running")));
    server.enqueue(FakeResponse::apiError(500, QStringLiteral("oops for %1").arg(m_key), QStringLiteral("server_error"),
                                          QString()));
    server.enqueue(FakeResponse::job(QStringLiteral("ftjob-s3"), QStringLiteral("cancelled")));
    server.enqueue(FakeResponse::job(QStringLiteral("ftjob-s2"), QStringLiteral("running")));
    server.enqueue(FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided: %1.").arg(m_key),
                                          QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"))
                       .withHeader("www-authenticate", "Bearer realm=\"OpenAI API\""));

    QTemporaryDir outDir;
    QVERIFY(outDir.isValid());
    const QString savedLog = outDir.filePath(QStringLiteral("session-log.txt"));
    QString paneText;
    QString clipboard;
    {
        MainWindow w;
        w.show();
        auto* keyEdit = w.findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
        QTRY_VERIFY_WITH_TIMEOUT(keyEdit->isEnabled(), 15000);
        QTest::keyClicks(keyEdit, m_key);
        QTest::keyClicks(w.findChild<QLineEdit*>(QStringLiteral("orgEdit")), QStringLiteral("org-secrets"));
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("saveCredentialsButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.findChild<QLabel*>(QStringLiteral("credentialsStateLabel"))->text(),
                                  QStringLiteral("Saved in the keyring"), 15000);

        auto* job = w.findChild<QLineEdit*>(QStringLiteral("jobIdEdit"));
        auto* status = w.findChild<QLabel*>(QStringLiteral("statusLabel"));
        auto* table = w.findChild<QTableView*>(QStringLiteral("jobsView"));
        for (const auto& [id, expected] : {std::pair{"ftjob-s1", "cancelled"}, std::pair{"ftjob-s3", "cancelled"},
                                           std::pair{"ftjob-s2", "key rejected"}}) {
            job->clear();
            QTest::keyClicks(job, QString::fromLatin1(id));
            QTest::keyClick(job, Qt::Key_Return);
            // Looked up, then confirmed with a click (the job is of another organization than org-secrets, so
            // Enter would keep it running).
            QDialog* confirm = nullptr;
            QTRY_VERIFY_WITH_TIMEOUT((confirm = w.findChild<QDialog*>(QStringLiteral("confirmDialog"))) != nullptr
                                         && confirm->isVisible(),
                                     10000);
            QTest::mouseClick(confirm->findChild<QPushButton*>(QStringLiteral("cancelJobsButton")), Qt::LeftButton);
            const QString idText = QString::fromLatin1(id);
            const auto selectRow = [table, &idText] {
                for (int row = 0; row < table->model()->rowCount(); ++row) {
                    if (table->model()->index(row, 0).data().toString() == idText)
                        table->setCurrentIndex(table->model()->index(row, 0));
                }
                return table->currentIndex().data().toString() == idText;
            };
            QTRY_VERIFY(selectRow());
            // The simulated jobs belong to org-fake, not org-secrets: "(other organization)" follows.
            QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QString::fromLatin1(expected)), 10000);
            QTRY_COMPARE(w.findChild<QPushButton*>(QStringLiteral("cancelButton"))->text(),
                         QStringLiteral("Cancel job"));
            scanText(QStringLiteral("the details area"),
                     w.findChild<QLabel*>(QStringLiteral("statusDetailsLabel"))->text().toUtf8());
            scanText(QStringLiteral("the summary"),
                     w.findChild<QLabel*>(QStringLiteral("summaryLabel"))->accessibleDescription().toUtf8());
            for (int row = 0; row < table->model()->rowCount(); ++row) {
                for (int column = 0; column < table->model()->columnCount(); ++column) {
                    scanText(QStringLiteral("the jobs table"),
                             table->model()->index(row, column).data().toString().toUtf8());
                    scanText(QStringLiteral("a tooltip of the jobs table"),
                             table->model()->index(row, column).data(Qt::ToolTipRole).toString().toUtf8());
                }
            }
        }
        QVERIFY(w.findChild<QPlainTextEdit*>(QStringLiteral("logView"))
                    ->toPlainText()
                    .contains(QStringLiteral("Retrying in")));

        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("copyLogButton")), Qt::LeftButton);
        clipboard = QGuiApplication::clipboard()->text();
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("saveLogButton")), Qt::LeftButton);
        QFileDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = w.findChild<QFileDialog*>(QStringLiteral("saveLogDialog"))) != nullptr);
        dialog->selectFile(savedLog);
        static_cast<QDialog*>(dialog)->accept();
        QTRY_VERIFY(QFile::exists(savedLog));
        paneText = w.findChild<QPlainTextEdit*>(QStringLiteral("logView"))->toPlainText();
    }

    // The command line, with the key from the keyring (no environment) and from the environment.
    QByteArray cliOutput;
    for (bool fromEnv : {false, true}) {
        server.enqueue(FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided: %1.").arg(m_key),
                                              QStringLiteral("invalid_request_error"),
                                              QStringLiteral("invalid_api_key")));
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OPENAI_API_KEY"));
        if (fromEnv)
            env.insert(QStringLiteral("OPENAI_API_KEY"), m_key);
        cli.setProcessEnvironment(env);
        cli.setProgram(qEnvironmentVariable("FTCANCEL_BINARY"));
        cli.setArguments({QStringLiteral("cancel"), QStringLiteral("--json"), QStringLiteral("--verbose"),
                          QStringLiteral("ftjob-s4")});
        QSignalSpy finished(&cli, &QProcess::finished);
        cli.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(cli.exitCode(), 3); // the API rejected the key
        const QByteArray out = cli.readAllStandardOutput();
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(out.contains("\"invalid_api_key\""), (out + err).constData());
        QVERIFY2(err.contains("HTTP 401"), err.constData());
        cliOutput += out + err;
    }
    QCOMPARE(server.requestCount(), 9); // the window: 3 look-ups and 4 cancels (one retried); the CLI: 2
    // The key did go where it belongs: the Authorization header of every request.
    for (const RecordedRequest& r : server.requests())
        QCOMPARE(r.header("authorization"), "Bearer " + m_key.toUtf8());

    scanText(QStringLiteral("the log pane"), paneText.toUtf8());
    scanText(QStringLiteral("the copied log"), clipboard.toUtf8());
    scanText(QStringLiteral("the command line's stdout/stderr"), cliOutput);
    QVERIFY(paneText.contains(QStringLiteral("HTTP 401")));
    QVERIFY(clipboard.contains(QStringLiteral("HTTP 401")));
    scanFile(savedLog);
    QVERIFY(cliOutput.contains("\u2026"));

    // Every file under the profile: settings, data (the audit trail among them), cache, and the test-mode dirs.
    const QStringList files = ProfileScan::profileFiles();
    QVERIFY2(std::any_of(files.cbegin(), files.cend(),
                         [](const QString& path) { return path.endsWith(QLatin1String("audit.jsonl")); }),
             "the audit trail was written somewhere under the profile");
    QCOMPARE(ProfileScan::filesContaining(files, m_needles), QStringList());

    // And whatever Qt or the app printed as debug/warning output.
    scanText(QStringLiteral("qDebug/qWarning output"), m_messages.join(u'\n').toUtf8());
}

QTEST_MAIN(TestSecrets)
#include "tst_secrets.moc"
