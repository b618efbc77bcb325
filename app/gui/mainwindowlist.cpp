// MainWindow, the account's jobs: read them (on showing the list, F5, a timer), cancel the selection, stop everything
// running, keep the list following the batch; and what is selected in the tab shown (copied, opened, its events).
// mainwindow.cpp builds the window; mainwindowbatch.cpp drives the batch.
#include "mainwindow.h"

#include "accountpane.h"
#include "activitylog.h"
#include "appsettings.h"
#include "cancelspane.h"
#include "demo.h"
#include "eventspane.h"
#include "jobsmodel.h"
#include "jobspanel.h"
#include "providerfacts.h"
#include "stopeverything.h"
#include "ui_mainwindow.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QLocale>
#include <QStatusBar>
#include <QTimer>
#include <algorithm>

bool MainWindow::accountTabShown() const
{
    return m_ui->jobsTabs->currentWidget() == m_ui->accountTab;
}

void MainWindow::accountChanged()
{
    // The list shows one account's jobs: another key, organization, project or host empties it.
    QString error;
    m_ui->jobsPanel->setAccount(currentConfig(&error));
    if (!m_ui->jobsPanel->isReading())
        m_stopEverythingRead = false; // its read was stopped with the account it read
    updateTabTitles();
}

void MainWindow::maybeReadJobs()
{
    // Showing the list reads it once, as opening the dashboard does; after that, F5 (or the timer) reads it again.
    JobsPanel* list = m_ui->jobsPanel;
    if (!accountTabShown() || m_pane->isLoading() || list->isReading() || list->hasRead()
        || list->readError().isError())
        return;
    QString error;
    if (!currentConfig(&error).problem().isEmpty())
        return;
    accountChanged();
    list->refresh(AppSettings().listCap());
}

void MainWindow::refreshJobs()
{
    if (m_pane->isLoading()) {
        statusBar()->showMessage(tr("Credentials are still loading from the keyring; try again in a moment."), 5000);
        return;
    }
    accountChanged();
    if (!m_ui->jobsPanel->isReading())
        m_ui->jobsPanel->refresh(AppSettings().listCap()); // says why on the list's line when it cannot
    m_ui->jobsTabs->setCurrentWidget(m_ui->accountTab);
}

void MainWindow::autoRefresh()
{
    // Paused while a batch runs (or waits for its confirmation): the rows follow the batch meanwhile.
    if (batchBusy() || m_pane->isLoading() || m_ui->jobsPanel->isReading() || m_stopEverythingRead)
        return;
    QString error;
    if (!currentConfig(&error).problem().isEmpty())
        return;
    accountChanged();
    m_ui->jobsPanel->refresh(AppSettings().listCap());
}

void MainWindow::applyAutoRefreshSetting()
{
    const AppSettings settings;
    if (settings.autoRefresh())
        m_autoRefresh->start(settings.autoRefreshSeconds() * 1000);
    else
        m_autoRefresh->stop();
}

void MainWindow::cancelSelected()
{
    if (!accountTabShown()) {
        // Rows of Cancels chosen again: looked up and asked about again, as jobs chosen in the list are.
        QList<JobId::Parsed> ids;
        for (const int row : resendableSelectedRows()) {
            const JobId::Parsed parsed
                = JobId::parse(m_batch->item(row).id, m_pane->provider(), m_batch->item(row).kind);
            if (parsed.isValid())
                ids << parsed;
        }
        if (ids.isEmpty()) {
            statusBar()->showMessage(tr("Nothing to cancel: the jobs selected are cancelled or have finished."), 10000);
            return;
        }
        sendToBatch(ids);
        return;
    }
    // The selection goes to the batch as it is: each job is looked up, and the batch says which have finished (and
    // sends nothing for them). Only what is not a job id at all cannot be handed over.
    const QList<FineTuningJob> selected = m_ui->jobsPanel->selectedJobs();
    QList<JobId::Parsed> ids;
    int invalid = 0;
    for (const FineTuningJob& job : selected) {
        const JobId::Parsed parsed = JobId::parse(job.id, m_pane->provider(), job.kind); // a batch stays a batch
        if (parsed.isValid())
            ids << parsed;
        else
            ++invalid;
    }
    if (invalid > 0)
        m_log->add(tr("%n job(s) of the selection left out: the server listed them with an id that is not a job id.",
                      nullptr, invalid));
    if (ids.isEmpty()) {
        statusBar()->showMessage(selected.isEmpty() ? tr("Select the jobs to cancel first.")
                                                    : tr("Nothing to cancel: the server listed no job id FtCancel "
                                                         "can send."),
                                 10000);
        return;
    }
    sendToBatch(ids);
}

void MainWindow::pauseSelected()
{
    sendSelected(CancelBatch::Action::Pause);
}

void MainWindow::resumeSelected()
{
    sendSelected(CancelBatch::Action::Resume);
}

