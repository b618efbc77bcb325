#include "mainwindow.h"

#include "activitylog.h"
#include "apiconfig.h"
#include "appinfo.h"
#include "appsettings.h"
#include "auditlog.h"
#include "finetuningclient.h"
#include "historydialog.h"
#include "jobid.h"
#include "jobrequest.h"
#include "outputgate.h"
#include "settingsdialog.h"
#include "ui_mainwindow.h"

#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QMessageBox>
#include <QShortcut>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

namespace {
constexpr int logLineLimit = 5000;
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_ui(std::make_unique<Ui::MainWindow>()),
      m_log(new ActivityLog(logLineLimit, this)),
      m_client(new FineTuningClient(this)),
      m_store(new SecretStore(this)),
      m_countdownTimer(new QTimer(this))
{
    m_ui->setupUi(this);
    setWindowTitle(AppInfo::displayName());
    m_ui->logView->setMaximumBlockCount(logLineLimit);
    m_ui->jobIdMessageLabel->hide();
    // Labels that show what a server or the clipboard sent: never rich text (a status of "<img …>" is a string).
    for (QLabel* label :
         {m_ui->statusLabel, m_ui->statusDetailsLabel, m_ui->jobIdMessageLabel, m_ui->credentialsStateLabel})
        label->setTextFormat(Qt::PlainText);
    m_client->setLog(m_log);

    connect(m_log, &ActivityLog::lineAdded, m_ui->logView, &LogView::appendLine);
    connect(m_log, &ActivityLog::cleared, m_ui->logView, &LogView::clearLines);

    connect(m_ui->cancelButton, &QPushButton::clicked, this, &MainWindow::cancelOrStop);
    m_countdownTimer->setInterval(200);
    connect(m_countdownTimer, &QTimer::timeout, this, &MainWindow::updateCountdown);
    connect(m_ui->jobIdEdit, &QLineEdit::returnPressed, this, [this] {
        // Enter starts a cancel; it never stops one in flight (that takes a deliberate click on Stop).
        if (!m_request)
            startCancel();
    });
    connect(m_ui->jobIdEdit, &QLineEdit::textEdited, this, [this] { showJobIdMessage(QString(), false); });
    auto* focusJobId = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
    connect(focusJobId, &QShortcut::activated, this, [this] {
        m_ui->jobIdEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->jobIdEdit->selectAll();
    });

    connect(m_ui->showKeyButton, &QToolButton::toggled, this, [this](bool show) {
        m_ui->apiKeyEdit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
        m_ui->showKeyButton->setText(show ? tr("&Hide") : tr("S&how"));
        m_ui->showKeyButton->setAccessibleName(show ? tr("Hide API key") : tr("Show API key"));
    });
    for (QLineEdit* edit : {m_ui->apiKeyEdit, m_ui->orgEdit, m_ui->projectEdit})
        connect(edit, &QLineEdit::textChanged, this, &MainWindow::updateCredentialsState);
    connect(m_ui->saveCredentialsButton, &QPushButton::clicked, this, &MainWindow::saveCredentials);
    connect(m_ui->forgetCredentialsButton, &QPushButton::clicked, this, &MainWindow::forgetCredentials);
    connect(m_store, &SecretStore::loaded, this, &MainWindow::onCredentialsLoaded);
    connect(m_store, &SecretStore::saved, this, [this](const SecretStore::Outcome& outcome) {
        m_keychainBusy = false;
        if (outcome.isOk()) {
            m_savedCredentials = credentialsFromFields();
            m_keyringProblem = SecretStore::Status::Ok;
            m_log->add(
                tr("Credentials saved to the keyring (key %1).").arg(OutputGate::maskKey(m_savedCredentials.apiKey)));
            statusBar()->showMessage(tr("Saved to the keyring."), 5000);
        } else {
            onKeychainFailure(outcome, tr("The key will be kept for this session only."));
        }
        updateCredentialsState();
    });
    connect(m_store, &SecretStore::forgotten, this, [this](const SecretStore::Outcome& outcome) {
        m_keychainBusy = false;
        if (outcome.isOk()) {
            m_savedCredentials = Credentials();
            m_keyringProblem = SecretStore::Status::Ok;
            m_ui->apiKeyEdit->clear();
            m_ui->orgEdit->clear();
            m_ui->projectEdit->clear();
            m_log->add(tr("Saved credentials deleted from the keyring."));
            statusBar()->showMessage(tr("Credentials forgotten."), 5000);
        } else {
            onKeychainFailure(outcome, tr("The saved credentials may still be in the keyring."));
        }
        updateCredentialsState();
    });

    connect(m_ui->copyLogButton, &QPushButton::clicked, this, &MainWindow::copyLog);
    connect(m_ui->saveLogButton, &QPushButton::clicked, this, &MainWindow::saveLog);
    connect(m_ui->actionSaveLog, &QAction::triggered, this, &MainWindow::saveLog);
    connect(m_ui->clearLogButton, &QPushButton::clicked, m_log, &ActivityLog::clear);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionHistory, &QAction::triggered, this, &MainWindow::openHistory);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);

    const QByteArray geometry = AppSettings().windowGeometry();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);

    m_ui->statusDetailsLabel->setText(tr("Paste a job id or its dashboard URL and press Cancel job."));
    m_log->add(tr("%1 %2 started.").arg(AppInfo::displayName(), AppInfo::version()));
    setCredentialsLoading(true);
    m_store->load();
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_request)
        m_request->abort();
    AppSettings().setWindowGeometry(saveGeometry());
    event->accept();
}

