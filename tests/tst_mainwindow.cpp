#include "activitylog.h"
#include "appinfo.h"
#include "appsettings.h"
#include "auditlog.h"
#include "cancelbatch.h"
#include "desktopnotifier.h"
#include "fakeopenaiserver.h"
#include "historydialog.h"
#include "jobsimulator.h"
#include "keyringcontrol.h"
#include "mainwindow.h"
#include "profilefixture.h"
#include "profilescan.h"
#include "profilestore.h"
#include "secretstore.h"
#include "statuscolors.h"

#include "batchmodel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDialog>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QGroupBox>
#include <QHash>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QWindow>
#include <memory>

// The window as an operator uses it, offscreen, against the job simulator (a stateful fake of the fine-tuning API)
// and a real (private) gnome-keyring: paste ids, see each job looked up, confirm, watch them cancel.
class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    // Credentials and the form
    void startsByLoadingCredentials();
    void keyringIsReadAfterTheFirstFrame();
    void tabOrderFollowsTheForm();
    void ctrlLFocusesJobId();
    void showKeyToggles();
    void credentialsRoundTripThroughKeyring();
    void lockedKeyringIsShownAsLocked();
    void lockedKeyringOffersUnlockAndLoadAgain();
    void forgetAsksFirst();
    void keyPastedIntoAnotherFieldIsRefused_data();
    void keyPastedIntoAnotherFieldIsRefused();

    // One job, keyboard only
    void enterLooksUpConfirmsAndCancels();
    void pastedDashboardUrlBecomesTheId();
    void invalidIdSendsNothingAndExplains();
    void missingKeySendsNothingUntilOneIsTyped();
    void apiErrorIsShownInWords();
    void cancelRequestedButNotWatchedSaysSo();
    void keyNeverInLogCopyOrSavedLog();
    void cancelIsRecordedAndShownInHistory();

    // Many jobs
    void pastedListBecomesRows();
    void contextMenuPasteKeepsEveryLineAndOtherFieldsPasteAsUsual();
    void finishedJobsAreSkippedWithoutACancel();
    void declinedConfirmationSendsNothing();
    void enterCancelsOnlyOneJobOfTheConfiguredOrganization_data();
    void enterCancelsOnlyOneJobOfTheConfiguredOrganization();
    void confirmationNamesTheAccountAndFlagsOtherOrganizations();
    void dontAskAgainCancelsWithoutTheDialog();
    void askingOffIsShownWhereCancelsStart();
    void accountChangeMakesANewBatch();
    void secondClickNeverSendsASecondRequest();
    void accountIsReadOnlyWhileCancelling();
    void escapeStopsMidBatch();
    void retryFailedRerunsOnlyFailedRows();
    void retryAfterFixingTheKeyLooksUpAndAsksAgain();
    void watchesUntilCancelled();
    void concurrencySettingIsRespected();
    void retryShowsCountdownThenResult();
    void stopDuringRetryCountdown();
    void selectingARowShowsItsDetails();
    void clearEmptiesTheListWhenIdle();
    void thousandRowsStayUsable();
    void notifiesWhenInactiveWithoutATray();
    void notificationReportsTheRunThatEnded();
    void copyCopiesEverySelectedId();
    void cancelsHaveTheListsMenu();
    void tabLeavesTheTables();
    void closingWhileABatchRunsAsks();

    // The window itself
    void logShowsItsNewestLineAndWraps();
    void mnemonicsAreUnique();
    void fitsAtTwiceTheScale();
    void colorsFollowADarkPalette();

private:
    std::unique_ptr<MainWindow> newWindow();
    template <typename T> T* child(QWidget* w, const char* name)
    {
        T* found = w->findChild<T*>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }
    void waitUntilLoaded(MainWindow* w);
    void typeKey(MainWindow* w);
    void typeKeyAndJob(MainWindow* w, const QString& jobId);
    static QDialog* confirmDialog(QWidget* w);
    static int rowOf(MainWindow* w, const QString& id);
    static QString cell(MainWindow* w, const QString& id, int column);
    static QColor outcomeColor(MainWindow* w, const QString& id);
    static int rowCount(MainWindow* w);
    static QString summary(MainWindow* w);
    static bool idle(MainWindow* w);

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

static const QString testKey = QStringLiteral("sk-proj-gui-test") + QStringLiteral("-0123456789abcdefKEY9");

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestMainWindow::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    qputenv("OPENAI_BASE_URL", m_server->baseUrl().toString().toUtf8());
    // Each test starts from nothing saved in the keyring (a test that failed half-way may have left credentials)
    // and from the defaults: 4 at once, watching, asking first; no saved window size.
    if (KeyringControl::isLocked() == false) {
        SecretStore store;
        QSignalSpy forgotten(&store, &SecretStore::forgotten);
        store.forget();
        QVERIFY(forgotten.wait(15000));
        QString error;
        QVERIFY2(ProfileFixture::removeAll(&error), qPrintable(error)); // and every profile, as on a first run
    }
    QSettings settings;
    settings.remove(QStringLiteral("batch"));
    settings.remove(QStringLiteral("window"));
}

void TestMainWindow::cleanup()
{
    // A test that locked the keyring and failed half-way must not leave it locked for the next one.
    if (KeyringControl::isLocked() == true) {
        QString error;
        QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    }
    m_window.reset();
    QApplication::setPalette(QPalette());
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

std::unique_ptr<MainWindow> TestMainWindow::newWindow()
{
    auto w = std::make_unique<MainWindow>();
    w->show();
    return w;
}

void TestMainWindow::waitUntilLoaded(MainWindow* w)
{
    QTRY_VERIFY_WITH_TIMEOUT(child<QLineEdit>(w, "apiKeyEdit")->isEnabled(), 15000);
}

void TestMainWindow::typeKey(MainWindow* w)
{
    auto* key = child<QLineEdit>(w, "apiKeyEdit");
    key->clear();
    QTest::keyClicks(key, testKey);
}

void TestMainWindow::typeKeyAndJob(MainWindow* w, const QString& jobId)
{
    typeKey(w);
    auto* job = child<QLineEdit>(w, "jobIdEdit");
    job->clear();
    QTest::keyClicks(job, jobId);
}

// The confirmation the window has open, if any.
QDialog* TestMainWindow::confirmDialog(QWidget* w)
{
    for (QDialog* dialog : w->findChildren<QDialog*>(QStringLiteral("confirmDialog"))) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

int TestMainWindow::rowOf(MainWindow* w, const QString& id)
{
    const QAbstractItemModel* model = w->findChild<QTableView*>(QStringLiteral("jobsView"))->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, BatchModel::IdColumn).data().toString() == id)
            return row;
    }
    return -1;
}

QString TestMainWindow::cell(MainWindow* w, const QString& id, int column)
{
    const int row = rowOf(w, id);
    if (row < 0)
        return QStringLiteral("<no row for %1>").arg(id);
    return w->findChild<QTableView*>(QStringLiteral("jobsView"))->model()->index(row, column).data().toString();
}

QColor TestMainWindow::outcomeColor(MainWindow* w, const QString& id)
{
    const QAbstractItemModel* model = w->findChild<QTableView*>(QStringLiteral("jobsView"))->model();
    return model->index(rowOf(w, id), BatchModel::OutcomeColumn).data(Qt::ForegroundRole).value<QBrush>().color();
}

int TestMainWindow::rowCount(MainWindow* w)
{
    return w->findChild<QTableView*>(QStringLiteral("jobsView"))->model()->rowCount();
}

// The whole summary line (the label shows it elided to its width).
QString TestMainWindow::summary(MainWindow* w)
{
    return w->findChild<QLabel*>(QStringLiteral("summaryLabel"))->accessibleDescription();
}

// Nothing running and nothing waiting for a confirmation.
bool TestMainWindow::idle(MainWindow* w)
{
    return w->findChild<QPushButton*>(QStringLiteral("cancelButton"))->text() != QLatin1String("Stop")
        && !confirmDialog(w);
}

// Presses a key where the keyboard focus is (in the confirmation: its default button takes Enter).
static void pressKey(QDialog* dialog, Qt::Key key)
{
    QWidget* target = dialog->focusWidget() ? dialog->focusWidget() : dialog;
    QTest::keyClick(target, key);
}

// "Cancel N jobs" as an operator confirms several: a click (Enter keeps several jobs running).
static void clickCancelJobs(QDialog* dialog)
{
    auto* button = dialog->findChild<QPushButton*>(QStringLiteral("cancelJobsButton"));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
}

// The full width of a label's text fits in the label: nothing is cut off.
static bool fitsItsText(const QLabel* label)
{
    return label->width() >= label->fontMetrics().horizontalAdvance(label->text())
        && label->height() >= label->fontMetrics().height();
}

// ---- Credentials and the form -------------------------------------------------------------------------------

void TestMainWindow::startsByLoadingCredentials()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    // Right after start-up, before the keyring answered.
    QVERIFY(!child<QLineEdit>(w, "apiKeyEdit")->isEnabled());
    QVERIFY(!child<QLineEdit>(w, "orgEdit")->isEnabled());
    QVERIFY(!child<QLineEdit>(w, "projectEdit")->isEnabled());
    QVERIFY(child<QLabel>(w, "credentialsStateLabel")->text().contains(QStringLiteral("Loading credentials")));
    waitUntilLoaded(w);
    // An unlocked keyring without our entry: nothing saved, and nothing about a lock.
    QCOMPARE(KeyringControl::isLocked(), std::optional<bool>(false));
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Nothing saved"));
    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY2(
        log.contains(QStringLiteral("No profile saved yet: the key you save becomes the profile \u201CDefault\u201D.")),
        qPrintable(log));
    QVERIFY2(!log.contains(QStringLiteral("locked")), qPrintable(log));
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->echoMode(), QLineEdit::Password);
    QVERIFY(!child<QLineEdit>(w, "apiKeyEdit")->accessibleName().isEmpty());
    QVERIFY(!child<QLineEdit>(w, "jobIdEdit")->accessibleName().isEmpty());
    QVERIFY(!child<QPushButton>(w, "cancelButton")->accessibleName().isEmpty());
    // Where requests go is always in view: the title and the status bar name the host and the organization.
    const QString host = QStringLiteral("127.0.0.1:%1").arg(m_server->port());
    QVERIFY2(w->windowTitle().contains(host), qPrintable(w->windowTitle()));
    QVERIFY(child<QLabel>(w, "accountLabel")->isVisible());
    QVERIFY(child<QLabel>(w, "accountLabel")->text().contains(host));
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-title"));
    QVERIFY2(w->windowTitle().contains(QStringLiteral("org-title")), qPrintable(w->windowTitle()));
    QVERIFY(child<QLabel>(w, "accountLabel")->text().contains(QStringLiteral("org-title")));
}

// Sees, from outside, when a window's first frame is painted (its first expose event) and whether the window's
// SecretStore had done anything by then: every keychain job, timer and D-Bus call it starts is a child of it.
class FirstFrameWatch final : public QObject
{
public:
    FirstFrameWatch(QWidget* widget, QObject* store)
        : m_widget(widget), m_window(widget->windowHandle()), m_store(store)
    {
        m_window->installEventFilter(this);
        store->installEventFilter(this);
    }

    bool framePainted = false;
    bool keyringTouched = false;
    bool keyringTouchedBeforeFrame = false;
    bool loadingShownInFrame = false;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == m_store && event->type() == QEvent::ChildAdded)
            keyringTouched = true;
        if (watched == m_window && event->type() == QEvent::Expose && !framePainted && m_window->isExposed()) {
            framePainted = true;
            keyringTouchedBeforeFrame = keyringTouched;
            const auto* key = m_widget->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
            const auto* state = m_widget->findChild<QLabel*>(QStringLiteral("credentialsStateLabel"));
            loadingShownInFrame
                = key && !key->isEnabled() && state && state->text().contains(QStringLiteral("Loading credentials"));
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QWidget* m_widget;
    QWindow* m_window;
    QObject* m_store;
};

