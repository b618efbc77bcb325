#include "appinfo.h"
#include "batchmodel.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "keyringcontrol.h"
#include "mainwindow.h"
#include "profilefixture.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <QTreeWidget>
#include <algorithm>

#include <memory>

// The window with several profiles, offscreen, on a real (private) gnome-keyring, against two simulators: an
// OpenAI account and a Together account, each on its own port. What an operator notices: which profile is in use
// (switcher, title, status bar, confirmation), that switching sends to the other account with its own key and
// headers and drops what belonged to the first, that the choice is remembered, and that the credential saved
// before profiles becomes the profile "Default" without asking for the key.
class TestWindowProfiles final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void legacyCredentialBecomesDefaultWithoutAskingForTheKey();
    void firstKeySavedBecomesTheProfileDefault();
    void switchingProfileSendsToTheOtherAccountAndDropsTheFirstOnesJobs();
    void profileInUseIsRememberedBetweenRuns();
    void forgetDeletesTheProfileAndItsKey();
    void providerWithoutDashboardHidesTheAction();
    void confirmationSaysWhatTheProviderBillsAndFlagsUnknownStatuses();

private:
    std::unique_ptr<MainWindow> newWindow();
    void waitUntilLoaded(MainWindow* w);
    void addProfiles();
    void switchTo(MainWindow* w, const QString& name);
    QDialog* waitForConfirmation(MainWindow* w);
    template <typename T> T* child(QWidget* w, const char* name)
    {
        T* found = w->findChild<T*>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }

    FakeOpenAiServer* m_openAiServer = nullptr;
    JobSimulator* m_openAi = nullptr;
    FakeOpenAiServer* m_togetherServer = nullptr;
    JobSimulator* m_together = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

// Made up, and split so that no scanner takes them for keys.
static const QString prodKey = QStringLiteral("sk-proj-prod-window") + QStringLiteral("-0123456789abcdefPR0D");
static const QString togetherKey = QStringLiteral("tgp_v1_window") + QStringLiteral("0123456789abcdefTOGE");

void TestWindowProfiles::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestWindowProfiles::init()
{
    m_openAiServer = new FakeOpenAiServer(this);
    QVERIFY(m_openAiServer->listen());
    m_openAi = new JobSimulator(m_openAiServer, this);
    m_togetherServer = new FakeOpenAiServer(this);
    QVERIFY(m_togetherServer->listen());
    m_together = new JobSimulator(m_togetherServer, this);
    m_together->setProvider(Provider::Together);
    qunsetenv("OPENAI_BASE_URL");
    QString error;
    QVERIFY2(ProfileFixture::removeAll(&error), qPrintable(error));
    SecretStore legacy;
    QSignalSpy forgotten(&legacy, &SecretStore::forgotten);
    legacy.forget();
    QVERIFY(forgotten.wait(15000));
    QSettings settings;
    settings.remove(QStringLiteral("batch"));
    settings.remove(QStringLiteral("window"));
}

void TestWindowProfiles::cleanup()
{
    m_window.reset();
    delete m_openAi;
    delete m_openAiServer;
    delete m_together;
    delete m_togetherServer;
}

std::unique_ptr<MainWindow> TestWindowProfiles::newWindow()
{
    auto w = std::make_unique<MainWindow>();
    w->show();
    return w;
}

void TestWindowProfiles::waitUntilLoaded(MainWindow* w)
{
    QTRY_VERIFY_WITH_TIMEOUT(child<QLineEdit>(w, "apiKeyEdit")->isEnabled(), 15000);
}

// "prod": OpenAI with an organization, on the first server; "tog": Together, on the second.
void TestWindowProfiles::addProfiles()
{
    Profile prod;
    prod.name = QStringLiteral("prod");
    prod.provider = Provider::OpenAI;
    prod.baseUrl = m_openAiServer->baseUrl().toString();
    prod.organization = QStringLiteral("org-prodwindow");
    Profile tog;
    tog.name = QStringLiteral("tog");
    tog.provider = Provider::Together;
    tog.baseUrl = m_togetherServer->baseUrl().toString();
    QString error;
    QVERIFY2(ProfileFixture::add(prod, prodKey, &error), qPrintable(error));
    QVERIFY2(ProfileFixture::add(tog, togetherKey, &error), qPrintable(error));
}

