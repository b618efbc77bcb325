#include "keyringcontrol.h"
#include "secretstore.h"

#include <QSignalSpy>
#include <QTest>

// SecretStore against a real Secret Service (a private gnome-keyring started by with-keyring.sh).
class TestSecretStore final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void loadWithNothingSavedIsNotFound();
    void lockedKeyringSaysLocked();
    void lockedKeyringWithNothingSavedSaysLocked();
    void saveThenLoadInANewStore();
    void saveReplacesEarlierCredentials();
    void forgetDeletesAndIsIdempotent();
    void separateServicesDoNotMix();

private:
    static Credentials load(SecretStore& store, SecretStore::Outcome* outcome);
    static SecretStore::Outcome save(SecretStore& store, const Credentials& c);
    static SecretStore::Outcome forget(SecretStore& store);
    QString m_service;
};

static int serviceCounter = 0;

void TestSecretStore::init()
{
    // A fresh service name per test, so tests do not see each other's entries.
    m_service = QStringLiteral("io.github.ftcancel.FtCancel.test%1").arg(++serviceCounter);
}

void TestSecretStore::cleanup()
{
    // A test that locked the keyring and failed half-way must not leave it locked for the next one.
    if (KeyringControl::isLocked() == true) {
        QString error;
        QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    }
}

Credentials TestSecretStore::load(SecretStore& store, SecretStore::Outcome* outcome)
{
    QSignalSpy spy(&store, &SecretStore::loaded);
    store.load();
    if (!spy.wait(15000)) {
        outcome->status = SecretStore::Status::TimedOut;
        return Credentials();
    }
    *outcome = spy.first().at(1).value<SecretStore::Outcome>();
    return spy.first().at(0).value<Credentials>();
}

SecretStore::Outcome TestSecretStore::save(SecretStore& store, const Credentials& c)
{
    QSignalSpy spy(&store, &SecretStore::saved);
    store.save(c);
    if (!spy.wait(15000))
        return {SecretStore::Status::TimedOut, QStringLiteral("test wait")};
    return spy.first().first().value<SecretStore::Outcome>();
}

SecretStore::Outcome TestSecretStore::forget(SecretStore& store)
{
    QSignalSpy spy(&store, &SecretStore::forgotten);
    store.forget();
    if (!spy.wait(15000))
        return {SecretStore::Status::TimedOut, QStringLiteral("test wait")};
    return spy.first().first().value<SecretStore::Outcome>();
}

void TestSecretStore::loadWithNothingSavedIsNotFound()
{
    // An unlocked keyring without the entry: "nothing saved", not "locked" (the lock check is a real question).
    QString error;
    const std::optional<bool> locked = KeyringControl::isLocked(&error);
    QVERIFY2(locked.has_value(), qPrintable(error));
    QCOMPARE(*locked, false);
    SecretStore store(m_service);
    SecretStore::Outcome outcome;
    const Credentials c = load(store, &outcome);
    QCOMPARE(outcome.status, SecretStore::Status::NotFound);
    QCOMPARE(outcome.message, QStringLiteral("No credentials saved yet."));
    QVERIFY(c.isEmpty());
}

void TestSecretStore::lockedKeyringSaysLocked()
{
    const Credentials saved{QStringLiteral("sk-locked-0123456789abcdefghijLOCK"), QStringLiteral("org-locked"),
                            QString()};
    SecretStore store(m_service);
    QVERIFY(save(store, saved).isOk());
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));

    // Read: libsecret says "not found"; the store asks and says locked.
    SecretStore::Outcome outcome;
    QVERIFY(load(store, &outcome).isEmpty());
    QCOMPARE(outcome.status, SecretStore::Status::Locked);
    QVERIFY2(outcome.message.startsWith(QStringLiteral("The keyring is locked: unlock it")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QStringLiteral("try again")), qPrintable(outcome.message));
    QVERIFY2(!outcome.message.contains(QStringLiteral("session")), qPrintable(outcome.message));

    // Write: refused, and said to be locked too.
    const SecretStore::Outcome written = save(store, {QStringLiteral("sk-other-0123456789abcdef"), {}, {}});
    QCOMPARE(written.status, SecretStore::Status::Locked);
    QCOMPARE(written.message, outcome.message);

    // Delete: libsecret reports success but deletes nothing; the store does not pretend.
    const SecretStore::Outcome deleted = forget(store);
    QCOMPARE(deleted.status, SecretStore::Status::Locked);

    // Unlocked again, the entry is there, unchanged by the refused write and the refused delete.
    QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    const Credentials again = load(store, &outcome);
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    QCOMPARE(again, saved);
    QVERIFY(forget(store).isOk());
}

void TestSecretStore::lockedKeyringWithNothingSavedSaysLocked()
{
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));
    SecretStore store(m_service);
    SecretStore::Outcome outcome;
    QVERIFY(load(store, &outcome).isEmpty());
    QCOMPARE(outcome.status, SecretStore::Status::Locked);
}

void TestSecretStore::saveThenLoadInANewStore()
{
    const Credentials saved{QStringLiteral("sk-store-0123456789abcdefghijWXYZ"), QStringLiteral("org-store"),
                            QStringLiteral("proj_store")};
    {
        SecretStore store(m_service);
        const SecretStore::Outcome outcome = save(store, saved);
        QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    }
    SecretStore again(m_service);
    SecretStore::Outcome outcome;
    const Credentials loaded = load(again, &outcome);
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    QCOMPARE(loaded.apiKey, saved.apiKey);
    QCOMPARE(loaded.organization, saved.organization);
    QCOMPARE(loaded.project, saved.project);
}

void TestSecretStore::saveReplacesEarlierCredentials()
{
    SecretStore store(m_service);
    QVERIFY(save(store, {QStringLiteral("sk-first-0123456789abcdef"), QStringLiteral("org-a"), QString()}).isOk());
    QVERIFY(save(store, {QStringLiteral("sk-second-0123456789abcdef"), QString(), QStringLiteral("proj_b")}).isOk());
    SecretStore::Outcome outcome;
    const Credentials loaded = load(store, &outcome);
    QVERIFY(outcome.isOk());
    QCOMPARE(loaded.apiKey, QStringLiteral("sk-second-0123456789abcdef"));
    QCOMPARE(loaded.organization, QString());
    QCOMPARE(loaded.project, QStringLiteral("proj_b"));
}

void TestSecretStore::forgetDeletesAndIsIdempotent()
{
    SecretStore store(m_service);
    QVERIFY(save(store, {QStringLiteral("sk-forget-0123456789abcdef"), QString(), QString()}).isOk());
    QVERIFY(forget(store).isOk());
    SecretStore::Outcome outcome;
    QVERIFY(load(store, &outcome).isEmpty());
    QCOMPARE(outcome.status, SecretStore::Status::NotFound);
    // Forgetting nothing is fine too.
    const SecretStore::Outcome again = forget(store);
    QVERIFY2(again.isOk(), qPrintable(again.message));
}

void TestSecretStore::separateServicesDoNotMix()
{
    SecretStore a(m_service + QStringLiteral(".a"));
    SecretStore b(m_service + QStringLiteral(".b"));
    QVERIFY(save(a, {QStringLiteral("sk-service-a-0123456789"), QString(), QString()}).isOk());
    SecretStore::Outcome outcome;
    QVERIFY(load(b, &outcome).isEmpty());
    QCOMPARE(outcome.status, SecretStore::Status::NotFound);
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