void TestMainWindow::keyringIsReadAfterTheFirstFrame()
{
    // The keyring read loads libsecret, GIO and GObject and connects to the session bus: the window's first frame
    // does not wait for it. That frame shows the credentials loading; the read starts right after it.
    m_window = std::make_unique<MainWindow>();
    MainWindow* w = m_window.get();
    auto* store = w->findChild<SecretStore*>();
    QVERIFY(store);
    QVERIFY(store->children().isEmpty()); // nothing asked of the keyring by the constructor
    w->winId(); // the QWindow to watch, as app/windowmain.cpp does
    FirstFrameWatch watch(w, store);
    w->show();
    QVERIFY(!watch.keyringTouched); // nor by show()
    QTRY_VERIFY(watch.framePainted);
    QVERIFY2(!watch.keyringTouchedBeforeFrame, "the keyring was read before the window's first frame");
    QVERIFY(watch.loadingShownInFrame);
    QTRY_VERIFY(watch.keyringTouched);
    waitUntilLoaded(w);
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Nothing saved"));
}

void TestMainWindow::tabOrderFollowsTheForm()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    auto* key = child<QLineEdit>(w, "apiKeyEdit");
    key->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), key);
    const QList<QWidget*> expected{child<QLineEdit>(w, "orgEdit"), child<QLineEdit>(w, "projectEdit"),
                                   child<QLineEdit>(w, "jobIdEdit"), child<QPushButton>(w, "cancelButton")};
    for (QWidget* next : expected) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), next);
    }
}

void TestMainWindow::ctrlLFocusesJobId()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    child<QLineEdit>(w, "apiKeyEdit")->setFocus();
    QTest::keyClick(w, Qt::Key_L, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), child<QLineEdit>(w, "jobIdEdit"));
}

void TestMainWindow::showKeyToggles()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* key = child<QLineEdit>(w, "apiKeyEdit");
    auto* show = child<QToolButton>(w, "showKeyButton");
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(key->echoMode(), QLineEdit::Normal);
    QCOMPARE(show->accessibleName(), QStringLiteral("Hide API key"));
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QCOMPARE(show->accessibleName(), QStringLiteral("Show API key"));
}

void TestMainWindow::credentialsRoundTripThroughKeyring()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* forget = child<QPushButton>(w, "forgetCredentialsButton");
    // Nothing saved: nothing to forget, so Forget cannot claim it deleted something.
    QVERIFY(!forget->isEnabled());
    QTest::keyClicks(child<QLineEdit>(w, "apiKeyEdit"), testKey);
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-roundtrip"));
    QTest::keyClicks(child<QLineEdit>(w, "projectEdit"), QStringLiteral("proj_roundtrip"));
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Not saved"));
    QVERIFY(!forget->isEnabled());
    QTest::mouseClick(child<QPushButton>(w, "saveCredentialsButton"), Qt::LeftButton);
    auto* state = child<QLabel>(w, "credentialsStateLabel");
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("Saved in the keyring"), 15000);
    QVERIFY(forget->isEnabled());
    // "Saved in the keyring" is whole at the narrowest the window goes, and wider.
    for (const int width : {w->minimumSizeHint().width(), 800, 1400}) {
        w->resize(width, w->height());
        QTRY_VERIFY2(fitsItsText(state), qPrintable(QStringLiteral("clipped at width %1").arg(width)));
    }
    m_window.reset();

    // Nothing secret on disk: settings, data and cache dirs hold no trace of the key.
    const QStringList files = ProfileScan::profileFiles();
    QVERIFY(!files.isEmpty());
    QCOMPARE(ProfileScan::filesContaining(files, {testKey.toUtf8()}), QStringList());

    // A new window loads them back from the keyring.
    m_window = newWindow();
    w = m_window.get();
    waitUntilLoaded(w);
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), testKey);
    QCOMPARE(child<QLineEdit>(w, "orgEdit")->text(), QStringLiteral("org-roundtrip"));
    QCOMPARE(child<QLineEdit>(w, "projectEdit")->text(), QStringLiteral("proj_roundtrip"));
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Saved in the keyring"));
    QVERIFY(!child<QPlainTextEdit>(w, "logView")->toPlainText().contains(testKey));

    // Forget (once asked) deletes them and says so; the next window starts empty.
    QTest::mouseClick(child<QPushButton>(w, "forgetCredentialsButton"), Qt::LeftButton);
    QMessageBox* question = nullptr;
    QTRY_VERIFY((question = w->findChild<QMessageBox*>(QStringLiteral("forgetQuestion"))) != nullptr);
    QTest::mouseClick(child<QPushButton>(question, "forgetButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(w, "apiKeyEdit")->text(), QString(), 15000);
    QTRY_COMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Nothing saved"));
    QVERIFY(child<QPlainTextEdit>(w, "logView")
                ->toPlainText()
                .contains(QStringLiteral("The profile \u201CDefault\u201D and its key are deleted from the keyring.")));
    QVERIFY(!child<QPushButton>(w, "forgetCredentialsButton")->isEnabled());
    m_window = newWindow();
    w = m_window.get();
    waitUntilLoaded(w);
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), QString());
    QCOMPARE(child<QLineEdit>(w, "orgEdit")->text(), QString());
}

void TestMainWindow::lockedKeyringIsShownAsLocked()
{
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);

    // Status bar and log: locked, what to do, and what the window does meanwhile. Never "nothing saved".
    const QString locked = QStringLiteral("The keyring is locked: unlock it");
    const QString fallback = QStringLiteral("The key will be kept for this session only.");
    const QString message = w->statusBar()->currentMessage();
    QVERIFY2(message.startsWith(locked) && message.endsWith(fallback), qPrintable(message));
    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY2(log.contains(message), qPrintable(log));
    QVERIFY2(!log.contains(QStringLiteral("No profile saved yet")), qPrintable(log));
    auto* state = child<QLabel>(w, "credentialsStateLabel");
    QVERIFY2(state->text().startsWith(QStringLiteral("Keyring locked")), qPrintable(state->text()));
    // The longest state, whole even at the window's narrowest.
    w->resize(w->minimumSizeHint());
    QTRY_VERIFY(fitsItsText(state));

    // Saving into the locked keyring says locked too, and keeps the key for this session.
    w->statusBar()->clearMessage();
    QTest::keyClicks(child<QLineEdit>(w, "apiKeyEdit"), testKey);
    QTest::mouseClick(child<QPushButton>(w, "saveCredentialsButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w->statusBar()->currentMessage().startsWith(locked), 15000);
    QVERIFY(w->statusBar()->currentMessage().endsWith(fallback));
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), testKey);
    QTRY_VERIFY(state->text().startsWith(QStringLiteral("Keyring locked")));
}

void TestMainWindow::lockedKeyringOffersUnlockAndLoadAgain()
{
    // Something saved, then the keyring is locked (a screen lock, a new session) before FtCancel starts.
    Credentials saved;
    saved.apiKey = testKey;
    saved.organization = QStringLiteral("org-unlock");
    {
        SecretStore store;
        QSignalSpy done(&store, &SecretStore::saved);
        store.save(saved);
        QVERIFY(done.wait(15000));
        QVERIFY(done.first().at(0).value<SecretStore::Outcome>().isOk());
    }
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* unlock = child<QPushButton>(w, "unlockKeyringButton");
    auto* reload = child<QPushButton>(w, "reloadCredentialsButton");
    QTRY_VERIFY(unlock->isVisible() && reload->isVisible());
    QVERIFY(unlock->isEnabled() && reload->isEnabled());
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), QString());

    // Unlock asks the keyring, which asks for its password itself; here it has no prompter, so the prompt is
    // dismissed: the window says the keyring is still locked and offers both again.
    QTest::mouseClick(unlock, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w->statusBar()->currentMessage().contains(QStringLiteral("still locked")), 15000);
    QCOMPARE(KeyringControl::isLocked(), std::optional<bool>(true));
    QTRY_VERIFY(unlock->isVisible() && unlock->isEnabled());

    // Unlocked elsewhere (the desktop's own dialog): Load again reads what was saved.
    QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    QTest::mouseClick(reload, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(w, "apiKeyEdit")->text(), testKey, 15000);
    QCOMPARE(child<QLineEdit>(w, "orgEdit")->text(), saved.organization);
    QTRY_COMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Saved in the keyring"));
    QVERIFY(!unlock->isVisible());
    QVERIFY(!reload->isVisible());
}

// What the keyring holds now for the profile "Default" (the one the first Save makes), read back on its own:
// the key, and the organization kept with the profile. None when there is no such profile.
static std::optional<Credentials> savedInKeyring()
{
    SecretStore secrets;
    ProfileStore store(&secrets);
    const std::optional<Profile> p = store.profile(QStringLiteral("Default"));
    const std::optional<QString> key = ProfileFixture::savedKey(QStringLiteral("Default"));
    if (!p || !key)
        return p || key ? std::optional<Credentials>() : std::optional<Credentials>(Credentials());
    return Credentials{*key, p->organization, p->project};
}

void TestMainWindow::forgetAsksFirst()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-forget"));
    QTest::mouseClick(child<QPushButton>(w, "saveCredentialsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Saved in the keyring"),
                              15000);
    const auto question = [w] {
        auto* box = w->findChild<QMessageBox*>(QStringLiteral("forgetQuestion"));
        return box && box->isVisible() ? box : nullptr;
    };

    // Asked first; its default is Keep: Enter (and Escape) keep the entry and the fields.
    auto* forget = child<QPushButton>(w, "forgetCredentialsButton");
    QTest::mouseClick(forget, Qt::LeftButton);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = question()) != nullptr);
    QCOMPARE(box->text(),
             QStringLiteral("Forget the profile \u201CDefault\u201D? Its key is deleted from the keyring."));
    QCOMPARE(box->windowModality(), Qt::WindowModal); // open(), not exec()
    QCOMPARE(box->defaultButton(), child<QPushButton>(box, "keepButton"));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(!question());
    QTest::mouseClick(forget, Qt::LeftButton);
    QTRY_VERIFY((box = question()) != nullptr);
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!question());
    QTest::qWait(300);
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), testKey);
    std::optional<Credentials> saved = savedInKeyring();
    QVERIFY(saved.has_value());
    QCOMPARE(saved->apiKey, testKey);
    QCOMPARE(saved->organization, QStringLiteral("org-forget"));

    // Forget: deleted from the keyring, the fields cleared.
    QTest::mouseClick(forget, Qt::LeftButton);
    QTRY_VERIFY((box = question()) != nullptr);
    QTest::mouseClick(child<QPushButton>(box, "forgetButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Nothing saved"),
                              15000);
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), QString());
    saved = savedInKeyring();
    QVERIFY(saved.has_value());
    QVERIFY(saved->isEmpty());
}

void TestMainWindow::keyPastedIntoAnotherFieldIsRefused_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("before"); // what the field holds, the cursor at its end
    QTest::addColumn<QString>("pasted"); // %1: the key
    QTest::addColumn<QString>("after");
    QTest::addColumn<QString>("messageLabel");
    QTest::newRow("organization") << "orgEdit"
                                  << "org-before"
                                  << "%1"
                                  << "org-before"
                                  << "credentialsMessageLabel";
    QTest::newRow("organization, with words around it")
        << "orgEdit" << QString() << "key: %1 (mine)" << QString() << "credentialsMessageLabel";
    QTest::newRow("project") << "projectEdit"
                             << "proj_before"
                             << " %1"
                             << "proj_before"
                             << "credentialsMessageLabel";
    QTest::newRow("job id, next to an id") << "jobIdEdit"
                                           << "ftjob-before"
                                           << "%1"
                                           << "ftjob-before"
                                           << "jobIdMessageLabel";
    QTest::newRow("job id, among ids") << "jobIdEdit" << QString() << "ftjob-one %1, ftjob-two"
                                       << "ftjob-one , ftjob-two"
                                       << "jobIdMessageLabel";
}

