#include "logview.h"

#include <QApplication>
#include <QScrollBar>
#include <QTest>
#include <QTextBlock>

// The log pane on its own: it holds every line as soon as it is added, in order, also when a batch's answers bring
// hundreds at once, and shows the newest once the event loop runs; at its line limit the oldest go; and an operator
// reading further up keeps the lines in view while new ones come.
class TestLogView final : public QObject
{
    Q_OBJECT

private slots:
    void linesAddedTogetherShowInOrder();
    void readingAtTheLimitKeepsTheLinesInView();
};

namespace {
QString line(int n)
{
    return QStringLiteral("line %1: POST http://127.0.0.1/v1/fine_tuning/jobs/ftjob-%1/cancel").arg(n);
}

// The text of the line at the top of the view.
QString topLine(const LogView& view)
{
    return view.cursorForPosition(QPoint(2, 2)).block().text();
}
} // namespace

void TestLogView::linesAddedTogetherShowInOrder()
{
    LogView view;
    view.setMaximumBlockCount(50);
    view.resize(400, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.appendLine(line(0));
    QCOMPARE(view.toPlainText(), line(0)); // at once: whoever reads the pane reads every line
    for (int i = 1; i < 120; ++i)
        view.appendLine(line(i));
    QVERIFY(view.toPlainText().endsWith(line(119)));
    QCoreApplication::processEvents();
    // The newest 50, in order, and the newest in view.
    QStringList expected;
    for (int i = 70; i < 120; ++i)
        expected << line(i);
    QCOMPARE(view.toPlainText(), expected.join(u'\n'));
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    // Cleared: lines not shown yet go too.
    view.appendLine(line(500));
    view.clearLines();
    view.appendLine(line(501));
    QCOMPARE(view.toPlainText(), line(501));
    QCoreApplication::processEvents();
    QCOMPARE(view.toPlainText(), line(501));
}

void TestLogView::readingAtTheLimitKeepsTheLinesInView()
{
    LogView view;
    view.setMaximumBlockCount(50);
    view.resize(400, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (int i = 0; i < 50; ++i)
        view.appendLine(line(i));
    QCoreApplication::processEvents();
    // Scrolled up to read line 30; ten more lines come at once, the oldest ten go.
    QScrollBar* bar = view.verticalScrollBar();
    bar->setValue(30);
    QTRY_COMPARE(topLine(view), line(30));
    for (int i = 50; i < 60; ++i)
        view.appendLine(line(i));
    QCoreApplication::processEvents();
    QVERIFY(view.toPlainText().endsWith(line(59)));
    QVERIFY(view.toPlainText().startsWith(line(10)));
    QCOMPARE(topLine(view), line(30));
    QVERIFY(!view.followsEnd());
}

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
