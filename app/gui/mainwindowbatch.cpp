// MainWindow, its batch: the job field's ids, the confirmation, retry, check again, stop, clear, the end of a run.
// mainwindow.cpp builds the window and shows what it knows; mainwindowlist.cpp drives the account's jobs.
#include "mainwindow.h"

#include "accountpane.h"
#include "activitylog.h"
#include "appsettings.h"
#include "batchbar.h"
#include "cancelspane.h"
#include "confirmdialog.h"
#include "demo.h"
#include "desktopnotifier.h"
#include "historydialog.h"
#include "jobfieldpane.h"
#include "jobspanel.h"
#include "outputgate.h"
#include "ui_mainwindow.h"

#include <QStatusBar>
#include <QTimer>
#include <algorithm>

namespace {
constexpr int maxListedRejections = 8;

// Whether a batch made with (was, wasOptions) sends exactly what one made now would.
bool sameSetup(const ApiConfig& was, const CancelBatch::Options& wasOptions, const ApiConfig& now,
               const CancelBatch::Options& nowOptions)
{
    return was.provider == now.provider && was.profileName == now.profileName && was.apiVersion == now.apiVersion
        && was.baseUrl == now.baseUrl && was.apiKey == now.apiKey && was.organization == now.organization
        && was.project == now.project && was.timeoutSeconds == now.timeoutSeconds && was.maxRetries == now.maxRetries
        && was.deadlineSeconds == now.deadlineSeconds && wasOptions.concurrency == nowOptions.concurrency
        && wasOptions.watch == nowOptions.watch && wasOptions.watchSeconds == nowOptions.watchSeconds
        && wasOptions.action == nowOptions.action;
}
} // namespace

// ---- Jobs ---------------------------------------------------------------------------------------------------

bool MainWindow::batchBusy() const
{
    return m_batch && (m_batch->isRunning() || m_batch->state() == CancelBatch::State::AwaitingConfirmation);
}

bool MainWindow::hasWaitingRows() const
{
    if (!m_batch || m_batch->state() == CancelBatch::State::AwaitingConfirmation)
        return false;
    for (int row = 0; row < m_batch->rowCount(); ++row) {
        const BatchItem::Phase phase = m_batch->item(row).phase;
        if (phase == BatchItem::Phase::Waiting || phase == BatchItem::Phase::Ready)
            return true;
    }
    return false;
}

ApiConfig MainWindow::currentConfig(QString* baseUrlError) const
{
    const ApiConfig base = AppSettings().apiConfig(baseUrlError);
    QString profileError;
    const ApiConfig config = m_pane->config(base, &profileError);
    if (baseUrlError && baseUrlError->isEmpty())
        *baseUrlError = profileError;
    return config;
}

CancelBatch::Options MainWindow::currentOptions() const
{
    const AppSettings settings;
    CancelBatch::Options options;
    options.concurrency = settings.concurrency();
    options.watch = settings.watchEnabled();
    options.watchSeconds = settings.watchSeconds();
    options.source = QStringLiteral("window");
    options.audit = !Demo::isActive(); // demo mode: simulated cancels are not history
    options.action = m_action;
    return options;
}

bool MainWindow::setupChanged() const
{
    if (!m_batch)
        return true;
    QString error;
    return !sameSetup(m_batch->config(), m_batch->options(), currentConfig(&error), currentOptions());
}

void MainWindow::ensureBatch()
{
    if (m_batch && (batchBusy() || !setupChanged()))
        return;
    QString error;
    auto* batch = new CancelBatch(currentConfig(&error), currentOptions(), m_log, this);
    CancelBatch* old = m_batch;
    if (old) {
        // The account or a setting changed: each row keeps what became of it, and is looked up again as this
        // account only when the operator starts it.
        batch->takeOver(*old);
        if (old->rowCount() > 0)
            m_log->add(tr("The account or the settings changed: the %n job(s) listed keep what became of them and are "
                          "looked up again, as this account, when you start them.",
                          nullptr, old->rowCount()));
        old->disconnect(this);
    }
    attachBatch(batch);
    if (old)
        old->deleteLater();
}

