#include "appsettings.h"
#include "keyringcontrol.h"
#include "profilescan.h"
#include "profilestore.h"
#include "secretcheck.h"
#include "secretstore.h"

#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

// ProfileStore against a real Secret Service (a private gnome-keyring started by with-keyring.sh) and real QSettings
// in the test's own HOME: profiles, their keys in the keychain, and the migration of the single credential.
class TestProfileStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void addKeepsTheKeyInTheKeychainOnly();
    void addRefusesBadNamesAndFields();
    void editChangesFieldsOnly();
    void renameMovesTheSecret();
    void renameOnALockedKeyringChangesNothing();
    void removeDeletesTheSecret();
    void removeOnALockedKeyringKeepsTheProfile();
    void defaultIsRememberedAndFollowsRenameAndRemove();
    void migrationMakesTheSingleCredentialAProfile();
    void migrationWithNothingSavedDoesNothing();
    void migrationTakesAFreeName();
    void migrationWithAFailedWriteKeepsTheOldEntry();
    void migrationWithALockedKeyringKeepsTheOldEntry();

private:
    static QString key(const char* tag);
    ProfileStore::Outcome add(ProfileStore& store, const Profile& p, const QString& key);
    QString readKey(ProfileStore& store, const QString& name, ProfileStore::Outcome* outcome);
    QString readEntry(const QString& entry, SecretStore::Outcome* outcome);
    ProfileStore::Outcome rename(ProfileStore& store, const QString& from, const QString& to);
    ProfileStore::Outcome remove(ProfileStore& store, const QString& name);
    bool migrate(ProfileStore& store, ProfileStore::Outcome* outcome);
    Credentials loadLegacy(SecretStore::Outcome* outcome);
    void lock();
    void unlock();

    QString m_service;
    SecretStore* m_secrets = nullptr;
};

static int serviceCounter = 0;
constexpr int waitMs = 15000;

void TestProfileStore::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ftcancel-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_profilestore"));
}

void TestProfileStore::init()
{
    // A fresh keychain service and empty settings per test, so tests do not see each other's entries.
    m_service = QStringLiteral("io.github.ftcancel.FtCancel.profiletest%1").arg(++serviceCounter);
    m_secrets = new SecretStore(m_service, this);
    QSettings().clear();
}

void TestProfileStore::cleanup()
{
    if (KeyringControl::isLocked() == true)
        unlock();
    delete m_secrets;
    m_secrets = nullptr;
}

void TestProfileStore::lock()
{
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));
}

void TestProfileStore::unlock()
{
    QString error;
    QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
}

