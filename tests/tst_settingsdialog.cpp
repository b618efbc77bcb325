#include "appinfo.h"
#include "appsettings.h"
#include "settingsdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

// The settings an operator can change, and the base URLs the dialog refuses to keep.
class TestSettingsDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void unsafeBaseUrlIsRefusedAndExplained();
    void validSettingsAreSavedAndRestoreDefaultsWorks();
    void batchSettingsAreSavedAndDefaultToFourWatchingAndAsking();
    void jobsListSettingsDefaultToAThousandAndNoAutoRefresh();
    void caFileIsCheckedBeforeItIsSaved();
};

void TestSettingsDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    AppInfo::applyToApplication();
    qunsetenv("OPENAI_BASE_URL");
}

void TestSettingsDialog::unsafeBaseUrlIsRefusedAndExplained()
{
    SettingsDialog dialog;
    dialog.show();
    auto* url = dialog.findChild<QLineEdit*>(QStringLiteral("baseUrlEdit"));
    url->setText(QStringLiteral("http://proxy.example.com/v1"));
    dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(dialog.isVisible()); // not closed, nothing saved
    const QString message = dialog.findChild<QLabel*>(QStringLiteral("settingsMessageLabel"))->text();
    QVERIFY2(message.contains(QStringLiteral("clear text")), qPrintable(message));
    QCOMPARE(url->text(), QStringLiteral("http://proxy.example.com/v1")); // what was typed is kept
    QCOMPARE(AppSettings().baseUrl(), QString());
}

void TestSettingsDialog::validSettingsAreSavedAndRestoreDefaultsWorks()
{
    {
        SettingsDialog dialog;
        dialog.show();
        dialog.findChild<QLineEdit*>(QStringLiteral("baseUrlEdit"))->setText(QStringLiteral("https://gw.example/v1"));
        dialog.findChild<QSpinBox*>(QStringLiteral("timeoutSpin"))->setValue(30);
        dialog.findChild<QSpinBox*>(QStringLiteral("retriesSpin"))->setValue(5);
        dialog.findChild<QSpinBox*>(QStringLiteral("deadlineSpin"))->setValue(600);
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(!dialog.isVisible());
    }
    const AppSettings settings;
    QCOMPARE(settings.baseUrl(), QStringLiteral("https://gw.example/v1"));
    QCOMPARE(settings.timeoutSeconds(), 30);
    QCOMPARE(settings.maxRetries(), 5);
    QCOMPARE(settings.deadlineSeconds(), 600);
    QString error;
    const ApiConfig config = settings.apiConfig(&error);
    QCOMPARE(config.baseUrl, QUrl(QStringLiteral("https://gw.example/v1")));
    QCOMPARE(config.maxRetries, 5);

    SettingsDialog again;
    again.show();
    QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("retriesSpin"))->value(), 5);
    again.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::RestoreDefaults)->click();
    again.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(AppSettings().baseUrl(), QString());
    QCOMPARE(AppSettings().maxRetries(), ApiConfig::defaultMaxRetries);
    QCOMPARE(AppSettings().deadlineSeconds(), ApiConfig::defaultDeadlineSeconds);
    QCOMPARE(AppSettings().timeoutSeconds(), ApiConfig::defaultTimeoutSeconds);
}

void TestSettingsDialog::batchSettingsAreSavedAndDefaultToFourWatchingAndAsking()
{
    // Nothing saved yet: 4 requests at once, watch for 120 s, ask before cancelling.
    QCOMPARE(AppSettings().concurrency(), 4);
    QVERIFY(AppSettings().watchEnabled());
    QCOMPARE(AppSettings().watchSeconds(), 120);
    QVERIFY(AppSettings().askBeforeCancelling());
    {
        SettingsDialog dialog;
        dialog.show();
        auto* concurrency = dialog.findChild<QSpinBox*>(QStringLiteral("concurrencySpin"));
        auto* watch = dialog.findChild<QCheckBox*>(QStringLiteral("watchCheck"));
        auto* seconds = dialog.findChild<QSpinBox*>(QStringLiteral("watchSecondsSpin"));
        auto* ask = dialog.findChild<QCheckBox*>(QStringLiteral("askCheck"));
        QCOMPARE(concurrency->value(), 4);
        QCOMPARE(concurrency->minimum(), 1);
        QCOMPARE(concurrency->maximum(), 32);
        QVERIFY(watch->isChecked());
        QCOMPARE(seconds->value(), 120);
        QVERIFY(ask->isChecked());
        concurrency->setValue(9);
        seconds->setValue(30);
        QTest::mouseClick(watch, Qt::LeftButton, {}, QPoint(6, watch->height() / 2));
        QVERIFY(!seconds->isEnabled()); // no seconds without watching
        QTest::mouseClick(ask, Qt::LeftButton, {}, QPoint(6, ask->height() / 2));
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    }
    QCOMPARE(AppSettings().concurrency(), 9);
    QVERIFY(!AppSettings().watchEnabled());
    QCOMPARE(AppSettings().watchSeconds(), 30);
    QVERIFY(!AppSettings().askBeforeCancelling());

    SettingsDialog again;
    again.show();
    QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("concurrencySpin"))->value(), 9);
    QVERIFY(!again.findChild<QCheckBox*>(QStringLiteral("watchCheck"))->isChecked());
    QVERIFY(!again.findChild<QCheckBox*>(QStringLiteral("askCheck"))->isChecked());
    again.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::RestoreDefaults)->click();
    again.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(AppSettings().concurrency(), 4);
    QVERIFY(AppSettings().watchEnabled());
    QCOMPARE(AppSettings().watchSeconds(), 120);
    QVERIFY(AppSettings().askBeforeCancelling());

    // Out-of-range values in the file fall back to the defaults.
    QSettings().setValue(QStringLiteral("batch/concurrency"), 99);
    QCOMPARE(AppSettings().concurrency(), 4);
}

