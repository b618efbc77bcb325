#include "appinfo.h"
#include "appsettings.h"
#include "batchmodel.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "keyringcontrol.h"
#include "mainwindow.h"
#include "profilefixture.h"
#include "secretstore.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>
#include <memory>

// The window's binding of the cancel batch under pressure, offscreen against the job simulator: stop everything
// asked from the list it has just read (counts, refused ids, no look-up of each job), a long rate limit with
// Retry now / Stop, a rejected key that puts the focus on the key field, Check again, and rows that keep what
// became of them when the account changes.
class TestWindowBatch final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void stopEverythingAsksFromTheListAndSendsAtOnce();
    void longRateLimitShowsUntilWhenWithRetryNowAndStop();
    void rejectedKeyStopsEverythingAndFocusesTheKey();
    void checkAgainReadsCancelRequestedRows();
    void accountChangeKeepsWhatBecameOfTheRows();

private:
    std::unique_ptr<MainWindow> newWindow();
    template <typename T> T* child(QWidget* w, const char* name)
    {
        T* found = w->findChild<T*>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }
    void typeKey(MainWindow* w);
    void paste(MainWindow* w, const QString& text);
    static QDialog* confirmDialog(QWidget* w);
    static QString cell(MainWindow* w, const QString& id, int column);
    static QString summary(MainWindow* w);
    static bool idle(MainWindow* w);

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

namespace {
const QString testKey = QStringLiteral("sk-proj-window-batch") + QStringLiteral("-0123456789abcdefWBAT");
constexpr int generous = 30000;
} // namespace

void TestWindowBatch::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestWindowBatch::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    qputenv("OPENAI_BASE_URL", m_server->baseUrl().toString().toUtf8());
    if (KeyringControl::isLocked() == false) {
        SecretStore store;
        QSignalSpy forgotten(&store, &SecretStore::forgotten);
        store.forget();
        QVERIFY(forgotten.wait(15000));
        QString error;
        QVERIFY2(ProfileFixture::removeAll(&error), qPrintable(error)); // and every profile, as on a first run
    }
    QSettings settings;
    for (const QString& group :
         {QStringLiteral("batch"), QStringLiteral("window"), QStringLiteral("jobs"), QStringLiteral("api")})
        settings.remove(group);
}

void TestWindowBatch::cleanup()
{
    m_window.reset();
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

std::unique_ptr<MainWindow> TestWindowBatch::newWindow()
{
    auto w = std::make_unique<MainWindow>();
    w->resize(1200, 800);
    w->show();
    if (!QTest::qWaitFor([&] { return child<QLineEdit>(w.get(), "apiKeyEdit")->isEnabled(); }, 15000))
        qWarning("the credentials did not load");
    return w;
}

void TestWindowBatch::typeKey(MainWindow* w)
{
    auto* key = child<QLineEdit>(w, "apiKeyEdit");
    key->clear();
    QTest::keyClicks(key, testKey);
}

void TestWindowBatch::paste(MainWindow* w, const QString& text)
{
    auto* field = child<QLineEdit>(w, "jobIdEdit");
    field->setFocus(); // as a click into the field does
    field->setText(text);
    QTest::keyClick(field, Qt::Key_Return);
}

QDialog* TestWindowBatch::confirmDialog(QWidget* w)
{
    for (QDialog* dialog : w->findChildren<QDialog*>(QStringLiteral("confirmDialog"))) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

QString TestWindowBatch::cell(MainWindow* w, const QString& id, int column)
{
    const QAbstractItemModel* model = w->findChild<QTableView*>(QStringLiteral("jobsView"))->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, BatchModel::IdColumn).data().toString() == id)
            return model->index(row, column).data().toString();
    }
    return QStringLiteral("<no row for %1>").arg(id);
}

QString TestWindowBatch::summary(MainWindow* w)
{
    return w->findChild<QLabel*>(QStringLiteral("summaryLabel"))->accessibleDescription();
}

bool TestWindowBatch::idle(MainWindow* w)
{
    return w->findChild<QPushButton*>(QStringLiteral("cancelButton"))->text() != QLatin1String("Stop")
        && !confirmDialog(w);
}

