#include "appinfo.h"
#include "appsettings.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "jobsmodel.h"
#include "keyringcontrol.h"
#include "mainwindow.h"
#include "profilefixture.h"
#include "secretstore.h"
#include "statuscolors.h"

#include "batchmodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialog>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <memory>

// Receives what the window hands to QDesktopServices::openUrl for https, instead of a browser.
class UrlCatcher final : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public slots:
    void open(const QUrl& url) { urls << url; }
};

// The window's list of the account's jobs, offscreen, against the job simulator and a private gnome-keyring: read
// it page by page, filter it, cancel a selection or everything running through the same batch as pasted ids, look
// at a job's details and events.
class TestJobsView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void listShowsEveryPageActiveFirst();
    void pauseAndResumeFromTheList();
    void pageFailingMidwayShowsWhatWasReadAndTheError();
    void rowsShowAsPagesArrive();
    void failedRereadKeepsEveryRow();
    void rereadKeepsSortAndWidths();
    void headerStateSurvivesANewWindow();
    void textAndStatusFilters();
    void selectedJobsAreCancelledThroughTheBatch();
    void stopEverythingDefaultsToKeepRunning();
    void stopEverythingCancelsExactlyTheUnfinished();
    void stopEverythingSaysWhatTheCapLeftOut();
    void stopEverythingOnAListThatDoesNotEndCancelsNothing();
    void detailsShowEveryField();
    void eventsPageNewestFirstAndLoadOlder();
    void eventsThatDoNotEndSayWhy();
    void copyIdAndOpenInDashboard();
    void autoRefreshIsOffByDefaultAndPausedWhileABatchRuns();
    void hostileJobTextIsGated();
    void anotherAccountEmptiesTheList();
    void savedKeyReadsTheListOnceAtStart();

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
    void readList(MainWindow* w, int expectedRows);
    static QDialog* confirmDialog(QWidget* w);
    static QTableView* list(MainWindow* w);
    static int listRow(MainWindow* w, const QString& id);
    static QString listCell(MainWindow* w, const QString& id, int column);
    static QStringList listedIds(MainWindow* w);
    static QString listStatus(MainWindow* w);
    static QListWidgetItem* filterItem(MainWindow* w, const QString& startsWith);
    void select(MainWindow* w, const QStringList& ids);
    static bool idle(MainWindow* w);
    static QStringList column(MainWindow* w, int column);
    static void clickHeader(MainWindow* w, int column);

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

namespace {
const QString testKey = QStringLiteral("sk-proj-jobs-view") + QStringLiteral("-0123456789abcdefJOBS");
constexpr int generous = 30000;
const QStringList finishedStatuses{QStringLiteral("succeeded"), QStringLiteral("failed"), QStringLiteral("cancelled")};
} // namespace

void TestJobsView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestJobsView::init()
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

void TestJobsView::cleanup()
{
    m_window.reset();
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

std::unique_ptr<MainWindow> TestJobsView::newWindow()
{
    auto w = std::make_unique<MainWindow>();
    w->resize(1200, 800);
    w->show();
    return w;
}

void TestJobsView::waitUntilLoaded(MainWindow* w)
{
    QTRY_VERIFY_WITH_TIMEOUT(child<QLineEdit>(w, "apiKeyEdit")->isEnabled(), 15000);
}

void TestJobsView::typeKey(MainWindow* w)
{
    auto* key = child<QLineEdit>(w, "apiKeyEdit");
    key->clear();
    QTest::keyClicks(key, testKey);
}

// F5, then every row there is.
void TestJobsView::readList(MainWindow* w, int expectedRows)
{
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(list(w)->model()->rowCount(), expectedRows, generous);
    QTRY_VERIFY_WITH_TIMEOUT(listStatus(w).contains(QStringLiteral("read at")), generous);
}

QDialog* TestJobsView::confirmDialog(QWidget* w)
{
    for (QDialog* dialog : w->findChildren<QDialog*>(QStringLiteral("confirmDialog"))) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

QTableView* TestJobsView::list(MainWindow* w)
{
    return w->findChild<QTableView*>(QStringLiteral("accountJobsView"));
}

int TestJobsView::listRow(MainWindow* w, const QString& id)
{
    const QAbstractItemModel* model = list(w)->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, JobsModel::IdColumn).data().toString() == id)
            return row;
    }
    return -1;
}

QString TestJobsView::listCell(MainWindow* w, const QString& id, int column)
{
    const int row = listRow(w, id);
    return row < 0 ? QStringLiteral("<no row for %1>").arg(id) : list(w)->model()->index(row, column).data().toString();
}

QStringList TestJobsView::listedIds(MainWindow* w)
{
    QStringList ids;
    const QAbstractItemModel* model = list(w)->model();
    for (int row = 0; row < model->rowCount(); ++row)
        ids << model->index(row, JobsModel::IdColumn).data().toString();
    return ids;
}

// The whole line under the list (the label shows it elided).
QString TestJobsView::listStatus(MainWindow* w)
{
    return w->findChild<QLabel*>(QStringLiteral("jobsListStatusLabel"))->accessibleDescription();
}

QListWidgetItem* TestJobsView::filterItem(MainWindow* w, const QString& startsWith)
{
    auto* filter = w->findChild<QListWidget*>(QStringLiteral("statusFilterList"));
    for (int i = 0; i < filter->count(); ++i) {
        if (filter->item(i)->text().startsWith(startsWith))
            return filter->item(i);
    }
    return nullptr;
}

// Clicks the first, Ctrl+clicks the others, as an operator selects several rows.
void TestJobsView::select(MainWindow* w, const QStringList& ids)
{
    QTableView* view = list(w);
    for (int i = 0; i < ids.size(); ++i) {
        const int row = listRow(w, ids.at(i));
        QVERIFY2(row >= 0, qPrintable(ids.at(i)));
        const QModelIndex index = view->model()->index(row, JobsModel::IdColumn);
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, i == 0 ? Qt::NoModifier : Qt::ControlModifier,
                          view->visualRect(index).center());
    }
    QCOMPARE(view->selectionModel()->selectedRows().size(), ids.size());
}

bool TestJobsView::idle(MainWindow* w)
{
    return w->findChild<QPushButton*>(QStringLiteral("cancelButton"))->text() != QLatin1String("Stop")
        && !confirmDialog(w);
}

QStringList TestJobsView::column(MainWindow* w, int column)
{
    QStringList texts;
    const QAbstractItemModel* model = list(w)->model();
    for (int row = 0; row < model->rowCount(); ++row)
        texts << model->index(row, column).data().toString();
    return texts;
}

void TestJobsView::clickHeader(MainWindow* w, int column)
{
    QHeaderView* header = list(w)->horizontalHeader();
    QTest::mouseClick(
        header->viewport(), Qt::LeftButton, Qt::NoModifier,
        QPoint(header->sectionViewportPosition(column) + header->sectionSize(column) / 2, header->height() / 2));
}

// ---- Reading the list ---------------------------------------------------------------------------------------