void TestMainWindow::keyPastedIntoAnotherFieldIsRefused()
{
    QFETCH(QString, field);
    QFETCH(QString, before);
    QFETCH(QString, pasted);
    QFETCH(QString, after);
    QFETCH(QString, messageLabel);
    const QString key = QStringLiteral("sk-proj-") + QStringLiteral("WrongField0123456789abcdefghijklmnopqrstuvwxyz");
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    auto* edit = child<QLineEdit>(w, field.toLatin1().constData());
    auto* message = child<QLabel>(w, messageLabel.toLatin1().constData());
    QTest::keyClicks(edit, before);
    QSignalSpy changed(edit, &QLineEdit::textChanged);
    edit->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), edit);
    QGuiApplication::clipboard()->setText(pasted.arg(key));
    QTest::keyClick(edit, Qt::Key_V, Qt::ControlModifier);

    // Not kept: the field holds what it did (or the rest of the text), never the key, and Undo does not bring it back.
    QCOMPARE(edit->text(), after);
    for (const QList<QVariant>& signal : std::as_const(changed))
        QVERIFY2(!signal.at(0).toString().contains(key.mid(8, 12)), "the key was in the field for a moment");
    QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(!edit->text().contains(key.mid(8, 12)));
    // Said next to the field, masked.
    QTRY_VERIFY(message->isVisible());
    QVERIFY2(message->text().contains(QStringLiteral("looks like an API key (\u2026wxyz)")),
             qPrintable(message->text()));
    QVERIFY2(message->text().contains(QStringLiteral("belongs in the API key field")), qPrintable(message->text()));
    QVERIFY(!message->text().contains(key.mid(8, 12)));
    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("\u2026wxyz")), qPrintable(log));
    QVERIFY2(!log.contains(key.mid(8, 12)), "the key reached the log");
    QCOMPARE(w->windowTitle().contains(QStringLiteral("\u2026")), false); // the account never held it
    // The next edit clears the message; nothing was sent anywhere.
    QTest::keyClick(edit, Qt::Key_End);
    QTest::keyClicks(edit, QStringLiteral("x"));
    QVERIFY(!message->isVisible());
    QCOMPARE(m_server->requestCount(), 0);
}

// ---- One job, keyboard only ---------------------------------------------------------------------------------

void TestMainWindow::enterLooksUpConfirmsAndCancels()
{
    m_sim->add(QStringLiteral("ftjob-abc123"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-abc123"));
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel job"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);

    // Looked up first, then asked: exactly this job, as this account.
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(rowCount(w), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-abc123")), 0);
    const QString title = child<QLabel>(dialog, "confirmTitleLabel")->text();
    QVERIFY2(title.contains(QStringLiteral("Cancel 1 job?")), qPrintable(title));
    const QString account = child<QLabel>(dialog, "confirmAccountLabel")->text();
    QVERIFY2(account.contains(QStringLiteral("127.0.0.1:%1").arg(m_server->port())), qPrintable(account));
    auto* list = child<QTreeWidget>(dialog, "confirmJobsView");
    QCOMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("ftjob-abc123"));
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("gpt-4o-mini-2024-07-18"));
    QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("running"));
    QCOMPARE(child<QPushButton>(dialog, "cancelJobsButton")->text(), QStringLiteral("Cancel 1 job"));
    QVERIFY(child<QPushButton>(dialog, "cancelJobsButton")->isDefault());
    pressKey(dialog, Qt::Key_Return);

    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-abc123"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QCOMPARE(cell(w, QStringLiteral("ftjob-abc123"), BatchModel::StatusColumn),
             QStringLiteral("running \u2192 cancelled"));
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelled"));
    const QString details = child<QLabel>(w, "statusDetailsLabel")->text();
    QVERIFY2(details.contains(QStringLiteral("ftjob-abc123")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("gpt-4o-mini")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Request id: req_sim_")), qPrintable(details));
    QTRY_VERIFY(idle(w));
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel job"));
    QVERIFY2(summary(w).contains(QStringLiteral("1 cancelled")), qPrintable(summary(w)));
    QCOMPARE(child<QLineEdit>(w, "jobIdEdit")->text(), QString()); // ready for the next one
    QCOMPARE(w->focusWidget(), child<QLineEdit>(w, "jobIdEdit")); // the window's focus, when it is active again

    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("\u2026KEY9")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("POST ") + m_server->baseUrl().toString()
                          + QStringLiteral("/fine_tuning/jobs/ftjob-abc123/cancel")),
             qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("HTTP 200")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("status: cancelled")), qPrintable(log));
    // Every line starts with a timestamp.
    for (const QString& line : log.split(u'\n', Qt::SkipEmptyParts))
        QVERIFY2(
            QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")).match(line).hasMatch(),
            qPrintable(line));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-abc123")), 1);
}

void TestMainWindow::pastedDashboardUrlBecomesTheId()
{
    m_sim->add(QStringLiteral("ftjob-fromurl"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QString());
    // Pasted from the browser's address bar, with the spaces and line break that come along: one line, so it
    // goes into the field, and the button takes it.
    QGuiApplication::clipboard()->setText(
        QStringLiteral("  https://platform.openai.com/finetune/ftjob-fromurl?filter=all \n"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(child<QLineEdit>(w, "jobIdEdit")->text(),
             QStringLiteral("https://platform.openai.com/finetune/ftjob-fromurl?filter=all"));
    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-fromurl"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QCOMPARE(rowCount(w), 1);
    QStringList targets;
    for (const RecordedRequest& r : m_server->requests())
        targets << QString::fromLatin1(r.method + ' ' + r.target);
    QCOMPARE(targets,
             QStringList({QStringLiteral("GET /v1/fine_tuning/jobs/ftjob-fromurl"),
                          QStringLiteral("POST /v1/fine_tuning/jobs/ftjob-fromurl/cancel")}));
}

void TestMainWindow::invalidIdSendsNothingAndExplains()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("file-abc123"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    auto* message = child<QLabel>(w, "jobIdMessageLabel");
    QTRY_VERIFY(message->isVisible());
    QCOMPARE(message->textFormat(), Qt::PlainText);
    QVERIFY2(message->text().contains(QStringLiteral("file id")), qPrintable(message->text()));
    QCOMPARE(child<QLineEdit>(w, "jobIdEdit")->text(), QStringLiteral("file-abc123")); // nothing lost
    QCOMPARE(rowCount(w), 0);
    QTest::qWait(100);
    QCOMPARE(m_server->requestCount(), 0);
    // Typing again clears the complaint.
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Backspace);
    QVERIFY(!message->isVisible());
}

void TestMainWindow::missingKeySendsNothingUntilOneIsTyped()
{
    m_sim->add(QStringLiteral("ftjob-nokey"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), QStringLiteral("ftjob-nokey"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY2(summary(w).contains(QStringLiteral("No API key")), qPrintable(summary(w)));
    QCOMPARE(cell(w, QStringLiteral("ftjob-nokey"), BatchModel::OutcomeColumn), QStringLiteral("waiting"));
    QCOMPARE(w->focusWidget(), child<QLineEdit>(w, "apiKeyEdit"));
    QTest::qWait(100);
    QCOMPARE(m_server->requestCount(), 0);

    // With a key, the button starts the job that waited (a new batch, as the new account).
    typeKey(w);
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel job"));
    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-nokey"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QVERIFY(!summary(w).contains(QStringLiteral("No API key")));
}

void TestMainWindow::apiErrorIsShownInWords()
{
    // The look-up is answered 404: not found, nothing to confirm, no cancel sent.
    m_server->enqueue(FakeResponse::apiError(404, QStringLiteral("Could not find fine tune: ftjob-nope"),
                                             QStringLiteral("invalid_request_error"),
                                             QStringLiteral("fine_tune_not_found"))
                          .withHeader("x-request-id", "req_gui_404"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-nope"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("not found"));
    const QString details = child<QLabel>(w, "statusDetailsLabel")->text();
    QVERIFY2(details.contains(QStringLiteral("HTTP 404")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("No such job")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Could not find fine tune: ftjob-nope")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("fine_tune_not_found")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("req_gui_404")), qPrintable(details));
    QTRY_VERIFY(idle(w));
    QVERIFY(!confirmDialog(w));
    QCOMPARE(m_server->requestCount(), 1);
    // Red is for what needs the operator.
    QCOMPARE(outcomeColor(w, QStringLiteral("ftjob-nope")),
             StatusColors::forCategory(Outcome::Category::Error, child<QTableView>(w, "jobsView")->palette()));
}

void TestMainWindow::cancelRequestedButNotWatchedSaysSo()
{
    AppSettings().setWatchEnabled(false);
    m_sim->add(QStringLiteral("ftjob-busy"), QStringLiteral("running"));
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-busy"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancel requested"));
    QVERIFY2(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("still cancelling")),
             qPrintable(child<QLabel>(w, "statusDetailsLabel")->text()));
    QTRY_VERIFY(idle(w));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1); // the look-up; no watching
}

void TestMainWindow::keyNeverInLogCopyOrSavedLog()
{
    // An error body that quotes the key back (as a 401 does) must not bring it into the log.
    m_sim->add(QStringLiteral("ftjob-one"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-two"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-one"), JobSimulator::RequestKind::Cancel, 1,
                    FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided: %1.").arg(testKey),
                                           QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key")));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-one"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("key rejected"));
    QVERIFY(!child<QLabel>(w, "statusDetailsLabel")->text().contains(testKey));
    QVERIFY(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("key was rejected")));
    QTRY_VERIFY(idle(w));
    // Nothing more goes out with a rejected key: another one is typed.
    child<QLineEdit>(w, "apiKeyEdit")->setText(testKey + QStringLiteral("2"));
    QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), QStringLiteral("ftjob-two"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    // ftjob-one (its cancel was refused with the old key) is asked about again with the new one: two jobs, so the
    // default is Keep running and it takes a click.
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-two"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));

    // Every cell and tooltip of the table.
    const QAbstractItemModel* model = child<QTableView>(w, "jobsView")->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            QVERIFY(!model->index(row, column).data().toString().contains(testKey.mid(8, 16)));
            QVERIFY(!model->index(row, column).data(Qt::ToolTipRole).toString().contains(testKey.mid(8, 16)));
        }
    }
    const QString pane = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY(pane.contains(QStringLiteral("HTTP 401")));
    QVERIFY2(!pane.contains(testKey), "key in the log pane");
    QVERIFY2(!pane.contains(testKey.mid(8, 16)), "part of the key in the log pane");

    QTest::mouseClick(child<QPushButton>(w, "copyLogButton"), Qt::LeftButton);
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY(copied.contains(QStringLiteral("HTTP 401")));
    QVERIFY2(!copied.contains(testKey), "key in the copied log");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("saved-log.txt"));
    QTest::mouseClick(child<QPushButton>(w, "saveLogButton"), Qt::LeftButton);
    QFileDialog* fileDialog = nullptr;
    QTRY_VERIFY((fileDialog = w->findChild<QFileDialog*>(QStringLiteral("saveLogDialog"))) != nullptr);
    fileDialog->selectFile(path);
    static_cast<QDialog*>(fileDialog)->accept();
    QTRY_VERIFY(QFile::exists(path));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray savedText = saved.readAll();
    QVERIFY(savedText.contains("HTTP 401"));
    QVERIFY2(!savedText.contains(testKey.toUtf8()), "key in the saved log");
    QVERIFY(w->statusBar()->currentMessage().contains(QStringLiteral("Log saved")));
}