QString TestProfileStore::key(const char* tag)
{
    return QStringLiteral("sk-%1-").arg(QLatin1String(tag))
        + SecretCheck::randomChars(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

ProfileStore::Outcome TestProfileStore::add(ProfileStore& store, const Profile& p, const QString& key)
{
    QSignalSpy spy(&store, &ProfileStore::added);
    store.add(p, key);
    if (!spy.wait(waitMs))
        return {SecretStore::Status::TimedOut, QStringLiteral("test wait"), false};
    [&] {
        QCOMPARE(spy.first().at(0).toString(), p.name);
    }();
    return spy.first().at(1).value<ProfileStore::Outcome>();
}

QString TestProfileStore::readKey(ProfileStore& store, const QString& name, ProfileStore::Outcome* outcome)
{
    QSignalSpy spy(&store, &ProfileStore::keyRead);
    store.readKey(name);
    if (!spy.wait(waitMs)) {
        *outcome = {SecretStore::Status::TimedOut, QStringLiteral("test wait"), false};
        return QString();
    }
    *outcome = spy.first().at(2).value<ProfileStore::Outcome>();
    return spy.first().at(1).toString();
}

// The keychain entry itself, read past ProfileStore with a SecretStore of its own.
QString TestProfileStore::readEntry(const QString& entry, SecretStore::Outcome* outcome)
{
    SecretStore other(m_service);
    bool done = false;
    QString secret;
    other.readSecret(entry, this, [&](const QString& s, const SecretStore::Outcome& o) {
        secret = s;
        *outcome = o;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, waitMs))
        outcome->status = SecretStore::Status::TimedOut;
    return secret;
}

ProfileStore::Outcome TestProfileStore::rename(ProfileStore& store, const QString& from, const QString& to)
{
    QSignalSpy spy(&store, &ProfileStore::renamed);
    store.rename(from, to);
    if (!spy.wait(waitMs))
        return {SecretStore::Status::TimedOut, QStringLiteral("test wait"), false};
    return spy.first().at(2).value<ProfileStore::Outcome>();
}

ProfileStore::Outcome TestProfileStore::remove(ProfileStore& store, const QString& name)
{
    QSignalSpy spy(&store, &ProfileStore::removed);
    store.remove(name);
    if (!spy.wait(waitMs))
        return {SecretStore::Status::TimedOut, QStringLiteral("test wait"), false};
    return spy.first().at(1).value<ProfileStore::Outcome>();
}

bool TestProfileStore::migrate(ProfileStore& store, ProfileStore::Outcome* outcome)
{
    QSignalSpy spy(&store, &ProfileStore::migrated);
    store.migrate();
    if (!spy.wait(waitMs)) {
        *outcome = {SecretStore::Status::TimedOut, QStringLiteral("test wait"), false};
        return false;
    }
    QTest::qWait(50);
    [&] {
        QCOMPARE(spy.count(), 1);
    }(); // exactly one signal
    *outcome = spy.first().at(1).value<ProfileStore::Outcome>();
    return spy.first().at(0).toBool();
}

Credentials TestProfileStore::loadLegacy(SecretStore::Outcome* outcome)
{
    SecretStore other(m_service);
    QSignalSpy spy(&other, &SecretStore::loaded);
    other.load();
    if (!spy.wait(waitMs)) {
        outcome->status = SecretStore::Status::TimedOut;
        return Credentials();
    }
    *outcome = spy.first().at(1).value<SecretStore::Outcome>();
    return spy.first().at(0).value<Credentials>();
}

void TestProfileStore::addKeepsTheKeyInTheKeychainOnly()
{
    const QString secret = key("add");
    ProfileStore store(m_secrets);
    QSignalSpy changed(&store, &ProfileStore::changed);
    Profile p;
    p.name = QStringLiteral("prod/eu"); // a slash must not make a settings group of its own
    p.organization = QStringLiteral("org-abc");
    p.project = QStringLiteral("proj_1");
    const ProfileStore::Outcome outcome = add(store, p, secret);
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    QCOMPARE(changed.count(), 1);

    // A new store (as after a restart) sees it, with its key in the keychain entry of its own.
    ProfileStore again(m_secrets);
    QCOMPARE(again.names(), QStringList{p.name});
    QCOMPARE(again.profile(p.name), std::optional<Profile>(p));
    QCOMPARE(again.defaultName(), p.name); // the first profile is the default
    ProfileStore::Outcome read;
    QCOMPARE(readKey(again, p.name, &read), secret);
    QVERIFY2(read.isOk(), qPrintable(read.message));
    SecretStore::Outcome entry;
    QCOMPARE(readEntry(QStringLiteral("profile/prod/eu"), &entry), secret);

    // No file of the test's profile (the settings included) holds the key.
    QSettings().sync();
    const QStringList files = ProfileScan::profileFiles();
    QVERIFY(!files.isEmpty());
    QCOMPARE(ProfileScan::filesContaining(files, {secret.toUtf8()}), QStringList());
}

void TestProfileStore::addRefusesBadNamesAndFields()
{
    ProfileStore store(m_secrets);
    Profile p;
    p.name = QStringLiteral("taken");
    QVERIFY(add(store, p, key("taken")).isOk());

    QCOMPARE(store.checkName(QStringLiteral("fresh")), QString());
    QCOMPARE(store.checkName(QStringLiteral("taken")),
             QStringLiteral("There is a profile named \u201Ctaken\u201D already."));
    QCOMPARE(store.checkName(QStringLiteral("taken"), QStringLiteral("taken")), QString());
    QCOMPARE(store.checkName(QString()), QStringLiteral("A profile needs a name."));
    QCOMPARE(store.checkName(QStringLiteral("   ")), QStringLiteral("A profile needs a name."));
    QVERIFY(!store.checkName(QString(ProfileStore::maxNameLength + 1, u'x')).isEmpty());
    QCOMPARE(store.checkName(QString(ProfileStore::maxNameLength, u'x')), QString());
    QVERIFY(store.checkName(QStringLiteral("a\nb")).contains(QStringLiteral("control")));
    QVERIFY(store.checkName(QStringLiteral("a\u202Eb")).contains(QStringLiteral("control")));

    Profile azure;
    azure.name = QStringLiteral("az");
    azure.provider = Provider::Azure;
    QVERIFY(ProfileStore::checkFields(azure).contains(QStringLiteral("endpoint")));
    azure.baseUrl = QStringLiteral("https://res.openai.azure.com");
    QCOMPARE(ProfileStore::checkFields(azure), QString());
    azure.apiVersion = QStringLiteral("2024-10-21");
    QCOMPARE(ProfileStore::checkFields(azure), QString());
    azure.apiVersion = QStringLiteral("yesterday");
    QVERIFY(ProfileStore::checkFields(azure).contains(QStringLiteral("API version")));
    azure.apiVersion.clear();
    azure.organization = QStringLiteral("org-x");
    QVERIFY(!ProfileStore::checkFields(azure).isEmpty());
    Profile openai;
    openai.baseUrl = QStringLiteral("http://example.com/v1"); // plain http off this computer
    QVERIFY(ProfileStore::checkFields(openai).contains(QStringLiteral("http")));
    openai.baseUrl.clear();
    openai.organization = QStringLiteral("org x");
    QVERIFY(!ProfileStore::checkFields(openai).isEmpty());
    openai.organization.clear();
    openai.apiVersion = QStringLiteral("v1");
    QVERIFY(!ProfileStore::checkFields(openai).isEmpty());

    // Refused before the keychain is asked: nothing is written.
    const QString secret = key("refused");
    ProfileStore::Outcome outcome = add(store, p, secret);
    QVERIFY(outcome.refused);
    QVERIFY(!outcome.isOk());
    azure.organization.clear();
    azure.baseUrl.clear();
    outcome = add(store, azure, secret);
    QVERIFY(outcome.refused);
    p.name = QStringLiteral("nokey");
    outcome = add(store, p, QString());
    QVERIFY(outcome.refused);
    outcome = add(store, p, QStringLiteral("sk-with space"));
    QVERIFY(outcome.refused);
    QCOMPARE(store.names(), QStringList{QStringLiteral("taken")});
    SecretStore::Outcome entry;
    readEntry(QStringLiteral("profile/az"), &entry);
    QCOMPARE(entry.status, SecretStore::Status::NotFound);
}

void TestProfileStore::editChangesFieldsOnly()
{
    ProfileStore store(m_secrets);
    const QString secret = key("edit");
    Profile p;
    p.name = QStringLiteral("e");
    QVERIFY(add(store, p, secret).isOk());
    Profile changedFields = p;
    changedFields.name = QStringLiteral("ignored");
    changedFields.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    changedFields.project = QStringLiteral("proj_x");
    QSignalSpy spy(&store, &ProfileStore::edited);
    store.edit(p.name, changedFields);
    QVERIFY(spy.wait(waitMs));
    QVERIFY(spy.first().at(1).value<ProfileStore::Outcome>().isOk());
    QCOMPARE(store.names(), QStringList{p.name});
    QCOMPARE(store.profile(p.name)->baseUrl, changedFields.baseUrl);
    QCOMPARE(store.profile(p.name)->project, changedFields.project);
    ProfileStore::Outcome read;
    QCOMPARE(readKey(store, p.name, &read), secret);

    spy.clear();
    changedFields.provider = Provider::Azure; // no endpoint: refused, unchanged
    changedFields.baseUrl.clear();
    changedFields.project.clear();
    store.edit(p.name, changedFields);
    QVERIFY(spy.wait(waitMs));
    QVERIFY(spy.first().at(1).value<ProfileStore::Outcome>().refused);
    QCOMPARE(store.profile(p.name)->provider, Provider::OpenAI);
}

void TestProfileStore::renameMovesTheSecret()
{
    ProfileStore store(m_secrets);
    const QString secret = key("rename");
    Profile p;
    p.name = QStringLiteral("old");
    p.project = QStringLiteral("proj_r");
    QVERIFY(add(store, p, secret).isOk());
    const ProfileStore::Outcome outcome = rename(store, QStringLiteral("old"), QStringLiteral("new"));
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));

    QCOMPARE(store.names(), QStringList{QStringLiteral("new")});
    QCOMPARE(store.profile(QStringLiteral("new"))->project, p.project);
    ProfileStore::Outcome read;
    QCOMPARE(readKey(store, QStringLiteral("new"), &read), secret);
    SecretStore::Outcome entry;
    QCOMPARE(readEntry(QStringLiteral("profile/new"), &entry), secret);
    QVERIFY(readEntry(QStringLiteral("profile/old"), &entry).isEmpty());
    QCOMPARE(entry.status, SecretStore::Status::NotFound); // the secret moved, it was not copied

    // Onto a taken name, or from a missing one: refused.
    p.name = QStringLiteral("other");
    QVERIFY(add(store, p, key("other")).isOk());
    QVERIFY(rename(store, QStringLiteral("new"), QStringLiteral("other")).refused);
    QVERIFY(rename(store, QStringLiteral("gone"), QStringLiteral("x")).refused);
    QCOMPARE(readKey(store, QStringLiteral("new"), &read), secret);
}

