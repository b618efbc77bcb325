#include "appinfo.h"
#include "auditlog.h"
#include "historydialog.h"

#include <QAbstractItemModel>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QThreadPool>

#include <sys/stat.h>

// The History dialog as an operator uses it, offscreen, over an audit file written for the test.
class TestHistoryDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void showsNewestFirstWithDamageCounted();
    void filterNarrowsRowsCaseInsensitively();
    void showsAndFiltersProfileAndProvider();
    void exportWritesTheRowsShownInOrder();
    void refreshReadsNewAttempts();
    void emptyTrailSaysSo();
    void loadsInTheBackground();
    void refreshWhileLoadingDoesNotPileUp();
    void closingWhileLoadingIsSafe();
    void hugeLinesAreSkippedAndCounted();
    void newestOverlongLinesDoNotHideOlderOnes();
    void bigFileShowsTheNewestAndSaysTheRestWasNotLoaded();
    void exportIsOwnerOnly_data();
    void exportIsOwnerOnly();
    void hostileEntryIsShownAsText();
    void tooltipShowsTheMessageAsWritten_data();
    void tooltipShowsTheMessageAsWritten();

private:
    template <typename T> T* child(QWidget* w, const char* name)
    {
        T* found = w->findChild<T*>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }
    static QStringList column(QTableView* view, int column);
    QString path() const { return m_dir->filePath(QStringLiteral("audit.jsonl")); }
    static AuditEntry entry(const QString& jobId, qint64 secs, const QString& org);
    static bool waitLoaded(HistoryDialog* dialog);
    static QByteArray jsonLine(const AuditEntry& e);
    static void appendRaw(const QString& path, const QByteArray& bytes);
    static QByteArray hugeLine(qsizetype bytes);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestHistoryDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication(); // English plural forms, as the app shows them
}

AuditEntry TestHistoryDialog::entry(const QString& jobId, qint64 secs, const QString& org)
{
    AuditEntry e;
    e.time = QDateTime::fromSecsSinceEpoch(1700000000 + secs, Qt::UTC);
    e.jobId = jobId;
    e.organization = org;
    e.baseHost = QStringLiteral("api.openai.com");
    e.httpStatus = 200;
    e.status = QStringLiteral("cancelled");
    e.requestId = QStringLiteral("req_") + jobId;
    e.attempts = 1;
    e.source = QStringLiteral("cli");
    e.provider = QStringLiteral("openai");
    return e;
}

void TestHistoryDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const AuditLog log(path());
    // File order is not time order (the clock was set back between two attempts): the table sorts by real time.
    QVERIFY(log.append(entry(QStringLiteral("ftjob-aaa"), 100, QStringLiteral("org-shared")), nullptr));
    QVERIFY(log.append(entry(QStringLiteral("ftjob-bbb"), 300, QStringLiteral("org-shared")), nullptr));
    QFile f(path());
    QVERIFY(f.open(QIODevice::Append));
    f.write("{\"time\": \"damaged\n");
    f.close();
    AuditEntry failed = entry(QStringLiteral("ftjob-ccc"), 200, QStringLiteral("org-other"));
    failed.status.clear();
    failed.httpStatus = 404;
    failed.errorKind = QStringLiteral("http");
    failed.errorMessage = QStringLiteral("HTTP 404: No such job, \"really\".");
    failed.source = QStringLiteral("window");
    QVERIFY(log.append(failed, nullptr));
}

bool TestHistoryDialog::waitLoaded(HistoryDialog* dialog)
{
    // Generous: the point is that loading ends, not how fast on a busy machine.
    return QTest::qWaitFor([dialog] { return !dialog->isLoading(); }, 120000);
}