void TestMainWindow::cancelIsRecordedAndShownInHistory()
{
    // The test-mode AppDataLocation is shared with other test programs, so look for this test's own job ids.
    const AuditLog audit(AuditLog::defaultPath());
    const auto linesFor = [&audit](const QString& jobId) {
        QList<AuditEntry> found;
        for (const AuditEntry& e : audit.readAll()) {
            if (e.jobId == jobId)
                found << e;
        }
        return found;
    };
    const QString jobId = QStringLiteral("ftjob-audit%1").arg(QDateTime::currentMSecsSinceEpoch());
    const QString refusedId = QStringLiteral("file-audit%1").arg(QDateTime::currentMSecsSinceEpoch());
    const QString finishedId = jobId + QStringLiteral("done");
    m_sim->add(jobId, QStringLiteral("running"));
    m_sim->add(finishedId, QStringLiteral("succeeded"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);

    // Refused before sending, or looked up and skipped: not an attempt, no line.
    typeKeyAndJob(w, refusedId);
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY(child<QLabel>(w, "jobIdMessageLabel")->isVisible());
    typeKeyAndJob(w, jobId + u' ' + finishedId);
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(cell(w, jobId, BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(idle(w));
    QCOMPARE(linesFor(refusedId).size(), 0);
    QCOMPARE(linesFor(finishedId).size(), 0);
    const QList<AuditEntry> entries = linesFor(jobId);
    QCOMPARE(entries.size(), 1);
    const AuditEntry& e = entries.first();
    QCOMPARE(e.status, QStringLiteral("cancelled"));
    QCOMPARE(e.httpStatus, 200);
    QVERIFY(e.requestId.startsWith(QStringLiteral("req_sim_")));
    QCOMPARE(e.source, QStringLiteral("window"));
    QCOMPARE(e.baseHost, QStringLiteral("127.0.0.1:%1").arg(m_server->baseUrl().port()));
    QVERIFY(!w->statusBar()->currentMessage().contains(QStringLiteral("Could not record")));
    QFile file(audit.path());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY2(!file.readAll().contains(testKey.toUtf8()), "the API key reached the audit file");

    // File > History (Ctrl+H) opens a non-modal window listing it; the main window keeps working.
    QTest::keyClick(w, Qt::Key_H, Qt::ControlModifier);
    HistoryDialog* history = nullptr;
    QTRY_VERIFY((history = w->findChild<HistoryDialog*>()) != nullptr);
    QTRY_VERIFY(history->isVisible());
    QVERIFY(!history->isModal());
    auto* view = child<QTableView>(history, "historyView");
    QTRY_COMPARE(view->model()->index(0, 1).data().toString(), jobId); // read in the background

    // A cancel while History is open shows up there at once.
    const QString nextId = jobId + QStringLiteral("b");
    m_sim->add(nextId, QStringLiteral("running"));
    child<QLineEdit>(w, "jobIdEdit")->setText(nextId);
    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QTRY_COMPARE(view->model()->index(0, 1).data().toString(), nextId);
}

// ---- Many jobs ----------------------------------------------------------------------------------------------

void TestMainWindow::pastedListBecomesRows()
{
    const QStringList ids{QStringLiteral("ftjob-list1"), QStringLiteral("ftjob-list2"), QStringLiteral("ftjob-list3"),
                          QStringLiteral("ftjob-list4"), QStringLiteral("ftjob-list5"), QStringLiteral("ftjob-list6")};
    for (const QString& id : ids)
        m_sim->add(id, QStringLiteral("running"));
    const QString pastedKey
        = QStringLiteral("sk-proj-") + QStringLiteral("PastedByMistake0123456789abcdefghijklmnopqrstuvXYZW");
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    auto* field = child<QLineEdit>(w, "jobIdEdit");
    auto* message = child<QLabel>(w, "jobIdMessageLabel");

    // A list pasted into the field: URLs, a JSON snippet, a bare id, a duplicate, a file id and a key. Nothing is
    // lost (QLineEdit alone would keep one line), nothing lands in the field, each id becomes a row.
    QGuiApplication::clipboard()->setText(QStringLiteral("https://platform.openai.com/finetune/ftjob-list1?filter=all\n"
                                                         "{\"id\": \"ftjob-list2\", \"object\": \"fine_tuning.job\"}\n"
                                                         "ftjob-list3\r\n"
                                                         "  ftjob-list1  \n"
                                                         "file-abc123\n")
                                          + pastedKey + u'\n');
    field->setFocus();
    QTest::keyClick(field, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(field->text(), QString());
    QTRY_COMPARE(rowCount(w), 3);
    for (const QString& id : ids.mid(0, 3))
        QVERIFY2(rowOf(w, id) >= 0, qPrintable(id));
    QVERIFY(message->isVisible());
    QCOMPARE(message->textFormat(), Qt::PlainText);
    const QString said = message->text();
    QVERIFY2(said.contains(QStringLiteral("file-abc123")) && said.contains(QStringLiteral("file id")),
             qPrintable(said));
    // One summary line first, then the reasons.
    QVERIFY2(said.startsWith(QStringLiteral("6 lines: 3 ids, 1 duplicate, 2 not ids\n")), qPrintable(said));
    QVERIFY2(!said.contains(pastedKey.mid(8, 12)), "the pasted key is shown under the field");
    QVERIFY2(said.contains(QStringLiteral("API key")), qPrintable(said)); // listed, masked, with its reason
    QVERIFY(!child<QPlainTextEdit>(w, "logView")->toPlainText().contains(pastedKey.mid(8, 12)));

    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 3);
    QCOMPARE(child<QPushButton>(dialog, "cancelJobsButton")->text(), QStringLiteral("Cancel 3 jobs"));
    QVERIFY(child<QPushButton>(dialog, "keepRunningButton")->isDefault()); // several jobs: Enter keeps them
    clickCancelJobs(dialog);
    QTRY_VERIFY(idle(w));

    // Ctrl+V anywhere but a text field (here: the table) adds the pasted ids too, after the ones listed.
    QGuiApplication::clipboard()->setText(QStringLiteral("ftjob-list4, ftjob-list5\tftjob-list6\nftjob-list3"));
    auto* table = child<QTableView>(w, "jobsView");
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    table->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), table);
    QTest::keyClick(table, Qt::Key_V, Qt::ControlModifier);
    QTRY_COMPARE(rowCount(w), 6);
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    // Only the new ones are asked about: the three cancelled already are not sent again.
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 3);
    clickCancelJobs(dialog);
    for (const QString& id : ids)
        QTRY_COMPARE(cell(w, id, BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    for (const QString& id : ids)
        QCOMPARE(m_sim->cancelRequestCount(id), 1);
    QVERIFY2(summary(w).contains(QStringLiteral("6 cancelled")), qPrintable(summary(w)));
}

void TestMainWindow::contextMenuPasteKeepsEveryLineAndOtherFieldsPasteAsUsual()
{
    m_sim->add(QStringLiteral("ftjob-menu1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-menu2"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    QGuiApplication::clipboard()->setText(QStringLiteral("ftjob-menu1\nftjob-menu2\n"));

    // Ctrl+V in another text field pastes there, as always: no rows.
    auto* org = child<QLineEdit>(w, "orgEdit");
    org->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), org);
    QTest::keyClick(org, Qt::Key_V, Qt::ControlModifier);
    QVERIFY(org->text().contains(QStringLiteral("ftjob-menu1")));
    QCOMPARE(rowCount(w), 0);
    org->clear();

    // The field's context menu: Paste keeps every line (each id a row), the field stays empty.
    auto* field = child<QLineEdit>(w, "jobIdEdit");
    QContextMenuEvent event(QContextMenuEvent::Mouse, field->rect().center(),
                            field->mapToGlobal(field->rect().center()));
    QApplication::sendEvent(field, &event);
    QMenu* menu = nullptr;
    QTRY_VERIFY((menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) != nullptr);
    QAction* paste = nullptr;
    for (QAction* action : menu->actions()) {
        if (action->text().startsWith(QLineEdit::tr("&Paste")))
            paste = action;
    }
    QVERIFY(paste);
    paste->trigger();
    menu->close();
    QTRY_COMPARE(rowCount(w), 2);
    QCOMPARE(field->text(), QString());
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 2);
    pressKey(dialog, Qt::Key_Escape);
    QTRY_VERIFY(idle(w));
}

void TestMainWindow::finishedJobsAreSkippedWithoutACancel()
{
    const QStringList finished{QStringLiteral("ftjob-succeeded"), QStringLiteral("ftjob-failed"),
                               QStringLiteral("ftjob-cancelled")};
    m_sim->add(finished.at(0), QStringLiteral("succeeded"));
    m_sim->add(finished.at(1), QStringLiteral("failed"));
    m_sim->add(finished.at(2), QStringLiteral("cancelled"));
    m_sim->add(QStringLiteral("ftjob-stillrunning"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);

    // Only finished jobs: looked up, skipped, no confirmation, no cancel.
    typeKeyAndJob(w, finished.join(u' '));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(cell(w, finished.at(0), BatchModel::OutcomeColumn), QStringLiteral("nothing to cancel"));
    QTRY_VERIFY(idle(w));
    QVERIFY(!confirmDialog(w));
    for (const QString& id : finished) {
        QCOMPARE(cell(w, id, BatchModel::OutcomeColumn), QStringLiteral("nothing to cancel"));
        QCOMPARE(m_sim->cancelRequestCount(id), 0);
        // Neutral, not an error: nothing needs the operator.
        QCOMPARE(outcomeColor(w, id),
                 StatusColors::forCategory(Outcome::Category::Neutral, child<QTableView>(w, "jobsView")->palette()));
    }
    QCOMPARE(cell(w, finished.at(1), BatchModel::MessageColumn),
             QStringLiteral("Nothing to cancel \u2014 already failed."));
    QVERIFY2(summary(w).contains(QStringLiteral("3 nothing to cancel")), qPrintable(summary(w)));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);

    // With a running one among them: the confirmation lists that one only.
    QTest::mouseClick(child<QPushButton>(w, "clearJobsButton"), Qt::LeftButton);
    QTRY_COMPARE(rowCount(w), 0);
    child<QLineEdit>(w, "jobIdEdit")->setText(finished.join(u'\n') + QStringLiteral("\nftjob-stillrunning"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    auto* list = child<QTreeWidget>(dialog, "confirmJobsView");
    QCOMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("ftjob-stillrunning"));
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-stillrunning"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    for (const QString& id : finished)
        QCOMPARE(m_sim->cancelRequestCount(id), 0);
}

void TestMainWindow::declinedConfirmationSendsNothing()
{
    m_sim->add(QStringLiteral("ftjob-keep1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-keep2"), QStringLiteral("queued"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-keep1 ftjob-keep2"));
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel 2 jobs"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(child<QPushButton>(dialog, "keepRunningButton")->text(), QStringLiteral("&Keep running"));
    // Escape is "Keep running".
    pressKey(dialog, Qt::Key_Escape);
    QTRY_VERIFY(idle(w));
    QCOMPARE(cell(w, QStringLiteral("ftjob-keep1"), BatchModel::OutcomeColumn), QStringLiteral("not sent"));
    QCOMPARE(cell(w, QStringLiteral("ftjob-keep2"), BatchModel::OutcomeColumn), QStringLiteral("not sent"));
    QTest::qWait(300);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-keep1")).status, QStringLiteral("running"));
    // A declined job is not a failed one: Retry failed has nothing to send.
    auto* retry = child<QPushButton>(w, "retryFailedButton");
    QVERIFY(!retry->isEnabled());
    retry->click();
    QTest::qWait(300);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().contains(QStringLiteral("confirmation was declined")));
}

void TestMainWindow::enterCancelsOnlyOneJobOfTheConfiguredOrganization_data()
{
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QString>("organization"); // the simulator's jobs belong to org-fake
    QTest::addColumn<bool>("enterCancels");
    QTest::newRow("one job") << QStringList{QStringLiteral("ftjob-enter1")} << QStringLiteral("org-fake") << true;
    QTest::newRow("one job, no organization configured")
        << QStringList{QStringLiteral("ftjob-enter1")} << QString() << true;
    QTest::newRow("two jobs") << QStringList{QStringLiteral("ftjob-enter1"), QStringLiteral("ftjob-enter2")}
                              << QStringLiteral("org-fake") << false;
    QTest::newRow("one job of another organization")
        << QStringList{QStringLiteral("ftjob-enter1")} << QStringLiteral("org-mine") << false;
}

void TestMainWindow::enterCancelsOnlyOneJobOfTheConfiguredOrganization()
{
    QFETCH(QStringList, ids);
    QFETCH(QString, organization);
    QFETCH(bool, enterCancels);
    for (const QString& id : ids)
        m_sim->add(id, QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), organization);
    // The ids typed into an empty list, and the confirmation that follows their look-up.
    const auto ask = [&]() -> QDialog* {
        if (rowCount(w) > 0)
            QTest::mouseClick(child<QPushButton>(w, "clearJobsButton"), Qt::LeftButton);
        QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), ids.join(u' '));
        QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
        QDialog* dialog = nullptr;
        (void)QTest::qWaitFor([&] { return (dialog = confirmDialog(w)) != nullptr; }, 15000);
        return dialog;
    };
    QDialog* dialog = ask();
    QVERIFY(dialog);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), ids.size());
    auto* cancel = child<QPushButton>(dialog, "cancelJobsButton");
    auto* keep = child<QPushButton>(dialog, "keepRunningButton");
    QCOMPARE(cancel->isDefault(), enterCancels);
    QCOMPARE(keep->isDefault(), !enterCancels);
    pressKey(dialog, Qt::Key_Return); // where the focus is when it opens
    QTRY_VERIFY(idle(w));
    QTest::qWait(200);
    for (const QString& id : ids)
        QCOMPARE(m_sim->cancelRequestCount(id), enterCancels ? 1 : 0);
    if (enterCancels)
        return;
    QVERIFY2(cell(w, ids.first(), BatchModel::OutcomeColumn).startsWith(QStringLiteral("not sent")),
             qPrintable(cell(w, ids.first(), BatchModel::OutcomeColumn)));
    // Tabbed to "Cancel N jobs", Enter still cancels nothing; only a click or Space on it does.
    QVERIFY((dialog = ask()) != nullptr);
    cancel = child<QPushButton>(dialog, "cancelJobsButton");
    cancel->setFocus();
    QTest::keyClick(cancel, Qt::Key_Return);
    QTRY_VERIFY(idle(w));
    QTest::qWait(200);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QVERIFY((dialog = ask()) != nullptr);
    cancel = child<QPushButton>(dialog, "cancelJobsButton");
    cancel->setFocus();
    QTest::keyClick(cancel, Qt::Key_Space);
    for (const QString& id : ids)
        QTRY_COMPARE(m_sim->cancelRequestCount(id), 1);
}

