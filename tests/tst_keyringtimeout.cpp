#include "appinfo.h"
#include "secretstore.h"

#include <QElapsedTimer>
#include <QLocalServer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

// A keyring that never answers (a session bus that accepts the connection and then says nothing, as a keyring
// stuck on a prompt with no screen does): every keychain job ends at its deadline with a clear message.
class TestKeyringTimeout final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loadTimesOut();
    void saveTimesOutAndSaysOnlyThat();

private:
    QTemporaryDir m_dir;
    QLocalServer m_silentBus;
};

void TestKeyringTimeout::initTestCase()
{
    AppInfo::applyToApplication(); // the English plural forms ("1 second")
    QVERIFY(m_dir.isValid());
    const QString socket = m_dir.filePath(QStringLiteral("bus"));
    QVERIFY(m_silentBus.listen(socket));
    // Set before the first keychain job: the D-Bus library reads it when it first connects.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + socket.toUtf8());
}

void TestKeyringTimeout::loadTimesOut()
{
    SecretStore store(QStringLiteral("io.github.ftcancel.FtCancel.timeout"));
    store.setTimeoutMs(1500);
    QSignalSpy loaded(&store, &SecretStore::loaded);
    QElapsedTimer timer;
    timer.start();
    store.load();
    QVERIFY(loaded.wait(10000));
    QVERIFY(timer.elapsed() >= 1400);
    QVERIFY(timer.elapsed() < 6000);
    const auto outcome = loaded.first().at(1).value<SecretStore::Outcome>();
    QCOMPARE(outcome.status, SecretStore::Status::TimedOut);
    QVERIFY2(outcome.message.contains(QStringLiteral("did not answer within 1 second")), qPrintable(outcome.message));
}

void TestKeyringTimeout::saveTimesOutAndSaysOnlyThat()
{
    SecretStore store(QStringLiteral("io.github.ftcancel.FtCancel.timeout"));
    store.setTimeoutMs(1000);
    QSignalSpy saved(&store, &SecretStore::saved);
    store.save({QStringLiteral("sk-timeout-0123456789abcdef"), QString(), QString()});
    QVERIFY(saved.wait(10000));
    const auto outcome = saved.first().first().value<SecretStore::Outcome>();
    QCOMPARE(outcome.status, SecretStore::Status::TimedOut);
    // What happened, nothing more: the fallback ("this session only") is the window's to say, not the CLI's.
    QCOMPARE(outcome.message, QStringLiteral("The keyring did not answer within 1 second."));
    QTest::qWait(200);
    QCOMPARE(saved.count(), 1); // exactly one outcome, even if the keyring wakes up later
}

QTEST_GUILESS_MAIN(TestKeyringTimeout)
#include "tst_keyringtimeout.moc"
