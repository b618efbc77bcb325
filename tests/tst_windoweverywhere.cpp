#include "appinfo.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "mainwindow.h"
#include "profilefixture.h"

#include <QAction>
#include <QDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QTreeWidget>

#include <memory>

// Jobs → Stop Everything in Every Profile… in the window: three profiles of three providers (one of them cannot be
// read), one grouped question that defaults to Keep running, and then exactly the active jobs of the readable
// accounts cancelled, each with its own key. Real window, real keyring, simulated APIs on 127.0.0.1.
class TestWindowEverywhere final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void keepRunningIsTheDefaultAndSendsNothing();
    void cancelsInEveryReadableAccountWithItsOwnKey();

private:
    struct Api
    {
        FakeOpenAiServer* server = nullptr;
        JobSimulator* sim = nullptr;
        QString key;
    };
    Api makeApi(Provider provider, const QString& key);
    QDialog* askFromTheWindow();
    int cancelsEverywhere() const;

    Api m_openai;
    Api m_together;
    Api m_mistral;
    QStringList m_active;
    std::unique_ptr<MainWindow> m_window;
};

namespace {
constexpr int generous = 30000;

template <typename T> T* child(QObject* parent, const char* name)
{
    return parent->findChild<T*>(QString::fromLatin1(name));
}
} // namespace

void TestWindowEverywhere::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
}

TestWindowEverywhere::Api TestWindowEverywhere::makeApi(Provider provider, const QString& key)
{
    Api api;
    api.server = new FakeOpenAiServer(this);
    if (!api.server->listen())
        qFatal("cannot listen");
    api.sim = new JobSimulator(api.server, this);
    api.sim->setProvider(provider);
    api.sim->setCancellingReads(0);
    api.key = key;
    api.sim->setExpectedKey(key.toUtf8());
    return api;
}