// ---- Cancelling ---------------------------------------------------------------------------------------------

void MainWindow::cancelOrStop()
{
    if (m_request) {
        m_log->add(tr("Stop requested."));
        m_request->abort();
        return;
    }
    startCancel();
}

void MainWindow::startCancel()
{
    if (m_credentialsLoading) {
        showJobIdMessage(tr("Credentials are still loading from the keyring; try again in a moment."), true);
        return;
    }
    const JobId::Parsed parsed = JobId::parse(m_ui->jobIdEdit->text());
    if (!parsed.isValid()) {
        showJobIdMessage(parsed.error, true);
        m_log->add(tr("Not sent: %1").arg(parsed.error));
        m_ui->jobIdEdit->setFocus();
        return;
    }
    if (m_ui->jobIdEdit->text() != parsed.id) {
        m_log->add(tr("Using job id %1 from the pasted text.").arg(parsed.id));
        m_ui->jobIdEdit->setText(parsed.id);
    }
    showJobIdMessage(parsed.warning, false);

    const Credentials credentials = credentialsFromFields();
    QString baseError;
    ApiConfig config = AppSettings().apiConfig(&baseError);
    config.apiKey = credentials.apiKey;
    config.organization = credentials.organization;
    config.project = credentials.project;
    const QString problem = config.baseUrl.isValid() ? config.problem() : baseError;
    if (!problem.isEmpty()) {
        JobResult refused;
        refused.requestedId = parsed.id;
        refused.error = ApiError::input(problem);
        m_log->add(tr("Not sent: %1").arg(problem));
        showResult(refused);
        if (config.apiKey.isEmpty())
            m_ui->apiKeyEdit->setFocus();
        return;
    }

    m_log->addSecret(config.apiKey);
    m_client->setConfig(config);
    m_log->add(tr("Cancelling %1…").arg(parsed.id));
    m_request = m_client->cancelJob(parsed);
    connect(m_request, &JobRequest::finished, this, &MainWindow::onCancelFinished);
    connect(m_request, &JobRequest::retryScheduled, this, &MainWindow::onRetryScheduled);
    setBusy(true);
    m_ui->statusLabel->setStyleSheet(QString());
    m_ui->statusLabel->setText(tr("Cancelling…"));
    m_ui->statusDetailsLabel->setText(tr("Waiting for the API to answer about %1.").arg(parsed.id));
}