void TestSettingsDialog::jobsListSettingsDefaultToAThousandAndNoAutoRefresh()
{
    QCOMPARE(AppSettings().listCap(), 1000);
    QVERIFY(!AppSettings().autoRefresh());
    QCOMPARE(AppSettings().autoRefreshSeconds(), 30);
    {
        SettingsDialog dialog;
        dialog.show();
        auto* cap = dialog.findChild<QSpinBox*>(QStringLiteral("listCapSpin"));
        auto* refresh = dialog.findChild<QCheckBox*>(QStringLiteral("autoRefreshCheck"));
        auto* seconds = dialog.findChild<QSpinBox*>(QStringLiteral("autoRefreshSpin"));
        QCOMPARE(cap->value(), 1000);
        QVERIFY(!refresh->isChecked());
        QVERIFY(!seconds->isEnabled()); // no interval while it is off
        QCOMPARE(seconds->value(), 30);
        cap->setValue(5000);
        QTest::mouseClick(refresh, Qt::LeftButton, {}, QPoint(6, refresh->height() / 2));
        QVERIFY(seconds->isEnabled());
        seconds->setValue(60);
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    }
    QCOMPARE(AppSettings().listCap(), 5000);
    QVERIFY(AppSettings().autoRefresh());
    QCOMPARE(AppSettings().autoRefreshSeconds(), 60);

    SettingsDialog again;
    again.show();
    QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("listCapSpin"))->value(), 5000);
    QVERIFY(again.findChild<QCheckBox*>(QStringLiteral("autoRefreshCheck"))->isChecked());
    again.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::RestoreDefaults)->click();
    again.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(AppSettings().listCap(), 1000);
    QVERIFY(!AppSettings().autoRefresh());
    QCOMPARE(AppSettings().autoRefreshSeconds(), 30);

    // A refresh faster than every 5 s is not taken from the file.
    QSettings().setValue(QStringLiteral("jobs/autoRefreshSeconds"), 1);
    QCOMPARE(AppSettings().autoRefreshSeconds(), 30);
}

void TestSettingsDialog::caFileIsCheckedBeforeItIsSaved()
{
    const QString missing = QStringLiteral(FTCANCEL_TEST_DATA "/no-such-ca.pem");
    const QString ca = QStringLiteral(FTCANCEL_TEST_DATA "/test-ca.crt");
    {
        SettingsDialog dialog;
        dialog.show();
        auto* field = dialog.findChild<QLineEdit*>(QStringLiteral("caFileEdit"));
        QVERIFY(field);
        field->setText(missing);
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(dialog.isVisible()); // refused, nothing saved
        const QString message = dialog.findChild<QLabel*>(QStringLiteral("settingsMessageLabel"))->text();
        QVERIFY2(message.contains(QStringLiteral("does not exist")), qPrintable(message));
        QCOMPARE(AppSettings().caFile(), QString());
        // A FIFO would block the window for ever when opened: refused unopened, and said what it is.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fifo = dir.filePath(QStringLiteral("ca.fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        field->setText(fifo);
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(dialog.isVisible());
        const QString fifoMessage = dialog.findChild<QLabel*>(QStringLiteral("settingsMessageLabel"))->text();
        QVERIFY2(fifoMessage.contains(QStringLiteral("is not a regular file (a FIFO)")), qPrintable(fifoMessage));
        QCOMPARE(AppSettings().caFile(), QString());
        field->setText(ca);
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(!dialog.isVisible());
    }
    QCOMPARE(AppSettings().caFile(), ca);
    QString error;
    QCOMPARE(AppSettings().apiConfig(&error).extraCaCertificates.size(), 1);
    {
        SettingsDialog dialog;
        QCOMPARE(dialog.findChild<QLineEdit*>(QStringLiteral("caFileEdit"))->text(), ca);
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::RestoreDefaults)->click();
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    }
    QCOMPARE(AppSettings().caFile(), QString());
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