void TestWindowProfiles::switchTo(MainWindow* w, const QString& name)
{
    auto* combo = child<QComboBox>(w, "profileCombo");
    const int index = combo->findData(name);
    QVERIFY2(index >= 0, qPrintable(name));
    QTRY_VERIFY_WITH_TIMEOUT(combo->isEnabled(), 15000); // not while a batch runs
    combo->setCurrentIndex(index);
    emit combo->activated(index); // as a click on the item does
    waitUntilLoaded(w);
}

QDialog* TestWindowProfiles::waitForConfirmation(MainWindow* w)
{
    for (int waited = 0; waited < 15000; waited += 20) {
        for (QDialog* d : w->findChildren<QDialog*>(QStringLiteral("confirmDialog")))
            if (d->isVisible())
                return d;
        QTest::qWait(20);
    }
    qFatal("no confirmation");
}

void TestWindowProfiles::legacyCredentialBecomesDefaultWithoutAskingForTheKey()
{
    SecretStore legacy;
    QSignalSpy saved(&legacy, &SecretStore::saved);
    legacy.save({prodKey, QStringLiteral("org-legacy"), QStringLiteral("proj_legacy")});
    QVERIFY(saved.wait(15000));
    QVERIFY(saved.first().first().value<SecretStore::Outcome>().isOk());

    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    // The fields hold what was saved, now as the profile "Default": nothing was asked.
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), prodKey);
    QCOMPARE(child<QLineEdit>(w, "orgEdit")->text(), QStringLiteral("org-legacy"));
    QCOMPARE(child<QLineEdit>(w, "projectEdit")->text(), QStringLiteral("proj_legacy"));
    QCOMPARE(child<QComboBox>(w, "profileCombo")->currentData().toString(), QStringLiteral("Default"));
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Saved in the keyring"));
    QVERIFY2(w->windowTitle().contains(QStringLiteral("Default (OpenAI)")), qPrintable(w->windowTitle()));
    QCOMPARE(ProfileFixture::savedKey(QStringLiteral("Default")), std::optional<QString>(prodKey));
    // The old entry went only after the new one was written and read back.
    QSignalSpy loaded(&legacy, &SecretStore::loaded);
    legacy.load();
    QVERIFY(loaded.wait(15000));
    QCOMPARE(loaded.first().last().value<SecretStore::Outcome>().status, SecretStore::Status::NotFound);
    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("are now the profile \u201CDefault\u201D")), qPrintable(log));
    QVERIFY2(!log.contains(prodKey), qPrintable(log));
}

void TestWindowProfiles::firstKeySavedBecomesTheProfileDefault()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* combo = child<QComboBox>(w, "profileCombo");
    QVERIFY(!combo->isEnabled()); // nothing to switch to yet
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Nothing saved"));
    QTest::keyClicks(child<QLineEdit>(w, "apiKeyEdit"), prodKey);
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-first"));
    QTest::mouseClick(child<QPushButton>(w, "saveCredentialsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Saved in the keyring"),
                              15000);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("Default"));
    QCOMPARE(ProfileFixture::savedKey(QStringLiteral("Default")), std::optional<QString>(prodKey));
    SecretStore secrets;
    ProfileStore store(&secrets);
    const std::optional<Profile> p = store.profile(QStringLiteral("Default"));
    QVERIFY(p);
    QCOMPARE(p->provider, Provider::OpenAI);
    QCOMPARE(p->organization, QStringLiteral("org-first"));
    QCOMPARE(store.defaultName(), QStringLiteral("Default"));
    // The organization edited and saved again goes to the same profile.
    auto* org = child<QLineEdit>(w, "orgEdit");
    org->clear();
    QTest::keyClicks(org, QStringLiteral("org-second"));
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Not saved"));
    QTest::mouseClick(child<QPushButton>(w, "saveCredentialsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Saved in the keyring"),
                              15000);
    QCOMPARE(store.profile(QStringLiteral("Default"))->organization, QStringLiteral("org-second"));
    QCOMPARE(store.names(), QStringList{QStringLiteral("Default")});
}