void TestProfileStore::renameOnALockedKeyringChangesNothing()
{
    ProfileStore store(m_secrets);
    const QString secret = key("lockedrename");
    Profile p;
    p.name = QStringLiteral("stay");
    QVERIFY(add(store, p, secret).isOk());
    lock();
    const ProfileStore::Outcome outcome = rename(store, QStringLiteral("stay"), QStringLiteral("moved"));
    QCOMPARE(outcome.status, SecretStore::Status::Locked);
    QVERIFY2(outcome.message.contains(QStringLiteral("not renamed")), qPrintable(outcome.message));
    unlock();
    QCOMPARE(store.names(), QStringList{QStringLiteral("stay")});
    ProfileStore::Outcome read;
    QCOMPARE(readKey(store, QStringLiteral("stay"), &read), secret);
    SecretStore::Outcome entry;
    readEntry(QStringLiteral("profile/moved"), &entry);
    QCOMPARE(entry.status, SecretStore::Status::NotFound);
}

void TestProfileStore::removeDeletesTheSecret()
{
    ProfileStore store(m_secrets);
    Profile p;
    p.name = QStringLiteral("doomed");
    QVERIFY(add(store, p, key("remove")).isOk());
    const ProfileStore::Outcome outcome = remove(store, p.name);
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    QVERIFY(store.names().isEmpty());
    QVERIFY(!store.profile(p.name));
    SecretStore::Outcome entry;
    QVERIFY(readEntry(QStringLiteral("profile/doomed"), &entry).isEmpty());
    QCOMPARE(entry.status, SecretStore::Status::NotFound);
    QVERIFY(remove(store, p.name).refused); // no such profile any more
}