QByteArray TestHistoryDialog::jsonLine(const AuditEntry& e)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("one.jsonl"));
    if (!AuditLog(file).append(e, nullptr))
        return QByteArray();
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestHistoryDialog::appendRaw(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray TestHistoryDialog::hugeLine(qsizetype bytes)
{
    // An entry with a message of several MB, as old versions wrote them.
    AuditEntry e = entry(QStringLiteral("ftjob-huge"), 50, QStringLiteral("org-huge"));
    e.errorKind = QStringLiteral("bad_response");
    QByteArray line = jsonLine(e);
    const QByteArray field = "\"error_message\":\"";
    line.insert(line.indexOf(field) + field.size(), QByteArray(bytes - line.size(), 'x'));
    return line;
}

QStringList TestHistoryDialog::column(QTableView* view, int column)
{
    QStringList values;
    const QAbstractItemModel* model = view->model();
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->index(row, column).data().toString();
    return values;
}

void TestHistoryDialog::showsNewestFirstWithDamageCounted()
{
    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(!dialog.isModal());
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    QCOMPARE(column(view, 1), (QStringList{"ftjob-bbb", "ftjob-ccc", "ftjob-aaa"}));
    QCOMPARE(view->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Time"));
    QCOMPARE(view->model()->headerData(2, Qt::Horizontal).toString(), QStringLiteral("Status / error"));
    // Time in local time, to the second.
    QCOMPARE(view->model()->index(0, 0).data().toString(),
             QDateTime::fromSecsSinceEpoch(1700000300, Qt::UTC)
                 .toLocalTime()
                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QCOMPARE(view->model()->index(0, 2).data().toString(), QStringLiteral("cancelled"));
    const QString failure = view->model()->index(1, 2).data().toString();
    QVERIFY2(failure.contains(QStringLiteral("No such job")), qPrintable(failure));
    QCOMPARE(view->model()->index(1, 3).data().toString(), QStringLiteral("404"));
    QCOMPARE(view->model()->index(1, 11).data().toString(), QStringLiteral("Window"));
    QCOMPARE(view->model()->index(0, 11).data().toString(), QStringLiteral("Command line"));

    auto* summary = child<QLabel>(&dialog, "historySummaryLabel");
    QVERIFY2(summary->text().contains(QStringLiteral("3 records, 1 damaged line skipped")),
             qPrintable(summary->text()));
    QVERIFY2(summary->text().contains(QStringLiteral("1 damaged line")), qPrintable(summary->text()));
    QVERIFY2(summary->toolTip().contains(QStringLiteral("Line 3")), qPrintable(summary->toolTip()));

    // Clicking the Time header sorts by real time, oldest first.
    view->sortByColumn(0, Qt::AscendingOrder);
    QCOMPARE(column(view, 1), (QStringList{"ftjob-aaa", "ftjob-ccc", "ftjob-bbb"}));
}

void TestHistoryDialog::filterNarrowsRowsCaseInsensitively()
{
    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    auto* filter = child<QLineEdit>(&dialog, "historyFilterEdit");
    QCOMPARE(filter->placeholderText(), QStringLiteral("Filter by job id, status, error\u2026"));
    QCOMPARE(view->model()->rowCount(), 3);

    QTest::keyClicks(filter, QStringLiteral("FTJOB-BBB"));
    QCOMPARE(column(view, 1), QStringList{"ftjob-bbb"});
    auto* summary = child<QLabel>(&dialog, "historySummaryLabel");
    QVERIFY2(summary->text().startsWith(QStringLiteral("1 of 3")), qPrintable(summary->text()));

    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("such job")); // the error column
    QCOMPARE(column(view, 1), QStringList{"ftjob-ccc"});

    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("ftjob-a.a")); // a fixed string: "." is a dot, not a wildcard
    QCOMPARE(view->model()->rowCount(), 0);
    QVERIFY(!child<QPushButton>(&dialog, "exportCsvButton")->isEnabled());

    filter->clear();
    QCOMPARE(view->model()->rowCount(), 3);
    QVERIFY(child<QPushButton>(&dialog, "exportCsvButton")->isEnabled());
}

void TestHistoryDialog::showsAndFiltersProfileAndProvider()
{
    const AuditLog log(path());
    AuditEntry azure = entry(QStringLiteral("ftjob-azure"), 400, QString());
    azure.profile = QStringLiteral("customer");
    azure.provider = QStringLiteral("azure");
    QVERIFY(log.append(azure, nullptr));
    AuditEntry together = entry(QStringLiteral("ft-together"), 500, QString());
    together.profile = QStringLiteral("open-weights");
    together.provider = QStringLiteral("together");
    QVERIFY(log.append(together, nullptr));

    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    QCOMPARE(view->model()->headerData(5, Qt::Horizontal).toString(), QStringLiteral("Profile"));
    QCOMPARE(view->model()->headerData(6, Qt::Horizontal).toString(), QStringLiteral("Provider"));
    QCOMPARE(column(view, 1), (QStringList{"ft-together", "ftjob-azure", "ftjob-bbb", "ftjob-ccc", "ftjob-aaa"}));
    // The provider by its name; the lines of the fixture were written with no profile (environment variables).
    QCOMPARE(column(view, 6), (QStringList{"Together AI", "Azure OpenAI", "OpenAI", "OpenAI", "OpenAI"}));
    QCOMPARE(column(view, 5), (QStringList{"open-weights", "customer", "(none)", "(none)", "(none)"}));

    auto* profiles = child<QComboBox>(&dialog, "profileFilterCombo");
    auto* providers = child<QComboBox>(&dialog, "providerFilterCombo");
    QCOMPARE(profiles->count(), 4); // all, (none), customer, open-weights
    QCOMPARE(providers->count(), 4); // all, azure, openai, together
    profiles->setCurrentIndex(profiles->findText(QStringLiteral("customer")));
    QCOMPARE(column(view, 1), QStringList{"ftjob-azure"});
    auto* summary = child<QLabel>(&dialog, "historySummaryLabel");
    QVERIFY2(summary->text().startsWith(QStringLiteral("1 of 5")), qPrintable(summary->text()));

    // Both filters at once: nothing is the customer's and Together's.
    providers->setCurrentIndex(providers->findText(QStringLiteral("Together AI")));
    QCOMPARE(view->model()->rowCount(), 0);
    profiles->setCurrentIndex(0);
    QCOMPARE(column(view, 1), QStringList{"ft-together"});
    providers->setCurrentIndex(providers->findText(QStringLiteral("OpenAI")));
    QCOMPARE(column(view, 1), (QStringList{"ftjob-bbb", "ftjob-ccc", "ftjob-aaa"}));

    // A refresh keeps the choice.
    dialog.refresh();
    QVERIFY(waitLoaded(&dialog));
    QCOMPARE(providers->currentText(), QStringLiteral("OpenAI"));
    QCOMPARE(view->model()->rowCount(), 3);
}

void TestHistoryDialog::exportWritesTheRowsShownInOrder()
{
    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, "historyFilterEdit"), QStringLiteral("org-shared"));
    QCOMPARE(child<QTableView>(&dialog, "historyView")->model()->rowCount(), 2);

    const QString csv = m_dir->filePath(QStringLiteral("export.csv"));
    QTest::mouseClick(child<QPushButton>(&dialog, "exportCsvButton"), Qt::LeftButton);
    QFileDialog* fileDialog = nullptr;
    QTRY_VERIFY((fileDialog = dialog.findChild<QFileDialog*>(QStringLiteral("exportCsvDialog"))) != nullptr);
    QVERIFY(fileDialog->isVisible());
    fileDialog->selectFile(csv);
    static_cast<QDialog*>(fileDialog)->accept();
    QTRY_VERIFY(QFile::exists(csv));

    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 4); // header, two rows, and the empty piece after the last CRLF
    QVERIFY2(lines.at(0).startsWith("time_utc,job_id,"), lines.at(0).constData());
    QVERIFY2(lines.at(1).startsWith("2023-11-14T22:18:20.000Z,ftjob-bbb,cancelled,"), lines.at(1).constData());
    QVERIFY2(lines.at(2).startsWith("2023-11-14T22:15:00.000Z,ftjob-aaa,cancelled,"), lines.at(2).constData());
    QVERIFY(lines.at(3).isEmpty());
    const QString message = child<QLabel>(&dialog, "historyMessageLabel")->text();
    QVERIFY2(message.contains(QStringLiteral("Exported 2")), qPrintable(message));
}

