#include "appinfo.h"
#include "batchmodel.h"
#include "commandline.h"
#include "demo.h"
#include "jobsimulator.h"
#include "mainwindow.h"
#include "secretstore.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <memory>

// Demo mode (ftcancel --demo), as windowmain.cpp starts it: the simulator in this process, a profile per provider,
// and the window on top. It cancels a sample job with no keychain access and no audit line. Run without a session
// bus (no KEYRING): a keychain call would fail and say so in the profile bar, and SecretStore counts every job.
class TestDemo final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void demoOpensTheWindow();
    void demoCancelsASampleJobWithNoKeychainAndNoAuditLine();

private:
    template <typename T> T* child(QWidget* w, const char* name)
    {
        T* found = w->findChild<T*>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }
    static QDialog* confirmDialog(QWidget* w);
    static QString cell(MainWindow* w, const QString& id, int column);
};

namespace {
constexpr int generous = 30000;

QString auditPath()
{
    return qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/io.github.ftcancel.FtCancel/FtCancel/audit.jsonl");
}
} // namespace

void TestDemo::initTestCase()
{
    AppInfo::applyToApplication();
    QVERIFY(!qEnvironmentVariableIsEmpty("XDG_DATA_HOME")); // the test's own, thrown away
    QFile::remove(auditPath());
}

// `ftcancel --demo` is no command: main.cpp loads the window, which starts demo mode.
void TestDemo::demoOpensTheWindow()
{
    QVERIFY(!CommandLine::wantsCommandLine({QStringLiteral("ftcancel"), QStringLiteral("--demo")}));
    QVERIFY(CommandLine::wantsCommandLine({QStringLiteral("ftcancel"), QStringLiteral("list")}));
}

QDialog* TestDemo::confirmDialog(QWidget* w)
{
    for (QDialog* dialog : w->findChildren<QDialog*>(QStringLiteral("confirmDialog"))) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

QString TestDemo::cell(MainWindow* w, const QString& id, int column)
{
    const QAbstractItemModel* model = w->findChild<QTableView*>(QStringLiteral("jobsView"))->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, BatchModel::IdColumn).data().toString() == id)
            return model->index(row, column).data().toString();
    }
    return QStringLiteral("<no row for %1>").arg(id);
}

void TestDemo::demoCancelsASampleJobWithNoKeychainAndNoAuditLine()
{
    // The user's own settings, which demo mode must leave as they are.
    QString userSettingsFile;
    {
        QSettings user;
        user.setValue(QStringLiteral("window/profile"), QStringLiteral("mine"));
        user.sync();
        userSettingsFile = user.fileName();
    }

    Demo demo;
    QString error;
    QVERIFY2(demo.start(&error), qPrintable(error));
    QVERIFY(Demo::isActive());
    JobSimulator* sim = demo.simulator(Provider::OpenAI);
    QVERIFY(sim);
    for (const Provider provider :
         {Provider::OpenAI, Provider::Azure, Provider::Together, Provider::Mistral, Provider::Anthropic}) {
        QVERIFY(demo.simulator(provider));
        QVERIFY2(demo.simulator(provider)->jobCount() >= 6, qPrintable(ProviderInfo::of(provider).key));
    }
    // Two slow to stop, one whose cancel fails, one rate-limited: all of the OpenAI profile's, and none finished.
    QCOMPARE(demo.specialIds().size(), 4);
    for (const QString& id : demo.specialIds()) {
        const SimulatedJob job = sim->job(id);
        const JobSimulator::Phase phase = sim->phaseOf(job.status, job.kind);
        QVERIFY2(phase == JobSimulator::Phase::Running || phase == JobSimulator::Phase::Queued, qPrintable(id));
    }
    QString running;
    for (const QString& id : sim->jobIds()) {
        const SimulatedJob job = sim->job(id);
        if (job.kind == JobKind::FineTuning && sim->phaseOf(job.status) == JobSimulator::Phase::Running
            && !demo.specialIds().contains(id)) {
            running = id;
            break;
        }
    }
    QVERIFY2(!running.isEmpty(), "no plain running sample job");

    auto w = std::make_unique<MainWindow>();
    w->resize(1200, 800);
    w->show();
    QTRY_VERIFY_WITH_TIMEOUT(child<QLineEdit>(w.get(), "apiKeyEdit")->isEnabled(), generous);
    QVERIFY2(w->windowTitle().startsWith(QStringLiteral("DEMO \u2014 ")), qPrintable(w->windowTitle()));
    auto* demoLabel = child<QLabel>(w.get(), "demoLabel");
    QVERIFY(demoLabel->isVisible());
    QCOMPARE(demoLabel->text(), QStringLiteral("DEMO: simulated jobs on this computer; nothing is real"));
    // The made-up key of the OpenAI profile, from memory; the keyring was never asked (there is none to ask: a
    // call would have said "no keyring" here).
    QVERIFY(!child<QLineEdit>(w.get(), "apiKeyEdit")->text().isEmpty());
    const QString state = child<QLabel>(w.get(), "credentialsStateLabel")->text();
    QVERIFY2(!state.contains(QStringLiteral("keyring"), Qt::CaseInsensitive), qPrintable(state));

    // The sample jobs and batches of the OpenAI profile are listed, read from the simulator.
    const QAbstractItemModel* listed = child<QTableView>(w.get(), "accountJobsView")->model();
    QTRY_VERIFY_WITH_TIMEOUT(listed->rowCount() >= 12, generous);
    QVERIFY(sim->listRequestCount(JobKind::FineTuning) >= 1);

    auto* field = child<QLineEdit>(w.get(), "jobIdEdit");
    field->setFocus();
    field->setText(running);
    QTest::keyClick(field, Qt::Key_Return);
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = confirmDialog(w.get())) != nullptr, generous);
    QTest::mouseClick(child<QPushButton>(dialog, "cancelJobsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w.get(), running, BatchModel::OutcomeColumn), QStringLiteral("cancelled"), generous);
    QCOMPARE(sim->phaseOf(sim->job(running).status), JobSimulator::Phase::Cancelled);
    QCOMPARE(sim->cancelRequestCount(running), 1);

    QVERIFY2(!QFile::exists(auditPath()), "demo mode wrote an audit line");
    QCOMPARE(SecretStore::keychainJobCount(), 0);
    QVERIFY(!child<QAction>(w.get(), "actionHistory")->isEnabled());
    QVERIFY(!child<QAction>(w.get(), "openDashboardAction")->isVisible()); // made-up jobs are on no dashboard
    w.reset();

    // The user's settings file holds what it held, and none of the demo's profiles.
    QSettings user(userSettingsFile, QSettings::IniFormat);
    QCOMPARE(user.value(QStringLiteral("window/profile")).toString(), QStringLiteral("mine"));
    QVERIFY(!user.childGroups().contains(QStringLiteral("profiles")));
}

QTEST_MAIN(TestDemo)
#include "tst_demo.moc"