void TestProfileStore::removeOnALockedKeyringKeepsTheProfile()
{
    ProfileStore store(m_secrets);
    const QString secret = key("lockedremove");
    Profile p;
    p.name = QStringLiteral("kept");
    QVERIFY(add(store, p, secret).isOk());
    lock();
    const ProfileStore::Outcome outcome = remove(store, p.name);
    QCOMPARE(outcome.status, SecretStore::Status::Locked);
    unlock();
    QCOMPARE(store.names(), QStringList{p.name}); // the profile stays with its secret: nothing orphaned
    ProfileStore::Outcome read;
    QCOMPARE(readKey(store, p.name, &read), secret);
}

void TestProfileStore::defaultIsRememberedAndFollowsRenameAndRemove()
{
    ProfileStore store(m_secrets);
    QSignalSpy defaults(&store, &ProfileStore::defaultChanged);
    Profile p;
    p.name = QStringLiteral("b");
    QVERIFY(add(store, p, key("b")).isOk());
    p.name = QStringLiteral("a");
    QVERIFY(add(store, p, key("a")).isOk());
    QCOMPARE(store.names(), (QStringList{QStringLiteral("a"), QStringLiteral("b")})); // sorted
    QCOMPARE(store.defaultName(), QStringLiteral("b"));
    store.setDefault(QStringLiteral("a"));
    QCOMPARE(ProfileStore(m_secrets).defaultName(), QStringLiteral("a"));
    QVERIFY(rename(store, QStringLiteral("a"), QStringLiteral("c")).isOk());
    QCOMPARE(store.defaultName(), QStringLiteral("c"));
    QVERIFY(remove(store, QStringLiteral("c")).isOk());
    QCOMPARE(store.defaultName(), QString());
    QCOMPARE(defaults.count(), 4); // b, a, c, none
    QCOMPARE(defaults.last().first().toString(), QString());
}

