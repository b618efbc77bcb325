#include "keyringcontrol.h"
#include "keyringunlock.h"
#include "secretstore.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

// KeyringUnlock against the real (private) gnome-keyring of tests/with-keyring.sh. Its session bus has no
// prompter, as a desktop without a screen has none: a locked keyring cannot be unlocked by asking there, and
// FtCancel must say so, not hang; an unlocked one is reported unlocked without a prompt.
class TestKeyringUnlock final : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();
    void lockedKeyringWithoutAPrompterStaysLockedAndSaysSo();
    void unlockedKeyringIsUnlockedAtOnce();
    void theStoreReadsTheKeyAgainOnceUnlocked();

private:
    static std::pair<KeyringUnlock::Result, QString> unlock();
};

void TestKeyringUnlock::cleanup()
{
    QString error;
    QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
}

std::pair<KeyringUnlock::Result, QString> TestKeyringUnlock::unlock()
{
    QPointer<KeyringUnlock> job = new KeyringUnlock();
    QSignalSpy finished(job.data(), &KeyringUnlock::finished);
    job->start();
    if (!finished.wait(30000))
        return {KeyringUnlock::Result::Failed, QStringLiteral("(no answer from KeyringUnlock)")};
    if (finished.size() != 1)
        return {KeyringUnlock::Result::Failed, QStringLiteral("(finished more than once)")};
    // It deletes itself.
    if (!QTest::qWaitFor([&job] { return job.isNull(); }, 5000))
        return {KeyringUnlock::Result::Failed, QStringLiteral("(did not delete itself)")};
    return {finished.first().at(0).value<KeyringUnlock::Result>(), finished.first().at(1).toString()};
}

void TestKeyringUnlock::lockedKeyringWithoutAPrompterStaysLockedAndSaysSo()
{
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));
    QCOMPARE(KeyringControl::isLocked(), std::optional<bool>(true));
    const auto [result, message] = unlock();
    QVERIFY2(result != KeyringUnlock::Result::Unlocked, qPrintable(message));
    QVERIFY2(!message.isEmpty(), "a locked keyring that stays locked is explained");
    QCOMPARE(KeyringControl::isLocked(), std::optional<bool>(true));
}

void TestKeyringUnlock::unlockedKeyringIsUnlockedAtOnce()
{
    QCOMPARE(KeyringControl::isLocked(), std::optional<bool>(false));
    const auto [result, message] = unlock();
    QCOMPARE(result, KeyringUnlock::Result::Unlocked);
    QVERIFY(message.isEmpty());
}

void TestKeyringUnlock::theStoreReadsTheKeyAgainOnceUnlocked()
{
    // What "Load again" relies on: after the keyring is unlocked (here by its own password, as a login does),
    // the same store that found it locked reads the entry.
    SecretStore store(QStringLiteral("io.github.ftcancel.FtCancel.test-unlock"));
    Credentials saved;
    saved.apiKey = QStringLiteral("sk-unlock-test") + QStringLiteral("-0123456789abcdefKEY1");
    QSignalSpy savedSpy(&store, &SecretStore::saved);
    store.save(saved);
    QVERIFY(savedSpy.wait(15000));
    QVERIFY(savedSpy.first().at(0).value<SecretStore::Outcome>().isOk());

    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));
    QSignalSpy loaded(&store, &SecretStore::loaded);
    store.load();
    QVERIFY(loaded.wait(15000));
    QCOMPARE(loaded.first().at(1).value<SecretStore::Outcome>().status, SecretStore::Status::Locked);

    QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    QCOMPARE(unlock().first, KeyringUnlock::Result::Unlocked);
    store.load();
    QVERIFY(loaded.wait(15000));
    QVERIFY(loaded.at(1).at(1).value<SecretStore::Outcome>().isOk());
    QCOMPARE(loaded.at(1).at(0).value<Credentials>().apiKey, saved.apiKey);
}

QTEST_GUILESS_MAIN(TestKeyringUnlock)
#include "tst_keyringunlock.moc"
