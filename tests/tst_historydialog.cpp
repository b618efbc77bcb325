#include "appinfo.h"
#include "auditlog.h"
#include "historydialog.h"

#include <QAbstractItemModel>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

// The History dialog as an operator uses it, offscreen, over an audit file written for the test.
class TestHistoryDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void showsNewestFirstWithDamageCounted();
    void filterNarrowsRowsCaseInsensitively();
    void exportWritesTheRowsShownInOrder();
    void refreshReadsNewAttempts();
    void emptyTrailSaysSo();

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
    QCOMPARE(view->model()->index(1, 9).data().toString(), QStringLiteral("Window"));
    QCOMPARE(view->model()->index(0, 9).data().toString(), QStringLiteral("Command line"));

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

void TestHistoryDialog::exportWritesTheRowsShownInOrder()
{
    HistoryDialog dialog(path());
    dialog.show();
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
    auto* view = child<QTableView>(&dialog, "historyView");
    QCOMPARE(view->model()->rowCount(), 3);
    QVERIFY(AuditLog(path()).append(entry(QStringLiteral("ftjob-ddd"), 400, QStringLiteral("org-shared")), nullptr));
    QCOMPARE(view->model()->rowCount(), 3); // read on open and on refresh, not behind the operator's back
    QTest::mouseClick(child<QPushButton>(&dialog, "refreshHistoryButton"), Qt::LeftButton);
    QCOMPARE(column(view, 1), (QStringList{"ftjob-ddd", "ftjob-bbb", "ftjob-ccc", "ftjob-aaa"}));
}

void TestHistoryDialog::emptyTrailSaysSo()
{
    HistoryDialog dialog(m_dir->filePath(QStringLiteral("none.jsonl")));
    dialog.show();
    QCOMPARE(child<QTableView>(&dialog, "historyView")->model()->rowCount(), 0);
    QCOMPARE(child<QLabel>(&dialog, "historySummaryLabel")->text(), QStringLiteral("No cancel attempts recorded yet."));
    QVERIFY(!child<QPushButton>(&dialog, "exportCsvButton")->isEnabled());
}

QTEST_MAIN(TestHistoryDialog)
#include "tst_historydialog.moc"