void MainWindow::attachBatch(CancelBatch* batch)
{
    m_batch = batch;
    m_ui->cancelsPane->setBatch(batch);
    m_ui->batchBar->setBatch(batch);
    connect(batch, &CancelBatch::lookupFinished, this, &MainWindow::onLookupFinished);
    connect(batch, &CancelBatch::finished, this, &MainWindow::onBatchFinished);
    connect(batch, &CancelBatch::retryScheduled, this, &MainWindow::onRetryScheduled);
    connect(batch, &CancelBatch::rateLimitChanged, this, &MainWindow::onRateLimitChanged);
    connect(batch, &CancelBatch::keyRejected, this, &MainWindow::focusKeyField);
    connect(batch, &CancelBatch::itemChanged, this, &MainWindow::scheduleHistoryRefresh);
    m_runRows.clear();
    connect(batch, &CancelBatch::cleared, this, [this] { m_runRows.clear(); });
    connect(batch, &CancelBatch::itemChanged, this, [this, batch](int row) {
        // The rows this run touched: what its notification reports (not every row of the tab).
        m_runRows.insert(row);
        // The jobs list follows what the look-up, the cancel and the watch saw of its jobs.
        if (row < batch->rowCount())
            m_touchedJobs.insert(batch->item(row).id);
        if (!m_listUpdate->isActive())
            m_listUpdate->start();
    });
    connect(batch, &CancelBatch::auditFailed, this, [this](const QString& jobId, const QString& why) {
        // The cancel itself is done; only the record of it is missing (the batch logged it too).
        statusBar()->showMessage(tr("Could not record %1 in the history: %2").arg(jobId, why));
    });
    updateAccount();
    onRateLimitChanged();
}

void MainWindow::takeField()
{
    const QString text = m_ui->jobFieldPane->text();
    if (text.trimmed().isEmpty()) {
        // Nothing typed: jobs waiting (no key before) or listed under another account are started.
        if (!batchBusy() && restartableRows() > 0) {
            m_ui->jobsTabs->setCurrentWidget(m_ui->cancelsTab);
            addAndStart({});
            return;
        }
        if (!batchBusy())
            showFieldMessage({tr("Type or paste a job id (ftjob-\u2026) or a dashboard URL first.")},
                             Outcome::Category::Neutral);
        m_ui->jobFieldPane->focusField();
        return;
    }
    // Everything taken: the field is free for the next ids. Anything refused stays, to be corrected (never a key:
    // the field's KeyRefusingValidator took that out).
    if (takeText(text))
        m_ui->jobFieldPane->clear();
    // The next keystroke belongs in the field, unless what is missing is the key (reportNotSent went there).
    if (!m_pane->keyHasFocus())
        m_ui->jobFieldPane->focusField();
}

void MainWindow::pasteIds(const QString& text)
{
    // The same path as typing the text and pressing Enter; the field keeps what it holds.
    if (text.trimmed().isEmpty()) {
        showFieldMessage({tr("The clipboard holds no text.")}, Outcome::Category::Neutral);
        return;
    }
    takeText(text);
}

bool MainWindow::takeText(const QString& text)
{
    const JobId::Extracted extracted = JobId::extract(text, m_pane->provider());
    QStringList lines;
    for (int i = 0; i < extracted.rejected.size(); ++i) {
        const JobId::Rejected& rejected = extracted.rejected.at(i);
        // Both passed the gate in JobId::extract: a key pasted by mistake is masked.
        m_log->add(tr("Not sent: \u201C%1\u201D is not a job id: %2").arg(rejected.fragment, rejected.reason));
        if (i < maxListedRejections)
            lines << tr("\u201C%1\u201D: %2").arg(rejected.fragment, rejected.reason);
    }
    if (extracted.rejected.size() > maxListedRejections)
        lines << tr("\u2026 and %n more (see the log).", nullptr, int(extracted.rejected.size()) - maxListedRejections);
    for (const JobId::Parsed& parsed : extracted.ids) {
        if (!parsed.warning.isEmpty())
            lines << tr("%1: %2").arg(parsed.id, parsed.warning);
    }
    // What the paste held, in one line first ("30 lines: 20 ids, 2 duplicates, 8 not ids"), the reasons below it.
    if (!lines.isEmpty() || extracted.duplicates > 0)
        lines.prepend(JobId::summary(extracted));
    if (extracted.ids.isEmpty()) {
        if (lines.isEmpty())
            lines << tr("No job id found in that text.");
        showFieldMessage(lines, Outcome::Category::Error);
        return false;
    }
    if (!batchBusy() && !m_pane->isLoading())
        m_ui->jobsTabs->setCurrentWidget(m_ui->cancelsTab); // where the rows appear
    if (!addAndStart(extracted.ids))
        return false; // addAndStart said why
    showFieldMessage(lines, extracted.rejected.isEmpty() ? Outcome::Category::Warning : Outcome::Category::Error);
    return extracted.rejected.isEmpty();
}