void TestJobsView::listShowsEveryPageActiveFirst()
{
    // 250 jobs, 100 a page: three pages. The simulator lists newest first, mixing finished and running jobs.
    m_sim->addMany(250);
    m_sim->setLatency(150);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    // Shown first, it reads nothing without a key; it says what to do.
    auto* tabs = child<QTabWidget>(w, "jobsTabs");
    QCOMPARE(tabs->currentWidget(), child<QWidget>(w, "accountTab"));
    QVERIFY2(listStatus(w).contains(QStringLiteral("F5")), qPrintable(listStatus(w)));
    QCOMPARE(m_server->requestCount(), 0);
    typeKey(w);

    // The event loop keeps turning while the pages come in, and the line counts them.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer ticker;
    ticker.setInterval(20);
    connect(&ticker, &QTimer::timeout, this, [&] { longestGap = qMax(longestGap, sinceTick.restart()); });
    sinceTick.start();
    ticker.start();
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(listStatus(w).startsWith(QStringLiteral("Reading jobs\u2026 100")), generous);
    QTRY_COMPARE_WITH_TIMEOUT(list(w)->model()->rowCount(), 250, generous);
    ticker.stop();
    QVERIFY2(longestGap < 1000, qPrintable(QStringLiteral("the window froze for %1 ms").arg(longestGap)));
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 3);

    // Every job, active ones first, then newest first within each part.
    QStringList expected = m_sim->jobIds(); // newest first
    std::stable_partition(expected.begin(), expected.end(),
                          [this](const QString& id) { return !finishedStatuses.contains(m_sim->job(id).status); });
    QCOMPARE(listedIds(w), expected);
    int active = 0;
    for (const QString& id : expected)
        active += finishedStatuses.contains(m_sim->job(id).status) ? 0 : 1;
    QVERIFY(active > 0 && active < 250);
    QCOMPARE(listCell(w, expected.first(), JobsModel::StatusColumn), m_sim->job(expected.first()).status);
    QCOMPARE(listCell(w, expected.first(), JobsModel::ModelColumn), QStringLiteral("gpt-4o-mini-2024-07-18"));

    // The counts: the line, the side filter, the tab.
    // (The read ends with the list of batches, after the last page of jobs.)
    QTRY_VERIFY2_WITH_TIMEOUT(listStatus(w).startsWith(QStringLiteral("250 jobs, %1 active").arg(active)),
                              qPrintable(listStatus(w)), generous);
    QVERIFY(filterItem(w, QStringLiteral("All (250)")));
    QVERIFY(filterItem(w, QStringLiteral("Active (%1)").arg(active)));
    QVERIFY(filterItem(w, QStringLiteral("Finished (%1)").arg(250 - active)));
    QVERIFY(filterItem(w, QStringLiteral("running (")));
    QVERIFY2(tabs->tabText(0).contains(QStringLiteral("(%1 active)").arg(active)), qPrintable(tabs->tabText(0)));

    // F5 again reads again (and never while a read runs).
    m_sim->setLatency(0);
    QTest::keyClick(w, Qt::Key_F5);
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(m_sim->listRequestCount(JobKind::FineTuning), 6, generous);
    QTest::qWait(300);
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 6);
    QCOMPARE(list(w)->model()->rowCount(), 250);
}

void TestJobsView::pageFailingMidwayShowsWhatWasReadAndTheError()
{
    AppSettings().setMaxRetries(0);
    m_sim->addMany(250, {{QStringLiteral("running"), 1}});
    m_sim->failListPage(3, 1, JobSimulator::serverError(false));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(listStatus(w).contains(QStringLiteral("failed")), generous);
    QCOMPARE(list(w)->model()->rowCount(), 200);
    QCOMPARE(listedIds(w), m_sim->jobIds().mid(0, 200));
    const QString status = listStatus(w);
    QVERIFY2(status.startsWith(QStringLiteral("Read 200 jobs, then reading failed: ")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("500")), qPrintable(status));
    // In the error colour, with its words.
    auto* label = child<QLabel>(w, "jobsListStatusLabel");
    QCOMPARE(label->palette().color(QPalette::WindowText),
             StatusColors::forCategory(Outcome::Category::Error, w->palette(), QPalette::Window));

    // The next read goes through and shows them all.
    readList(w, 250);
    QVERIFY2(listStatus(w).startsWith(QStringLiteral("250 jobs")), qPrintable(listStatus(w)));
}

void TestJobsView::rowsShowAsPagesArrive()
{
    // Three pages, each a while coming: the first page's rows are in the table while the others are still read.
    m_sim->addMany(250);
    m_sim->setLatency(400);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(list(w)->model()->rowCount() > 0, generous);
    QVERIFY2(listStatus(w).startsWith(QStringLiteral("Reading jobs")), qPrintable(listStatus(w)));
    QVERIFY(m_sim->listRequestCount(JobKind::FineTuning) < 3);
    QCOMPARE(list(w)->model()->rowCount(), 100);
    // In their place: active first, then newest, as the whole list will be.
    QStringList firstPage = m_sim->jobIds().mid(0, 100);
    std::stable_partition(firstPage.begin(), firstPage.end(),
                          [this](const QString& id) { return !finishedStatuses.contains(m_sim->job(id).status); });
    QCOMPARE(listedIds(w), firstPage);
    QTRY_COMPARE_WITH_TIMEOUT(list(w)->model()->rowCount(), 250, generous);
    QTRY_VERIFY_WITH_TIMEOUT(listStatus(w).startsWith(QStringLiteral("250 jobs")), generous);
}

void TestJobsView::failedRereadKeepsEveryRow()
{
    AppSettings().setMaxRetries(0);
    m_sim->addMany(250, {{QStringLiteral("running"), 1}});
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 250);
    // The next read: a job of page 1 has finished meanwhile, and page 3 fails. The rows of page 3 stay (those jobs
    // may still run), and the finished one shows finished.
    const QString onPage1 = m_sim->jobIds().at(10);
    m_sim->setStatus(onPage1, QStringLiteral("failed"));
    m_sim->failListPage(3, 1, JobSimulator::serverError(false));
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(listStatus(w).contains(QStringLiteral("reading failed")), generous);
    QCOMPARE(list(w)->model()->rowCount(), 250);
    QCOMPARE(listCell(w, onPage1, JobsModel::StatusColumn), QStringLiteral("failed"));
    QVERIFY(listRow(w, m_sim->jobIds().last()) >= 0);
    // A list that does not end, the same: every row stays, and the line says why.
    m_sim->failListPage(2, 1, m_sim->listPage(m_sim->jobIds().mid(0, 100), true));
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(listStatus(w).contains(QStringLiteral("The list did not end")), generous);
    QVERIFY2(listStatus(w).startsWith(QStringLiteral("Read 100 jobs, then reading failed: The list did not end: page "
                                                     "2 repeated 100 jobs")),
             qPrintable(listStatus(w)));
    QCOMPARE(list(w)->model()->rowCount(), 250);
    // A read that completes removes what it did not see.
    m_sim->failListPage(3, 1, m_sim->listPage({}, false));
    readList(w, 200);
}