void TestHistoryDialog::refreshReadsNewAttempts()
{
    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    QCOMPARE(view->model()->rowCount(), 3);
    QVERIFY(AuditLog(path()).append(entry(QStringLiteral("ftjob-ddd"), 400, QStringLiteral("org-shared")), nullptr));
    QTest::qWait(50);
    QCOMPARE(view->model()->rowCount(), 3); // read on open and on refresh, not behind the operator's back
    QTest::mouseClick(child<QPushButton>(&dialog, "refreshHistoryButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(column(view, 1), (QStringList{"ftjob-ddd", "ftjob-bbb", "ftjob-ccc", "ftjob-aaa"}),
                              60000);
}

void TestHistoryDialog::emptyTrailSaysSo()
{
    HistoryDialog dialog(m_dir->filePath(QStringLiteral("none.jsonl")));
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    QCOMPARE(child<QTableView>(&dialog, "historyView")->model()->rowCount(), 0);
    QCOMPARE(child<QLabel>(&dialog, "historySummaryLabel")->text(), QStringLiteral("No cancel attempts recorded yet."));
    QVERIFY(!child<QPushButton>(&dialog, "exportCsvButton")->isEnabled());
}

void TestHistoryDialog::loadsInTheBackground()
{
    // The constructor only starts the read: the window stays responsive whatever the size of the file.
    HistoryDialog dialog(path());
    QSignalSpy loaded(&dialog, &HistoryDialog::loaded);
    dialog.show();
    auto* view = child<QTableView>(&dialog, "historyView");
    auto* summary = child<QLabel>(&dialog, "historySummaryLabel");
    QVERIFY(dialog.isLoading());
    QCOMPARE(summary->text(), QStringLiteral("Loading\u2026"));
    QCOMPARE(view->model()->rowCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 3, 60000);
    QCOMPARE(loaded.count(), 1);
    QVERIFY(!dialog.isLoading());
    QVERIFY2(summary->text().startsWith(QStringLiteral("3 records")), qPrintable(summary->text()));
}

void TestHistoryDialog::refreshWhileLoadingDoesNotPileUp()
{
    HistoryDialog dialog(path());
    QSignalSpy loaded(&dialog, &HistoryDialog::loaded);
    dialog.show();
    QVERIFY(dialog.isLoading());
    // An attempt recorded while the first read runs, and the window asking again and again (it refreshes after
    // every attempt): one more read follows the running one, not twenty.
    QVERIFY(AuditLog(path()).append(entry(QStringLiteral("ftjob-ddd"), 400, QStringLiteral("org-shared")), nullptr));
    for (int i = 0; i < 20; ++i) {
        dialog.refresh();
        QTest::mouseClick(child<QPushButton>(&dialog, "refreshHistoryButton"), Qt::LeftButton);
    }
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && !dialog.isLoading(), 120000);
    QCOMPARE(loaded.count(), 2);
    QCOMPARE(column(child<QTableView>(&dialog, "historyView"), 1),
             (QStringList{"ftjob-ddd", "ftjob-bbb", "ftjob-ccc", "ftjob-aaa"}));
}

