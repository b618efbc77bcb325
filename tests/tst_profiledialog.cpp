#include "apiconfig.h"
#include "appinfo.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "profiledialog.h"
#include "profilescan.h"
#include "profilestore.h"
#include "secretcheck.h"
#include "secretstore.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

// The Profiles dialog as an operator uses it, offscreen, against a real Secret Service (a private gnome-keyring
// started by with-keyring.sh) and, for the key test, a local simulator of the provider on 127.0.0.1.
class TestProfileDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void addSavesTheKeyInTheKeyringOnly();
    void renameMovesTheKeyAndANewKeyReplacesIt();
    void deleteAsksFirstAndKeepKeeps();
    void providerShowsOnlyItsFields();
    void testKeyAsksTheProviderOnce();
    void testKeyOfABatchOnlyProviderReadsItsBatches();
    void keyPastedIntoOrganizationIsRefused();

private:
    template <typename T> static T* child(QWidget* w, const char* name)
    {
        T* found = w->findChild<T*>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }
    static QString key(const char* tag);
    static ApiConfig requestSettings();
    std::unique_ptr<ProfileDialog> newDialog();
    ProfileStore::Outcome addThroughStore(const Profile& p, const QString& key);
    QString readKey(const QString& name, ProfileStore::Outcome* outcome);
    SecretStore::Outcome readEntry(const QString& profileName);
    static QString message(ProfileDialog* d);
    static void choose(ProfileDialog* d, Provider provider);
    static void clickSaveAndWait(ProfileDialog* d);
    // Every text the dialog shows: its labels and the rows of its list.
    static QStringList shownTexts(ProfileDialog* d);

    SecretStore* m_secrets = nullptr;
    ProfileStore* m_store = nullptr;
};

constexpr int waitMs = 15000;
static const QString serviceName = QStringLiteral("io.github.ftcancel.FtCancel.profiledialogtest");

void TestProfileDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestProfileDialog::init()
{
    // Each test starts from no profiles: those a test left (one that failed half-way) go, keys and all.
    m_secrets = new SecretStore(serviceName, this);
    m_store = new ProfileStore(m_secrets, this);
    for (const QString& name : m_store->names()) {
        QSignalSpy removed(m_store, &ProfileStore::removed);
        m_store->remove(name);
        QVERIFY(removed.wait(waitMs));
        const auto outcome = removed.first().at(1).value<ProfileStore::Outcome>();
        QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
    }
    QCOMPARE(m_store->names(), QStringList());
}

void TestProfileDialog::cleanup()
{
    qunsetenv("OPENAI_API_KEY");
    qunsetenv("OPENAI_BASE_URL");
    delete m_store;
    m_store = nullptr;
    delete m_secrets;
    m_secrets = nullptr;
}