void TestJobsView::rereadKeepsSortAndWidths()
{
    m_sim->addMany(120);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 120);
    // The operator sorts by status and widens the model column.
    QHeaderView* header = list(w)->horizontalHeader();
    clickHeader(w, JobsModel::StatusColumn);
    QCOMPARE(header->sortIndicatorSection(), int(JobsModel::StatusColumn));
    const Qt::SortOrder order = header->sortIndicatorOrder();
    header->resizeSection(JobsModel::ModelColumn, 333);
    const auto sortedByStatus = [w, order] {
        QStringList statuses = column(w, JobsModel::StatusColumn);
        QStringList sorted = statuses;
        std::sort(sorted.begin(), sorted.end());
        if (order == Qt::DescendingOrder)
            std::reverse(sorted.begin(), sorted.end());
        return statuses == sorted;
    };
    QVERIFY(sortedByStatus());
    // A read again, in which some jobs changed and one is new: the same column, order and widths, sorted so.
    const QStringList ids = m_sim->jobIds();
    for (int i = 0; i < 120; i += 7)
        m_sim->setStatus(ids.at(i), i % 2 ? QStringLiteral("cancelled") : QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-newcomer"), QStringLiteral("queued"));
    readList(w, 121);
    QCOMPARE(header->sortIndicatorSection(), int(JobsModel::StatusColumn));
    QCOMPARE(header->sortIndicatorOrder(), order);
    QCOMPARE(header->sectionSize(JobsModel::ModelColumn), 333);
    QVERIFY(sortedByStatus());
    // Another account empties the list: the header stays the operator's there too.
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-other"));
    QCOMPARE(list(w)->model()->rowCount(), 0);
    readList(w, 121);
    QCOMPARE(header->sortIndicatorSection(), int(JobsModel::StatusColumn));
    QCOMPARE(header->sectionSize(JobsModel::ModelColumn), 333);
    QVERIFY(sortedByStatus());
}

void TestJobsView::headerStateSurvivesANewWindow()
{
    m_sim->addMany(60);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 60);
    QHeaderView* header = list(w)->horizontalHeader();
    clickHeader(w, JobsModel::StatusColumn);
    clickHeader(w, JobsModel::StatusColumn); // the other way round
    const Qt::SortOrder order = header->sortIndicatorOrder();
    header->resizeSection(JobsModel::IdColumn, 411);
    header->resizeSection(JobsModel::SuffixColumn, 99);
    const QStringList shown = column(w, JobsModel::StatusColumn);
    m_window.reset();

    // The next start: the same sort and widths, before and after the list is read.
    m_window = newWindow();
    w = m_window.get();
    header = list(w)->horizontalHeader();
    QCOMPARE(header->sortIndicatorSection(), int(JobsModel::StatusColumn));
    QCOMPARE(header->sortIndicatorOrder(), order);
    QCOMPARE(header->sectionSize(JobsModel::IdColumn), 411);
    QCOMPARE(header->sectionSize(JobsModel::SuffixColumn), 99);
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 60);
    QCOMPARE(column(w, JobsModel::StatusColumn), shown);
}

void TestJobsView::textAndStatusFilters()
{
    m_sim->add(QStringLiteral("ftjob-alpha1"), QStringLiteral("running"), QStringLiteral("gpt-4o-mini-2024-07-18"));
    m_sim->add(QStringLiteral("ftjob-alpha2"), QStringLiteral("succeeded"), QStringLiteral("gpt-4o-mini-2024-07-18"));
    m_sim->add(QStringLiteral("ftjob-beta1"), QStringLiteral("queued"), QStringLiteral("gpt-4.1-2025-04-14"));
    m_sim->add(QStringLiteral("ftjob-beta2"), QStringLiteral("failed"), QStringLiteral("gpt-4.1-2025-04-14"));
    m_sim->add(QStringLiteral("ftjob-gamma"), QStringLiteral("cancelled"), QStringLiteral("gpt-4.1-2025-04-14"));
    m_sim->setMetadata(QStringLiteral("ftjob-gamma"), {{QStringLiteral("team"), QStringLiteral("search")}});
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 5);
    const auto shown = [w] {
        QStringList ids = listedIds(w);
        ids.sort();
        return ids;
    };

    // Text: any part of the id, the model, the status or the metadata, any case.
    auto* text = child<QLineEdit>(w, "jobsFilterEdit");
    QTest::keyClicks(text, QStringLiteral("ALPHA"));
    QCOMPARE(shown(), QStringList({QStringLiteral("ftjob-alpha1"), QStringLiteral("ftjob-alpha2")}));
    text->clear();
    QTest::keyClicks(text, QStringLiteral("gpt-4.1"));
    QCOMPARE(
        shown(),
        QStringList({QStringLiteral("ftjob-beta1"), QStringLiteral("ftjob-beta2"), QStringLiteral("ftjob-gamma")}));
    text->clear();
    QTest::keyClicks(text, QStringLiteral("team=search"));
    QCOMPARE(shown(), QStringList{QStringLiteral("ftjob-gamma")});
    text->clear();
    QCOMPARE(list(w)->model()->rowCount(), 5);

    // Status: the groups and each status, with counts.
    auto* filter = child<QListWidget>(w, "statusFilterList");
    QListWidgetItem* active = filterItem(w, QStringLiteral("Active (2)"));
    QVERIFY(active);
    filter->setCurrentItem(active);
    QCOMPARE(shown(), QStringList({QStringLiteral("ftjob-alpha1"), QStringLiteral("ftjob-beta1")}));
    filter->setCurrentItem(filterItem(w, QStringLiteral("Finished (3)")));
    QCOMPARE(
        shown(),
        QStringList({QStringLiteral("ftjob-alpha2"), QStringLiteral("ftjob-beta2"), QStringLiteral("ftjob-gamma")}));
    filter->setCurrentItem(filterItem(w, QStringLiteral("failed (1)")));
    QCOMPARE(shown(), QStringList{QStringLiteral("ftjob-beta2")});

    // Both at once: finished jobs of gpt-4.1.
    filter->setCurrentItem(filterItem(w, QStringLiteral("Finished")));
    QTest::keyClicks(text, QStringLiteral("gpt-4.1"));
    QCOMPARE(shown(), QStringList({QStringLiteral("ftjob-beta2"), QStringLiteral("ftjob-gamma")}));
    // Ctrl+F goes to the text filter.
    QApplication::setActiveWindow(w);
    QVERIFY(QTest::qWaitForWindowActive(w));
    list(w)->setFocus();
    QTest::keyClick(w, Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(text));

    // A refresh keeps the filters (and the status chosen, while it has no job, at 0).
    filter->setCurrentItem(filterItem(w, QStringLiteral("queued (1)")));
    text->clear();
    m_sim->setStatus(QStringLiteral("ftjob-beta1"), QStringLiteral("running"));
    QTest::keyClick(w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(filterItem(w, QStringLiteral("queued (0)")), generous);
    QCOMPARE(filter->currentItem()->text(), QStringLiteral("queued (0)"));
    QCOMPARE(list(w)->model()->rowCount(), 0);
    filter->setCurrentItem(filterItem(w, QStringLiteral("running (2)")));
    QCOMPARE(shown(), QStringList({QStringLiteral("ftjob-alpha1"), QStringLiteral("ftjob-beta1")}));
}