void MainWindow::sendSelected(CancelBatch::Action action)
{
    if (!accountTabShown() || batchBusy())
        return;
    // Only jobs the provider pauses go: the batch looks each up and skips those not running (or not paused).
    QList<JobId::Parsed> ids;
    for (const FineTuningJob& job : m_ui->jobsPanel->selectedJobs()) {
        const JobId::Parsed parsed = JobId::parse(job.id, m_pane->provider(), job.kind);
        if (parsed.isValid() && ProviderFacts::canPause(m_pane->provider(), job.kind))
            ids << parsed;
    }
    if (ids.isEmpty()) {
        statusBar()->showMessage(action == CancelBatch::Action::Pause
                                     ? tr("Nothing to pause: select running jobs of a provider that pauses them.")
                                     : tr("Nothing to resume: select paused jobs of a provider that pauses them."),
                                 10000);
        return;
    }
    // The batch made for these ids sends the action; the next one made (a cancel) sends cancels again.
    m_action = action;
    sendToBatch(ids);
    m_action = CancelBatch::Action::Cancel;
}

void MainWindow::stopEverything()
{
    if (batchBusy()) {
        statusBar()->showMessage(tr("Jobs are being looked up or cancelled: wait until they are done, or press Stop."),
                                 10000);
        return;
    }
    if (m_pane->isLoading() || m_stopEverythingRead)
        return;
    QString baseUrlError;
    const ApiConfig config = currentConfig(&baseUrlError);
    const QString problem = config.baseUrl.isValid() ? config.problem() : baseUrlError;
    if (!problem.isEmpty()) {
        reportNotSent(problem);
        return;
    }
    // The list shown may be old: what runs now is read first, then every job that has not finished goes through
    // the batch (look-up, the confirmation, the cancels, the watch) like pasted ids.
    m_ui->jobsPanel->abortRead();
    m_ui->jobsPanel->setAccount(config);
    m_log->add(tr("Stop everything running: reading the account's jobs first."));
    m_stopEverythingRead = m_ui->jobsPanel->refresh(AppSettings().listCap());
    m_ui->jobsTabs->setCurrentWidget(m_ui->accountTab);
    updateActions();
}

void MainWindow::onJobsRead(bool ok)
{
    JobsPanel* list = m_ui->jobsPanel;
    updateTabTitles();
    showDetails();
    // Rows that ended show what their jobs are now, beside what became of them.
    if (ok && m_batch)
        m_batch->noteListed(list->model()->jobs());
    if (!m_stopEverythingRead) {
        updateActions();
        return;
    }
    m_stopEverythingRead = false;
    updateActions();
    const StopEverything decided = StopEverything::decide(list->model()->jobs(), list->readError(), list->reachedCap());
    m_log->add(decided.message());
    if (decided.verdict() != StopEverything::Verdict::Cancel) {
        statusBar()->showMessage(decided.message(), 15000);
        return;
    }
    if (const QString capped = decided.capWarning(tr("Settings \u2192 Jobs list")); !capped.isEmpty()) {
        m_log->add(capped);
        statusBar()->showMessage(capped, 15000);
    }
    const QList<FineTuningJob>& jobs = decided.jobs();
    m_stopEverythingRun = true;
    if (!sendListedToBatch(jobs))
        m_stopEverythingRun = false;
}

bool MainWindow::sendListedToBatch(const QList<FineTuningJob>& jobs)
{
    if (m_pane->isLoading() || batchBusy()) {
        addAndStart({}); // says why, and adds nothing
        return false;
    }
    // The jobs just read are their own look-up: the question comes at once, the cancels right after it.
    ensureBatch();
    m_batch->addListed(jobs);
    if (const int refused = int(m_batch->refusedIdRows().size()); refused > 0)
        m_log->add(tr("Stop everything running: %n listed job(s) have an id FtCancel will not send; they are named "
                      "and not sent.",
                      nullptr, refused));
    addAndStart({}, false);
    return m_batch && (m_batch->isRunning() || m_batch->state() == CancelBatch::State::AwaitingConfirmation);
}

bool MainWindow::sendToBatch(const QList<JobId::Parsed>& ids)
{
    if (m_pane->isLoading() || batchBusy()) {
        addAndStart(ids); // says why, and adds nothing
        return false;
    }
    // Jobs chosen again are looked up and asked about again, also those the cancels table lists already.
    ensureBatch();
    QStringList names;
    for (const JobId::Parsed& parsed : ids)
        names << parsed.id;
    if (const int again = m_batch->requeue(names); again > 0)
        m_log->add(tr("%n job(s) listed already will be looked up again.", nullptr, again));
    addAndStart(ids);
    return m_batch && m_batch->isRunning();
}

void MainWindow::updateListedJobs()
{
    if (!m_batch) {
        m_touchedJobs.clear();
        return;
    }
    QList<FineTuningJob> jobs;
    jobs.reserve(m_touchedJobs.size());
    for (const QString& id : std::as_const(m_touchedJobs)) {
        const int row = m_batch->rowOf(id);
        if (row < 0)
            continue;
        const BatchItem& item = m_batch->item(row);
        if (!item.seenStatus.isEmpty())
            continue; // the list has read the job since: it knows better
        // What was seen last: the cancel's answer or the watch's, else the look-up.
        const FineTuningJob& job = item.after().id == id ? item.after() : item.before();
        if (job.id == id)
            jobs << job;
    }
    m_touchedJobs.clear();
    // All at once: the table sorts once for the answers of the last 100 ms, not once for each.
    m_ui->jobsPanel->updateJobs(jobs);
}