void MainWindow::onRetryScheduled(int attempt, int maxAttempts, int delayMs, const QString& reason)
{
    m_retryAt.setRemainingTime(delayMs);
    m_retryText
        = tr("Attempt %1 of %2 next, because of: %3. Press Stop to give up.").arg(attempt).arg(maxAttempts).arg(reason);
    updateCountdown();
    m_countdownTimer->start();
}

void MainWindow::updateCountdown()
{
    const qint64 remaining = m_retryAt.remainingTime();
    if (remaining <= 0) {
        m_countdownTimer->stop();
        m_ui->statusLabel->setText(tr("Cancelling…"));
        return;
    }
    m_ui->statusLabel->setText(tr("Retrying in %1 s…").arg((remaining + 999) / 1000));
    m_ui->statusDetailsLabel->setText(m_retryText);
}

void MainWindow::onCancelFinished(const JobResult& result)
{
    m_countdownTimer->stop();
    m_request = nullptr;
    setBusy(false);
    showResult(result);
    recordAttempt(result);
}

void MainWindow::recordAttempt(const JobResult& result)
{
    if (!AuditEntry::isAttempt(result))
        return; // refused before anything was sent
    // The configuration the request was made with: the client holds it until the next cancel starts.
    const AuditEntry entry = AuditEntry::fromResult(result, m_client->config(), QStringLiteral("window"));
    QString error;
    if (!AuditLog().append(entry, &error)) {
        // The cancel itself is done; only the record of it is missing, so say so and carry on.
        const QString message = tr("Could not record this attempt in the history: %1").arg(error);
        statusBar()->showMessage(message);
        m_log->add(message);
        return;
    }
    if (m_history)
        m_history->refresh();
}

void MainWindow::setBusy(bool busy)
{
    m_ui->cancelButton->setText(busy ? tr("Stop") : tr("Cancel job"));
    m_ui->cancelButton->setAccessibleName(busy ? tr("Stop the request") : tr("Cancel job"));
    m_ui->jobIdEdit->setReadOnly(busy);
    // The account a request was sent with stays on screen until it ends: no typing over it, no Forget.
    for (QLineEdit* edit : {m_ui->apiKeyEdit, m_ui->orgEdit, m_ui->projectEdit})
        edit->setReadOnly(busy);
    updateCredentialsState();
}

void MainWindow::showResult(const JobResult& result)
{
    // Everything the server sent passes the output gate before it is shown.
    const auto gate = [](const QString& text) {
        return OutputGate::clean(text);
    };
    QStringList details;
    const QString requestIdText
        = result.requestId.isEmpty() ? QString() : tr("Request id: %1").arg(gate(result.requestId));
    const QString requestedId = gate(result.requestedId);
    if (result.isOk()) {
        const FineTuningJob& job = result.job;
        const QString status = gate(job.status);
        m_ui->statusLabel->setText(status);
        m_ui->statusLabel->setStyleSheet(result.isCancelled() ? QStringLiteral("color: #1b7f3b;")
                                                              : QStringLiteral("color: #a15c00;"));
        details << tr("Job: %1").arg(job.id.isEmpty() ? requestedId : gate(job.id));
        if (!job.model.isEmpty())
            details << tr("Model: %1").arg(gate(job.model));
        if (!requestIdText.isEmpty())
            details << requestIdText;
        QString text = details.join(QStringLiteral("\n"));
        if (!result.isCancelled()) {
            text += QStringLiteral("\n\n")
                + tr("The API answered with status \u201C%1\u201D, not \u201Ccancelled\u201D. Cancellation may take a "
                     "moment; check the job again shortly.")
                      .arg(status);
        }
        m_ui->statusDetailsLabel->setText(text);
        statusBar()->showMessage(tr("%1: %2").arg(requestedId, status), 10000);
        return;
    }

    const ApiError& error = result.error;
    QString headline;
    switch (error.kind) {
    case ApiError::Kind::Http:
        headline = tr("HTTP %1 error").arg(error.httpStatus);
        break;
    case ApiError::Kind::Network:
        headline = tr("Network error");
        break;
    case ApiError::Kind::Timeout:
        headline = tr("Timed out");
        break;
    case ApiError::Kind::Stopped:
        headline = tr("Stopped");
        break;
    case ApiError::Kind::BadResponse:
        headline = tr("Unexpected response");
        break;
    case ApiError::Kind::Input:
        headline = tr("Not sent");
        break;
    case ApiError::Kind::Keychain:
    case ApiError::Kind::None:
        headline = tr("Error");
        break;
    }
    m_ui->statusLabel->setText(headline);
    m_ui->statusLabel->setStyleSheet(QStringLiteral("color: #b3261e;"));
    details << OutputGate::clean(error.message, OutputGate::lineBytes);
    if (!result.requestedId.isEmpty())
        details << tr("Job: %1").arg(requestedId);
    if (!requestIdText.isEmpty())
        details << requestIdText;
    m_ui->statusDetailsLabel->setText(details.join(QStringLiteral("\n")));
    statusBar()->showMessage(headline, 10000);
}