// ---- Cancelling from the list -------------------------------------------------------------------------------

void TestJobsView::selectedJobsAreCancelledThroughTheBatch()
{
    QStringList ids;
    for (int i = 1; i <= 6; ++i) {
        ids << QStringLiteral("ftjob-pick%1").arg(i);
        m_sim->add(ids.last(), QStringLiteral("running"));
    }
    m_sim->add(QStringLiteral("ftjob-pickdone"), QStringLiteral("succeeded"));
    // One of them answers "cancelling" first: its row follows the watch until it is cancelled.
    m_sim->setCancelMode(ids.at(3), JobSimulator::CancelMode::ViaCancelling);
    m_sim->setCancellingReads(1);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 7);
    auto* cancelSelected = child<QToolButton>(w, "cancelSelectedButton");
    QVERIFY(!cancelSelected->isEnabled()); // nothing selected

    // Three running jobs and a finished one, handed to the batch as selected: all four looked up, the finished one
    // skipped by the batch (nothing is sent for it), the others asked about.
    const QStringList picked{ids.at(0), ids.at(2), ids.at(3)};
    select(w, picked + QStringList{QStringLiteral("ftjob-pickdone")});
    QVERIFY(cancelSelected->isEnabled());
    // Not from the menu while the list is not in view: it would cancel rows nobody sees.
    auto* tabs = child<QTabWidget>(w, "jobsTabs");
    tabs->setCurrentWidget(child<QWidget>(w, "cancelsTab"));
    QVERIFY(!w->findChild<QAction*>(QStringLiteral("cancelSelectedAction"))->isEnabled());
    tabs->setCurrentWidget(child<QWidget>(w, "accountTab"));
    QVERIFY(cancelSelected->isEnabled());
    m_sim->resetCounters();
    QTest::mouseClick(cancelSelected, Qt::LeftButton);
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 4);
    auto* listed = child<QTreeWidget>(dialog, "confirmJobsView");
    QStringList asked;
    for (int i = 0; i < listed->topLevelItemCount(); ++i)
        asked << listed->topLevelItem(i)->text(0);
    asked.sort();
    QCOMPARE(asked, picked);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0); // nothing before the answer
    // The same confirmation as for pasted ids: for several jobs Enter keeps them running; a click cancels them.
    QVERIFY(child<QPushButton>(dialog, "keepRunningButton")->isDefault());
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);

    // Exactly those on the wire, once each.
    for (const QString& id : picked)
        QTRY_COMPARE_WITH_TIMEOUT(m_sim->cancelRequestCount(id), 1, generous);
    for (const QString& id : {ids.at(1), ids.at(4), ids.at(5), QStringLiteral("ftjob-pickdone")})
        QCOMPARE(m_sim->cancelRequestCount(id), 0);
    // Their rows follow: cancelled at once, or cancelling and then cancelled as the watch sees it.
    QTRY_COMPARE_WITH_TIMEOUT(listCell(w, ids.at(0), JobsModel::StatusColumn), QStringLiteral("cancelled"), generous);
    QTRY_COMPARE_WITH_TIMEOUT(listCell(w, ids.at(3), JobsModel::StatusColumn), QStringLiteral("cancelled"), generous);
    QCOMPARE(listCell(w, ids.at(1), JobsModel::StatusColumn), QStringLiteral("running"));
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    // The counts follow too: the line under the list, the side, the tab.
    QTRY_VERIFY2(listStatus(w).startsWith(QStringLiteral("7 jobs, 3 active")), qPrintable(listStatus(w)));
    QVERIFY(filterItem(w, QStringLiteral("cancelled (3)")));
    QVERIFY(child<QTabWidget>(w, "jobsTabs")->tabText(0).contains(QStringLiteral("(3 active)")));
    // The cancels table has them, as for pasted ids, and the finished one with what the batch made of it; nothing
    // read the list again.
    auto* cancels = child<QTableView>(w, "jobsView");
    QCOMPARE(cancels->model()->rowCount(), 4);
    bool doneRowSkipped = false;
    for (int row = 0; row < cancels->model()->rowCount(); ++row) {
        if (cancels->model()->index(row, BatchModel::IdColumn).data().toString() == QStringLiteral("ftjob-pickdone"))
            doneRowSkipped = cancels->model()->index(row, BatchModel::OutcomeColumn).data().toString()
                == Outcome::label(Outcome::AlreadyFinished);
    }
    QVERIFY(doneRowSkipped);
    QVERIFY2(child<QLabel>(w, "summaryLabel")->accessibleDescription().contains(QStringLiteral("3 cancelled")),
             qPrintable(child<QLabel>(w, "summaryLabel")->accessibleDescription()));
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 0);

    // Enter in the list cancels the selection too; a job the cancels table lists already is asked about again.
    select(w, {ids.at(4), ids.at(0)});
    list(w)->setFocus();
    QTest::keyClick(list(w), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 1); // ids[0] is cancelled by now
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItem(0)->text(0), ids.at(4));
    QTest::keyClick(dialog->focusWidget() ? dialog->focusWidget() : dialog, Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QCOMPARE(cancels->model()->rowCount(), 5);
    // Declined, it is in the cancels table as "not sent"; chosen again, it is looked up and asked about again.
    select(w, {ids.at(4)});
    QTest::keyClick(list(w), Qt::Key_Enter);
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItem(0)->text(0), ids.at(4));
    QTest::keyClick(dialog->focusWidget() ? dialog->focusWidget() : dialog, Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QCOMPARE(cancels->model()->rowCount(), 5);
    QTest::qWait(200);
    QCOMPARE(m_sim->cancelRequestCount(ids.at(4)), 0);
    QCOMPARE(m_sim->cancelRequestCount(ids.at(0)), 1);
}

