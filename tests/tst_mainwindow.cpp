#include "activitylog.h"
#include "appinfo.h"
#include "auditlog.h"
#include "fakeopenaiserver.h"
#include "historydialog.h"
#include "keyringcontrol.h"
#include "mainwindow.h"
#include "profilescan.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <memory>

// The window as an operator uses it, offscreen, against a local server and a real (private) gnome-keyring.
class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void startsByLoadingCredentials();
    void tabOrderFollowsTheForm();
    void enterCancelsAndShowsStatusAndLog();
    void pastedDashboardUrlBecomesTheId();
    void secondClickNeverSendsASecondRequest();
    void accountIsReadOnlyWhileCancelling();
    void invalidIdSendsNothingAndExplains();
    void apiErrorIsShownInWords();
    void nonCancelledStatusSaysItMayTakeAMoment();
    void missingKeySendsNothing();
    void ctrlLFocusesJobId();
    void showKeyToggles();
    void keyNeverInLogCopyOrSavedLog();
    void cancelIsRecordedAndShownInHistory();
    void credentialsRoundTripThroughKeyring();
    void lockedKeyringIsShownAsLocked();
    void retryShowsCountdownThenResult();
    void stopDuringRetryCountdown();
    void logShowsItsNewestLineAndWraps();

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
    void typeKeyAndJob(MainWindow* w, const QString& jobId);

    FakeOpenAiServer* m_server = nullptr;
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
    qputenv("OPENAI_BASE_URL", m_server->baseUrl().toString().toUtf8());
}

void TestMainWindow::cleanup()
{
    // A test that locked the keyring and failed half-way must not leave it locked for the next one.
    if (KeyringControl::isLocked() == true) {
        QString error;
        QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    }
    m_window.reset();
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

void TestMainWindow::typeKeyAndJob(MainWindow* w, const QString& jobId)
{
    auto* key = child<QLineEdit>(w, "apiKeyEdit");
    key->clear();
    QTest::keyClicks(key, testKey);
    auto* job = child<QLineEdit>(w, "jobIdEdit");
    job->clear();
    QTest::keyClicks(job, jobId);
}

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
    QVERIFY2(log.contains(QStringLiteral("No credentials saved in the keyring yet.")), qPrintable(log));
    QVERIFY2(!log.contains(QStringLiteral("locked")), qPrintable(log));
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->echoMode(), QLineEdit::Password);
    QVERIFY(!child<QLineEdit>(w, "apiKeyEdit")->accessibleName().isEmpty());
    QVERIFY(!child<QLineEdit>(w, "jobIdEdit")->accessibleName().isEmpty());
    QVERIFY(!child<QPushButton>(w, "cancelButton")->accessibleName().isEmpty());
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

void TestMainWindow::enterCancelsAndShowsStatusAndLog()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-abc123"), QStringLiteral("cancelled"))
                          .withHeader("x-request-id", "req_gui_1"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-abc123"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);

    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelled"));
    const QString details = child<QLabel>(w, "statusDetailsLabel")->text();
    QVERIFY2(details.contains(QStringLiteral("ftjob-abc123")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("gpt-4o-mini")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("req_gui_1")), qPrintable(details));
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel job"));

    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("\u2026KEY9")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("POST ") + m_server->baseUrl().toString()
                          + QStringLiteral("/fine_tuning/jobs/ftjob-abc123/cancel")),
             qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("HTTP 200")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("req_gui_1")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("status: cancelled")), qPrintable(log));
    // Every line starts with a timestamp.
    for (const QString& line : log.split(u'\n', Qt::SkipEmptyParts))
        QVERIFY2(
            QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")).match(line).hasMatch(),
            qPrintable(line));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestMainWindow::pastedDashboardUrlBecomesTheId()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-fromurl"), QStringLiteral("cancelled")));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QString());
    // Pasted from the browser's address bar, with the spaces and line break that come along.
    QGuiApplication::clipboard()->setText(
        QStringLiteral("  https://platform.openai.com/finetune/ftjob-fromurl?filter=all \n"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_V, Qt::ControlModifier);
    QVERIFY(child<QLineEdit>(w, "jobIdEdit")->text().contains(QStringLiteral("platform.openai.com")));
    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelled"));
    QCOMPARE(child<QLineEdit>(w, "jobIdEdit")->text(), QStringLiteral("ftjob-fromurl"));
    QCOMPARE(m_server->requests().first().target, QByteArray("/v1/fine_tuning/jobs/ftjob-fromurl/cancel"));
}