void TestWindowProfiles::switchingProfileSendsToTheOtherAccountAndDropsTheFirstOnesJobs()
{
    addProfiles();
    m_openAi->add(QStringLiteral("ftjob-prodwindow1"), QStringLiteral("running"));
    const QStringList togetherIds = m_together->addMany(1, {{QStringLiteral("running"), 1}});
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    switchTo(w, QStringLiteral("prod"));
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), prodKey);
    QVERIFY(child<QLineEdit>(w, "orgEdit")->isVisibleTo(w));

    // A job cancelled in "prod": to the OpenAI server, with its key and organization.
    auto* field = child<QLineEdit>(w, "jobIdEdit");
    QTest::keyClicks(field, QStringLiteral("ftjob-prodwindow1"));
    QTest::keyClick(field, Qt::Key_Return);
    QDialog* dialog = waitForConfirmation(w);
    const QString prodAccount = child<QLabel>(dialog, "confirmAccountLabel")->text();
    QVERIFY2(prodAccount.contains(QStringLiteral("prod")) && prodAccount.contains(QStringLiteral("OpenAI")),
             qPrintable(prodAccount));
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_openAi->job(QStringLiteral("ftjob-prodwindow1")).status, QStringLiteral("cancelled"),
                              15000);
    const SimulatedRequest prodCancel = m_openAi->requests(JobSimulator::RequestKind::Cancel).last();
    QCOMPARE(prodCancel.header("authorization"), QByteArray("Bearer ") + prodKey.toUtf8());
    QCOMPARE(prodCancel.header("openai-organization"), QByteArray("org-prodwindow"));
    auto* table = child<QTableView>(w, "jobsView");
    QTRY_VERIFY(table->model()->rowCount() == 1 && !child<QPushButton>(w, "clearJobsButton")->isHidden());
    QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(w, "clearJobsButton")->isEnabled(), 15000);

    // Switched to "tog": the other account's key, no organization, its host in the title; the "prod" rows gone.
    switchTo(w, QStringLiteral("tog"));
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), togetherKey);
    QVERIFY(!child<QLineEdit>(w, "orgEdit")->isVisibleTo(w));
    QCOMPARE(table->model()->rowCount(), 0);
    QVERIFY2(w->windowTitle().contains(QStringLiteral("tog (Together AI)")), qPrintable(w->windowTitle()));
    QVERIFY2(w->windowTitle().contains(QStringLiteral("127.0.0.1:%1").arg(m_togetherServer->port())),
             qPrintable(w->windowTitle()));
    QVERIFY(!w->windowTitle().contains(QStringLiteral("org-prodwindow")));
    const QString status = child<QLabel>(w, "accountLabel")->text();
    QVERIFY2(status.contains(QStringLiteral("tog (Together AI)")), qPrintable(status));
    QVERIFY(child<QPlainTextEdit>(w, "logView")
                ->toPlainText()
                .contains(QStringLiteral("Profile \u201Ctog\u201D (Together AI) in use.")));

    // A Together id is taken now, and its cancel goes to Together only, as Together wants it.
    const int openAiRequests = m_openAi->requests().size();
    QTest::keyClicks(field, togetherIds.first());
    QTest::keyClick(field, Qt::Key_Return);
    dialog = waitForConfirmation(w);
    const QString togAccount = child<QLabel>(dialog, "confirmAccountLabel")->text();
    QVERIFY2(togAccount.contains(QStringLiteral("tog")) && togAccount.contains(QStringLiteral("Together AI")),
             qPrintable(togAccount));
    QVERIFY2(!togAccount.contains(QStringLiteral("organization")), qPrintable(togAccount));
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_together->requests(JobSimulator::RequestKind::Cancel).isEmpty(), 15000);
    const SimulatedRequest togCancel = m_together->requests(JobSimulator::RequestKind::Cancel).last();
    QCOMPARE(togCancel.method, QByteArray("POST"));
    QCOMPARE(togCancel.path, QStringLiteral("/v1/fine-tunes/%1/cancel").arg(togetherIds.first()));
    QCOMPARE(togCancel.header("authorization"), QByteArray("Bearer ") + togetherKey.toUtf8());
    QVERIFY(!togCancel.hasHeader("openai-organization"));
    QVERIFY(!togCancel.hasHeader("openai-project"));
    QCOMPARE(m_openAi->requests().size(), openAiRequests); // nothing more went to the other account
}