void TestHistoryDialog::closingWhileLoadingIsSafe()
{
    // A big file, so the read is still running when the dialog goes (as the window's History does: delete on
    // close). Nothing may touch the dialog afterwards; under AddressSanitizer a use after free fails this test.
    for (int i = 0; i < 5; ++i)
        appendRaw(path(), hugeLine(7 * 1000 * 1000));
    QPointer<HistoryDialog> dialog = new HistoryDialog(path());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    QVERIFY(dialog->isLoading());
    dialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 60000);
    QVERIFY(QThreadPool::globalInstance()->waitForDone(120000));
    QTest::qWait(100); // let anything the read posted arrive

    // And straight away, without an event loop in between.
    auto* again = new HistoryDialog(path());
    delete again;
    QVERIFY(QThreadPool::globalInstance()->waitForDone(120000));
    QTest::qWait(100);
}

void TestHistoryDialog::hugeLinesAreSkippedAndCounted()
{
    // Old versions wrote lines of 7 MB: they are skipped unread and counted; the normal lines after them show.
    for (int i = 0; i < 3; ++i)
        appendRaw(path(), hugeLine(7 * 1000 * 1000));
    const AuditLog log(path());
    for (int i = 1; i <= 4; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-new%1").arg(i), 1000 + i, QStringLiteral("org-new")), nullptr));

    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    QCOMPARE(column(view, 1).mid(0, 4), (QStringList{"ftjob-new4", "ftjob-new3", "ftjob-new2", "ftjob-new1"}));
    QCOMPARE(view->model()->rowCount(), 7); // and the three from init()
    auto* summary = child<QLabel>(&dialog, "historySummaryLabel");
    QVERIFY2(summary->text().contains(QStringLiteral("3 over-long lines skipped")), qPrintable(summary->text()));
    QVERIFY2(summary->text().contains(QStringLiteral("1 damaged line skipped")), qPrintable(summary->text()));
    QVERIFY2(!summary->text().contains(QStringLiteral("not loaded")), qPrintable(summary->text()));
    QTextDocument tip;
    tip.setHtml(summary->toolTip());
    QVERIFY2(tip.toPlainText().contains(QStringLiteral("longer than")), qPrintable(tip.toPlainText()));
}

void TestHistoryDialog::newestOverlongLinesDoNotHideOlderOnes()
{
    // Five attempts, then three lines of 12 MB at the end, more than the 32 MiB read at most: the huge lines are
    // passed over and counted, they do not use up what is read, and the five older records still show.
    QFile::remove(path());
    const AuditLog log(path());
    for (int i = 1; i <= 5; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-old%1").arg(i), 1000 + i, QStringLiteral("org-old")), nullptr));
    for (int i = 0; i < 3; ++i)
        appendRaw(path(), hugeLine(12 * 1000 * 1000));
    QVERIFY(QFileInfo(path()).size() > AuditLog::scanBudgetBytes);

    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    QCOMPARE(column(view, 1), (QStringList{"ftjob-old5", "ftjob-old4", "ftjob-old3", "ftjob-old2", "ftjob-old1"}));
    const QString text = child<QLabel>(&dialog, "historySummaryLabel")->text();
    QVERIFY2(text.startsWith(QStringLiteral("5 records, 3 over-long lines skipped")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("not loaded")), qPrintable(text));
}

void TestHistoryDialog::bigFileShowsTheNewestAndSaysTheRestWasNotLoaded()
{
    // 36 MB of old attempts with long (but not over-long) messages, more than the 32 MiB read at most, then the
    // attempts of today: the newest show, and the summary says the oldest part was not loaded.
    QFile::remove(path());
    AuditEntry old = entry(QStringLiteral("ftjob-long"), 50, QStringLiteral("org-old"));
    old.errorKind = QStringLiteral("bad_response");
    old.errorMessage = QString(60000, u'm');
    const QByteArray longLine = jsonLine(old);
    QVERIFY(longLine.size() < AuditLog::maxLineBytes);
    QByteArray chunk;
    for (int i = 0; i < 100; ++i)
        chunk += longLine;
    for (int i = 0; i < 6; ++i)
        appendRaw(path(), chunk);
    const AuditLog log(path());
    for (int i = 1; i <= 50; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-n%1").arg(i), 1000 + i, QStringLiteral("org-new")), nullptr));
    QVERIFY(QFileInfo(path()).size() > AuditLog::scanBudgetBytes);

    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    QVERIFY(view->model()->rowCount() > 50);
    QVERIFY(view->model()->rowCount() < 650);
    QCOMPARE(view->model()->index(0, 1).data().toString(), QStringLiteral("ftjob-n50"));
    const QString text = child<QLabel>(&dialog, "historySummaryLabel")->text();
    QVERIFY2(!text.contains(QStringLiteral("skipped")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("older entries not loaded")), qPrintable(text));
}

void TestHistoryDialog::exportIsOwnerOnly_data()
{
    QTest::addColumn<bool>("overAnExistingFile");
    QTest::newRow("new file") << false;
    QTest::newRow("over a file readable by all") << true;
}

void TestHistoryDialog::exportIsOwnerOnly()
{
    // The export names accounts and jobs as the trail does: mode 0600 like the trail, whatever the umask, also over
    // a file that was readable by everyone.
    QFETCH(bool, overAnExistingFile);
    const QString csv = m_dir->filePath(QStringLiteral("owner-only.csv"));
    QFile::remove(csv);
    if (overAnExistingFile) {
        appendRaw(csv, "old\n");
        QVERIFY(QFile::setPermissions(
            csv, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    }
    const mode_t previousMask = ::umask(022);
    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    QTest::mouseClick(child<QPushButton>(&dialog, "exportCsvButton"), Qt::LeftButton);
    QFileDialog* fileDialog = nullptr;
    QTRY_VERIFY((fileDialog = dialog.findChild<QFileDialog*>(QStringLiteral("exportCsvDialog"))) != nullptr);
    fileDialog->setOption(QFileDialog::DontConfirmOverwrite); // the operator's "Replace": no modal question here
    fileDialog->selectFile(csv);
    static_cast<QDialog*>(fileDialog)->accept();
    QTRY_VERIFY(child<QLabel>(&dialog, "historyMessageLabel")->text().contains(QStringLiteral("Exported 3")));
    ::umask(previousMask);
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(csv).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().startsWith("time_utc,job_id,"));
}

void TestHistoryDialog::hostileEntryIsShownAsText()
{
    // What a server (or an edited file) put in a message is shown as text: keys masked, controls visible, no
    // markup rendered in the table, the tooltip, the summary or the CSV.
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString key = QStringLiteral("sk-proj-");
    for (int i = 0; i < 40; ++i)
        key += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet) - 1)]);
    AuditEntry e = entry(QStringLiteral("ftjob-hostile"), 900, QStringLiteral("org-\u001b[31mred"));
    e.status.clear();
    e.httpStatus = 400;
    e.errorKind = QStringLiteral("http");
    e.errorMessage = QStringLiteral("\u001b]0;title\u0007bad\nline \u202Etxt.exe ") + key
        + QStringLiteral(" <b>html</b> <img src=\"http://example.invalid/x.png\"> <a href=\"http://x\">x</a>");
    QFile::remove(path());
    appendRaw(path(), jsonLine(e));

    HistoryDialog dialog(path());
    dialog.show();
    QVERIFY(waitLoaded(&dialog));
    auto* view = child<QTableView>(&dialog, "historyView");
    QCOMPARE(view->model()->rowCount(), 1);
    const QString outcome = view->model()->index(0, 2).data().toString();
    const QString org = view->model()->index(0, 7).data().toString();
    for (const QString& cell : {outcome, org}) {
        QVERIFY2(!cell.contains(QChar(0x1b)) && !cell.contains(u'\n') && !cell.contains(QChar(0x202E)),
                 qPrintable(cell));
        QVERIFY2(!cell.contains(key.mid(8, 20)), qPrintable(cell));
    }
    QCOMPARE(org, QStringLiteral("org-\u241B[31mred"));
    QVERIFY2(outcome.contains(QStringLiteral("[U+202E]")), qPrintable(outcome));
    QVERIFY2(outcome.contains(QStringLiteral("\u2026") + key.right(4)), qPrintable(outcome));

    // The tooltip is rich text of ours with the message escaped inside: what shows is the text as written.
    const QString tooltip = view->model()->index(0, 2).data(Qt::ToolTipRole).toString();
    QVERIFY(Qt::mightBeRichText(tooltip));
    QVERIFY2(!tooltip.contains(QStringLiteral("<b>")) && !tooltip.contains(QStringLiteral("<img"))
                 && !tooltip.contains(QStringLiteral("<a ")),
             qPrintable(tooltip));
    QTextDocument shown;
    shown.setHtml(tooltip);
    const QString shownText = shown.toPlainText();
    QVERIFY2(shownText.contains(QStringLiteral("<b>html</b> <img src=\"http://example.invalid/x.png\">")),
             qPrintable(shownText));
    QVERIFY2(!shownText.contains(key.mid(8, 20)), qPrintable(shownText));
    QCOMPARE(child<QLabel>(&dialog, "historySummaryLabel")->textFormat(), Qt::PlainText);
    QCOMPARE(child<QLabel>(&dialog, "historyMessageLabel")->textFormat(), Qt::PlainText);

    const QString csv = m_dir->filePath(QStringLiteral("hostile.csv"));
    QTest::mouseClick(child<QPushButton>(&dialog, "exportCsvButton"), Qt::LeftButton);
    QFileDialog* fileDialog = nullptr;
    QTRY_VERIFY((fileDialog = dialog.findChild<QFileDialog*>(QStringLiteral("exportCsvDialog"))) != nullptr);
    fileDialog->selectFile(csv);
    static_cast<QDialog*>(fileDialog)->accept();
    QTRY_VERIFY(QFile::exists(csv));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray exported = f.readAll();
    QVERIFY(exported.contains("ftjob-hostile"));
    QVERIFY(!exported.contains(key.mid(8, 20).toUtf8()));
    QVERIFY(!exported.contains('\x1b'));
    QVERIFY(!exported.contains("\u202E"));
    QVERIFY(exported.contains("\u241B"));
}