void TestJobsView::stopEverythingDefaultsToKeepRunning()
{
    m_sim->add(QStringLiteral("ftjob-keep1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-keep2"), QStringLiteral("queued"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    // "Don't ask again" does not reach "stop everything".
    AppSettings().setAskBeforeCancelling(false);
    readList(w, 2);
    auto* action = w->findChild<QAction*>(QStringLiteral("stopEverythingAction"));
    QVERIFY(action);
    // Never a keystroke: no shortcut, and F5 (refresh) only reads.
    QVERIFY(action->shortcut().isEmpty());
    QVERIFY(action->shortcuts().isEmpty());
    auto* button = child<QToolButton>(w, "stopEverythingButton");
    QCOMPARE(button->defaultAction(), action);
    QVERIFY(button->text().endsWith(QStringLiteral("\u2026"))); // it asks first

    m_sim->resetCounters();
    QTest::mouseClick(button, Qt::LeftButton);
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    // It read the list again first; the list is the look-up (no GET of each job before the question).
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    const QString title = child<QLabel>(dialog, "confirmTitleLabel")->text();
    QVERIFY2(title.contains(QStringLiteral("Stop everything running")) && title.contains(QStringLiteral("2 jobs")),
             qPrintable(title));
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 2);
    auto* keep = child<QPushButton>(dialog, "keepRunningButton");
    auto* cancel = child<QPushButton>(dialog, "cancelJobsButton");
    QVERIFY(keep->isDefault());
    QVERIFY(!cancel->isDefault());
    QVERIFY(!cancel->autoDefault());
    QVERIFY(!child<QCheckBox>(dialog, "dontAskCheck")->isVisible());
    QCOMPARE(cancel->text(), QStringLiteral("Cancel 2 jobs"));

    // Enter keeps them running, wherever the focus is in the dialog.
    QTest::keyClick(dialog->focusWidget() ? dialog->focusWidget() : dialog, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QTest::qWait(300);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-keep1")).status, QStringLiteral("running"));

    // Tabbing to "Cancel 2 jobs" and pressing Enter still keeps them running; Escape too.
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    child<QPushButton>(dialog, "cancelJobsButton")->setFocus();
    QTest::keyClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QTest::qWait(300);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().contains(QStringLiteral("confirmation was declined")));
}

void TestJobsView::stopEverythingCancelsExactlyTheUnfinished()
{
    const QStringList running{QStringLiteral("ftjob-run1"), QStringLiteral("ftjob-run2"), QStringLiteral("ftjob-run3")};
    m_sim->add(running.at(0), QStringLiteral("running"));
    m_sim->add(running.at(1), QStringLiteral("queued"));
    m_sim->add(running.at(2), QStringLiteral("validating_files"));
    const QStringList finished{QStringLiteral("ftjob-ok"), QStringLiteral("ftjob-bad"), QStringLiteral("ftjob-off")};
    for (int i = 0; i < finished.size(); ++i)
        m_sim->add(finished.at(i), finishedStatuses.at(i));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    // Not read yet, and one more starts meanwhile: the action reads the list first, so it is not missed.
    QCOMPARE(list(w)->model()->rowCount(), 0);
    const QString late = QStringLiteral("ftjob-late");
    m_sim->add(late, QStringLiteral("running"));
    m_sim->resetCounters();
    w->findChild<QAction*>(QStringLiteral("stopEverythingAction"))->trigger();
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    QCOMPARE(list(w)->model()->rowCount(), 7);
    // One read of the list, and no look-up of each job: the list just read is what the question lists.
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    auto* listed = child<QTreeWidget>(dialog, "confirmJobsView");
    QStringList asked;
    for (int i = 0; i < listed->topLevelItemCount(); ++i) {
        asked << listed->topLevelItem(i)->text(0);
        QCOMPARE(listed->topLevelItem(i)->text(1), QStringLiteral("gpt-4o-mini-2024-07-18")); // each with its model
    }
    asked.sort();
    QStringList expected = running + QStringList{late};
    expected.sort();
    QCOMPARE(asked, expected);
    QVERIFY(child<QLabel>(dialog, "confirmTitleLabel")->text().contains(QStringLiteral("4 jobs")));
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);

    for (const QString& id : expected)
        QTRY_COMPARE_WITH_TIMEOUT(m_sim->cancelRequestCount(id), 1, generous);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    for (const QString& id : finished)
        QCOMPARE(m_sim->cancelRequestCount(id), 0);
    for (const QString& id : expected)
        QTRY_COMPARE(listCell(w, id, JobsModel::StatusColumn), QStringLiteral("cancelled"));
    QTRY_VERIFY(filterItem(w, QStringLiteral("Active (0)")));

    // Nothing left running: it says so and sends nothing.
    m_sim->resetCounters();
    w->findChild<QAction*>(QStringLiteral("stopEverythingAction"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(w->statusBar()->currentMessage().contains(QStringLiteral("No job is running")), generous);
    QVERIFY(!confirmDialog(w));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);

    // A list that cannot be read to the end: nothing is cancelled, and it says why.
    AppSettings().setMaxRetries(0);
    m_sim->add(QStringLiteral("ftjob-again"), QStringLiteral("running"));
    m_sim->failListPage(1, 1, JobSimulator::overloaded());
    w->findChild<QAction*>(QStringLiteral("stopEverythingAction"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(w->statusBar()->currentMessage().startsWith(QStringLiteral("Nothing cancelled")),
                             generous);
    QTest::qWait(200);
    QVERIFY(!confirmDialog(w));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestJobsView::stopEverythingSaysWhatTheCapLeftOut()
{
    AppSettings().setListCap(100);
    const QStringList ids = m_sim->addMany(150, {{QStringLiteral("running"), 1}}); // oldest first
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    w->findChild<QAction*>(QStringLiteral("stopEverythingAction"))->trigger();
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    // The newest 100 are asked about; that the 50 older ones are not is said, not left to be guessed.
    QCOMPARE(child<QTreeWidget>(dialog, "confirmJobsView")->topLevelItemCount(), 100);
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 1);
    const QString log = child<QPlainTextEdit>(w, "logView")->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("Only the newest 100 jobs were read")), qPrintable(log.right(2000)));
    QVERIFY2(listStatus(w).contains(QStringLiteral("the newest 100 only")), qPrintable(listStatus(w)));
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    Q_UNUSED(ids);
}

void TestJobsView::stopEverythingOnAListThatDoesNotEndCancelsNothing()
{
    // A list that says there is more but repeats its first page: the jobs read are not all there are, so Stop
    // everything asks nothing, cancels nothing, and says why.
    AppSettings().setMaxRetries(0);
    m_sim->addMany(250, {{QStringLiteral("running"), 1}});
    m_sim->failListPage(2, 1, m_sim->listPage(m_sim->jobIds().mid(0, 100), true));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    m_sim->resetCounters();
    w->findChild<QAction*>(QStringLiteral("stopEverythingAction"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(w->statusBar()->currentMessage().startsWith(QStringLiteral("Nothing cancelled")),
                             generous);
    const QString message = w->statusBar()->currentMessage();
    QVERIFY2(message.contains(QStringLiteral("The list did not end: page 2 repeated 100 jobs already listed")),
             qPrintable(message));
    QVERIFY(child<QPlainTextEdit>(w, "logView")->toPlainText().contains(message));
    QTest::qWait(300);
    QVERIFY(!confirmDialog(w));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Retrieve), 0);
    QVERIFY2(listStatus(w).contains(QStringLiteral("The list did not end")), qPrintable(listStatus(w)));
    // An empty page that says there is more: the same.
    m_sim->failListPage(2, 1, m_sim->listPage({}, true));
    w->statusBar()->clearMessage();
    w->findChild<QAction*>(QStringLiteral("stopEverythingAction"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(w->statusBar()->currentMessage().contains(QStringLiteral("page 2 brought no job")),
                             generous);
    QVERIFY(w->statusBar()->currentMessage().startsWith(QStringLiteral("Nothing cancelled")));
    QTest::qWait(300);
    QVERIFY(!confirmDialog(w));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

// ---- Details and events -------------------------------------------------------------------------------------

void TestJobsView::detailsShowEveryField()
{
    QJsonObject failed = FakeResponse::jobObject(QStringLiteral("ftjob-broken"), QStringLiteral("failed"));
    failed.insert(QStringLiteral("error"),
                  QJsonObject{{QStringLiteral("code"), QStringLiteral("invalid_file")},
                              {QStringLiteral("message"), QStringLiteral("The training file has 3 bad lines.")}});
    failed.insert(QStringLiteral("user_provided_suffix"), QStringLiteral("night-run"));
    failed.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("team"), QStringLiteral("search")}});
    failed.insert(QStringLiteral("trained_tokens"), 123456);
    failed.insert(QStringLiteral("fine_tuned_model"), QStringLiteral("ft:gpt-4o-mini:org::abc"));
    const QJsonObject page{{QStringLiteral("object"), QStringLiteral("list")},
                           {QStringLiteral("data"), QJsonArray{failed}},
                           {QStringLiteral("has_more"), false}};
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    m_server->enqueue(FakeResponse::json(200, QJsonDocument(page).toJson()));
    readList(w, 1);
    select(w, {QStringLiteral("ftjob-broken")});
    const QString details = child<QLabel>(w, "statusDetailsLabel")->text();
    for (const QString& part :
         {QStringLiteral("Job: ftjob-broken"), QStringLiteral("Status: failed"), QStringLiteral("Model: "),
          QStringLiteral("Fine-tuned model: ft:gpt-4o-mini:org::abc"), QStringLiteral("Created: "),
          QStringLiteral("Trained tokens: ") + QLocale().toString(123456), QStringLiteral("Finished: "),
          QStringLiteral("Organization: org-fake"), QStringLiteral("Suffix: night-run"),
          QStringLiteral("Metadata: team=search"), QStringLiteral("Error: The training file has 3 bad lines."),
          QStringLiteral("Dashboard: https://platform.openai.com/finetune/ftjob-broken")})
        QVERIFY2(details.contains(part), qPrintable(part + QStringLiteral(" in: ") + details));
    auto* headline = child<QLabel>(w, "statusLabel");
    QCOMPARE(headline->text(), QStringLiteral("failed"));
    QCOMPARE(headline->palette().color(QPalette::WindowText),
             StatusColors::forCategory(Outcome::Category::Error, w->palette(), QPalette::Window));
    // The list colours the status too, with the same word.
    QCOMPARE(list(w)->model()->index(0, JobsModel::StatusColumn).data(Qt::ForegroundRole).value<QBrush>().color(),
             StatusColors::forCategory(Outcome::Category::Error, list(w)->palette()));
}

void TestJobsView::eventsPageNewestFirstAndLoadOlder()
{
    const QString id = QStringLiteral("ftjob-talky");
    m_sim->add(id, QStringLiteral("running"));
    for (int i = 0; i < 150; ++i)
        m_sim->addEvent(id,
                        i == 140       ? QStringLiteral("error")
                            : i == 145 ? QStringLiteral("warn")
                                       : QStringLiteral("info"),
                        i == 149 ? QStringLiteral("Step 149\n\x1b[2Jclear screen %1").arg(testKey)
                                 : QStringLiteral("Step %1").arg(i));
    const int total = int(m_sim->job(id).events.size());
    QVERIFY(total > 150); // the simulator's own first events, and ours
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 1);
    select(w, {id});
    auto* tabs = child<QTabWidget>(w, "detailsTabs");
    m_sim->resetCounters();
    tabs->setCurrentWidget(child<QWidget>(w, "eventsTab"));
    auto* events = child<QTreeWidget>(w, "eventsView");
    QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), 100, generous);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 1);
    // Newest first, its message through the gate: no line break, no escape, no key.
    const QString newest = events->topLevelItem(0)->text(2);
    QVERIFY2(newest.startsWith(QStringLiteral("Step 149\u240A\u241B[2Jclear screen")), qPrintable(newest));
    QVERIFY(!newest.contains(testKey.mid(8, 12)));
    QVERIFY(!events->topLevelItem(0)->toolTip(2).contains(testKey.mid(8, 12)));
    QCOMPARE(events->topLevelItem(1)->text(2), QStringLiteral("Step 148"));
    // Levels: a word, coloured from the palette.
    QTreeWidgetItem* error = events->topLevelItem(149 - 140);
    QCOMPARE(error->text(1), QStringLiteral("error"));
    QCOMPARE(error->foreground(1).color(), StatusColors::forCategory(Outcome::Category::Error, events->palette()));
    QTreeWidgetItem* warn = events->topLevelItem(149 - 145);
    QCOMPARE(warn->text(1), QStringLiteral("warn"));
    QCOMPARE(warn->foreground(1).color(), StatusColors::forCategory(Outcome::Category::Warning, events->palette()));
    QTreeWidgetItem* info = events->topLevelItem(2);
    QCOMPARE(info->foreground(1).color(), StatusColors::forCategory(Outcome::Category::Neutral, events->palette()));

    // More there: "Load older" reads the next page, after the oldest shown, and keeps the order.
    auto* older = child<QPushButton>(w, "loadOlderEventsButton");
    QVERIFY(older->isEnabled());
    QTest::mouseClick(older, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), total, generous);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Events), 2);
    QCOMPARE(events->topLevelItem(100)->text(2), QStringLiteral("Step 49"));
    QCOMPARE(events->topLevelItem(total - 1)->text(2), m_sim->job(id).events.first().message);
    QTRY_VERIFY(!older->isEnabled());
    // Every event once, newest first.
    for (int i = 1; i < events->topLevelItemCount(); ++i)
        QVERIFY(events->topLevelItem(i - 1)->text(0) >= events->topLevelItem(i)->text(0));
}