void MainWindow::showJobIdMessage(const QString& text, bool isError)
{
    // The reason may quote what was pasted (a key, a line with escape sequences): through the gate.
    m_ui->jobIdMessageLabel->setText(OutputGate::clean(text, OutputGate::lineBytes));
    m_ui->jobIdMessageLabel->setStyleSheet(isError ? QStringLiteral("color: #b3261e;")
                                                   : QStringLiteral("color: #a15c00;"));
    m_ui->jobIdMessageLabel->setVisible(!text.isEmpty());
}

// ---- Credentials --------------------------------------------------------------------------------------------

Credentials MainWindow::credentialsFromFields() const
{
    Credentials c;
    c.apiKey = m_ui->apiKeyEdit->text().trimmed();
    c.organization = m_ui->orgEdit->text().trimmed();
    c.project = m_ui->projectEdit->text().trimmed();
    return c;
}

void MainWindow::setCredentialsLoading(bool loading)
{
    m_credentialsLoading = loading;
    for (QWidget* w : {static_cast<QWidget*>(m_ui->apiKeyEdit), static_cast<QWidget*>(m_ui->orgEdit),
                       static_cast<QWidget*>(m_ui->projectEdit), static_cast<QWidget*>(m_ui->showKeyButton)})
        w->setEnabled(!loading);
    updateCredentialsState();
}

void MainWindow::onCredentialsLoaded(const Credentials& credentials, const SecretStore::Outcome& outcome)
{
    if (outcome.isOk()) {
        m_savedCredentials = credentials;
        m_ui->apiKeyEdit->setText(credentials.apiKey);
        m_ui->orgEdit->setText(credentials.organization);
        m_ui->projectEdit->setText(credentials.project);
        m_log->addSecret(credentials.apiKey);
        m_log->add(tr("Credentials loaded from the keyring (key %1).").arg(OutputGate::maskKey(credentials.apiKey)));
    } else if (outcome.status == SecretStore::Status::NotFound) {
        m_log->add(tr("No credentials saved in the keyring yet."));
    } else {
        onKeychainFailure(outcome, tr("The key will be kept for this session only."));
    }
    setCredentialsLoading(false);
    // Put the cursor where the operator's next keystroke belongs.
    if (m_ui->apiKeyEdit->text().isEmpty())
        m_ui->apiKeyEdit->setFocus(Qt::OtherFocusReason);
    else
        m_ui->jobIdEdit->setFocus(Qt::OtherFocusReason);
}

// The store says what happened to the keyring; the window adds what that means here (consequence).
void MainWindow::onKeychainFailure(const SecretStore::Outcome& outcome, const QString& consequence)
{
    m_keyringProblem = outcome.status;
    const QString message = OutputGate::clean(outcome.message + u' ' + consequence, OutputGate::lineBytes);
    statusBar()->showMessage(message);
    m_log->add(message);
}