void TestWindowBatch::stopEverythingAsksFromTheListAndSendsAtOnce()
{
    const QStringList running = m_sim->addMany(3, {{QStringLiteral("running"), 1}});
    m_sim->add(QStringLiteral("ftjob-queued1"), QStringLiteral("queued"), QStringLiteral("gpt-4.1"));
    m_sim->add(QStringLiteral("ftjob-queued2"), QStringLiteral("queued"), QStringLiteral("gpt-4.1"));
    m_sim->add(QStringLiteral("ftjob-finished"), QStringLiteral("succeeded"));
    const QStringList refused{QStringLiteral("a/../b"), QStringLiteral("ftjob-\u0430bc")}; // Cyrillic а
    for (const QString& id : refused)
        m_sim->add(id, QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    typeKey(w);
    w->findChild<QAction*>(QStringLiteral("stopEverythingAction"))->trigger();
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    // Asked from the list just read: no GET of a single job before the question.
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 5);
    QCOMPARE(child<QLabel>(dialog, "confirmBreakdownLabel")->text(),
             QStringLiteral("3 running, 2 queued \u00B7 gpt-4o-mini-2024-07-18 \u00D73, gpt-4.1 \u00D72"));
    auto* refusedLabel = child<QLabel>(dialog, "refusedIdsLabel");
    QVERIFY(refusedLabel->isVisible());
    QVERIFY2(
        refusedLabel->text().startsWith(QStringLiteral("\u26A0 2 more jobs listed as not finished will not be sent")),
        qPrintable(refusedLabel->text()));
    for (const QString& id : refused)
        QVERIFY2(refusedLabel->text().contains(QStringLiteral("\u201C%1\u201D (running").arg(id)),
                 qPrintable(refusedLabel->text()));
    QCOMPARE(child<QPushButton>(dialog, "cancelJobsButton")->text(), QStringLiteral("Cancel 5 jobs"));

    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 5, generous);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    // The cancels went out straight from the list: still no look-up of a job.
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    for (const QString& id : running)
        QCOMPARE(m_sim->cancelRequestCount(id), 1);
    // The refused ids are rows of their own, and the summary counts them.
    for (const QString& id : refused)
        QCOMPARE(cell(w, id, BatchModel::OutcomeColumn), QStringLiteral("not sent: id refused"));
    QTRY_VERIFY2(summary(w).contains(QStringLiteral("5 cancelled"))
                     && summary(w).contains(QStringLiteral("2 not sent: id refused")),
                 qPrintable(summary(w)));
}

