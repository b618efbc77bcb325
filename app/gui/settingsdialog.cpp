#include "settingsdialog.h"

#include "apiconfig.h"
#include "appsettings.h"
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
    AppSettings settings;
    settings.setBaseUrl(text);
    settings.setTimeoutSeconds(m_ui->timeoutSpin->value());
    settings.setMaxRetries(m_ui->retriesSpin->value());
    settings.setDeadlineSeconds(m_ui->deadlineSpin->value());
    QDialog::accept();
}