void MainWindow::saveCredentials()
{
    const Credentials c = credentialsFromFields();
    if (c.apiKey.isEmpty()) {
        statusBar()->showMessage(tr("Enter an API key to save."), 5000);
        m_ui->apiKeyEdit->setFocus();
        return;
    }
    ApiConfig check;
    check.apiKey = c.apiKey;
    check.organization = c.organization;
    check.project = c.project;
    if (const QString problem = check.problem(); !problem.isEmpty()) {
        statusBar()->showMessage(OutputGate::clean(problem, OutputGate::lineBytes), 10000);
        return;
    }
    m_keychainBusy = true;
    updateCredentialsState();
    m_log->addSecret(c.apiKey);
    m_store->save(c);
}

void MainWindow::forgetCredentials()
{
    m_keychainBusy = true;
    updateCredentialsState();
    m_store->forget();
}

void MainWindow::updateCredentialsState()
{
    const Credentials fields = credentialsFromFields();
    QString state;
    if (m_credentialsLoading)
        state = tr("Loading credentials\u2026");
    else if (m_keychainBusy)
        state = tr("Talking to the keyring\u2026");
    else if (m_keyringProblem == SecretStore::Status::Locked)
        state = tr("Keyring locked: unlock it and try again; until then the key is kept for this session only");
    else if (m_keyringProblem == SecretStore::Status::Unavailable)
        state = tr("Session only: no keyring, nothing is stored");
    else if (m_keyringProblem != SecretStore::Status::Ok)
        state = tr("Session only: the keyring failed (see the log)");
    else if (fields.isEmpty() && m_savedCredentials.isEmpty())
        state = tr("Nothing saved");
    else if (fields == m_savedCredentials)
        state = tr("Saved in the keyring");
    else
        state = tr("Not saved");
    m_ui->credentialsStateLabel->setText(state);
    const bool idle = !m_credentialsLoading && !m_keychainBusy && !m_request;
    m_ui->saveCredentialsButton->setEnabled(idle && !fields.apiKey.isEmpty() && fields != m_savedCredentials);
    m_ui->forgetCredentialsButton->setEnabled(idle);
}

// ---- Log, settings, about -----------------------------------------------------------------------------------

void MainWindow::copyLog()
{
    QGuiApplication::clipboard()->setText(m_log->text());
    statusBar()->showMessage(tr("Log copied (%n line(s)).", nullptr, int(m_log->lines().size())), 5000);
}

void MainWindow::saveLog()
{
    // A non-blocking dialog: the window keeps running (and a request keeps finishing) while it is open.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto* dialog = new QFileDialog(this, tr("Save Log"), QDir(dir).filePath(QStringLiteral("ftcancel-log.txt")),
                                   tr("Text files (*.txt);;All files (*)"));
    dialog->setObjectName(QStringLiteral("saveLogDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("txt"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        QString error;
        if (m_log->saveTo(path, &error)) {
            statusBar()->showMessage(tr("Log saved to %1.").arg(QDir::toNativeSeparators(path)), 10000);
        } else {
            const QString message = tr("Could not save the log to %1: %2").arg(QDir::toNativeSeparators(path), error);
            statusBar()->showMessage(message);
            m_log->add(message);
        }
    });
    dialog->open();
}

void MainWindow::openSettings()
{
    auto* dialog = new SettingsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] { m_log->add(tr("Settings changed.")); });
    dialog->open();
}

void MainWindow::openHistory()
{
    // One history window, non-modal: the operator can keep cancelling while it is open.
    if (!m_history) {
        m_history = new HistoryDialog(AuditLog::defaultPath(), this);
        m_history->setAttribute(Qt::WA_DeleteOnClose);
    } else {
        m_history->refresh();
    }
    m_history->show();
    m_history->raise();
    m_history->activateWindow();
}

void MainWindow::showAbout()
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("About FtCancel"),
                                tr("<b>%1 %2</b><p>Cancel OpenAI fine-tuning jobs. The API key is kept in the system "
                                   "keyring and never written to a file.</p>")
                                    .arg(AppInfo::displayName(), AppInfo::version()),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}