QString TestProfileDialog::key(const char* tag)
{
    return QStringLiteral("sk-%1-").arg(QLatin1String(tag))
        + SecretCheck::randomChars(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

ApiConfig TestProfileDialog::requestSettings()
{
    ApiConfig config;
    config.timeoutSeconds = 10;
    config.maxRetries = 0;
    config.deadlineSeconds = 20;
    return config;
}

std::unique_ptr<ProfileDialog> TestProfileDialog::newDialog()
{
    auto d = std::make_unique<ProfileDialog>(m_store, requestSettings());
    d->show();
    return d;
}

ProfileStore::Outcome TestProfileDialog::addThroughStore(const Profile& p, const QString& key)
{
    QSignalSpy added(m_store, &ProfileStore::added);
    m_store->add(p, key);
    if (!added.wait(waitMs))
        return {SecretStore::Status::TimedOut, QStringLiteral("test wait"), false};
    return added.first().at(1).value<ProfileStore::Outcome>();
}

QString TestProfileDialog::readKey(const QString& name, ProfileStore::Outcome* outcome)
{
    QSignalSpy read(m_store, &ProfileStore::keyRead);
    m_store->readKey(name);
    if (!read.wait(waitMs)) {
        *outcome = {SecretStore::Status::TimedOut, QStringLiteral("test wait"), false};
        return QString();
    }
    *outcome = read.first().at(2).value<ProfileStore::Outcome>();
    return read.first().at(1).toString();
}

// The keychain entry of a profile, read past ProfileStore (which refuses names it has no profile for).
SecretStore::Outcome TestProfileDialog::readEntry(const QString& profileName)
{
    SecretStore other(serviceName);
    SecretStore::Outcome outcome{SecretStore::Status::TimedOut, QString()};
    bool done = false;
    other.readSecret(SecretStore::profileEntry(profileName), this, [&](const QString&, const SecretStore::Outcome& o) {
        outcome = o;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, waitMs))
        outcome = {SecretStore::Status::TimedOut, QStringLiteral("test wait")};
    return outcome;
}

QString TestProfileDialog::message(ProfileDialog* d)
{
    return child<QLabel>(d, "profileMessageLabel")->text();
}

void TestProfileDialog::choose(ProfileDialog* d, Provider provider)
{
    auto* combo = child<QComboBox>(d, "providerCombo");
    const int index = combo->findData(ProviderInfo::of(provider).key);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

void TestProfileDialog::clickSaveAndWait(ProfileDialog* d)
{
    auto* save = child<QPushButton>(d, "saveProfileButton");
    QTest::mouseClick(save, Qt::LeftButton);
    // The chain runs asynchronously; the button is back when it has ended.
    QTRY_VERIFY_WITH_TIMEOUT(save->isEnabled() && !message(d).endsWith(QStringLiteral("\u2026")), waitMs);
}

QStringList TestProfileDialog::shownTexts(ProfileDialog* d)
{
    QStringList texts;
    for (const QLabel* label : d->findChildren<QLabel*>())
        texts << label->text();
    const QListWidget* list = child<QListWidget>(d, "profileList");
    for (int row = 0; row < list->count(); ++row)
        texts << list->item(row)->text();
    return texts;
}

void TestProfileDialog::addSavesTheKeyInTheKeyringOnly()
{
    const QString secret = key("add");
    auto d = newDialog();
    QSignalSpy shown(d.get(), &ProfileDialog::messageShown);
    QTest::mouseClick(child<QPushButton>(d.get(), "addProfileButton"), Qt::LeftButton);
    QCOMPARE(child<QLineEdit>(d.get(), "nameEdit")->text(), QString());
    QTest::keyClicks(child<QLineEdit>(d.get(), "nameEdit"), QStringLiteral("together-main"));
    choose(d.get(), Provider::Together);
    auto* keyEdit = child<QLineEdit>(d.get(), "apiKeyEdit");
    QCOMPARE(keyEdit->echoMode(), QLineEdit::Password);
    QCOMPARE(keyEdit->placeholderText(), QStringLiteral("Paste the API key"));
    QTest::keyClicks(keyEdit, secret);
    clickSaveAndWait(d.get());

    QCOMPARE(message(d.get()), QStringLiteral("Saved the profile \u201Ctogether-main\u201D."));
    const std::optional<Profile> p = m_store->profile(QStringLiteral("together-main"));
    QVERIFY(p);
    QCOMPARE(p->provider, Provider::Together);
    ProfileStore::Outcome read;
    QCOMPARE(readKey(p->name, &read), secret);
    QVERIFY2(read.isOk(), qPrintable(read.message));

    // Listed, the default (the first profile); the field is emptied and says the key is saved.
    auto* list = child<QListWidget>(d.get(), "profileList");
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->text(),
             QStringLiteral("together-main \u2014 %1 (default)").arg(ProviderInfo::of(Provider::Together).displayName));
    QCOMPARE(keyEdit->text(), QString());
    QCOMPARE(keyEdit->placeholderText(), QStringLiteral("Saved in the keyring"));

    // The key is in no text shown, no message for the log, no file.
    QStringList texts = shownTexts(d.get());
    for (const QList<QVariant>& signal : std::as_const(shown))
        texts << signal.at(0).toString();
    QVERIFY(!shown.isEmpty());
    for (const QString& text : std::as_const(texts))
        QVERIFY2(SecretCheck::longestLeak(text, secret) == 0, qPrintable(text));
    QSettings().sync();
    QCOMPARE(ProfileScan::filesContaining(ProfileScan::profileFiles(), {secret.toUtf8()}), QStringList());

    // A new profile is not saved without its key, and says so.
    QTest::mouseClick(child<QPushButton>(d.get(), "addProfileButton"), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>(d.get(), "nameEdit"), QStringLiteral("keyless"));
    QTest::mouseClick(child<QPushButton>(d.get(), "saveProfileButton"), Qt::LeftButton);
    QVERIFY2(message(d.get()).contains(QStringLiteral("needs its API key")), qPrintable(message(d.get())));
    QTest::qWait(200);
    QVERIFY(!m_store->profile(QStringLiteral("keyless")));
}

void TestProfileDialog::renameMovesTheKeyAndANewKeyReplacesIt()
{
    const QString secret = key("rename");
    Profile p;
    p.name = QStringLiteral("before");
    p.project = QStringLiteral("proj_kept");
    QVERIFY(addThroughStore(p, secret).isOk());
    auto d = newDialog();
    auto* name = child<QLineEdit>(d.get(), "nameEdit");
    QCOMPARE(name->text(), p.name); // the default profile is shown
    QCOMPARE(child<QLineEdit>(d.get(), "apiKeyEdit")->text(), QString()); // the saved key is not read into it

    // Renamed with the key field left empty: the key goes with it.
    name->clear();
    QTest::keyClicks(name, QStringLiteral("after"));
    clickSaveAndWait(d.get());
    QCOMPARE(message(d.get()), QStringLiteral("Saved the profile \u201Cafter\u201D."));
    QCOMPARE(m_store->names(), QStringList{QStringLiteral("after")});
    QCOMPARE(m_store->profile(QStringLiteral("after"))->project, p.project);
    ProfileStore::Outcome read;
    QCOMPARE(readKey(QStringLiteral("after"), &read), secret);
    QVERIFY(!m_store->profile(QStringLiteral("before")));
    QCOMPARE(readEntry(QStringLiteral("before")).status, SecretStore::Status::NotFound); // moved, not copied
    QCOMPARE(m_store->defaultName(), QStringLiteral("after"));

    // A key typed in replaces the saved one; the field is emptied after.
    const QString newer = key("newer");
    QTest::keyClicks(child<QLineEdit>(d.get(), "apiKeyEdit"), newer);
    QTest::keyClicks(child<QLineEdit>(d.get(), "baseUrlEdit"), QStringLiteral("http://127.0.0.1:9/v1"));
    clickSaveAndWait(d.get());
    QCOMPARE(message(d.get()), QStringLiteral("Saved the profile \u201Cafter\u201D."));
    QCOMPARE(readKey(QStringLiteral("after"), &read), newer);
    QCOMPARE(m_store->profile(QStringLiteral("after"))->baseUrl, QStringLiteral("http://127.0.0.1:9/v1"));
    QCOMPARE(child<QLineEdit>(d.get(), "apiKeyEdit")->text(), QString());

    // Onto a name that is taken: refused before anything is written.
    Profile other;
    other.name = QStringLiteral("taken");
    QVERIFY(addThroughStore(other, key("taken")).isOk());
    d->selectProfile(QStringLiteral("after"));
    name->clear();
    QTest::keyClicks(name, QStringLiteral("taken"));
    QTest::mouseClick(child<QPushButton>(d.get(), "saveProfileButton"), Qt::LeftButton);
    QVERIFY2(message(d.get()).contains(QStringLiteral("already")), qPrintable(message(d.get())));
    QCOMPARE(readKey(QStringLiteral("after"), &read), newer);
}

void TestProfileDialog::deleteAsksFirstAndKeepKeeps()
{
    const QString secret = key("delete");
    Profile p;
    p.name = QStringLiteral("doomed");
    QVERIFY(addThroughStore(p, secret).isOk());
    auto d = newDialog();
    const auto ask = [&]() -> QMessageBox* {
        QTest::mouseClick(child<QPushButton>(d.get(), "deleteProfileButton"), Qt::LeftButton);
        QMessageBox* box = nullptr;
        const bool asked = QTest::qWaitFor(
            [&] {
                box = d->findChild<QMessageBox*>(QStringLiteral("deleteProfileQuestion"));
                return box && box->isVisible();
            },
            5000);
        return asked ? box : nullptr;
    };

    QMessageBox* box = ask();
    QVERIFY(box);
    QCOMPARE(box->text(),
             QStringLiteral("Delete the profile \u201Cdoomed\u201D? Its key is deleted from the keyring."));
    auto* keep = child<QPushButton>(box, "keepProfileButton");
    QCOMPARE(box->defaultButton(), keep); // Enter keeps it
    QCOMPARE(box->escapeButton(), static_cast<QAbstractButton*>(keep));
    QTest::mouseClick(keep, Qt::LeftButton);
    QTest::qWait(300);
    QVERIFY(m_store->profile(p.name));
    ProfileStore::Outcome read;
    QCOMPARE(readKey(p.name, &read), secret);

    box = ask();
    QVERIFY(box);
    QSignalSpy removed(m_store, &ProfileStore::removed);
    QTest::mouseClick(child<QPushButton>(box, "confirmDeleteButton"), Qt::LeftButton);
    QVERIFY(removed.wait(waitMs));
    QVERIFY(!m_store->profile(p.name));
    QCOMPARE(readEntry(p.name).status, SecretStore::Status::NotFound);
    QTRY_COMPARE(message(d.get()), QStringLiteral("Deleted the profile \u201Cdoomed\u201D and its key."));
    QCOMPARE(child<QListWidget>(d.get(), "profileList")->count(), 0);
    QVERIFY(!child<QPushButton>(d.get(), "deleteProfileButton")->isEnabled()); // nothing left to delete
}

void TestProfileDialog::providerShowsOnlyItsFields()
{
    auto d = newDialog();
    auto* organization = child<QLineEdit>(d.get(), "organizationEdit");
    auto* project = child<QLineEdit>(d.get(), "projectEdit");
    auto* version = child<QLineEdit>(d.get(), "apiVersionEdit");
    auto* baseUrl = child<QLineEdit>(d.get(), "baseUrlEdit");
    QTest::keyClicks(organization, QStringLiteral("org-left"));

    choose(d.get(), Provider::Azure);
    QVERIFY(version->isVisibleTo(d.get()));
    QVERIFY(!organization->isVisibleTo(d.get()));
    QVERIFY(!project->isVisibleTo(d.get()));
    QVERIFY(!child<QLabel>(d.get(), "organizationLabel")->isVisibleTo(d.get()));
    QVERIFY(child<QLabel>(d.get(), "apiVersionLabel")->isVisibleTo(d.get()));
    QCOMPARE(baseUrl->placeholderText(), QStringLiteral("https://<resource>.openai.azure.com"));
    QCOMPARE(version->placeholderText(), QStringLiteral("v1"));

    choose(d.get(), Provider::OpenAI);
    QVERIFY(!version->isVisibleTo(d.get()));
    QVERIFY(organization->isVisibleTo(d.get()));
    QVERIFY(project->isVisibleTo(d.get()));
    QVERIFY(!child<QLabel>(d.get(), "apiVersionLabel")->isVisibleTo(d.get()));
    QCOMPARE(baseUrl->placeholderText(), ProviderInfo::of(Provider::OpenAI).defaultBaseUrl);

    // Saved as Azure, the organization typed while it was OpenAI is not kept.
    choose(d.get(), Provider::Azure);
    QTest::keyClicks(child<QLineEdit>(d.get(), "nameEdit"), QStringLiteral("azure-eu"));
    QTest::keyClicks(baseUrl, QStringLiteral("https://res.openai.azure.com"));
    QTest::keyClicks(version, QStringLiteral("2024-10-21"));
    QTest::keyClicks(child<QLineEdit>(d.get(), "apiKeyEdit"), key("azure"));
    clickSaveAndWait(d.get());
    const std::optional<Profile> p = m_store->profile(QStringLiteral("azure-eu"));
    QVERIFY2(p, qPrintable(message(d.get())));
    QCOMPARE(p->provider, Provider::Azure);
    QCOMPARE(p->organization, QString());
    QCOMPARE(p->apiVersion, QStringLiteral("2024-10-21"));
    QCOMPARE(p->baseUrl, QStringLiteral("https://res.openai.azure.com"));
}

void TestProfileDialog::testKeyOfABatchOnlyProviderReadsItsBatches()
{
    // Anthropic runs batches only: the test reads its batch list (a list of fine-tuning jobs it does not have would
    // ask nothing and prove nothing), with its own headers.
    FakeOpenAiServer server;
    QVERIFY(server.listen());
    JobSimulator sim(&server);
    sim.setProvider(Provider::Anthropic);
    const QString good = key("claude");
    sim.setExpectedKey(good.toUtf8());
    Profile p;
    p.name = QStringLiteral("claude");
    p.provider = Provider::Anthropic;
    p.baseUrl = sim.baseUrl().toString();
    QVERIFY(addThroughStore(p, good).isOk());
    auto d = newDialog();
    QTest::mouseClick(child<QPushButton>(d.get(), "testKeyButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(message(d.get()), QStringLiteral("The key works: Anthropic answered."), waitMs);
    QCOMPARE(sim.requests().size(), 1);
    const SimulatedRequest request = sim.lastRequest();
    QCOMPARE(request.path, QStringLiteral("/v1/messages/batches"));
    QCOMPARE(request.header("x-api-key"), good.toUtf8());
    QCOMPARE(request.header("anthropic-version"), QByteArray("2023-06-01"));
    QVERIFY(!request.hasHeader("authorization"));
}

void TestProfileDialog::testKeyAsksTheProviderOnce()
{
    FakeOpenAiServer server;
    QVERIFY(server.listen());
    JobSimulator sim(&server);
    const QString good = key("good");
    sim.setExpectedKey(good.toUtf8());
    sim.add(QStringLiteral("ftjob-one"), QStringLiteral("running"));
    sim.add(QStringLiteral("ftjob-two"), QStringLiteral("running"));
    Profile p;
    p.name = QStringLiteral("local");
    p.baseUrl = sim.baseUrl().toString();
    QVERIFY(addThroughStore(p, good).isOk());
    // The dialog tests what it is given, not what the environment would put in its place.
    const QString wrong = key("wrong");
    qputenv("OPENAI_API_KEY", good.toUtf8());
    qputenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    auto d = newDialog();
    auto* test = child<QPushButton>(d.get(), "testKeyButton");

    // The saved key (the field left empty).
    QTest::mouseClick(test, Qt::LeftButton);
    QVERIFY(!test->isEnabled()); // while it runs
    QTRY_COMPARE_WITH_TIMEOUT(message(d.get()), QStringLiteral("The key works: OpenAI answered."), waitMs);
    QVERIFY(test->isEnabled());
    QCOMPARE(sim.requests().size(), 1);
    SimulatedRequest request = sim.lastRequest();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.kind, int(JobSimulator::RequestKind::List));
    QCOMPARE(request.queryItem(QStringLiteral("limit")), QStringLiteral("1"));
    QCOMPARE(request.header("authorization"), QByteArray("Bearer ") + good.toUtf8());

    // A wrong key typed in: the provider's 401 in plain words, the key nowhere in it.
    sim.clearRequests();
    QTest::keyClicks(child<QLineEdit>(d.get(), "apiKeyEdit"), wrong);
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(message(d.get()).startsWith(QStringLiteral("The key test failed")), waitMs);
    const QString said = message(d.get());
    QVERIFY2(said.contains(QStringLiteral("HTTP 401")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("The API key was rejected")), qPrintable(said));
    for (const QString& text : shownTexts(d.get()))
        QVERIFY2(SecretCheck::longestLeak(text, wrong) == 0 && SecretCheck::longestLeak(text, good) == 0,
                 qPrintable(text));
    QCOMPARE(sim.requests().size(), 1);
    request = sim.lastRequest();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.queryItem(QStringLiteral("limit")), QStringLiteral("1"));
    QCOMPARE(request.header("authorization"), QByteArray("Bearer ") + wrong.toUtf8());
    QCOMPARE(request.status, 401);
    // Testing saves nothing: the saved key is still the good one.
    ProfileStore::Outcome read;
    QCOMPARE(readKey(p.name, &read), good);
}

void TestProfileDialog::keyPastedIntoOrganizationIsRefused()
{
    const QString pasted
        = QStringLiteral("sk-proj-") + QStringLiteral("WrongField0123456789abcdefghijklmnopqrstuvwxyz");
    auto d = newDialog();
    QApplication::setActiveWindow(d.get());
    QVERIFY(QTest::qWaitForWindowActive(d.get()));
    QSignalSpy shown(d.get(), &ProfileDialog::messageShown);
    auto* organization = child<QLineEdit>(d.get(), "organizationEdit");
    QTest::keyClicks(organization, QStringLiteral("org-mine"));
    organization->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), organization);
    QGuiApplication::clipboard()->setText(pasted);
    QTest::keyClick(organization, Qt::Key_V, Qt::ControlModifier);

    QCOMPARE(organization->text(), QStringLiteral("org-mine"));
    QTRY_VERIFY(message(d.get()).contains(QStringLiteral("looks like an API key (\u2026wxyz)")));
    QVERIFY2(message(d.get()).contains(QStringLiteral("Organization ID")), qPrintable(message(d.get())));
    QVERIFY(SecretCheck::longestLeak(message(d.get()), pasted) == 0);
    QCOMPARE(shown.count(), 1);
    QVERIFY(SecretCheck::longestLeak(shown.first().at(0).toString(), pasted) == 0);
}

QTEST_MAIN(TestProfileDialog)
#include "tst_profiledialog.moc"
