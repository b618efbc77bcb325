#include "appinfo.h"
#include "appsettings.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "keyringcontrol.h"
#include "mainwindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <memory>

// The window at 2× scaling on a 1920 × 1080 screen less a 64-pixel desktop panel (960 × 508 device-independent
// pixels, the offscreen platform's screen set by tests/data/screen-2x.json): at the size it opens with and at its
// smallest, in its fullest states, nothing overlaps and nothing is squeezed below the size it needs to show itself.
class TestWindowLayout final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void screenIsTwiceScaled();
    void nothingOverlapsAtTheSizeItOpens();
    void nothingOverlapsAtItsSmallest();
    void nothingOverlapsWithEverythingShown();

private:
    static QStringList problems(QWidget* top);
    void fillEverything(MainWindow* w);

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    std::unique_ptr<MainWindow> m_window;
};

namespace {
QString rectText(const QRect& r)
{
    return QStringLiteral("(%1,%2 %3×%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

QString nameOf(const QWidget* w)
{
    QString path;
    for (const QWidget* p = w; p; p = p->parentWidget()) {
        const QString name
            = p->objectName().isEmpty() ? QString::fromLatin1(p->metaObject()->className()) : p->objectName();
        path = path.isEmpty() ? name : name + u'/' + path;
        if (p->isWindow())
            break;
    }
    return path;
}

// The widgets a layout places, through its nested layouts.
void layoutWidgets(const QLayout* layout, QList<QWidget*>& out)
{
    for (int i = 0; i < layout->count(); ++i) {
        QLayoutItem* item = layout->itemAt(i);
        if (QWidget* w = item->widget())
            out << w;
        else if (const QLayout* inner = item->layout())
            layoutWidgets(inner, out);
    }
}

// Text that must be shown whole: buttons, check boxes, labels that neither wrap nor elide on purpose.
bool needsItsSize(const QWidget* w)
{
    const QSizePolicy policy = w->sizePolicy();
    if (policy.horizontalPolicy() == QSizePolicy::Ignored || policy.verticalPolicy() == QSizePolicy::Ignored)
        return false;
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QLineEdit*>(w)
        || qobject_cast<const QLabel*>(w);
}
} // namespace

QStringList TestWindowLayout::problems(QWidget* top)
{
    // What the user sees: the layouts as they are once the requests a change posted are handled (before any paint).
    for (int i = 0; i < 5; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QStringList found;
    QList<QWidget*> parents{top};
    parents += top->findChildren<QWidget*>();
    for (QWidget* parent : std::as_const(parents)) {
        if (!parent->isVisible())
            continue;
        QList<QWidget*> placed;
        if (parent->layout())
            layoutWidgets(parent->layout(), placed);
        if (auto* splitter = qobject_cast<QSplitter*>(parent)) {
            for (int i = 0; i < splitter->count(); ++i)
                placed << splitter->widget(i);
        }
        placed.erase(std::remove_if(placed.begin(), placed.end(),
                                    [](const QWidget* w) { return !w->isVisible() || w->isWindow(); }),
                     placed.end());
        for (int i = 0; i < placed.size(); ++i) {
            const QWidget* a = placed.at(i);
            for (int j = i + 1; j < placed.size(); ++j) {
                const QWidget* b = placed.at(j);
                if (a->geometry().intersects(b->geometry()))
                    found << QStringLiteral("%1 %2 overlaps %3 %4")
                                 .arg(nameOf(a))
                                 .arg(rectText(a->geometry()), nameOf(b))
                                 .arg(rectText(b->geometry()));
            }
            // Inside its parent, and as large as it must be to show itself.
            if (!parent->rect().contains(a->geometry()) && !qobject_cast<QSplitter*>(parent))
                found << QStringLiteral("%1 %2 sticks out of %3 %4")
                             .arg(nameOf(a), rectText(a->geometry()), nameOf(parent), rectText(parent->rect()));
            if (!needsItsSize(a))
                continue;
            const QSize need = a->minimumSizeHint();
            const int needHeight = a->hasHeightForWidth() ? a->heightForWidth(a->width()) : need.height();
            if (a->width() < need.width() || a->height() < needHeight)
                found << QStringLiteral("%1 is %2×%3, needs %4×%5")
                             .arg(nameOf(a))
                             .arg(a->width())
                             .arg(a->height())
                             .arg(need.width())
                             .arg(needHeight);
        }
    }
    return found;
}

void TestWindowLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

void TestWindowLayout::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    qputenv("OPENAI_BASE_URL", m_server->baseUrl().toString().toUtf8());
}

void TestWindowLayout::cleanup()
{
    m_window.reset();
    if (KeyringControl::isLocked() == true) {
        QString error;
        QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    }
    AppSettings().setAskBeforeCancelling(true);
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

void TestWindowLayout::screenIsTwiceScaled()
{
    const QScreen* screen = QGuiApplication::primaryScreen();
    QCOMPARE(screen->devicePixelRatio(), 2.0);
    QCOMPARE(screen->geometry().size(), QSize(960, 508));
}

void TestWindowLayout::nothingOverlapsAtTheSizeItOpens()
{
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"))->isEnabled(), 15000);
    QVERIFY2(m_window->frameGeometry().height() <= m_window->screen()->availableGeometry().height(),
             qPrintable(QStringLiteral("opens %1 px tall").arg(m_window->frameGeometry().height())));
    const QStringList found = problems(m_window.get());
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

void TestWindowLayout::nothingOverlapsAtItsSmallest()
{
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"))->isEnabled(), 15000);
    const QSize smallest = m_window->minimumSizeHint();
    QVERIFY2(smallest.height() <= 508, qPrintable(QStringLiteral("at least %1 px tall").arg(smallest.height())));
    m_window->resize(smallest);
    QTRY_COMPARE(m_window->size(), smallest);
    for (QTabWidget* tabs : m_window->findChildren<QTabWidget*>()) {
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QStringList found = problems(m_window.get());
            QVERIFY2(found.isEmpty(),
                     qPrintable(QStringLiteral("%1, tab %2:\n").arg(tabs->objectName()).arg(i) + found.join(u'\n')));
        }
    }
}

void TestWindowLayout::fillEverything(MainWindow* w)
{
    // The fullest states at once: a locked keyring's buttons, a key, a long status message, refusals under the job
    // field, the asking-off notices, the rate-limit bar, rows in Cancels.
    m_sim->addMany(30);
    w->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"))
        ->setText(QStringLiteral("sk-layout-test") + QStringLiteral("-0123456789abcdefKEY1"));
    QStringList junk;
    for (int i = 0; i < 12; ++i)
        junk << QStringLiteral("file-junk%1").arg(i);
    junk << QStringLiteral("ftjob-sim000001 ftjob-sim000002");
    QGuiApplication::clipboard()->setText(junk.join(u'\n'));
    w->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    w->statusBar()->showMessage(QString(300, u'x'));
    // Shown by a long rate limit, in the summary line's place; its words are what they are then.
    w->findChild<QWidget*>(QStringLiteral("rateLimitBar"))->show();
    w->findChild<QWidget*>(QStringLiteral("summaryLabel"))->hide();
    w->findChild<QLabel*>(QStringLiteral("rateLimitLabel"))
        ->setText(QStringLiteral("Rate limited until 23:59:59 (2026-12-31): nothing is sent"));
}

void TestWindowLayout::nothingOverlapsWithEverythingShown()
{
    AppSettings().setAskBeforeCancelling(false);
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"))->isEnabled(), 15000);
    fillEverything(m_window.get());
    QTRY_VERIFY(m_window->findChild<QLabel*>(QStringLiteral("jobIdMessageLabel"))->isVisible());
    QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("unlockKeyringButton"))->isVisible());
    QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("askingOffNotice"))->isVisible());
    problems(m_window.get()); // the layouts settled
    // Still no taller than the screen, everything shown at once.
    QVERIFY2(
        m_window->minimumSizeHint().height() <= m_window->screen()->availableGeometry().height(),
        qPrintable(
            QStringLiteral("at least %1 px tall with everything shown").arg(m_window->minimumSizeHint().height())));
    for (const QSize size : {m_window->size(), m_window->minimumSizeHint()}) {
        m_window->resize(size);
        QTRY_COMPARE(m_window->size(), size);
        for (QTabWidget* tabs : m_window->findChildren<QTabWidget*>()) {
            for (int i = 0; i < tabs->count(); ++i) {
                tabs->setCurrentIndex(i);
                QStringList found = problems(m_window.get());
                QVERIFY2(found.isEmpty(),
                         qPrintable(QStringLiteral("%1×%2, %3, tab %4:\n")
                                        .arg(size.width())
                                        .arg(size.height())
                                        .arg(tabs->objectName())
                                        .arg(i)
                                    + found.join(u'\n')));
            }
        }
    }
}

int main(int argc, char* argv[])
{
    // Before the application exists: the platform and its screen are chosen once.
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" FTCANCEL_TEST_DATA "/screen-2x.json");
    QApplication app(argc, argv);
    TestWindowLayout test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_windowlayout.moc"