void TestWindowBatch::longRateLimitShowsUntilWhenWithRetryNowAndStop()
{
    AppSettings().setAskBeforeCancelling(false);
    m_sim->setLatency(50);
    const QStringList ids = m_sim->addMany(20, {{QStringLiteral("running"), 1}});
    m_sim->failNext(ids.at(6), JobSimulator::RequestKind::Cancel, 1, JobSimulator::rateLimited(600));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    typeKey(w);
    paste(w, ids.join(u' '));
    auto* bar = child<QWidget>(w, "rateLimitBar");
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), generous);
    // Until when, to the second (today), and nothing more is sent meanwhile.
    const QString text = child<QLabel>(w, "rateLimitLabel")->text();
    QVERIFY2(
        QRegularExpression(QStringLiteral("until \\d\\d:\\d\\d(:\\d\\d)?|until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"))
            .match(text)
            .hasMatch(),
        qPrintable(text));
    // The whole sentence (what Retry now does) in its tooltip and on the status bar.
    const QString whole = child<QLabel>(w, "rateLimitLabel")->toolTip();
    QVERIFY2(whole.contains(QStringLiteral("Retry now")), qPrintable(whole));
    QVERIFY2(w->statusBar()->currentMessage().contains(QStringLiteral("Retry now")),
             qPrintable(w->statusBar()->currentMessage()));
    QVERIFY2(summary(w).contains(QStringLiteral("Paused: rate limited until")), qPrintable(summary(w)));
    QCOMPARE(cell(w, ids.at(6), BatchModel::OutcomeColumn), QStringLiteral("rate limited \u2014 waiting"));
    QTest::qWait(500); // what was in flight lands
    const int held = m_server->requestCount();
    QTest::qWait(1000);
    QCOMPARE(m_server->requestCount(), held);

    QTest::mouseClick(child<QPushButton>(w, "retryNowButton"), Qt::LeftButton);
    QTRY_VERIFY(!bar->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    for (const QString& id : ids)
        QCOMPARE(cell(w, id, BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QCOMPARE(m_sim->cancelRequestCount(ids.at(6)), 2);

    // Again, and Stop this time: nothing more goes out; the row rate limited says so.
    const QStringList more = m_sim->addMany(10, {{QStringLiteral("running"), 1}}, QStringLiteral("ftjob-more"));
    m_sim->failNext(more.at(0), JobSimulator::RequestKind::Cancel, 1, JobSimulator::rateLimited(600));
    AppSettings().setConcurrency(1);
    paste(w, more.join(u' '));
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), generous);
    QTest::mouseClick(child<QPushButton>(w, "rateLimitStopButton"), Qt::LeftButton);
    QTRY_VERIFY(idle(w));
    QVERIFY(!bar->isVisible());
    const int stopped = m_server->requestCount();
    QTest::qWait(500);
    QCOMPARE(m_server->requestCount(), stopped);
    QCOMPARE(cell(w, more.at(0), BatchModel::OutcomeColumn), QStringLiteral("rate limited"));
    QCOMPARE(cell(w, more.at(9), BatchModel::OutcomeColumn), QStringLiteral("not sent"));
    QVERIFY(child<QPushButton>(w, "retryFailedButton")->isEnabled());
}

void TestWindowBatch::rejectedKeyStopsEverythingAndFocusesTheKey()
{
    AppSettings().setAskBeforeCancelling(false);
    m_sim->setLatency(20);
    const QStringList ids = m_sim->addMany(30, {{QStringLiteral("running"), 1}});
    for (const QString& id : ids)
        m_sim->failNext(id, JobSimulator::RequestKind::Cancel, 1,
                        FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided."),
                                               QStringLiteral("invalid_request_error"),
                                               QStringLiteral("invalid_api_key")));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    typeKey(w);
    paste(w, ids.join(u' '));
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    auto* keyEdit = child<QLineEdit>(w, "apiKeyEdit");
    QCOMPARE(w->focusWidget(), keyEdit);
    QVERIFY2(w->statusBar()->currentMessage().contains(QStringLiteral("the API key field has the focus")),
             qPrintable(w->statusBar()->currentMessage()));
    int rejected = 0;
    int notSent = 0;
    for (const QString& id : ids) {
        const QString outcome = cell(w, id, BatchModel::OutcomeColumn);
        if (outcome == QLatin1String("key rejected"))
            ++rejected;
        else if (outcome == QStringLiteral("key rejected \u2014 not sent"))
            ++notSent;
        else
            QFAIL(qPrintable(outcome));
    }
    QVERIFY(rejected >= 1 && rejected <= 4); // the first 401, and what was in flight with it
    QCOMPARE(rejected + notSent, 30);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), rejected);

    // The same key again: nothing is sent, it says why, and the focus stays on the key.
    const int sent = m_server->requestCount();
    m_sim->add(QStringLiteral("ftjob-another"), QStringLiteral("running"));
    paste(w, QStringLiteral("ftjob-another"));
    QTest::qWait(300);
    QCOMPARE(m_server->requestCount(), sent);
    QVERIFY2(summary(w).contains(QStringLiteral("rejected this key")), qPrintable(summary(w)));
    QCOMPARE(w->focusWidget(), keyEdit);
    QTest::mouseClick(child<QPushButton>(w, "retryFailedButton"), Qt::LeftButton);
    QTest::qWait(300);
    QCOMPARE(m_server->requestCount(), sent);
}