bool MainWindow::addAndStart(const QList<JobId::Parsed>& ids, bool wakeCarried)
{
    if (m_pane->isLoading()) {
        showFieldMessage({tr("Credentials are still loading from the keyring; try again in a moment.")},
                         Outcome::Category::Error);
        return false;
    }
    if (batchBusy()) {
        showFieldMessage({tr("Jobs are being looked up or cancelled: add more when they are done, or press Stop.")},
                         Outcome::Category::Warning);
        return false;
    }
    ensureBatch();
    const int first = m_batch->rowCount();
    const int added = m_batch->addIds(ids);
    if (added > 0) {
        m_log->add(tr("Added %n job(s) to the list.", nullptr, added));
        if (!m_ui->cancelsPane->hasCurrentIndex() || added == m_batch->rowCount())
            m_ui->cancelsPane->selectRow(first);
    } else if (!ids.isEmpty()) {
        m_ui->cancelsPane->selectRow(m_batch->rowOf(ids.first().id));
        if (!hasWaitingRows())
            statusBar()->showMessage(tr("Already in the list."), 5000);
    }
    if (wakeCarried)
        m_batch->restartCarried();
    if (!hasWaitingRows()) {
        updateActions();
        return true;
    }
    m_notSent.clear();
    QString baseUrlError;
    const ApiConfig config = currentConfig(&baseUrlError);
    // Validation is the batch's (start()); only a base URL that did not even parse is reported from here.
    const QString problem = config.baseUrl.isValid() ? m_batch->start() : baseUrlError;
    if (!problem.isEmpty()) {
        reportNotSent(problem);
        if (m_batch->isKeyRejected())
            focusKeyField(problem);
        return true; // the rows wait, listed, for a key or a fix
    }
    m_ui->batchBar->runStarted();
    updateActions();
    updateSummary();
    return true;
}

void MainWindow::reportNotSent(const QString& problem)
{
    const QString why = OutputGate::clean(problem, OutputGate::lineBytes);
    m_notSent = tr("Nothing sent: %1").arg(why);
    m_log->add(tr("Not sent: %1").arg(why));
    statusBar()->showMessage(m_notSent, 10000);
    updateSummary();
    updateActions();
    if (m_pane->keyIsEmpty())
        m_pane->focusKey();
}

bool MainWindow::reportCannotSend()
{
    const QString why = m_batch->cannotSend();
    if (why.isEmpty())
        return false;
    reportNotSent(why);
    if (m_batch->isKeyRejected())
        focusKeyField(why);
    return true;
}

void MainWindow::cancelOrStop()
{
    if (m_batch && m_batch->isRunning()) {
        stopBatch();
        return;
    }
    takeField();
}

void MainWindow::stopBatch()
{
    if (!m_batch || !m_batch->isRunning())
        return;
    m_log->add(tr("Stop requested."));
    m_batch->stop();
    updateActions();
    updateSummary();
}

void MainWindow::retryFailed()
{
    if (!m_batch || batchBusy())
        return;
    m_ui->jobsTabs->setCurrentWidget(m_ui->cancelsTab);
    if (setupChanged()) {
        // Not with the account the cancels failed as: a new batch looks the jobs up again, and asks again.
        addAndStart({});
        return;
    }
    if (reportCannotSend())
        return;
    if (m_batch->retryFailed() > 0)
        m_ui->batchBar->runStarted();
    updateActions();
    updateSummary();
}

void MainWindow::checkAgain()
{
    if (!m_batch || batchBusy())
        return;
    m_ui->jobsTabs->setCurrentWidget(m_ui->cancelsTab);
    // The rows selected that ended "cancel requested", else all of them; read as the account in use now.
    const QList<int> checkable = m_batch->checkableRows();
    QList<int> rows;
    for (const int row : m_ui->cancelsPane->selectionRows()) {
        if (checkable.contains(row))
            rows << row;
    }
    QStringList ids;
    for (const int row : rows.isEmpty() ? checkable : rows)
        ids << m_batch->item(row).id;
    ensureBatch();
    rows.clear();
    for (const QString& id : std::as_const(ids))
        rows << m_batch->rowOf(id);
    if (reportCannotSend())
        return;
    m_notSent.clear();
    if (m_batch->checkAgain(rows) > 0)
        m_ui->batchBar->runStarted();
    updateActions();
    updateSummary();
}

void MainWindow::onRateLimitChanged()
{
    m_ui->batchBar->updateRateLimit();
    updateSummary();
}

void MainWindow::onRetryScheduled(int row, int attempt, int maxAttempts, int delayMs, const QString& reason)
{
    if (!m_batch)
        return;
    m_ui->batchBar->retryScheduled(m_batch->item(row).id, attempt, maxAttempts, delayMs, reason);
    updateSummary();
}