void TestProfileStore::migrationMakesTheSingleCredentialAProfile()
{
    const Credentials old{key("legacy"), QStringLiteral("org-legacy"), QStringLiteral("proj_legacy")};
    {
        QSignalSpy saved(m_secrets, &SecretStore::saved);
        m_secrets->save(old);
        QVERIFY(saved.wait(waitMs));
        QVERIFY(saved.first().first().value<SecretStore::Outcome>().isOk());
    }
    AppSettings().setBaseUrl(QStringLiteral("http://127.0.0.1:8080/v1"));

    ProfileStore store(m_secrets);
    QVERIFY(!store.isMigrated());
    ProfileStore::Outcome outcome;
    QVERIFY(migrate(store, &outcome));
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    QVERIFY(store.isMigrated());

    Profile expected;
    expected.name = QStringLiteral("Default");
    expected.provider = Provider::OpenAI;
    expected.baseUrl = QStringLiteral("http://127.0.0.1:8080/v1");
    expected.organization = old.organization;
    expected.project = old.project;
    QCOMPARE(store.profiles(), QList<Profile>{expected});
    QCOMPARE(store.defaultName(), expected.name);
    ProfileStore::Outcome read;
    QCOMPARE(readKey(store, expected.name, &read), old.apiKey); // not asked again

    // The old entry is gone, and a second start does nothing.
    SecretStore::Outcome legacy;
    QVERIFY(loadLegacy(&legacy).isEmpty());
    QCOMPARE(legacy.status, SecretStore::Status::NotFound);
    QVERIFY(!migrate(store, &outcome));
    QVERIFY(outcome.isOk());
    QCOMPARE(store.names(), QStringList{expected.name});

    QSettings().sync();
    QCOMPARE(ProfileScan::filesContaining(ProfileScan::profileFiles(), {old.apiKey.toUtf8()}), QStringList());
}

void TestProfileStore::migrationWithNothingSavedDoesNothing()
{
    ProfileStore store(m_secrets);
    ProfileStore::Outcome outcome;
    QVERIFY(!migrate(store, &outcome));
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    QVERIFY(store.names().isEmpty());
}