void TestMainWindow::confirmationNamesTheAccountAndFlagsOtherOrganizations()
{
    m_sim->add(QStringLiteral("ftjob-ours"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-theirs"), QStringLiteral("running"));
    // The simulator's jobs belong to org-fake; this one's look-up says another organization.
    QJsonObject other = FakeResponse::jobObject(QStringLiteral("ftjob-theirs"), QStringLiteral("running"));
    other.insert(QStringLiteral("organization_id"), QStringLiteral("org-elsewhere"));
    m_sim->failNext(QStringLiteral("ftjob-theirs"), JobSimulator::RequestKind::Retrieve, 1,
                    FakeResponse::json(200, QJsonDocument(other).toJson()));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-fake"));
    QTest::keyClicks(child<QLineEdit>(w, "projectEdit"), QStringLiteral("proj_shown"));
    QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), QStringLiteral("ftjob-ours ftjob-theirs"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    const QString account = child<QLabel>(dialog, "confirmAccountLabel")->text();
    for (const QString& part : {QStringLiteral("127.0.0.1:%1").arg(m_server->port()), QStringLiteral("org-fake"),
                                QStringLiteral("proj_shown")})
        QVERIFY2(account.contains(part), qPrintable(account));
    auto* flag = child<QLabel>(dialog, "otherOrganizationLabel");
    QVERIFY(flag->isVisible());
    QVERIFY2(flag->text().contains(QStringLiteral("1 of these jobs")), qPrintable(flag->text()));
    auto* list = child<QTreeWidget>(dialog, "confirmJobsView");
    QCOMPARE(list->topLevelItemCount(), 2);
    for (int i = 0; i < 2; ++i) {
        QTreeWidgetItem* item = list->topLevelItem(i);
        const bool theirs = item->text(0) == QLatin1String("ftjob-theirs");
        QCOMPARE(item->text(3).contains(QStringLiteral("not the configured")), theirs);
        QVERIFY(item->text(3).contains(theirs ? QStringLiteral("org-elsewhere") : QStringLiteral("org-fake")));
    }
    QVERIFY(cell(w, QStringLiteral("ftjob-theirs"), BatchModel::OutcomeColumn)
                .contains(QStringLiteral("other organization")));
    pressKey(dialog, Qt::Key_Escape);
    QTRY_VERIFY(idle(w));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestMainWindow::dontAskAgainCancelsWithoutTheDialog()
{
    m_sim->add(QStringLiteral("ftjob-ask1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-ask2"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QVERIFY(AppSettings().askBeforeCancelling()); // off by default
    typeKeyAndJob(w, QStringLiteral("ftjob-ask1"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    auto* dontAsk = child<QCheckBox>(dialog, "dontAskCheck");
    QVERIFY(!dontAsk->isChecked());
    dontAsk->setChecked(true);
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-ask1"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QVERIFY(!AppSettings().askBeforeCancelling());
    QTRY_VERIFY(idle(w));

    // From now on: confirmed at once, no dialog.
    QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), QStringLiteral("ftjob-ask2"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-ask2"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QVERIFY(!confirmDialog(w));
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().contains(QStringLiteral("without asking")));
}

void TestMainWindow::askingOffIsShownWhereCancelsStart()
{
    m_sim->add(QStringLiteral("ftjob-off1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-off2"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* tabs = child<QTabWidget>(w, "jobsTabs");
    auto* atField = child<QWidget>(w, "askingOffNotice");
    auto* atList = child<QWidget>(w, "listAskingOffNotice");
    // Beside the buttons that start a cancel: the job field's and the list's "Cancel selected".
    QCOMPARE(atField->parentWidget(), child<QPushButton>(w, "cancelButton")->parentWidget());
    QCOMPARE(atList->parentWidget(), child<QWidget>(w, "cancelSelectedButton")->parentWidget());
    QVERIFY(!atField->isVisibleTo(w));
    QVERIFY(atList->isHidden());

    // "Don't ask again": from then on, both say that asking is off.
    typeKeyAndJob(w, QStringLiteral("ftjob-off1"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    child<QCheckBox>(dialog, "dontAskCheck")->setChecked(true);
    clickCancelJobs(dialog);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-off1"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(idle(w));
    QVERIFY(atField->isVisible());
    QVERIFY2(
        child<QLabel>(atField, "askingOffLabel")->text().contains(QStringLiteral("Asking before cancelling is off")),
        qPrintable(child<QLabel>(atField, "askingOffLabel")->text()));
    tabs->setCurrentWidget(child<QWidget>(w, "accountTab"));
    QVERIFY(atList->isVisible());
    tabs->setCurrentWidget(child<QWidget>(w, "cancelsTab"));

    // Turned on from there: both go, and the next cancel asks.
    QTest::mouseClick(child<QPushButton>(atField, "turnAskingOnButton"), Qt::LeftButton);
    QVERIFY(AppSettings().askBeforeCancelling());
    QVERIFY(!atField->isVisibleTo(w));
    QVERIFY(atList->isHidden());
    QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), QStringLiteral("ftjob-off2"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-off2")), 0);
    pressKey(dialog, Qt::Key_Escape);
    QTRY_VERIFY(idle(w));

    // Settings → Ask before cancelling, unticked: shown again at once.
    w->findChild<QAction*>(QStringLiteral("actionSettings"))->trigger();
    QCheckBox* ask = nullptr;
    QTRY_VERIFY((ask = w->findChild<QCheckBox*>(QStringLiteral("askCheck"))) != nullptr && ask->isVisible());
    ask->setChecked(false);
    qobject_cast<QDialog*>(ask->window())->accept();
    QTRY_VERIFY(atField->isVisible());
    QVERIFY(!atList->isHidden()); // shown with its tab
}

void TestMainWindow::accountChangeMakesANewBatch()
{
    m_sim->add(QStringLiteral("ftjob-acct1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-acct2"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-acct1"));
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-first"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    // Both organizations differ from the simulator's (org-fake): the rows say so.
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-acct1"), BatchModel::OutcomeColumn),
                 QStringLiteral("cancelled (other organization)"));
    QTRY_VERIFY(idle(w));

    // Another organization: the listed job is looked up again as it, with the new one, and the cancel goes as it.
    auto* org = child<QLineEdit>(w, "orgEdit");
    org->clear();
    QTest::keyClicks(org, QStringLiteral("org-second"));
    QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), QStringLiteral("ftjob-acct2"));
    // The job cancelled already cannot be cancelled again: the button counts the new one.
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel job"));
    m_server->clearRequests();
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-acct2"), BatchModel::OutcomeColumn),
                 QStringLiteral("cancelled (other organization)"));
    // The row cancelled keeps what became of it; it is not looked up again.
    QCOMPARE(cell(w, QStringLiteral("ftjob-acct1"), BatchModel::OutcomeColumn),
             QStringLiteral("cancelled (other organization)"));
    QCOMPARE(rowCount(w), 2);
    for (const RecordedRequest& r : m_server->requests())
        QCOMPARE(r.header("openai-organization"), QByteArray("org-second"));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-acct1")), 1);
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().contains(QStringLiteral("looked up again")));
}

void TestMainWindow::secondClickNeverSendsASecondRequest()
{
    m_sim->add(QStringLiteral("ftjob-slow"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-other"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-slow"), JobSimulator::RequestKind::Cancel, 1, JobSimulator::hang());
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-slow"));
    auto* button = child<QPushButton>(w, "cancelButton");
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(button->text(), QStringLiteral("Stop"));
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-slow")), 1);
    QCOMPARE(button->text(), QStringLiteral("Stop"));
    QCOMPARE(cell(w, QStringLiteral("ftjob-slow"), BatchModel::OutcomeColumn), QStringLiteral("working\u2026"));
    // Enter again while in flight, even with another id: nothing is sent, the id stays in the field.
    auto* field = child<QLineEdit>(w, "jobIdEdit");
    QTest::keyClicks(field, QStringLiteral("ftjob-other"));
    QTest::keyClick(field, Qt::Key_Return);
    QTest::qWait(200);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1);
    QCOMPARE(field->text(), QStringLiteral("ftjob-other"));
    QVERIFY(child<QLabel>(w, "jobIdMessageLabel")->text().contains(QStringLiteral("press Stop")));
    QCOMPARE(button->text(), QStringLiteral("Stop"));
    // A second click is Stop, not a second request.
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-slow"), BatchModel::OutcomeColumn), QStringLiteral("stopped"));
    QTRY_COMPARE(button->text(), QStringLiteral("Cancel job"));
    QTest::qWait(200);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-slow")), 1);
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().contains(QStringLiteral("Stop requested.")));
}

void TestMainWindow::accountIsReadOnlyWhileCancelling()
{
    m_sim->add(QStringLiteral("ftjob-slowish"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-slowish"));
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-busy"));
    QTest::keyClicks(child<QLineEdit>(w, "projectEdit"), QStringLiteral("proj_busy"));
    const QList<QLineEdit*> account{child<QLineEdit>(w, "apiKeyEdit"), child<QLineEdit>(w, "orgEdit"),
                                    child<QLineEdit>(w, "projectEdit")};
    const auto editable = [](QLineEdit* edit) {
        return edit->isEnabled() && !edit->isReadOnly();
    };
    for (QLineEdit* edit : account)
        QVERIFY2(editable(edit), qPrintable(edit->objectName()));

    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    m_sim->setJobLatency(QStringLiteral("ftjob-slowish"), 1500);
    clickCancelJobs(dialog);
    QTRY_COMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-slowish")), 1);
    // The request is on its way (the answer comes in 1.5 s): the account it was sent with cannot change.
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Stop"));
    for (QLineEdit* edit : account) {
        QVERIFY2(!editable(edit), qPrintable(edit->objectName()));
        const QString before = edit->text();
        QTest::keyClicks(edit, QStringLiteral("x"));
        QTest::keyClick(edit, Qt::Key_Backspace);
        QCOMPARE(edit->text(), before);
    }
    QVERIFY(!child<QPushButton>(w, "forgetCredentialsButton")->isEnabled());
    QVERIFY(!child<QPushButton>(w, "saveCredentialsButton")->isEnabled());
    QVERIFY(!child<QPushButton>(w, "clearJobsButton")->isEnabled());

    QTRY_COMPARE_WITH_TIMEOUT(cell(w, QStringLiteral("ftjob-slowish"), BatchModel::OutcomeColumn),
                              QStringLiteral("cancelled (other organization)"), 10000);
    QTRY_VERIFY(idle(w));
    for (const RecordedRequest& r : m_server->requests())
        QCOMPARE(r.header("openai-organization"), QByteArray("org-busy"));
    for (QLineEdit* edit : account) {
        QVERIFY2(editable(edit), qPrintable(edit->objectName()));
        const QString before = edit->text();
        QTest::keyClicks(edit, QStringLiteral("x"));
        QCOMPARE(edit->text(), before + QStringLiteral("x"));
    }
    QVERIFY(child<QPushButton>(w, "saveCredentialsButton")->isEnabled());
}

void TestMainWindow::escapeStopsMidBatch()
{
    AppSettings().setConcurrency(2);
    const QStringList ids = m_sim->addMany(8, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-stop"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, ids.join(u' '));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 8);
    // Cancels now take long: two go out (two at once), six wait their turn.
    m_sim->setLatency(60000);
    clickCancelJobs(dialog);
    QTRY_COMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
    QTest::qWait(100);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Stop"));
    // While waiting, the time it takes is in view.
    QTRY_VERIFY2(QRegularExpression(QStringLiteral("Cancelling\u2026 .* \\d+ s$")).match(summary(w)).hasMatch(),
                 qPrintable(summary(w)));
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    QTest::keyClick(w, Qt::Key_Escape);
    QTRY_VERIFY(idle(w));
    int stopped = 0;
    int notSent = 0;
    for (const QString& id : ids) {
        const QString outcome = cell(w, id, BatchModel::OutcomeColumn);
        if (m_sim->cancelRequestCount(id) == 1) {
            QCOMPARE(outcome, QStringLiteral("stopped")); // in flight: it may or may not have happened
            ++stopped;
        } else {
            QCOMPARE(outcome, QStringLiteral("not sent"));
            ++notSent;
        }
    }
    QCOMPARE(stopped, 2);
    QCOMPARE(notSent, 6);
    QTest::qWait(300);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
    QVERIFY2(summary(w).contains(QStringLiteral("2 stopped")) && summary(w).contains(QStringLiteral("6 not sent")),
             qPrintable(summary(w)));
    // They were confirmed: Retry failed may send them (the stopped and the not sent).
    QVERIFY(child<QPushButton>(w, "retryFailedButton")->isEnabled());
}

void TestMainWindow::retryFailedRerunsOnlyFailedRows()
{
    const QStringList ids = m_sim->addMany(4, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-retry"));
    m_sim->failNext(ids.at(1), JobSimulator::RequestKind::Cancel, 1, JobSimulator::serverError(false));
    m_sim->add(QStringLiteral("ftjob-gone"), QStringLiteral("running"));
    m_sim->failNext(
        QStringLiteral("ftjob-gone"), JobSimulator::RequestKind::Retrieve, 1,
        FakeResponse::apiError(503, QStringLiteral("look-up failed"), QStringLiteral("server_error"), QString())
            .withHeader("x-should-retry", "false"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, ids.join(u' ') + QStringLiteral(" ftjob-gone"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 4);
    clickCancelJobs(dialog);
    QTRY_VERIFY(idle(w));
    QCOMPARE(cell(w, ids.at(1), BatchModel::OutcomeColumn), QStringLiteral("failed"));
    QCOMPARE(cell(w, QStringLiteral("ftjob-gone"), BatchModel::OutcomeColumn), QStringLiteral("failed"));
    for (const QString& id : {ids.at(0), ids.at(2), ids.at(3)})
        QCOMPARE(cell(w, id, BatchModel::OutcomeColumn), QStringLiteral("cancelled"));

    // One Retry failed takes both: the failed cancel goes again at once (it was confirmed), the job whose look-up
    // failed is looked up again and asked about as a newly pasted id; never the cancelled ones.
    auto* retry = child<QPushButton>(w, "retryFailedButton");
    QVERIFY(retry->isEnabled());
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 1);
    QTRY_COMPARE(m_sim->cancelRequestCount(ids.at(1)), 2); // without a second question
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-gone")), 0);
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-gone"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_COMPARE(cell(w, ids.at(1), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(idle(w));
    for (const QString& id : {ids.at(0), ids.at(2), ids.at(3)})
        QCOMPARE(m_sim->cancelRequestCount(id), 1);
    QVERIFY(!retry->isEnabled());
}

void TestMainWindow::retryAfterFixingTheKeyLooksUpAndAsksAgain()
{
    m_sim->add(QStringLiteral("ftjob-wrongkey"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-wrongkey"), JobSimulator::RequestKind::Cancel, 1,
                    FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided."),
                                           QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key")));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-wrongkey"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-wrongkey"), BatchModel::OutcomeColumn), QStringLiteral("key rejected"));
    QTRY_VERIFY(idle(w));

    // Another key: Retry failed does not resend as the old account; the job is looked up again, and asked about.
    auto* key = child<QLineEdit>(w, "apiKeyEdit");
    key->setText(testKey + QStringLiteral("2"));
    auto* retry = child<QPushButton>(w, "retryFailedButton");
    QVERIFY(retry->isEnabled());
    QVERIFY2(retry->toolTip().contains(QStringLiteral("confirm again")), qPrintable(retry->toolTip()));
    m_server->clearRequests();
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-wrongkey")), 1);
    pressKey(dialog, Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-wrongkey"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-wrongkey")), 2);
    for (const RecordedRequest& r : m_server->requests())
        QCOMPARE(r.header("authorization"), "Bearer " + (testKey + QStringLiteral("2")).toUtf8());
}

void TestMainWindow::watchesUntilCancelled()
{
    m_sim->add(QStringLiteral("ftjob-watched"), QStringLiteral("running"));
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(1);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-watched"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    // The cancel answers "cancelling": the row says so until the job is final.
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-watched"), BatchModel::OutcomeColumn), QStringLiteral("stopping\u2026"));
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Stop"));
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, QStringLiteral("ftjob-watched"), BatchModel::OutcomeColumn),
                              QStringLiteral("cancelled"), 30000);
    QCOMPARE(cell(w, QStringLiteral("ftjob-watched"), BatchModel::StatusColumn),
             QStringLiteral("running \u2192 cancelled"));
    QTRY_VERIFY(idle(w));
    QVERIFY(m_sim->requestCount(JobSimulator::RequestKind::Retrieve) >= 3); // look-up, then two polls
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-watched")), 1);
}

void TestMainWindow::concurrencySettingIsRespected()
{
    AppSettings().setConcurrency(3);
    AppSettings().setAskBeforeCancelling(false);
    const QStringList ids = m_sim->addMany(15, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-many"));
    m_sim->setLatency(100);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    QGuiApplication::clipboard()->setText(ids.join(u'\n'));
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(summary(w).contains(QStringLiteral("15 cancelled")), true, 30000);
    QTRY_VERIFY(idle(w));
    QCOMPARE(m_sim->maxInFlight(), 3); // used, and never more
}

void TestMainWindow::retryShowsCountdownThenResult()
{
    m_sim->add(QStringLiteral("ftjob-retried"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-retried"), JobSimulator::RequestKind::Cancel, 1,
                    FakeResponse::apiError(503, QStringLiteral("busy"), QStringLiteral("server_error"), QString())
                        .withHeader("retry-after", "2"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-retried"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY2(summary(w).contains(QStringLiteral("retrying in ")), qPrintable(summary(w)));
    QVERIFY2(summary(w).contains(QStringLiteral("attempt 2 of 3")), qPrintable(summary(w)));
    QVERIFY2(summary(w).contains(QStringLiteral("HTTP 503")), qPrintable(summary(w)));
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Stop"));
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, QStringLiteral("ftjob-retried"), BatchModel::OutcomeColumn),
                              QStringLiteral("cancelled"), 8000);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-retried")), 2);
    QVERIFY(child<QPlainTextEdit>(w, "logView")
                ->toPlainText()
                .contains(QStringLiteral("Retrying in 2.0 s (attempt 2 of 3)")));
    QTRY_VERIFY(!summary(w).contains(QStringLiteral("retrying in")));
}

void TestMainWindow::stopDuringRetryCountdown()
{
    m_sim->add(QStringLiteral("ftjob-waiting"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-waiting"), JobSimulator::RequestKind::Cancel, 1,
                    JobSimulator::rateLimited(30));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-waiting"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY2(summary(w).contains(QStringLiteral("retrying in ")), qPrintable(summary(w)));
    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, QStringLiteral("ftjob-waiting"), BatchModel::OutcomeColumn),
                              QStringLiteral("stopped"), 2000);
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel job"));
    QTest::qWait(300);
    QVERIFY2(!summary(w).contains(QStringLiteral("retrying")), qPrintable(summary(w))); // the countdown is gone
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-waiting")), 1);
}

void TestMainWindow::selectingARowShowsItsDetails()
{
    m_sim->add(QStringLiteral("ftjob-first"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-second"), QStringLiteral("queued"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-first ftjob-second"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-second"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(idle(w));
    // The first row added is the one shown.
    QVERIFY(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("ftjob-first")));
    auto* table = child<QTableView>(w, "jobsView");
    const QRect second = table->visualRect(table->model()->index(rowOf(w, QStringLiteral("ftjob-second")), 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, second.center());
    const QString details = child<QLabel>(w, "statusDetailsLabel")->text();
    QVERIFY2(details.contains(QStringLiteral("Job: ftjob-second")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Status: queued \u2192 cancelled")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("HTTP 200")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Request id: req_sim_")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Organization: org-fake")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Cancelled.")), qPrintable(details));
    QCOMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelled"));
    QCOMPARE(child<QLabel>(w, "statusDetailsLabel")->textFormat(), Qt::PlainText);

    // Sortable: by status, queued before running.
    table->sortByColumn(BatchModel::StatusColumn, Qt::AscendingOrder);
    QCOMPARE(table->model()->index(0, BatchModel::IdColumn).data().toString(), QStringLiteral("ftjob-second"));
    table->sortByColumn(BatchModel::StatusColumn, Qt::DescendingOrder);
    QCOMPARE(table->model()->index(0, BatchModel::IdColumn).data().toString(), QStringLiteral("ftjob-first"));
}

void TestMainWindow::clearEmptiesTheListWhenIdle()
{
    m_sim->add(QStringLiteral("ftjob-clear"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* clear = child<QPushButton>(w, "clearJobsButton");
    QVERIFY(!clear->isEnabled()); // nothing to clear
    typeKeyAndJob(w, QStringLiteral("ftjob-clear"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = confirmDialog(w)) != nullptr);
    QVERIFY(!clear->isEnabled()); // not while a confirmation is open
    pressKey(dialog, Qt::Key_Return);
    QTRY_VERIFY(idle(w));
    QVERIFY(clear->isEnabled());
    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(rowCount(w), 0);
    QVERIFY(!clear->isEnabled());
    QCOMPARE(child<QLabel>(w, "statusLabel")->text(), QString());
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().startsWith(log)); // the log keeps everything
}

void TestMainWindow::thousandRowsStayUsable()
{
    AppSettings().setConcurrency(16);
    AppSettings().setAskBeforeCancelling(false);
    const QStringList ids = m_sim->addMany(1000, {{QStringLiteral("running"), 9}, {QStringLiteral("succeeded"), 1}},
                                           QStringLiteral("ftjob-k"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    auto* table = child<QTableView>(w, "jobsView");
    const int widgetsBefore = int(table->findChildren<QWidget*>().size());
    // The event loop keeps turning: the longest gap between two ticks of a 20 ms timer.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer ticker;
    ticker.setInterval(20);
    connect(&ticker, &QTimer::timeout, this, [&] { longestGap = qMax(longestGap, sinceTick.restart()); });
    QGuiApplication::clipboard()->setText(ids.join(u'\n'));
    sinceTick.start();
    ticker.start();
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QCOMPARE(rowCount(w), 1000);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), 120000);
    ticker.stop();
    QVERIFY2(summary(w).contains(QStringLiteral("900 cancelled")), qPrintable(summary(w)));
    QVERIFY2(summary(w).contains(QStringLiteral("100 nothing to cancel")), qPrintable(summary(w)));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 900);
    // No widget per row.
    QCOMPARE(int(table->findChildren<QWidget*>().size()), widgetsBefore);
    for (const int row : {0, 499, 999})
        QVERIFY(!table->indexWidget(table->model()->index(row, 0)));
    QVERIFY2(longestGap < 2000, qPrintable(QStringLiteral("the window froze for %1 ms").arg(longestGap)));
    QVERIFY(m_sim->maxInFlight() <= 16);
}

void TestMainWindow::notifiesWhenInactiveWithoutATray()
{
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen: the fallback path
    m_sim->add(QStringLiteral("ftjob-away"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-here"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKey(w);
    auto* notifier = w->findChild<DesktopNotifier*>(QStringLiteral("desktopNotifier"));
    QVERIFY(notifier);
    QSignalSpy notified(notifier, &DesktopNotifier::notified);

    // The operator is in another window when the batch ends.
    m_sim->setLatency(300);
    QGuiApplication::clipboard()->setText(QStringLiteral("ftjob-away"));
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QWidget elsewhere;
    elsewhere.show();
    QApplication::setActiveWindow(&elsewhere);
    QTRY_VERIFY(!w->isActiveWindow());
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-away"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_COMPARE(notified.size(), 1);
    QVERIFY2(notified.first().at(1).toString().contains(QStringLiteral("1 cancelled")),
             qPrintable(notified.first().at(1).toString()));
    QCOMPARE(notified.first().at(2).value<DesktopNotifier::Channel>(),
             DesktopNotifier::Channel::AlertOnly); // no service, no tray here, and nothing broke

    // Looking at the window: no notification.
    elsewhere.hide();
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    QGuiApplication::clipboard()->setText(QStringLiteral("ftjob-here"));
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-here"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(idle(w));
    QTest::qWait(100);
    QCOMPARE(notified.size(), 1);
}

void TestMainWindow::closingWhileABatchRunsAsks()
{
    const QString stamp = QString::number(QDateTime::currentMSecsSinceEpoch());
    const QStringList ids{QStringLiteral("ftjob-quit1x") + stamp, QStringLiteral("ftjob-quit2x") + stamp};
    for (const QString& id : ids) {
        m_sim->add(id, QStringLiteral("running"));
        m_sim->failNext(id, JobSimulator::RequestKind::Cancel, 1, JobSimulator::hang()); // in flight until stopped
    }
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    // Nothing running: it closes at once, as always.
    QVERIFY(w->close());
    QVERIFY(!w->findChild<QMessageBox*>(QStringLiteral("quitQuestion")));
    w->show();
    typeKeyAndJob(w, ids.join(u' '));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);

    // Closing (the window's close button, File → Quit) asks; Enter is "Keep running", and so is Escape.
    const auto question = [w] {
        auto* box = w->findChild<QMessageBox*>(QStringLiteral("quitQuestion"));
        return box && box->isVisible() ? box : nullptr;
    };
    QVERIFY(!w->close());
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = question()) != nullptr);
    QCOMPARE(box->windowModality(), Qt::WindowModal); // opened with open(): the window keeps working
    QVERIFY2(box->text().contains(QStringLiteral("stopped")), qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), child<QPushButton>(box, "keepRunningQuitButton"));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(!question());
    w->findChild<QAction*>(QStringLiteral("actionQuit"))->trigger();
    QTRY_VERIFY((box = question()) != nullptr);
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!question());
    QTest::qWait(200);
    QVERIFY(w->isVisible());
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Stop")); // still running
    for (const QString& id : ids)
        QCOMPARE(cell(w, id, BatchModel::OutcomeColumn), QStringLiteral("working\u2026"));

    // "Stop and quit": what was in flight ends "stopped", with its line in the trail, and the window closes.
    QVERIFY(!w->close());
    QTRY_VERIFY((box = question()) != nullptr);
    QTest::mouseClick(child<QPushButton>(box, "stopAndQuitButton"), Qt::LeftButton);
    QTRY_VERIFY(!w->isVisible());
    for (const QString& id : ids)
        QCOMPARE(cell(w, id, BatchModel::OutcomeColumn), QStringLiteral("stopped"));
    const QList<AuditEntry> entries = AuditLog(AuditLog::defaultPath()).readAll();
    for (const QString& id : ids) {
        int lines = 0;
        for (const AuditEntry& e : entries) {
            if (e.jobId != id)
                continue;
            ++lines;
            QCOMPARE(e.errorKind, QStringLiteral("stopped"));
            QVERIFY2(e.errorMessage.contains(QStringLiteral("FtCancel was quit")), qPrintable(e.errorMessage));
        }
        QCOMPARE(lines, 1);
    }
    QVERIFY(child<QPlainTextEdit>(w, "logView")
                ->toPlainText()
                .contains(QStringLiteral("Stopped: Outcome unknown: FtCancel was quit")));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
}

void TestMainWindow::notificationReportsTheRunThatEnded()
{
    m_sim->add(QStringLiteral("ftjob-first"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("succeeded"));
    m_sim->add(QStringLiteral("ftjob-second"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKey(w);
    auto* notifier = w->findChild<DesktopNotifier*>(QStringLiteral("desktopNotifier"));
    QVERIFY(notifier);
    QSignalSpy notified(notifier, &DesktopNotifier::notified);
    QWidget elsewhere;
    elsewhere.show();
    QApplication::setActiveWindow(&elsewhere);
    QTRY_VERIFY(!w->isActiveWindow());

    QGuiApplication::clipboard()->setText(QStringLiteral("ftjob-first ftjob-done"));
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("1 cancelled, 1 nothing to cancel"));

    // The second run's notification is about its one job, not the three rows the tab now holds.
    QGuiApplication::clipboard()->setText(QStringLiteral("ftjob-second"));
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QTRY_COMPARE(notified.size(), 2);
    QCOMPARE(rowCount(w), 3);
    QCOMPARE(notified.at(1).at(1).toString(), QStringLiteral("1 cancelled"));
}

void TestMainWindow::copyCopiesEverySelectedId()
{
    const QStringList ids = m_sim->addMany(3, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-copy"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, ids.join(u' '));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY(idle(w));
    auto* view = child<QTableView>(w, "jobsView");
    auto* copy = w->findChild<QAction*>(QStringLiteral("copyJobIdAction"));

    // Cancels: two rows selected, two ids copied, one a line.
    view->selectionModel()->select(QItemSelection(view->model()->index(0, 0), view->model()->index(0, 0)),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view->selectionModel()->select(QItemSelection(view->model()->index(2, 0), view->model()->index(2, 0)),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTRY_VERIFY(copy->isEnabled());
    QVERIFY2(copy->text().contains(QStringLiteral("2")), qPrintable(copy->text()));
    copy->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(),
             view->model()->index(0, BatchModel::IdColumn).data().toString() + u'\n'
                 + view->model()->index(2, BatchModel::IdColumn).data().toString());

    // The account's list: all three selected, all three copied.
    auto* tabs = child<QTabWidget>(w, "jobsTabs");
    tabs->setCurrentWidget(child<QWidget>(w, "accountTab"));
    auto* list = child<QTableView>(w, "accountJobsView");
    QTRY_COMPARE(list->model()->rowCount(), 3);
    list->selectAll();
    QTRY_VERIFY(copy->text().contains(QStringLiteral("3")));
    copy->trigger();
    QStringList copied = QGuiApplication::clipboard()->text().split(u'\n');
    copied.sort();
    QStringList expected = ids;
    expected.sort();
    QCOMPARE(copied, expected);
}

void TestMainWindow::cancelsHaveTheListsMenu()
{
    m_sim->add(QStringLiteral("ftjob-menu-ok"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-menu-bad"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-menu-bad"), JobSimulator::RequestKind::Cancel, 1,
                    JobSimulator::serverError(false));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-menu-ok ftjob-menu-bad"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY(idle(w));
    QCOMPARE(cell(w, QStringLiteral("ftjob-menu-bad"), BatchModel::OutcomeColumn), QStringLiteral("failed"));

    // The same right-click menu as the list's rows, and Check again.
    auto* view = child<QTableView>(w, "jobsView");
    QCOMPARE(view->contextMenuPolicy(), Qt::ActionsContextMenu);
    QStringList names;
    for (const QAction* action : view->actions()) {
        if (!action->isSeparator())
            names << action->objectName();
    }
    auto* list = child<QTableView>(w, "accountJobsView");
    for (const QAction* action : list->actions()) {
        if (!action->isSeparator())
            QVERIFY2(names.contains(action->objectName()), qPrintable(action->objectName()));
    }
    QVERIFY(names.contains(QStringLiteral("checkAgainAction")));

    // Cancel selected on Cancels: the failed row is looked up and cancelled again; a cancelled one is left out.
    auto* cancelSelected = w->findChild<QAction*>(QStringLiteral("cancelSelectedAction"));
    const int okRow = rowOf(w, QStringLiteral("ftjob-menu-ok"));
    view->selectionModel()->select(QItemSelection(view->model()->index(okRow, 0), view->model()->index(okRow, 0)),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QTRY_VERIFY(!cancelSelected->isEnabled()); // nothing to cancel in a cancelled job
    view->selectAll();
    QTRY_VERIFY(cancelSelected->isEnabled());
    m_sim->resetCounters();
    cancelSelected->trigger();
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-menu-bad"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(idle(w));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-menu-bad")), 1);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-menu-ok")), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1); // looked up first, as chosen jobs are
}

void TestMainWindow::tabLeavesTheTables()
{
    m_sim->addMany(3, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-tab"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-tab000001 ftjob-tab000002"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY(idle(w));
    auto* tabs = child<QTabWidget>(w, "jobsTabs");
    tabs->setCurrentWidget(child<QWidget>(w, "accountTab"));
    QTRY_COMPARE(child<QTableView>(w, "accountJobsView")->model()->rowCount(), 3);
    for (const char* name : {"jobsView", "accountJobsView"}) {
        tabs->setCurrentWidget(child<QWidget>(w, name == QByteArrayView("jobsView") ? "cancelsTab" : "accountTab"));
        auto* table = child<QTableView>(w, name);
        table->setFocus(Qt::TabFocusReason);
        table->setCurrentIndex(table->model()->index(0, 0));
        QTRY_VERIFY(table->hasFocus());
        QTest::keyClick(table, Qt::Key_Tab);
        QTRY_VERIFY2(!table->hasFocus(), name); // Tab went on to the next control, not to the next cell
        QCOMPARE(table->currentIndex().column(), 0);
    }
}

// ---- The window itself --------------------------------------------------------------------------------------

// Whether the end of the log's last line is inside the viewport.
static bool newestLineVisible(QPlainTextEdit* log)
{
    QTextCursor end(log->document());
    end.movePosition(QTextCursor::End);
    const QRect rect = log->cursorRect(end);
    return rect.top() >= 0 && rect.bottom() <= log->viewport()->height();
}

void TestMainWindow::logShowsItsNewestLineAndWraps()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* tabs = child<QTabWidget>(w, "detailsTabs");
    tabs->setCurrentWidget(child<QWidget>(w, "logTab"));
    auto* log = child<QPlainTextEdit>(w, "logView");
    QTRY_VERIFY(log->isVisible());
    const QString longUrl = QStringLiteral("POST ") + m_server->baseUrl().toString()
        + QStringLiteral("/fine_tuning/jobs/ftjob-") + QString(300, u'x') + QStringLiteral("/cancel");
    // Short lines until the log scrolls, as at start-up and while credentials load.
    for (int i = 0; i < 60; ++i)
        w->activityLog()->add(QStringLiteral("line %1").arg(i));
    QTRY_VERIFY(newestLineVisible(log));
    // The first cancel logs a long POST line: it must not bring a horizontal scroll bar over the newest line (the
    // old log did, and from then on followed no more lines). The pane scrolls to a line once the event loop runs.
    w->activityLog()->add(longUrl);
    QTRY_VERIFY(newestLineVisible(log));
    for (int i = 0; i < 5; ++i) {
        w->activityLog()->add(QStringLiteral("after the first cancel %1").arg(i));
        QTRY_VERIFY2(newestLineVisible(log), qPrintable(QStringLiteral("after %1 more lines").arg(i + 1)));
    }
    // The panes around the log change (the result area grew after the first cancel): the log gets shorter, by less
    // than a line or by several, and must still show its newest line, then follow.
    for (const int shorter : {7, 40}) {
        log->setFixedHeight(log->height() - shorter);
        QTRY_VERIFY2(newestLineVisible(log), qPrintable(QStringLiteral("%1 px shorter").arg(shorter)));
        w->activityLog()->add(QStringLiteral("after getting shorter"));
        QTRY_VERIFY(newestLineVisible(log));
    }
    log->setMinimumHeight(0);
    log->setMaximumHeight(QWIDGETSIZE_MAX);
    w->resize(w->width(), w->height() - 60);
    QTRY_VERIFY(newestLineVisible(log));
    for (int i = 0; i < 200; ++i) {
        w->activityLog()->add(i % 5 == 0 ? longUrl : QStringLiteral("later line %1").arg(i));
        if (i % 40 == 0)
            QTRY_VERIFY2(newestLineVisible(log), qPrintable(QStringLiteral("after %1 more lines").arg(i + 1)));
    }
    w->activityLog()->add(QStringLiteral("the newest line"));
    QTRY_VERIFY(newestLineVisible(log));
    QVERIFY(log->toPlainText().endsWith(QStringLiteral("the newest line")));
    // Long lines wrap: nothing to scroll sideways.
    QCOMPARE(log->lineWrapMode(), QPlainTextEdit::WidgetWidth);
    QCOMPARE(log->horizontalScrollBar()->maximum(), 0);

    // Scrolled up to read: left alone while lines come in; back at the end, it follows again.
    log->verticalScrollBar()->setValue(0);
    w->activityLog()->add(QStringLiteral("while reading"));
    QCoreApplication::processEvents(); // the pane takes the line in once the event loop runs
    QCOMPARE(log->verticalScrollBar()->value(), 0);
    log->verticalScrollBar()->setValue(log->verticalScrollBar()->maximum());
    w->activityLog()->add(QStringLiteral("following again"));
    QTRY_VERIFY(newestLineVisible(log));
}

// The mnemonic letter of a text ("Sa&ve" -> 'v'), or a null QChar.
static QChar mnemonicOf(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) == u'&') {
            ++i;
            continue;
        }
        return text.at(i + 1).toLower();
    }
    return QChar();
}

void TestMainWindow::mnemonicsAreUnique()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    const auto collect = [w] {
        QMultiHash<QChar, QString> seen;
        const auto add = [&seen](const QString& text, const QString& where) {
            if (const QChar c = mnemonicOf(text); !c.isNull())
                seen.insert(c, where + QStringLiteral(" \u201C") + text + QStringLiteral("\u201D"));
        };
        for (QAction* menu : w->menuBar()->actions())
            add(menu->text(), QStringLiteral("menu"));
        for (QAbstractButton* button : w->findChildren<QAbstractButton*>()) {
            if (button->isVisibleTo(w))
                add(button->text(), button->objectName());
        }
        for (QLabel* label : w->findChildren<QLabel*>()) {
            if (label->isVisibleTo(w) && label->buddy())
                add(label->text(), label->objectName());
        }
        for (QGroupBox* group : w->findChildren<QGroupBox*>())
            add(group->title(), group->objectName());
        for (QTabBar* bar : w->findChildren<QTabBar*>()) {
            for (int i = 0; i < bar->count(); ++i)
                add(bar->tabText(i), QStringLiteral("tab"));
        }
        return seen;
    };
    auto* tabs = child<QTabWidget>(w, "detailsTabs");
    auto* jobsTabs = child<QTabWidget>(w, "jobsTabs");
    auto* show = child<QToolButton>(w, "showKeyButton");
    QSet<QChar> letters;
    // Every pair of pages that can be shown together: the jobs list or the cancels, with details, events or log.
    for (const char* jobsPage : {"accountTab", "cancelsTab"}) {
        for (const char* detailsPage : {"detailsTab", "eventsTab", "logTab"}) {
            for (const bool shown : {false, true}) {
                jobsTabs->setCurrentWidget(child<QWidget>(w, jobsPage));
                tabs->setCurrentWidget(child<QWidget>(w, detailsPage));
                show->setChecked(shown);
                const QMultiHash<QChar, QString> seen = collect();
                for (const QChar c : seen.uniqueKeys()) {
                    QVERIFY2(seen.count(c) == 1,
                             qPrintable(QStringLiteral("Alt+%1 is %2 (%3, %4)")
                                            .arg(c.toUpper())
                                            .arg(QStringList(seen.values(c)).join(QStringLiteral(" and ")),
                                                 QLatin1String(jobsPage), QLatin1String(detailsPage))));
                    letters.insert(c);
                }
            }
        }
    }
    // The menus and the fields that clashed before (Show and Help, Forget and File) have letters of their own, and
    // so have the jobs' tabs, the Jobs menu, the events and Copy id.
    for (const QChar c : {u'f', u'h', u'k', u'o', u'p', u'j', u's', u'r', u'w', u't',
                          u'l', u'g', u'c', u'v', u'e', u'u', u'a', u'n', u'b', u'y'})
        QVERIFY2(letters.contains(c), qPrintable(QStringLiteral("no Alt+%1").arg(c)));
}

void TestMainWindow::fitsAtTwiceTheScale()
{
    // At QT_SCALE_FACTOR=2 every pixel here is two: on a 1080 px screen with a 64 px panel the window gets 508.
    // (tst_windowlayout checks the window on such a screen, in its fullest states.)
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QVERIFY2(w->minimumSizeHint().height() <= 508,
             qPrintable(QStringLiteral("minimum height %1").arg(w->minimumSizeHint().height())));
    // (What it prefers may be taller: it opens bounded by the screen, below.)
    // It opens no taller than the screen it is on leaves room for.
    const int available = w->screen()->availableGeometry().height();
    QVERIFY2(w->frameGeometry().height() <= available,
             qPrintable(QStringLiteral("opens %1 px tall on %2").arg(w->frameGeometry().height()).arg(available)));
    // A long list of refusals under the field scrolls there; it does not make the window taller.
    QStringList junk;
    for (int i = 0; i < 12; ++i)
        junk << QStringLiteral("file-junk%1").arg(i);
    QGuiApplication::clipboard()->setText(junk.join(u'\n'));
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QTRY_VERIFY(child<QLabel>(w, "jobIdMessageLabel")->isVisible());
    QVERIFY2(w->minimumSizeHint().height() <= 508,
             qPrintable(QStringLiteral("minimum height %1 with refusals listed").arg(w->minimumSizeHint().height())));
    // At its smallest, every pane still shows something.
    w->resize(w->minimumSizeHint());
    QTRY_COMPARE(w->size(), w->minimumSizeHint());
    for (const char* name : {"jobsView", "detailsTabs", "jobIdEdit", "apiKeyEdit", "summaryLabel"})
        QVERIFY2(w->findChild<QWidget*>(QLatin1String(name))->height() > 10, name);
    QVERIFY(child<QTableView>(w, "jobsView")->viewport()->height()
            >= 2 * child<QTableView>(w, "jobsView")->verticalHeader()->defaultSectionSize());
}

void TestMainWindow::colorsFollowADarkPalette()
{
    m_sim->add(QStringLiteral("ftjob-good"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-bad"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-done"), QStringLiteral("succeeded"));
    m_sim->failNext(QStringLiteral("ftjob-bad"), JobSimulator::RequestKind::Cancel, 1,
                    JobSimulator::serverError(false));
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    light.setColor(QPalette::WindowText, Qt::black);
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    QApplication::setPalette(light);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    AppSettings().setAskBeforeCancelling(false);
    typeKeyAndJob(w, QStringLiteral("ftjob-good ftjob-bad ftjob-done"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY(idle(w));
    QCOMPARE(cell(w, QStringLiteral("ftjob-bad"), BatchModel::OutcomeColumn), QStringLiteral("failed"));
    const QStringList ids{QStringLiteral("ftjob-good"), QStringLiteral("ftjob-bad"), QStringLiteral("ftjob-done")};
    QHash<QString, QColor> before;
    for (const QString& id : ids) {
        before.insert(id, outcomeColor(w, id));
        QVERIFY2(StatusColors::contrast(before.value(id), light.color(QPalette::Base)) >= 4.5, qPrintable(id));
    }
    QVERIFY(before.value(QStringLiteral("ftjob-good")) != before.value(QStringLiteral("ftjob-bad")));
    const QColor headlineBefore = child<QLabel>(w, "statusLabel")->palette().color(QPalette::WindowText);

    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    QApplication::setPalette(dark);
    QTRY_VERIFY(outcomeColor(w, QStringLiteral("ftjob-good")) != before.value(QStringLiteral("ftjob-good")));
    for (const QString& id : ids) {
        const QColor now = outcomeColor(w, id);
        QVERIFY2(now != before.value(id), qPrintable(id));
        QVERIFY2(StatusColors::contrast(now, dark.color(QPalette::Base)) >= 4.5,
                 qPrintable(QStringLiteral("%1: %2 on %3").arg(id, now.name(), dark.color(QPalette::Base).name())));
    }
    const QColor headline = child<QLabel>(w, "statusLabel")->palette().color(QPalette::WindowText);
    QVERIFY(headline != headlineBefore);
    QVERIFY(StatusColors::contrast(headline, dark.color(QPalette::Window)) >= 4.5);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