void TestJobsView::eventsThatDoNotEndSayWhy()
{
    const QString id = QStringLiteral("ftjob-evloop");
    m_sim->add(id, QStringLiteral("running"));
    for (int i = 0; i < 150; ++i)
        m_sim->addEvent(id, QStringLiteral("info"), QStringLiteral("Step %1").arg(i));
    QStringList newest;
    for (const SimulatedEvent& event : m_sim->job(id).events)
        newest.prepend(event.id);
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 1);
    select(w, {id});
    child<QTabWidget>(w, "detailsTabs")->setCurrentWidget(child<QWidget>(w, "eventsTab"));
    auto* events = child<QTreeWidget>(w, "eventsView");
    QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), 100, generous);
    // "Load older" is answered with the page shown, "has_more" still true: each event stays once, and the line says
    // why there is no more to load.
    m_sim->failNext(id, JobSimulator::RequestKind::Events, 1, m_sim->eventsPage(id, newest.mid(0, 100), true));
    auto* older = child<QPushButton>(w, "loadOlderEventsButton");
    QTRY_VERIFY(older->isEnabled());
    QTest::mouseClick(older, Qt::LeftButton);
    auto* label = child<QLabel>(w, "eventsStatusLabel");
    QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral("The list did not end")), generous);
    QVERIFY2(label->text().contains(QStringLiteral("reading failed: The list did not end: page 2 of the events")),
             qPrintable(label->text()));
    QCOMPARE(events->topLevelItemCount(), 100);
    QVERIFY(!older->isEnabled());
}