void TestMainWindow::secondClickNeverSendsASecondRequest()
{
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    m_server->enqueue(hang);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-slow"));
    auto* button = child<QPushButton>(w, "cancelButton");
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(button->text(), QStringLiteral("Stop"));
    QTRY_COMPARE(m_server->requestCount(), 1);
    // Enter again while in flight: ignored.
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTest::qWait(200);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(button->text(), QStringLiteral("Stop"));
    // The window is not frozen while waiting: the log pane takes input.
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().contains(QStringLiteral("Cancelling ftjob-slow")));
    // A second click is Stop, not a second request.
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("Stopped"));
    QCOMPARE(button->text(), QStringLiteral("Cancel job"));
    QTest::qWait(200);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestMainWindow::accountIsReadOnlyWhileCancelling()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-slowish"), QStringLiteral("cancelled")).withDelay(1500));
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
    QTRY_COMPARE(m_server->requestCount(), 1);
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

    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelled"), 10000);
    QCOMPARE(m_server->requests().first().header("openai-organization"), QByteArray("org-busy"));
    for (QLineEdit* edit : account) {
        QVERIFY2(editable(edit), qPrintable(edit->objectName()));
        const QString before = edit->text();
        QTest::keyClicks(edit, QStringLiteral("x"));
        QCOMPARE(edit->text(), before + QStringLiteral("x"));
    }
    QVERIFY(child<QPushButton>(w, "forgetCredentialsButton")->isEnabled());
    QVERIFY(child<QPushButton>(w, "saveCredentialsButton")->isEnabled());
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
    QVERIFY2(message->text().contains(QStringLiteral("file id")), qPrintable(message->text()));
    QCOMPARE(child<QLineEdit>(w, "jobIdEdit")->text(), QStringLiteral("file-abc123")); // nothing lost
    QTest::qWait(100);
    QCOMPARE(m_server->requestCount(), 0);
    // Typing again clears the complaint.
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Backspace);
    QVERIFY(!message->isVisible());
}

void TestMainWindow::apiErrorIsShownInWords()
{
    m_server->enqueue(FakeResponse::apiError(404, QStringLiteral("Could not find fine tune: ftjob-nope"),
                                             QStringLiteral("invalid_request_error"),
                                             QStringLiteral("fine_tune_not_found"))
                          .withHeader("x-request-id", "req_gui_404"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-nope"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("HTTP 404 error"));
    const QString details = child<QLabel>(w, "statusDetailsLabel")->text();
    QVERIFY2(details.contains(QStringLiteral("No such job")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Could not find fine tune: ftjob-nope")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("fine_tune_not_found")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("req_gui_404")), qPrintable(details));
}

void TestMainWindow::nonCancelledStatusSaysItMayTakeAMoment()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-busy"), QStringLiteral("cancelling")));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-busy"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelling"));
    QVERIFY(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("may take a moment")));
}

void TestMainWindow::missingKeySendsNothing()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QTest::keyClicks(child<QLineEdit>(w, "jobIdEdit"), QStringLiteral("ftjob-abc"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("Not sent"));
    QVERIFY(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("No API key")));
    QCOMPARE(m_server->requestCount(), 0);
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
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QTest::mouseClick(child<QToolButton>(w, "showKeyButton"), Qt::LeftButton);
    QCOMPARE(key->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(child<QToolButton>(w, "showKeyButton"), Qt::LeftButton);
    QCOMPARE(key->echoMode(), QLineEdit::Password);
}

void TestMainWindow::keyNeverInLogCopyOrSavedLog()
{
    // An error body that quotes the key back (as a 401 does) must not bring it into the log.
    m_server->enqueue(FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided: %1.").arg(testKey),
                                             QStringLiteral("invalid_request_error"),
                                             QStringLiteral("invalid_api_key")));
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-two"), QStringLiteral("cancelled")));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-one"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("HTTP 401 error"));
    QVERIFY(!child<QLabel>(w, "statusDetailsLabel")->text().contains(testKey));
    QVERIFY(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("key was rejected")));
    typeKeyAndJob(w, QStringLiteral("ftjob-two"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelled"));

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
    QFileDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = w->findChild<QFileDialog*>(QStringLiteral("saveLogDialog"))) != nullptr);
    dialog->selectFile(path);
    static_cast<QDialog*>(dialog)->accept();
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
    m_server->enqueue(
        FakeResponse::job(jobId, QStringLiteral("cancelled")).withHeader("x-request-id", "req_gui_audit"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);

    // Refused before sending: not an attempt, no line.
    typeKeyAndJob(w, refusedId);
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_VERIFY(child<QLabel>(w, "jobIdMessageLabel")->isVisible());

    typeKeyAndJob(w, jobId);
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(w, "statusLabel")->text(), QStringLiteral("cancelled"));
    QCOMPARE(linesFor(refusedId).size(), 0);
    const QList<AuditEntry> entries = linesFor(jobId);
    QCOMPARE(entries.size(), 1);
    const AuditEntry& e = entries.first();
    QCOMPARE(e.status, QStringLiteral("cancelled"));
    QCOMPARE(e.httpStatus, 200);
    QCOMPARE(e.requestId, QStringLiteral("req_gui_audit"));
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
    const QString newest = view->model()->index(0, 1).data().toString();
    QCOMPARE(newest, jobId);

    // A cancel while History is open shows up there at once.
    const QString nextId = jobId + QStringLiteral("b");
    m_server->enqueue(FakeResponse::job(nextId, QStringLiteral("cancelled")));
    typeKeyAndJob(w, nextId);
    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QTRY_COMPARE(view->model()->index(0, 1).data().toString(), nextId);
}