// ---- What is selected in the tab shown ----------------------------------------------------------------------

QString MainWindow::selectedJobId(JobKind* kind) const
{
    QString id;
    JobKind jobKind = JobKind::FineTuning;
    if (accountTabShown()) {
        if (const std::optional<FineTuningJob> job = m_ui->jobsPanel->currentJob()) {
            id = job->id;
            jobKind = job->kind;
        }
    } else if (const int row = m_ui->cancelsPane->currentRow(); row >= 0 && m_batch) {
        id = m_batch->item(row).id;
        jobKind = m_batch->item(row).kind;
    }
    if (kind)
        *kind = jobKind;
    // Only a real job id goes to the clipboard or into a URL: the list's ids came from a server.
    const JobId::Parsed parsed = JobId::parse(id, m_pane->provider(), jobKind);
    return parsed.isValid() ? parsed.id : QString();
}

QList<int> MainWindow::resendableSelectedRows() const
{
    QList<int> rows;
    for (const int row : m_ui->cancelsPane->selectedRows()) {
        const BatchItem& item = m_batch->item(row);
        if (item.phase == BatchItem::Phase::Done && item.outcome != Outcome::Cancelled
            && item.outcome != Outcome::AlreadyFinished
            && JobId::parse(item.id, m_pane->provider(), item.kind).isValid())
            rows << row;
    }
    return rows;
}

QStringList MainWindow::selectedJobIds() const
{
    QStringList ids;
    if (accountTabShown()) {
        for (const FineTuningJob& job : m_ui->jobsPanel->selectedJobs())
            ids << job.id;
    } else {
        for (const int row : m_ui->cancelsPane->selectedRows())
            ids << m_batch->item(row).id;
    }
    // Only real job ids go to the clipboard: the list's ids came from a server.
    ids.erase(std::remove_if(ids.begin(), ids.end(),
                             [this](const QString& id) { return !JobId::parse(id, m_pane->provider()).isValid(); }),
              ids.end());
    if (ids.isEmpty()) {
        if (const QString current = selectedJobId(); !current.isEmpty())
            ids << current;
    }
    return ids;
}

void MainWindow::copyJobId()
{
    const QStringList ids = selectedJobIds();
    if (ids.isEmpty())
        return;
    // One id a line, as the job field and `ftcancel cancel -` take them back.
    QGuiApplication::clipboard()->setText(ids.join(u'\n'));
    statusBar()->showMessage(ids.size() == 1 ? tr("Copied %1.").arg(ids.first())
                                             : tr("Copied %n job id(s).", nullptr, int(ids.size())),
                             5000);
}

void MainWindow::openDashboard()
{
    JobKind kind = JobKind::FineTuning;
    const QString id = selectedJobId(&kind);
    if (id.isEmpty() || Demo::isActive()) // demo mode: made-up jobs, on no dashboard (the action is hidden)
        return;
    const QUrl url(ProviderFacts::dashboardUrl(m_pane->provider(), id, kind));
    if (url.isEmpty())
        return; // a provider without a dashboard link: the action is hidden
    if (QDesktopServices::openUrl(url))
        statusBar()->showMessage(tr("Opened %1 in the browser.").arg(url.toString()), 5000);
    else
        statusBar()->showMessage(tr("No browser could be started: open %1 yourself.").arg(url.toString()));
}

void MainWindow::showEvents()
{
    if (m_ui->detailsTabs->currentWidget() != m_ui->eventsTab)
        return;
    JobKind kind = JobKind::FineTuning;
    const QString id = selectedJobId(&kind);
    if (id.isEmpty()) {
        m_ui->eventsPane->clear();
        return;
    }
    QString error;
    m_ui->eventsPane->showJob(currentConfig(&error), id, kind);
}

void MainWindow::updateTabTitles()
{
    // QTabWidget::setTabText lays the tabs out again and repaints the whole tab widget, the table in it too, even for
    // the same text: the summary calls this for every answer of a batch.
    const auto setTitle = [this](QWidget* tab, const QString& title) {
        const int index = m_ui->jobsTabs->indexOf(tab);
        if (m_ui->jobsTabs->tabText(index) != title)
            m_ui->jobsTabs->setTabText(index, title);
    };
    setTitle(m_ui->accountTab,
             m_ui->jobsPanel->hasRead()
                 ? tr("Acco&unt jobs (%1 active)").arg(QLocale().toString(m_ui->jobsPanel->activeCount()))
                 : tr("Acco&unt jobs"));
    const int rows = m_batch ? m_batch->rowCount() : 0;
    setTitle(m_ui->cancelsTab, rows > 0 ? tr("C&ancels (%1)").arg(QLocale().toString(rows)) : tr("C&ancels"));
}