void MainWindow::focusKeyField(const QString& why)
{
    // The next keystroke belongs in the key field: nothing more is sent with the key there now.
    statusBar()->showMessage(tr("%1 \u2014 the API key field has the focus: enter another key.")
                                 .arg(OutputGate::clean(why, OutputGate::lineBytes)));
    m_pane->focusKey();
}

void MainWindow::clearJobs()
{
    if (!m_batch || batchBusy())
        return;
    m_batch->clear();
    m_notSent.clear();
    m_ui->batchBar->forgetRun();
    showFieldMessage({}, Outcome::Category::Neutral);
    updateActions();
    updateSummary();
}

void MainWindow::onLookupFinished()
{
    if (!m_batch)
        return;
    // "Stop everything running" always asks, whatever "Don't ask again" said.
    const bool everything = m_stopEverythingRun;
    updateAskingNotice();
    if (!everything && !AppSettings().askBeforeCancelling()) {
        m_log->add(tr("Cancelling without asking: \u201CAsk before cancelling\u201D is off in Settings."));
        m_batch->confirm();
        updateActions();
        updateSummary();
        return;
    }
    auto* dialog = new ConfirmDialog(
        *m_batch, this, everything ? ConfirmDialog::Kind::StopEverything : ConfirmDialog::Kind::ChosenJobs);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<CancelBatch> batch = m_batch;
    connect(dialog, &QDialog::accepted, this, [this, dialog, batch] {
        if (!batch)
            return;
        if (dialog->dontAskAgain()) {
            AppSettings().setAskBeforeCancelling(false);
            m_log->add(tr("From now on, cancels are sent without asking (Settings can turn asking back on)."));
            updateAskingNotice();
        }
        batch->confirm();
        onConfirmationAnswered();
    });
    connect(dialog, &QDialog::rejected, this, [this, batch] {
        if (batch)
            batch->decline();
        onConfirmationAnswered();
    });
    dialog->open();
    updateActions();
    updateSummary();
}

void MainWindow::onConfirmationAnswered()
{
    updateActions();
    updateSummary();
    if (accountTabShown())
        m_ui->jobsPanel->setFocus();
    else
        m_ui->jobFieldPane->focusField();
}

void MainWindow::onBatchFinished()
{
    m_stopEverythingRun = false;
    m_ui->batchBar->runEnded();
    m_listUpdate->stop();
    updateListedJobs();
    updateActions();
    updateSummary();
    showDetails();
    if (m_history)
        m_history->refresh();
    // What this run did, not the whole tab: the rows it touched since the last one ended.
    QList<int> run = m_runRows.values();
    m_runRows.clear();
    std::sort(run.begin(), run.end());
    if (!m_batch || run.isEmpty())
        return;
    const QString summary = m_batch->summary(run);
    if (m_batch->isKeyRejected())
        focusKeyField(tr("The API rejected the key: nothing more was sent with it"));
    else
        statusBar()->showMessage(tr("Done: %1").arg(summary), 10000);
    // Looking elsewhere while it ran: say so on the desktop (not when it ended because FtCancel is quitting).
    if (!isActiveWindow() && !m_quitting) {
        const bool problems = std::any_of(run.cbegin(), run.cend(), [this](int row) {
            return row < m_batch->rowCount()
                && Outcome::category(m_batch->item(row).outcome) == Outcome::Category::Error;
        });
        m_notifier->notify(tr("FtCancel: jobs done"), summary, problems);
    }
}

int MainWindow::pendingCount() const
{
    int count = 0;
    for (const QString& id : m_fieldIds)
        count += !m_batch || m_batch->rowOf(id) < 0 ? 1 : 0;
    return count + restartableRows();
}

int MainWindow::restartableRows() const
{
    if (!m_batch)
        return 0;
    if (m_batch->rowCount() == 0 || !setupChanged())
        return m_batch->startableCount();
    // Under another account (or settings) every listed job that may still be cancelled is looked up again; those
    // already final can only come back as "nothing to cancel", so they are not counted.
    int count = 0;
    for (int row = 0; row < m_batch->rowCount(); ++row) {
        const BatchItem& item = m_batch->item(row);
        if (item.phase != BatchItem::Phase::Done
            || (item.outcome != Outcome::Cancelled && item.outcome != Outcome::AlreadyFinished
                && item.outcome != Outcome::RefusedId && item.outcome != Outcome::Invalid))
            ++count;
    }
    return count;
}