void TestWindowProfiles::profileInUseIsRememberedBetweenRuns()
{
    addProfiles();
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    // The first profile added is the default: that one is in use on the first run.
    QCOMPARE(child<QComboBox>(w, "profileCombo")->currentData().toString(), QStringLiteral("prod"));
    switchTo(w, QStringLiteral("tog"));
    m_window.reset();
    m_window = newWindow();
    w = m_window.get();
    waitUntilLoaded(w);
    QCOMPARE(child<QComboBox>(w, "profileCombo")->currentData().toString(), QStringLiteral("tog"));
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), togetherKey);
    QCOMPARE(child<QLabel>(w, "providerLabel")->text(), QStringLiteral("Together AI"));
}

void TestWindowProfiles::forgetDeletesTheProfileAndItsKey()
{
    addProfiles();
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    switchTo(w, QStringLiteral("tog"));
    QTest::mouseClick(child<QPushButton>(w, "forgetCredentialsButton"), Qt::LeftButton);
    QMessageBox* question = nullptr;
    QTRY_VERIFY((question = w->findChild<QMessageBox*>(QStringLiteral("forgetQuestion"))) != nullptr);
    QVERIFY2(question->text().contains(QStringLiteral("\u201Ctog\u201D")), qPrintable(question->text()));
    // Keep: nothing goes.
    QTest::mouseClick(child<QPushButton>(question, "keepButton"), Qt::LeftButton);
    QTRY_VERIFY(!w->findChild<QMessageBox*>(QStringLiteral("forgetQuestion")));
    QCOMPARE(ProfileFixture::savedKey(QStringLiteral("tog")), std::optional<QString>(togetherKey));
    // Forget: the profile and its key go; the other profile is in use.
    QTest::mouseClick(child<QPushButton>(w, "forgetCredentialsButton"), Qt::LeftButton);
    QTRY_VERIFY((question = w->findChild<QMessageBox*>(QStringLiteral("forgetQuestion"))) != nullptr);
    QTest::mouseClick(child<QPushButton>(question, "forgetButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QComboBox>(w, "profileCombo")->currentData().toString(), QStringLiteral("prod"),
                              15000);
    waitUntilLoaded(w);
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), prodKey);
    QCOMPARE(ProfileFixture::savedKey(QStringLiteral("tog")), std::nullopt);
    SecretStore secrets;
    ProfileStore store(&secrets);
    QCOMPARE(store.names(), QStringList{QStringLiteral("prod")});
    QCOMPARE(child<QComboBox>(w, "profileCombo")->findData(QStringLiteral("tog")), -1);
}

