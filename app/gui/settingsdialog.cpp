#include "settingsdialog.h"

#include "apiconfig.h"
#include "appsettings.h"
#include "cancelbatch.h"
#include "joblister.h"
#include "ui_settingsdialog.h"

#include <QPushButton>

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent), m_ui(std::make_unique<Ui::SettingsDialog>())
{
    m_ui->setupUi(this);
    const AppSettings settings;
    m_ui->baseUrlEdit->setText(settings.baseUrl());
    m_ui->timeoutSpin->setRange(1, ApiConfig::maxTimeoutSeconds);
    m_ui->timeoutSpin->setValue(settings.timeoutSeconds());
    m_ui->retriesSpin->setRange(0, ApiConfig::maxMaxRetries);
    m_ui->retriesSpin->setValue(settings.maxRetries());
    m_ui->deadlineSpin->setRange(1, ApiConfig::maxDeadlineSeconds);
    m_ui->deadlineSpin->setValue(settings.deadlineSeconds());
    m_ui->concurrencySpin->setRange(1, CancelBatch::maxConcurrency);
    m_ui->concurrencySpin->setValue(settings.concurrency());
    m_ui->watchSecondsSpin->setRange(1, AppSettings::maxWatchSeconds);
    m_ui->watchSecondsSpin->setValue(settings.watchSeconds());
    m_ui->watchCheck->setChecked(settings.watchEnabled());
    m_ui->watchSecondsSpin->setEnabled(settings.watchEnabled());
    connect(m_ui->watchCheck, &QCheckBox::toggled, m_ui->watchSecondsSpin, &QWidget::setEnabled);
    m_ui->askCheck->setChecked(settings.askBeforeCancelling());
    m_ui->listCapSpin->setRange(JobLister::pageSize, AppSettings::maxListCap);
    m_ui->listCapSpin->setValue(settings.listCap());
    m_ui->autoRefreshSpin->setRange(AppSettings::minAutoRefreshSeconds, 3600);
    m_ui->autoRefreshSpin->setValue(settings.autoRefreshSeconds());
    m_ui->autoRefreshCheck->setChecked(settings.autoRefresh());
    m_ui->autoRefreshSpin->setEnabled(settings.autoRefresh());
    connect(m_ui->autoRefreshCheck, &QCheckBox::toggled, m_ui->autoRefreshSpin, &QWidget::setEnabled);
    m_ui->caFileEdit->setText(settings.caFile()); // a TLS-inspecting proxy's CAs, on top of the system's
    if (!qEnvironmentVariableIsEmpty("OPENAI_BASE_URL")) {
        m_ui->settingsMessageLabel->setText(tr("OPENAI_BASE_URL is set (%1) and takes precedence over this setting.")
                                                .arg(qEnvironmentVariable("OPENAI_BASE_URL")));
    }
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_ui->buttonBox->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        m_ui->baseUrlEdit->clear();
        m_ui->timeoutSpin->setValue(ApiConfig::defaultTimeoutSeconds);
        m_ui->retriesSpin->setValue(ApiConfig::defaultMaxRetries);
        m_ui->deadlineSpin->setValue(ApiConfig::defaultDeadlineSeconds);
        m_ui->concurrencySpin->setValue(CancelBatch::defaultConcurrency);
        m_ui->watchCheck->setChecked(true);
        m_ui->watchSecondsSpin->setValue(CancelBatch::defaultWatchSeconds);
        m_ui->askCheck->setChecked(true);
        m_ui->listCapSpin->setValue(JobLister::defaultCap);
        m_ui->autoRefreshCheck->setChecked(false);
        m_ui->autoRefreshSpin->setValue(AppSettings::defaultAutoRefreshSeconds);
        m_ui->caFileEdit->clear();
    });
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::accept()
{
    const QString text = m_ui->baseUrlEdit->text().trimmed();
    if (!text.isEmpty()) {
        QString error;
        if (!ApiConfig::parseBaseUrl(text, &error).isValid()) {
            m_ui->settingsMessageLabel->setText(error);
            m_ui->baseUrlEdit->setFocus();
            return;
        }
    }
    const QString caFile = m_ui->caFileEdit->text().trimmed();
    if (!caFile.isEmpty()) {
        QString error;
        ApiConfig::readCaFile(caFile, &error);
        if (!error.isEmpty()) {
            m_ui->settingsMessageLabel->setText(error);
            m_ui->caFileEdit->setFocus();
            return;
        }
    }
    AppSettings settings;
    settings.setBaseUrl(text);
    settings.setCaFile(caFile);
    settings.setTimeoutSeconds(m_ui->timeoutSpin->value());
    settings.setMaxRetries(m_ui->retriesSpin->value());
    settings.setDeadlineSeconds(m_ui->deadlineSpin->value());
    settings.setConcurrency(m_ui->concurrencySpin->value());
    settings.setWatchEnabled(m_ui->watchCheck->isChecked());
    settings.setWatchSeconds(m_ui->watchSecondsSpin->value());
    settings.setAskBeforeCancelling(m_ui->askCheck->isChecked());
    settings.setListCap(m_ui->listCapSpin->value());
    settings.setAutoRefresh(m_ui->autoRefreshCheck->isChecked());
    settings.setAutoRefreshSeconds(m_ui->autoRefreshSpin->value());
    QDialog::accept();
}