void TestWindowBatch::checkAgainReadsCancelRequestedRows()
{
    AppSettings().setAskBeforeCancelling(false);
    AppSettings().setWatchSeconds(1);
    m_sim->setCancelMode(JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(100000);
    m_sim->add(QStringLiteral("ftjob-slowstop"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    typeKey(w);
    auto* check = child<QPushButton>(w, "checkAgainButton");
    QVERIFY(!check->isEnabled());
    paste(w, QStringLiteral("ftjob-slowstop"));
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, QStringLiteral("ftjob-slowstop"), BatchModel::OutcomeColumn),
                              QStringLiteral("cancel requested"), generous);
    QTRY_VERIFY(idle(w));
    QVERIFY(check->isEnabled());
    QVERIFY(!child<QPushButton>(w, "retryFailedButton")->isEnabled()); // not a failure: nothing to send again
    auto* action = w->findChild<QAction*>(QStringLiteral("checkAgainAction"));
    QVERIFY(action && action->isEnabled());
    QVERIFY(child<QTableView>(w, "jobsView")->actions().contains(action)); // the right-click menu of Cancels

    m_sim->setStatus(QStringLiteral("ftjob-slowstop"), QStringLiteral("cancelled"));
    m_sim->resetCounters();
    QTest::mouseClick(check, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, QStringLiteral("ftjob-slowstop"), BatchModel::OutcomeColumn),
                              QStringLiteral("cancelled"), generous);
    QTRY_VERIFY(idle(w));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0); // read, never cancelled again
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 1);
    QVERIFY(!check->isEnabled());
}

void TestWindowBatch::accountChangeKeepsWhatBecameOfTheRows()
{
    AppSettings().setAskBeforeCancelling(false);
    m_sim->add(QStringLiteral("ftjob-gone"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-denied"), QStringLiteral("running"));
    m_sim->failNext(QStringLiteral("ftjob-denied"), JobSimulator::RequestKind::Cancel, 1,
                    FakeResponse::apiError(403, QStringLiteral("You have insufficient permissions."),
                                           QStringLiteral("invalid_request_error"), QString()));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    typeKey(w);
    paste(w, QStringLiteral("ftjob-gone ftjob-denied"));
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QCOMPARE(cell(w, QStringLiteral("ftjob-gone"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QCOMPARE(cell(w, QStringLiteral("ftjob-denied"), BatchModel::OutcomeColumn), QStringLiteral("refused"));
    const QString deniedMessage = cell(w, QStringLiteral("ftjob-denied"), BatchModel::MessageColumn);

    // Another organization: the rows keep what became of them, and nothing is sent until the operator starts.
    m_server->clearRequests();
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-other"));
    auto* button = child<QPushButton>(w, "cancelButton");
    QCOMPARE(button->text(), QStringLiteral("Cancel job")); // the refused one may be tried again as the new account
    QTest::qWait(200);
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(cell(w, QStringLiteral("ftjob-denied"), BatchModel::MessageColumn), deniedMessage);
    paste(w, QString()); // Enter on the empty field starts what is listed
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    // (the simulator's jobs belong to org-fake: now flagged as another organization's)
    QTRY_COMPARE(cell(w, QStringLiteral("ftjob-denied"), BatchModel::OutcomeColumn),
                 QStringLiteral("cancelled (other organization)"));
    // The cancelled row keeps what became of it: it is not looked up again.
    QCOMPARE(cell(w, QStringLiteral("ftjob-gone"), BatchModel::OutcomeColumn), QStringLiteral("cancelled"));
    QCOMPARE(cell(w, QStringLiteral("ftjob-gone"), BatchModel::StatusColumn),
             QStringLiteral("running \u2192 cancelled"));
    // Only the one that may still be cancelled went out again, as the new organization.
    QVERIFY(deniedMessage.contains(QStringLiteral("insufficient permissions")));
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-gone")), 1);
    QVERIFY(m_server->requestCount() >= 2);
    for (const RecordedRequest& r : m_server->requests()) {
        QCOMPARE(r.header("openai-organization"), QByteArray("org-other"));
        QVERIFY(!r.target.contains("ftjob-gone"));
    }
}

QTEST_MAIN(TestWindowBatch)
#include "tst_windowbatch.moc"