void TestWindowEverywhere::init()
{
    QString error;
    QVERIFY2(ProfileFixture::removeAll(&error), qPrintable(error));
    QSettings settings;
    for (const QString& group :
         {QStringLiteral("batch"), QStringLiteral("window"), QStringLiteral("jobs"), QStringLiteral("api")})
        settings.remove(group);
    m_openai = makeApi(Provider::OpenAI, QStringLiteral("sk-proj-everywhere-") + QStringLiteral("0123456789OPENAI"));
    m_together = makeApi(Provider::Together, QStringLiteral("tg-everywhere-") + QStringLiteral("0123456789TOGETHER"));
    m_mistral = makeApi(Provider::Mistral, QStringLiteral("mi-everywhere-") + QStringLiteral("0123456789MISTRAL"));
    m_active = m_openai.sim->addMany(2, {{QStringLiteral("running"), 1}})
        + m_openai.sim->addManyBatches(1, {{QStringLiteral("in_progress"), 1}})
        + m_together.sim->addMany(2, {{QStringLiteral("running"), 1}});
    m_openai.sim->addMany(1, {{QStringLiteral("succeeded"), 1}});
    m_mistral.sim->addMany(2, {{QStringLiteral("RUNNING"), 1}});
    m_mistral.sim->failListPage(1, 1000, JobSimulator::serverError(false)); // that account cannot be read
    const QList<std::pair<Profile, const Api*>> profiles{
        {Profile{QStringLiteral("oa-prod"), Provider::OpenAI, m_openai.sim->baseUrl().toString(), {}, {}, {}},
         &m_openai},
        {Profile{QStringLiteral("tg-lab"), Provider::Together, m_together.sim->baseUrl().toString(), {}, {}, {}},
         &m_together},
        {Profile{QStringLiteral("mi-eu"), Provider::Mistral, m_mistral.sim->baseUrl().toString(), {}, {}, {}},
         &m_mistral},
    };
    for (const auto& [profile, api] : profiles)
        QVERIFY2(ProfileFixture::add(profile, api->key, &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitFor([&] { return child<QLineEdit>(m_window.get(), "apiKeyEdit")->isEnabled(); }, 15000));
    for (const Api* api : {&m_openai, &m_together, &m_mistral})
        api->sim->resetCounters();
}

void TestWindowEverywhere::cleanup()
{
    m_window.reset();
    for (Api* api : {&m_openai, &m_together, &m_mistral}) {
        delete api->sim;
        delete api->server;
        *api = Api();
    }
    QString error;
    QVERIFY2(ProfileFixture::removeAll(&error), qPrintable(error));
}

int TestWindowEverywhere::cancelsEverywhere() const
{
    int n = 0;
    for (const Api* api : {&m_openai, &m_together, &m_mistral})
        n += api->sim->requestCount(JobSimulator::RequestKind::Cancel);
    return n;
}

QDialog* TestWindowEverywhere::askFromTheWindow()
{
    auto* action = child<QAction>(m_window.get(), "stopEverywhereAction");
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    QDialog* dialog = nullptr;
    (void)QTest::qWaitFor([&] { return (dialog = child<QDialog>(m_window.get(), "everywhereDialog")) != nullptr; },
                          generous);
    return dialog;
}

void TestWindowEverywhere::keepRunningIsTheDefaultAndSendsNothing()
{
    QDialog* dialog = askFromTheWindow();
    QVERIFY(dialog);
    // Grouped: one line per profile, its jobs under it; the unreadable one said.
    auto* tree = child<QTreeWidget>(dialog, "everywhereJobsView");
    QCOMPARE(tree->topLevelItemCount(), 3);
    QStringList groups;
    int jobs = 0;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        groups << tree->topLevelItem(i)->text(0);
        if (!tree->topLevelItem(i)->text(0).contains(QStringLiteral("not read")))
            jobs += tree->topLevelItem(i)->childCount();
    }
    QCOMPARE(jobs, int(m_active.size()));
    QVERIFY2(groups.join(u'\n').contains(QStringLiteral("mi-eu \u00B7 Mistral AI")), qPrintable(groups.join(u'\n')));
    QVERIFY2(groups.join(u'\n').contains(QStringLiteral("not read")), qPrintable(groups.join(u'\n')));
    QVERIFY(groups.join(u'\n').contains(QStringLiteral("oa-prod \u00B7 OpenAI")));
    auto* keep = child<QPushButton>(dialog, "keepRunningButton");
    QVERIFY(keep->isDefault());
    QVERIFY(!child<QPushButton>(dialog, "cancelJobsButton")->isDefault());
    QTest::keyClick(dialog, Qt::Key_Return); // Enter: the default, Keep running
    QTRY_VERIFY_WITH_TIMEOUT(child<QDialog>(m_window.get(), "everywhereDialog") == nullptr, generous);
    QTest::qWait(200);
    QCOMPARE(cancelsEverywhere(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(child<QAction>(m_window.get(), "stopEverywhereAction")->isEnabled(), generous);
}

void TestWindowEverywhere::cancelsInEveryReadableAccountWithItsOwnKey()
{
    QDialog* dialog = askFromTheWindow();
    QVERIFY(dialog);
    child<QPushButton>(dialog, "cancelJobsButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(cancelsEverywhere(), int(m_active.size()), generous);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->statusBar()->currentMessage().contains(QStringLiteral("oa-prod (OpenAI)")),
                             generous);
    const QString said = m_window->statusBar()->currentMessage();
    QVERIFY2(said.contains(QStringLiteral("oa-prod (OpenAI): 3 cancelled")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("tg-lab (Together AI): 2 cancelled")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("mi-eu (Mistral AI): not read")), qPrintable(said));
    QStringList cancelled;
    for (const Api* api : {&m_openai, &m_together}) {
        for (const SimulatedRequest& request : api->sim->requests(JobSimulator::RequestKind::Cancel)) {
            QCOMPARE(request.header("authorization"), QByteArray("Bearer ") + api->key.toUtf8());
            cancelled << request.jobId;
        }
    }
    cancelled.sort();
    QStringList expected = m_active;
    expected.sort();
    QCOMPARE(cancelled, expected);
    QCOMPARE(m_mistral.sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

QTEST_MAIN(TestWindowEverywhere)
#include "tst_windoweverywhere.moc"