void TestHistoryDialog::tooltipShowsTheMessageAsWritten_data()
{
    QTest::addColumn<QString>("message");
    QTest::newRow("tag") << "<b>bold</b> and <i>italic</i>";
    QTest::newRow("link") << "see <a href=\"http://example.invalid\">here</a>";
    QTest::newRow("image") << "<img src=\"http://example.invalid/track.png\">";
    QTest::newRow("ampersand") << "Rate limit for fish & chips reached";
    QTest::newRow("entity") << "&lt;b&gt; is not bold";
    QTest::newRow("comparison") << "1 < 2 and 3 > 2";
    QTest::newRow("plain") << "HTTP 404: No such job.";
}

void TestHistoryDialog::tooltipShowsTheMessageAsWritten()
{
    // What the operator sees in the tooltip is the message, character for character, whatever Qt's rich text
    // guess makes of it: a QLabel (as QToolTip uses) renders it as HTML when Qt::mightBeRichText() says so.
    QFETCH(QString, message);
    AuditEntry e = entry(QStringLiteral("ftjob-tip"), 900, QStringLiteral("org-tip"));
    e.status.clear();
    e.errorKind = QStringLiteral("http");
    e.errorMessage = message;
    QFile::remove(path());
    appendRaw(path(), jsonLine(e));
    HistoryDialog dialog(path());
    QVERIFY(waitLoaded(&dialog));
    const QString tooltip
        = child<QTableView>(&dialog, "historyView")->model()->index(0, 2).data(Qt::ToolTipRole).toString();
    QString shown = tooltip;
    if (Qt::mightBeRichText(tooltip)) {
        QTextDocument document;
        document.setHtml(tooltip);
        shown = document.toPlainText();
    }
    QCOMPARE(shown, message);
}

QTEST_MAIN(TestHistoryDialog)
#include "tst_historydialog.moc"