void TestWindowProfiles::providerWithoutDashboardHidesTheAction()
{
    addProfiles();
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* action = w->findChild<QAction*>(QStringLiteral("openDashboardAction"));
    QVERIFY(action);
    switchTo(w, QStringLiteral("prod"));
    QVERIFY(action->isVisible());
    switchTo(w, QStringLiteral("tog"));
    QVERIFY(!action->isVisible());
    QVERIFY(!child<QPushButton>(w, "openDashboardButton")->isVisibleTo(w));
    // Together does not pause jobs: no Pause or Resume beside Cancel; OpenAI has both.
    QVERIFY(!child<QToolButton>(w, "pauseSelectedButton")->isVisibleTo(w));
    QVERIFY(!child<QToolButton>(w, "resumeSelectedButton")->isVisibleTo(w));
    switchTo(w, QStringLiteral("prod"));
    QVERIFY(child<QToolButton>(w, "pauseSelectedButton")->isVisibleTo(w));
    QVERIFY(child<QToolButton>(w, "resumeSelectedButton")->isVisibleTo(w));
}

void TestWindowProfiles::confirmationSaysWhatTheProviderBillsAndFlagsUnknownStatuses()
{
    addProfiles();
    const QString unknown = JobSimulator::unknownStatus(Provider::Together);
    const QStringList ids = m_together->addMany(2, {{QStringLiteral("running"), 1}});
    m_together->setStatus(ids.at(1), unknown);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    switchTo(w, QStringLiteral("tog"));
    auto* field = child<QLineEdit>(w, "jobIdEdit");
    QTest::keyClicks(field, ids.join(u' '));
    QTest::keyClick(field, Qt::Key_Return);
    QDialog* dialog = waitForConfirmation(w);
    auto* note = child<QLabel>(dialog, "providerNoteLabel");
    QVERIFY(note->isVisibleTo(dialog));
    QVERIFY2(note->text().contains(QStringLiteral("Together AI bills the steps already trained")),
             qPrintable(note->text()));
    // The raw word is what the list shows; the job is cancelled with the other.
    auto* list = child<QTreeWidget>(dialog, "confirmJobsView");
    QCOMPARE(list->topLevelItemCount(), 2);
    QStringList statuses;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        statuses << list->topLevelItem(i)->text(2);
    QVERIFY2(statuses.contains(unknown), qPrintable(statuses.join(u',')));
    QVERIFY2(note->text().contains(QStringLiteral("A status unknown to FtCancel for 1 job (%1)").arg(unknown)),
             qPrintable(note->text()));

    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_together->requests(JobSimulator::RequestKind::Cancel).size(), 2, 15000);

    // An OpenAI profile's confirmation has no such note for a job it knows.
    switchTo(w, QStringLiteral("prod"));
    m_openAi->add(QStringLiteral("ftjob-prodnote"), QStringLiteral("running"));
    QTest::keyClicks(field, QStringLiteral("ftjob-prodnote"));
    QTest::keyClick(field, Qt::Key_Return);
    dialog = waitForConfirmation(w);
    QVERIFY(!child<QLabel>(dialog, "providerNoteLabel")->isVisibleTo(dialog));
    QTest::keyClick(dialog, Qt::Key_Escape);
    const auto confirmationOpen = [w] {
        const QList<QDialog*> dialogs = w->findChildren<QDialog*>(QStringLiteral("confirmDialog"));
        return std::any_of(dialogs.cbegin(), dialogs.cend(), [](QDialog* d) { return d->isVisible(); });
    };
    QTRY_VERIFY_WITH_TIMEOUT(!confirmationOpen(), 15000);

    // A batch pasted in: its confirmation says what a cancelled batch keeps.
    m_openAi->addBatch(QStringLiteral("batch_prodnote"), QStringLiteral("in_progress"));
    field->clear();
    QTest::keyClicks(field, QStringLiteral("batch_prodnote"));
    QTest::keyClick(field, Qt::Key_Return);
    dialog = waitForConfirmation(w);
    note = child<QLabel>(dialog, "providerNoteLabel");
    QVERIFY(note->isVisibleTo(dialog));
    QVERIFY2(note->text().contains(QStringLiteral("partial output")), qPrintable(note->text()));
    QTest::keyClick(dialog, Qt::Key_Escape);
    QCOMPARE(m_openAi->cancelRequestCount(QStringLiteral("batch_prodnote")), 0);
}

QTEST_MAIN(TestWindowProfiles)
#include "tst_windowprofiles.moc"