void TestMainWindow::credentialsRoundTripThroughKeyring()
{
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QTest::keyClicks(child<QLineEdit>(w, "apiKeyEdit"), testKey);
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-roundtrip"));
    QTest::keyClicks(child<QLineEdit>(w, "projectEdit"), QStringLiteral("proj_roundtrip"));
    QCOMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Not saved"));
    QTest::mouseClick(child<QPushButton>(w, "saveCredentialsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Saved in the keyring"),
                              15000);
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

    // Forget deletes them; the next window starts empty.
    QTest::mouseClick(child<QPushButton>(w, "forgetCredentialsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(w, "apiKeyEdit")->text(), QString(), 15000);
    QTRY_COMPARE(child<QLabel>(w, "credentialsStateLabel")->text(), QStringLiteral("Nothing saved"));
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
    QVERIFY2(!log.contains(QStringLiteral("No credentials saved")), qPrintable(log));
    const QString state = child<QLabel>(w, "credentialsStateLabel")->text();
    QVERIFY2(state.startsWith(QStringLiteral("Keyring locked")), qPrintable(state));

    // Saving into the locked keyring says locked too, and keeps the key for this session.
    w->statusBar()->clearMessage();
    QTest::keyClicks(child<QLineEdit>(w, "apiKeyEdit"), testKey);
    QTest::mouseClick(child<QPushButton>(w, "saveCredentialsButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w->statusBar()->currentMessage().startsWith(locked), 15000);
    QVERIFY(w->statusBar()->currentMessage().endsWith(fallback));
    QCOMPARE(child<QLineEdit>(w, "apiKeyEdit")->text(), testKey);
    QTRY_VERIFY(child<QLabel>(w, "credentialsStateLabel")->text().startsWith(QStringLiteral("Keyring locked")));
}

void TestMainWindow::retryShowsCountdownThenResult()
{
    m_server->enqueue(FakeResponse::apiError(503, QStringLiteral("busy"), QStringLiteral("server_error"), QString())
                          .withHeader("retry-after", "2"));
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-retried"), QStringLiteral("cancelled")));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-retried"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    auto* status = child<QLabel>(w, "statusLabel");
    QTRY_VERIFY(status->text().startsWith(QStringLiteral("Retrying in ")));
    QVERIFY2(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("Attempt 2 of 3")),
             qPrintable(child<QLabel>(w, "statusDetailsLabel")->text()));
    QVERIFY(child<QLabel>(w, "statusDetailsLabel")->text().contains(QStringLiteral("HTTP 503")));
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Stop"));
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("cancelled"), 8000);
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY(child<QPlainTextEdit>(w, "logView")
                ->toPlainText()
                .contains(QStringLiteral("Retrying in 2.0 s (attempt 2 of 3)")));
}

void TestMainWindow::stopDuringRetryCountdown()
{
    m_server->enqueue(FakeResponse::apiError(429, QStringLiteral("slow down"), QStringLiteral("requests"),
                                             QStringLiteral("rate_limit_exceeded"))
                          .withHeader("retry-after", "30"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKeyAndJob(w, QStringLiteral("ftjob-waiting"));
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    auto* status = child<QLabel>(w, "statusLabel");
    QTRY_VERIFY(status->text().startsWith(QStringLiteral("Retrying in ")));
    QTest::mouseClick(child<QPushButton>(w, "cancelButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("Stopped"), 2000);
    QCOMPARE(child<QPushButton>(w, "cancelButton")->text(), QStringLiteral("Cancel job"));
    QTest::qWait(300);
    QCOMPARE(status->text(), QStringLiteral("Stopped")); // the countdown does not come back
    QCOMPARE(m_server->requestCount(), 1);
}

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
    auto* log = child<QPlainTextEdit>(w, "logView");
    const QString longUrl = QStringLiteral("POST ") + m_server->baseUrl().toString()
        + QStringLiteral("/fine_tuning/jobs/ftjob-") + QString(300, u'x') + QStringLiteral("/cancel");
    for (int i = 0; i < 60; ++i)
        w->activityLog()->add(i % 7 == 0 ? longUrl : QStringLiteral("line %1").arg(i));
    QTRY_VERIFY(newestLineVisible(log));
    // The panes above the log grow (as the result area did after the first cancel): the log gets shorter, and
    // must still show its newest line, then follow the lines that come after.
    w->resize(w->width(), w->height() - 60);
    QTRY_VERIFY(newestLineVisible(log));
    for (int i = 0; i < 200; ++i) {
        w->activityLog()->add(i % 5 == 0 ? longUrl : QStringLiteral("later line %1").arg(i));
        if (i % 40 == 0)
            QVERIFY2(newestLineVisible(log), qPrintable(QStringLiteral("after %1 more lines").arg(i + 1)));
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
    QCOMPARE(log->verticalScrollBar()->value(), 0);
    log->verticalScrollBar()->setValue(log->verticalScrollBar()->maximum());
    w->activityLog()->add(QStringLiteral("following again"));
    QTRY_VERIFY(newestLineVisible(log));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