void TestProfileStore::migrationTakesAFreeName()
{
    ProfileStore store(m_secrets);
    Profile mine;
    mine.name = QStringLiteral("Default");
    mine.provider = Provider::Mistral;
    const QString mineKey = key("mine");
    QVERIFY(add(store, mine, mineKey).isOk());
    const Credentials old{key("legacy2"), QString(), QString()};
    QSignalSpy saved(m_secrets, &SecretStore::saved);
    m_secrets->save(old);
    QVERIFY(saved.wait(waitMs));

    ProfileStore::Outcome outcome;
    QVERIFY(migrate(store, &outcome));
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    QCOMPARE(store.names(), (QStringList{QStringLiteral("Default"), QStringLiteral("Default 2")}));
    ProfileStore::Outcome read;
    QCOMPARE(readKey(store, QStringLiteral("Default"), &read), mineKey);
    QCOMPARE(readKey(store, QStringLiteral("Default 2"), &read), old.apiKey);
    QCOMPARE(store.defaultName(), QStringLiteral("Default")); // a default already chosen stays
}

void TestProfileStore::migrationWithAFailedWriteKeepsTheOldEntry()
{
    // The old entry can be read (it is in the session collection, which stays open) but nothing can be written
    // (the default collection, where new entries go, is locked): the write of the profile's entry fails.
    const QString oldKey = key("stuck");
    const QString legacyJson
        = QStringLiteral("{\"api_key\":\"%1\",\"organization\":\"org-stuck\",\"project\":\"\"}").arg(oldKey);
    QString error;
    QVERIFY2(KeyringControl::storeInSessionCollection(m_service, SecretStore::legacyEntry(), legacyJson, &error),
             qPrintable(error));
    lock();
    SecretStore::Outcome legacy;
    QCOMPARE(loadLegacy(&legacy).apiKey, oldKey); // readable while locked: the read is not what fails

    ProfileStore store(m_secrets);
    ProfileStore::Outcome outcome;
    QVERIFY(!migrate(store, &outcome));
    QCOMPARE(outcome.status, SecretStore::Status::Locked);
    QVERIFY2(outcome.message.contains(QStringLiteral("could not be written")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QStringLiteral("stay where they were")), qPrintable(outcome.message));
    QVERIFY(store.names().isEmpty());
    QVERIFY(!store.isMigrated());

    // The old entry is still there, unchanged; unlocked, the next start migrates it.
    unlock();
    const Credentials still = loadLegacy(&legacy);
    QVERIFY2(legacy.isOk(), qPrintable(legacy.message));
    QCOMPARE(still.apiKey, oldKey);
    QCOMPARE(still.organization, QStringLiteral("org-stuck"));
    QVERIFY(migrate(store, &outcome));
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    ProfileStore::Outcome read;
    QCOMPARE(readKey(store, QStringLiteral("Default"), &read), oldKey);
    QCOMPARE(store.profile(QStringLiteral("Default"))->organization, QStringLiteral("org-stuck"));
    QVERIFY(loadLegacy(&legacy).isEmpty());
    QCOMPARE(legacy.status, SecretStore::Status::NotFound);
}

void TestProfileStore::migrationWithALockedKeyringKeepsTheOldEntry()
{
    const Credentials old{key("lockedlegacy"), QString(), QString()};
    QSignalSpy saved(m_secrets, &SecretStore::saved);
    m_secrets->save(old);
    QVERIFY(saved.wait(waitMs));
    lock();
    ProfileStore store(m_secrets);
    ProfileStore::Outcome outcome;
    QVERIFY(!migrate(store, &outcome));
    QCOMPARE(outcome.status, SecretStore::Status::Locked);
    QVERIFY(!store.isMigrated()); // tried again next time
    unlock();
    SecretStore::Outcome legacy;
    QCOMPARE(loadLegacy(&legacy), old);
    QVERIFY(store.names().isEmpty());
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
