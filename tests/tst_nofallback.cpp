#include "appinfo.h"
#include "profilescan.h"
#include "secretstore.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

// No keyring (no session bus at all, as without-keyring.sh runs it): saving fails and the key stays in memory, for
// the session only. QtKeychain has a plaintext fallback that would write the key into a settings file instead and
// report success; it must stay off. QtKeychain reaches that fallback on its KWallet path (a KDE session whose
// wallet cannot be reached), so ctest runs this program twice: once as a KDE session (FTCANCEL_TEST_DESKTOP=KDE),
// where turning the fallback on makes this test fail, and once as any other desktop (the Secret Service path).
class TestNoFallback final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void savedKeyIsInNoFileOfTheProfile();
};

void TestNoFallback::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run this test through without-keyring.sh");
    // without-keyring.sh keeps the desktop variables as they were; QtKeychain chooses its backend from them once.
    qunsetenv("XDG_CURRENT_DESKTOP");
    qunsetenv("DESKTOP_SESSION");
    qunsetenv("KDE_FULL_SESSION");
    qunsetenv("KDE_SESSION_VERSION");
    qunsetenv("GNOME_DESKTOP_SESSION_ID");
    if (qEnvironmentVariable("FTCANCEL_TEST_DESKTOP") == QLatin1String("KDE")) {
        qputenv("XDG_CURRENT_DESKTOP", "KDE");
        qputenv("KDE_SESSION_VERSION", "4");
    }
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestNoFallback::savedKeyIsInNoFileOfTheProfile()
{
    // Saved, then loaded again by another store: the save fails, nothing is found, and no file anywhere in the
    // profile holds the key (whole, without its prefix, or base64-encoded).
    const QString key = QStringLiteral("sk-proj-nofallback-") + QString::number(QDateTime::currentMSecsSinceEpoch())
        + QStringLiteral("-0123456789abcdefFALL");
    const QString service = QStringLiteral("io.github.ftcancel.FtCancel.nofallback");
    {
        SecretStore store(service);
        QSignalSpy saved(&store, &SecretStore::saved);
        store.save({key, QStringLiteral("org-nofallback"), QString()});
        QVERIFY(saved.wait(15000));
        const auto outcome = saved.first().first().value<SecretStore::Outcome>();
        QVERIFY2(!outcome.isOk(), "saved without a keyring: to a file?");
    }
    SecretStore again(service);
    QSignalSpy loaded(&again, &SecretStore::loaded);
    again.load();
    QVERIFY(loaded.wait(15000));
    QVERIFY(loaded.first().first().value<Credentials>().apiKey.isEmpty());
    const QStringList files = ProfileScan::profileFiles();
    QCOMPARE(ProfileScan::filesContaining(files, {key.toUtf8(), key.mid(8).toUtf8(), key.toUtf8().toBase64()}),
             QStringList());
}

QTEST_GUILESS_MAIN(TestNoFallback)
#include "tst_nofallback.moc"