void TestJobsView::copyIdAndOpenInDashboard()
{
    m_sim->add(QStringLiteral("ftjob-first1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-second2"), QStringLiteral("queued"));
    UrlCatcher catcher;
    QDesktopServices::setUrlHandler(QStringLiteral("https"), &catcher, "open");
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* copy = child<QPushButton>(w, "copyIdButton");
    auto* open = child<QPushButton>(w, "openDashboardButton");
    QVERIFY(!copy->isEnabled()); // no job selected
    typeKey(w);
    readList(w, 2);
    select(w, {QStringLiteral("ftjob-first1")});
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("ftjob-first1"));
    select(w, {QStringLiteral("ftjob-second2")});
    QTest::mouseClick(open, Qt::LeftButton);
    QCOMPARE(catcher.urls, QList<QUrl>{QUrl(QStringLiteral("https://platform.openai.com/finetune/ftjob-second2"))});
    // The menu's actions do the same, for the cancels table's row too.
    child<QLineEdit>(w, "jobIdEdit")->setText(QStringLiteral("ftjob-first1"));
    AppSettings().setAskBeforeCancelling(false);
    QTest::keyClick(child<QLineEdit>(w, "jobIdEdit"), Qt::Key_Return);
    QTRY_COMPARE(child<QTabWidget>(w, "jobsTabs")->currentWidget(), child<QWidget>(w, "cancelsTab"));
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    w->findChild<QAction*>(QStringLiteral("openDashboardAction"))->trigger();
    QCOMPARE(catcher.urls.size(), 2);
    QCOMPARE(catcher.urls.last(), QUrl(QStringLiteral("https://platform.openai.com/finetune/ftjob-first1")));
    QGuiApplication::clipboard()->clear();
    w->findChild<QAction*>(QStringLiteral("copyJobIdAction"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("ftjob-first1"));
}

// ---- Refreshing and what comes from outside -----------------------------------------------------------------

void TestJobsView::autoRefreshIsOffByDefaultAndPausedWhileABatchRuns()
{
    m_sim->add(QStringLiteral("ftjob-tick"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    auto* timer = w->findChild<QTimer*>(QStringLiteral("autoRefreshTimer"));
    QVERIFY(timer);
    QVERIFY(!AppSettings().autoRefresh());
    QVERIFY(!timer->isActive());
    m_window.reset();

    // Turned on: every N seconds (here made quicker).
    AppSettings().setAutoRefresh(true);
    AppSettings().setAutoRefreshSeconds(30);
    m_window = newWindow();
    w = m_window.get();
    waitUntilLoaded(w);
    timer = w->findChild<QTimer*>(QStringLiteral("autoRefreshTimer"));
    QVERIFY(timer->isActive());
    QCOMPARE(timer->interval(), 30000);
    typeKey(w);
    timer->start(200);
    QTRY_VERIFY_WITH_TIMEOUT(m_sim->listRequestCount(JobKind::FineTuning) >= 3, generous);
    QCOMPARE(list(w)->model()->rowCount(), 1);

    // While a batch waits for its confirmation (and while it cancels), the list is not read.
    select(w, {QStringLiteral("ftjob-tick")});
    QTest::mouseClick(child<QToolButton>(w, "cancelSelectedButton"), Qt::LeftButton);
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    QTest::qWait(300); // a read under way when it started ends
    const int before = m_sim->listRequestCount(JobKind::FineTuning);
    QTest::qWait(1200);
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), before);
    QTest::keyClick(dialog, Qt::Key_Escape);
    // Once it is done, the timer reads again.
    QTRY_VERIFY_WITH_TIMEOUT(m_sim->listRequestCount(JobKind::FineTuning) > before, generous);
}

void TestJobsView::hostileJobTextIsGated()
{
    // A server (or something in between) that puts a line break, escape sequences, a bidi override and a key into
    // the fields of a job.
    const QString otherKey
        = QStringLiteral("sk-proj-") + QStringLiteral("SuffixKey0123456789abcdefghijklmnopqrstuvWXYZ");
    QJsonObject job = FakeResponse::jobObject(QStringLiteral("ftjob-hostile"),
                                              QStringLiteral("running\n\x1b]0;pwned\x07\x1b[31mFAKE"));
    job.insert(QStringLiteral("model"), QStringLiteral("gpt\u202Eevil"));
    job.insert(QStringLiteral("user_provided_suffix"), QStringLiteral("key ") + otherKey);
    job.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("note"), QStringLiteral("mine: ") + testKey}});
    job.insert(QStringLiteral("error"),
               QJsonObject{{QStringLiteral("message"), QStringLiteral("bad\r\nSecond line \x1b[2J") + otherKey}});
    const QJsonObject page{{QStringLiteral("object"), QStringLiteral("list")},
                           {QStringLiteral("data"), QJsonArray{job}},
                           {QStringLiteral("has_more"), false}};
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    m_server->enqueue(FakeResponse::json(200, QJsonDocument(page).toJson()));
    readList(w, 1);
    const auto clean = [&](const QString& text, const char* where) {
        for (const QChar c : {QChar(u'\n'), QChar(u'\r'), QChar(0x1b), QChar(0x07), QChar(0x202E)})
            QVERIFY2(!text.contains(c),
                     qPrintable(QStringLiteral("U+%1 in %2: %3")
                                    .arg(c.unicode(), 4, 16, QLatin1Char('0'))
                                    .arg(QLatin1String(where), text)));
        QVERIFY2(!text.contains(otherKey.mid(8, 16)), where);
        QVERIFY2(!text.contains(testKey.mid(8, 12)), where);
    };
    // The list: every cell and tooltip.
    const QAbstractItemModel* model = list(w)->model();
    for (int column = 0; column < model->columnCount(); ++column) {
        clean(model->index(0, column).data().toString(), "a cell");
        clean(model->index(0, column).data(Qt::ToolTipRole).toString(), "a tooltip");
    }
    QVERIFY2(listCell(w, QStringLiteral("ftjob-hostile"), JobsModel::StatusColumn)
                 .startsWith(QStringLiteral("running\u240A\u241B")),
             qPrintable(listCell(w, QStringLiteral("ftjob-hostile"), JobsModel::StatusColumn)));
    QVERIFY(listCell(w, QStringLiteral("ftjob-hostile"), JobsModel::SuffixColumn).contains(QStringLiteral("WXYZ")));
    // The side filter names the status, gated.
    auto* filter = child<QListWidget>(w, "statusFilterList");
    for (int i = 0; i < filter->count(); ++i)
        clean(filter->item(i)->text(), "the status filter");
    // The details, the headline, and the confirmation of a cancel.
    select(w, {QStringLiteral("ftjob-hostile")});
    const QString details = child<QLabel>(w, "statusDetailsLabel")->text();
    for (const QString& line : details.split(u'\n'))
        clean(line, "the details");
    QVERIFY2(details.contains(QStringLiteral("Error: bad\u240D\u240ASecond line")), qPrintable(details));
    QCOMPARE(child<QLabel>(w, "statusDetailsLabel")->textFormat(), Qt::PlainText);
    clean(child<QLabel>(w, "statusLabel")->text(), "the headline");
    QCOMPARE(child<QLabel>(w, "statusLabel")->textFormat(), Qt::PlainText);
    // No copy or dashboard link for it? It is a real job id: both work, with the id alone.
    QVERIFY(child<QPushButton>(w, "copyIdButton")->isEnabled());
}

