#include "activitylog.h"
#include "appinfo.h"
#include "fakeopenaiserver.h"
#include "mainwindow.h"
#include "profilescan.h"
#include "secretstore.h"

#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

// No session bus at all (run by without-keyring.sh): the keychain is unavailable, the operator is told the key
// is kept for this session only, and cancelling still works. Nothing falls back to a file.
class TestNoKeyring final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void storeReportsUnavailableQuickly();
    void windowSaysSessionOnlyAndStillCancels();
    void commandLineWithoutKeyExitsThree();
};

static const QString testKey = QStringLiteral("sk-nk8r-0123456789abcdef") + QStringLiteral("NOKR");

void TestNoKeyring::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run this test through without-keyring.sh");
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestNoKeyring::storeReportsUnavailableQuickly()
{
    SecretStore store(QStringLiteral("io.github.ftcancel.FtCancel.nokeyring"));
    QSignalSpy saved(&store, &SecretStore::saved);
    store.save({testKey, QString(), QString()});
    QVERIFY(saved.wait(15000));
    const auto outcome = saved.first().first().value<SecretStore::Outcome>();
    QCOMPARE(outcome.status, SecretStore::Status::Unavailable);
    QVERIFY2(outcome.message.startsWith(QStringLiteral("No keyring available.")), qPrintable(outcome.message));
    QVERIFY2(!outcome.message.contains(QStringLiteral("session")), qPrintable(outcome.message));
}

void TestNoKeyring::windowSaysSessionOnlyAndStillCancels()
{
    FakeOpenAiServer server;
    QVERIFY(server.listen());
    server.enqueue(FakeResponse::job(QStringLiteral("ftjob-nokeyring"), QStringLiteral("running")));
    server.enqueue(FakeResponse::job(QStringLiteral("ftjob-nokeyring"), QStringLiteral("cancelled")));
    qputenv("OPENAI_BASE_URL", server.baseUrl().toString().toUtf8());

    MainWindow w;
    w.show();
    auto* key = w.findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
    QTRY_VERIFY_WITH_TIMEOUT(key->isEnabled(), 15000);
    // What happened (from the store), then what the window does about it.
    const QString what = QStringLiteral("No keyring available.");
    const QString fallback = QStringLiteral("The key will be kept for this session only.");
    const QString message = w.statusBar()->currentMessage();
    QVERIFY2(message.startsWith(what) && message.endsWith(fallback), qPrintable(message));
    const QString log = w.findChild<QPlainTextEdit*>(QStringLiteral("logView"))->toPlainText();
    QVERIFY2(log.contains(what) && log.contains(fallback), qPrintable(log));
    QVERIFY(
        w.findChild<QLabel*>(QStringLiteral("credentialsStateLabel"))->text().contains(QStringLiteral("Session only")));

    QTest::keyClicks(key, testKey);
    // Save fails the same way and keeps the key in the field.
    QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("saveCredentialsButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.findChild<QPushButton*>(QStringLiteral("forgetCredentialsButton"))->isEnabled(), 15000);
    QVERIFY(w.statusBar()->currentMessage().startsWith(what));
    QVERIFY(w.statusBar()->currentMessage().endsWith(fallback));
    QCOMPARE(key->text(), testKey);

    auto* job = w.findChild<QLineEdit*>(QStringLiteral("jobIdEdit"));
    QTest::keyClicks(job, QStringLiteral("ftjob-nokeyring"));
    QTest::keyClick(job, Qt::Key_Return);
    QDialog* confirm = nullptr;
    QTRY_VERIFY((confirm = w.findChild<QDialog*>(QStringLiteral("confirmDialog"))) != nullptr && confirm->isVisible());
    QTest::keyClick(confirm, Qt::Key_Return);
    QTRY_COMPARE(w.findChild<QLabel*>(QStringLiteral("statusLabel"))->text(), QStringLiteral("cancelled"));
    QCOMPARE(server.requestCount(), 2);
    QCOMPARE(server.requests().first().header("authorization"), "Bearer " + testKey.toUtf8());

    // Never a plaintext fallback: no file anywhere under the profile holds the key.
    QCOMPARE(ProfileScan::filesContaining(ProfileScan::profileFiles(), {testKey.toUtf8()}), QStringList());
}

void TestNoKeyring::commandLineWithoutKeyExitsThree()
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("OPENAI_API_KEY"));
    process.setProcessEnvironment(env);
    process.start(qEnvironmentVariable("FTCANCEL_BINARY"), {QStringLiteral("cancel"), QStringLiteral("ftjob-abc")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 3);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("No keyring available")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("OPENAI_API_KEY")), qPrintable(err));
    // The command line keeps nothing for a session: the window's fallback must not leak into its messages.
    QVERIFY2(!err.contains(QStringLiteral("session")), qPrintable(err));
}

QTEST_MAIN(TestNoKeyring)
#include "tst_nokeyring.moc"