void TestJobsView::anotherAccountEmptiesTheList()
{
    m_sim->add(QStringLiteral("ftjob-mine"), QStringLiteral("running"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 1);
    select(w, {QStringLiteral("ftjob-mine")});
    // Another organization: the jobs listed are not its jobs; nothing of them stays to be cancelled by mistake.
    QTest::keyClicks(child<QLineEdit>(w, "orgEdit"), QStringLiteral("org-other"));
    QCOMPARE(list(w)->model()->rowCount(), 0);
    QVERIFY(!child<QToolButton>(w, "cancelSelectedButton")->isEnabled());
    QVERIFY2(listStatus(w).contains(QStringLiteral("F5")), qPrintable(listStatus(w)));
    QVERIFY(!child<QTabWidget>(w, "jobsTabs")->tabText(0).contains(QStringLiteral("active")));
    m_server->clearRequests();
    readList(w, 1);
    QVERIFY(!m_server->requests().isEmpty());
    for (const RecordedRequest& r : m_server->requests()) {
        if (r.target.contains("/fine_tuning/jobs?"))
            QCOMPARE(r.header("openai-organization"), QByteArray("org-other"));
    }
}

void TestJobsView::savedKeyReadsTheListOnceAtStart()
{
    m_sim->add(QStringLiteral("ftjob-atstart"), QStringLiteral("running"));
    {
        SecretStore store;
        QSignalSpy saved(&store, &SecretStore::saved);
        Credentials credentials;
        credentials.apiKey = testKey;
        store.save(credentials);
        QVERIFY(saved.wait(15000));
        QVERIFY(saved.first().first().value<SecretStore::Outcome>().isOk());
    }
    // Opening on the list with a saved key reads it once, as the dashboard does; nothing more until F5.
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    QTRY_COMPARE_WITH_TIMEOUT(list(w)->model()->rowCount(), 1, generous);
    QTest::qWait(300);
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 1);
    QCOMPARE(m_sim->listRequestCount(JobKind::Batch), 1); // OpenAI runs batches too: both kinds are read
    QCOMPARE(m_sim->requestCount(), 2);
    // The other tab and back: no second read.
    auto* tabs = child<QTabWidget>(w, "jobsTabs");
    tabs->setCurrentWidget(child<QWidget>(w, "cancelsTab"));
    tabs->setCurrentWidget(child<QWidget>(w, "accountTab"));
    QTest::qWait(200);
    QCOMPARE(m_sim->listRequestCount(JobKind::FineTuning), 1);
    // Right click on a row offers what acts on it.
    QStringList offered;
    for (QAction* action : list(w)->actions())
        offered << action->objectName();
    QCOMPARE(offered,
             QStringList({QStringLiteral("cancelSelectedAction"), QStringLiteral("pauseSelectedAction"),
                          QStringLiteral("resumeSelectedAction"), QStringLiteral("copyJobIdAction"),
                          QStringLiteral("openDashboardAction")}));
    QCOMPARE(list(w)->contextMenuPolicy(), Qt::ActionsContextMenu);
}

void TestJobsView::pauseAndResumeFromTheList()
{
    // Pause and Resume beside Cancel: enabled for what the selection can become, through the same confirmation
    // (its own words), the Cancels rows showing "paused" / "resumed", and only the pause (or resume) on the wire.
    m_sim->add(QStringLiteral("ftjob-prun"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-pdone"), QStringLiteral("succeeded"));
    m_window = newWindow();
    MainWindow* w = m_window.get();
    waitUntilLoaded(w);
    typeKey(w);
    readList(w, 2);
    auto* pause = w->findChild<QAction*>(QStringLiteral("pauseSelectedAction"));
    auto* resume = w->findChild<QAction*>(QStringLiteral("resumeSelectedAction"));
    select(w, {QStringLiteral("ftjob-pdone")});
    QTRY_VERIFY(!pause->isEnabled()); // a finished job neither pauses nor resumes
    QVERIFY(!resume->isEnabled());
    select(w, {QStringLiteral("ftjob-prun")});
    QTRY_VERIFY(pause->isEnabled());
    QVERIFY(!resume->isEnabled()); // running, not paused
    m_sim->resetCounters();
    pause->trigger();
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    // (Plural words come from the translations: "job(s)" until they are updated, "job" after.)
    QVERIFY(child<QPushButton>(dialog, "cancelJobsButton")->text().startsWith(QStringLiteral("Pause 1 job")));
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_sim->job(QStringLiteral("ftjob-prun")).status, QStringLiteral("paused"), generous);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Pause), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    const QAbstractItemModel* rows = w->findChild<QTableView*>(QStringLiteral("jobsView"))->model();
    QCOMPARE(rows->index(0, BatchModel::OutcomeColumn).data().toString(), QStringLiteral("paused"));

    // Read again, the job is paused: Resume now, Pause not.
    readList(w, 2);
    QTRY_COMPARE_WITH_TIMEOUT(listCell(w, QStringLiteral("ftjob-prun"), JobsModel::StatusColumn),
                              QStringLiteral("paused"), generous);
    select(w, {QStringLiteral("ftjob-prun")});
    QTRY_VERIFY(resume->isEnabled());
    QVERIFY(!pause->isEnabled());
    resume->trigger();
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w)) != nullptr, generous);
    // (Plural words come from the translations: "job(s)" until they are updated, "job" after.)
    QVERIFY(child<QPushButton>(dialog, "cancelJobsButton")->text().startsWith(QStringLiteral("Resume 1 job")));
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_sim->job(QStringLiteral("ftjob-prun")).status, QStringLiteral("running"), generous);
    QTRY_VERIFY_WITH_TIMEOUT(idle(w), generous);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Resume), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

QTEST_MAIN(TestJobsView)
#include "tst_jobsview.moc"
