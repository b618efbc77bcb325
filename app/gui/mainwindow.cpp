#include "mainwindow.h"

#include "accountpane.h"
#include "activitylog.h"
#include "afterfirstframe.h"
#include "appinfo.h"
#include "appsettings.h"
#include "askingoffnotice.h"
#include "auditlog.h"
#include "batchbar.h"
#include "cancelspane.h"
#include "demo.h"
#include "desktopnotifier.h"
#include "detailspane.h"
#include "eventspane.h"
#include "historydialog.h"
#include "jobfieldpane.h"
#include "jobspanel.h"
#include "logpane.h"
#include "logview.h"
#include "outputgate.h"
#include "providerfacts.h"
#include "settingsdialog.h"
#include "ui_mainwindow.h"

#include <QApplication>
#include <QBoxLayout>
#include <QClipboard>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QWindow>

namespace {
constexpr int logLineLimit = 5000;

QString hostOf(const QUrl& url)
{
    return url.port() == -1 ? url.host() : QStringLiteral("%1:%2").arg(url.host()).arg(url.port());
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_ui(std::make_unique<Ui::MainWindow>()),
      m_log(new ActivityLog(logLineLimit, this)),
      m_notifier(new DesktopNotifier(this)),
      m_accountLabel(new QLabel(this)),
      m_listAskingOff(nullptr),
      m_historyRefresh(new QTimer(this)),
      m_autoRefresh(new QTimer(this)),
      m_listUpdate(new QTimer(this)),
      m_eventsUpdate(new QTimer(this))
{
    m_ui->setupUi(this);
    m_pane = m_ui->accountPane;
    setUpPanes();
    connectJobField();
    connectCancels();
    connectJobsList();
    connectAccount();
    connectMenus();
    restoreSize();

    applyColors();
    updateAccount();
    accountChanged();
    applyAutoRefreshSetting();
    updateAskingNotice();
    updateActions();
    updateSummary();
    showDetails();
    m_log->add(tr("%1 %2 started.").arg(AppInfo::displayName(), AppInfo::version()));
    // The account's fields say "Loading credentials…" and stay disabled until the keyring answers; the read itself
    // starts once the window has painted its first frame (showEvent).
}

MainWindow::~MainWindow()
{
    // Whatever is still in flight ends as "stopped", with its audit line; nothing calls back into this window.
    if (m_batch) {
        m_batch->disconnect(this);
        if (m_batch->isRunning())
            m_batch->stop(tr("Outcome unknown: the window was closed while the request was in flight. The job may "
                             "or may not have been cancelled; check it before retrying."));
    }
}

void MainWindow::setUpPanes()
{
    m_pane->setLog(m_log);
    m_ui->jobFieldPane->setLog(m_log);
    m_ui->jobsPanel->setLog(m_log);
    m_ui->eventsPane->setLog(m_log);
    m_ui->logPane->setLog(m_log, logLineLimit);
    m_ui->refreshJobsAction->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_ui->cancelSelectedAction->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_ui->stopEverythingAction->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
    m_ui->jobsPanel->setActions(m_ui->refreshJobsAction, m_ui->cancelSelectedAction, m_ui->stopEverythingAction);
    m_ui->pauseSelectedAction->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_ui->resumeSelectedAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_ui->jobsPanel->setPauseActions(m_ui->pauseSelectedAction, m_ui->resumeSelectedAction);
    m_ui->jobsPanel->setRowActions({m_ui->cancelSelectedAction, m_ui->pauseSelectedAction, m_ui->resumeSelectedAction,
                                    m_ui->copyJobIdAction, m_ui->openDashboardAction});
    // The Cancels table's right-click menu is the list's, plus Check again.
    auto* separator = new QAction(this);
    separator->setSeparator(true);
    // (Pause and Resume act on the list's selection: shown here, enabled on the list's tab.)
    m_ui->cancelsPane->setRowActions({m_ui->cancelSelectedAction, m_ui->pauseSelectedAction, m_ui->resumeSelectedAction,
                                      m_ui->copyJobIdAction, m_ui->openDashboardAction, separator,
                                      m_ui->checkAgainAction});
    for (QLayout* page : {m_ui->accountTabLayout, m_ui->cancelsTabLayout})
        page->setContentsMargins(4, 4, 4, 4);
    setUpListAskingOff();
    // The account's fields, then the job field and its button (the pane's buttons come after those).
    m_ui->jobFieldPane->placeAfter(m_pane->lastField());
    m_accountLabel->setObjectName(QStringLiteral("accountLabel"));
    m_accountLabel->setTextFormat(Qt::PlainText);
    m_accountLabel->setAccessibleName(tr("Account in use"));
    // A gap before it: a long message on the status bar is cut where the account starts, never run into it.
    m_accountLabel->setContentsMargins(2 * m_accountLabel->fontMetrics().averageCharWidth(), 0, 0, 0);
    statusBar()->addPermanentWidget(m_accountLabel);
    if (Demo::isActive()) {
        auto* demoLabel = new QLabel(Demo::statusText(), this);
        demoLabel->setObjectName(QStringLiteral("demoLabel"));
        demoLabel->setTextFormat(Qt::PlainText);
        QFont bold = demoLabel->font();
        bold.setBold(true);
        demoLabel->setFont(bold);
        statusBar()->addPermanentWidget(demoLabel);
        // The history is the audit trail's, which demo mode never touches.
        m_ui->actionHistory->setEnabled(false);
    }
    // Two lines each at the least: with everything shown the window still fits a 2x-scaled 1080p screen and its panel.
    m_ui->detailsPane->setMinimumContentHeight(2 * m_ui->logPane->view()->fontMetrics().lineSpacing());
    m_ui->mainSplitter->setStretchFactor(0, 3);
    m_ui->mainSplitter->setStretchFactor(1, 2);
    m_ui->mainSplitter->setSizes({600, 400}); // in proportion: the table gets the larger part
}

void MainWindow::setUpListAskingOff()
{
    // "Asking is off", where cancels start: beside the job field's button (in its pane) and beside the list's
    // "Cancel selected" (in the panel's tool row, found by name; above the panel should the row ever move).
    m_listAskingOff = new AskingOffNotice(this);
    m_listAskingOff->setObjectName(QStringLiteral("listAskingOffNotice"));
    auto* listTools = m_ui->jobsPanel->findChild<QBoxLayout*>(QStringLiteral("jobsToolLayout"));
    auto* cancelSelectedButton = m_ui->jobsPanel->findChild<QWidget*>(QStringLiteral("cancelSelectedButton"));
    if (listTools && cancelSelectedButton && listTools->indexOf(cancelSelectedButton) >= 0)
        listTools->insertWidget(listTools->indexOf(cancelSelectedButton) + 1, m_listAskingOff);
    else
        m_ui->accountTabLayout->insertWidget(0, m_listAskingOff);
    if (cancelSelectedButton)
        setTabOrder(cancelSelectedButton, m_listAskingOff);
    connect(m_listAskingOff, &AskingOffNotice::turnOnClicked, this, &MainWindow::turnAskingOn);
}

void MainWindow::connectJobField()
{
    // Jobs: the field (Enter, the button), a pasted list, Ctrl+V anywhere, Escape to stop.
    JobFieldPane* field = m_ui->jobFieldPane;
    connect(field, &JobFieldPane::cancelClicked, this, &MainWindow::cancelOrStop);
    connect(field, &JobFieldPane::takeRequested, this, &MainWindow::takeField);
    connect(field, &JobFieldPane::textChanged, this, [this](const QString& text) {
        m_fieldIds.clear();
        if (text.size() <= 4096) {
            for (const JobId::Parsed& parsed : JobId::extract(text, m_pane->provider()).ids)
                m_fieldIds << parsed.id;
        }
        updateActions();
    });
    connect(field, &JobFieldPane::listPasted, this, &MainWindow::pasteIds);
    connect(field, &JobFieldPane::turnAskingOnClicked, this, &MainWindow::turnAskingOn);
    connect(m_ui->actionPasteIds, &QAction::triggered, this,
            [this] { pasteIds(QGuiApplication::clipboard()->text()); });
    auto* focusJobId = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
    connect(focusJobId, &QShortcut::activated, field, &JobFieldPane::focusAndSelect);
    auto* stop = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(stop, &QShortcut::activated, this, &MainWindow::stopBatch);
}

void MainWindow::connectCancels()
{
    BatchBar* bar = m_ui->batchBar;
    connect(bar, &BatchBar::retryFailedClicked, this, &MainWindow::retryFailed);
    connect(bar, &BatchBar::checkAgainClicked, this, &MainWindow::checkAgain);
    connect(m_ui->checkAgainAction, &QAction::triggered, this, &MainWindow::checkAgain);
    connect(bar, &BatchBar::stopClicked, this, &MainWindow::stopBatch);
    connect(bar, &BatchBar::clearClicked, this, &MainWindow::clearJobs);
    connect(bar, &BatchBar::message, this, &MainWindow::showMessage);
    CancelsPane* cancels = m_ui->cancelsPane;
    connect(cancels, &CancelsPane::currentRowChanged, this, &MainWindow::showDetails);
    connect(cancels, &CancelsPane::selectionChanged, this, &MainWindow::updateActions);
    for (const auto changed : {&CancelsPane::rowsChanged, &CancelsPane::rowsReset}) {
        connect(cancels, changed, this, [this] {
            showDetails();
            updateSummary();
            updateActions();
        });
    }
    connect(cancels, &CancelsPane::rowsAdded, this, [this] {
        updateSummary();
        updateActions();
    });
    m_historyRefresh->setSingleShot(true);
    m_historyRefresh->setInterval(300);
    connect(m_historyRefresh, &QTimer::timeout, this, [this] {
        if (m_history)
            m_history->refresh();
    });
}

void MainWindow::connectJobsList()
{
    // The account's jobs: read (F5, on a timer if asked), filtered, selected; cancelled through the same batch.
    JobsPanel* list = m_ui->jobsPanel;
    connect(m_ui->refreshJobsAction, &QAction::triggered, this, &MainWindow::refreshJobs);
    connect(m_ui->cancelSelectedAction, &QAction::triggered, this, &MainWindow::cancelSelected);
    connect(m_ui->pauseSelectedAction, &QAction::triggered, this, &MainWindow::pauseSelected);
    connect(m_ui->resumeSelectedAction, &QAction::triggered, this, &MainWindow::resumeSelected);
    connect(m_ui->stopEverythingAction, &QAction::triggered, this, &MainWindow::stopEverything);
    connect(m_ui->stopEverywhereAction, &QAction::triggered, this, &MainWindow::stopEverywhere);
    connect(m_ui->copyJobIdAction, &QAction::triggered, this, &MainWindow::copyJobId);
    connect(m_ui->detailsPane, &DetailsPane::copyIdClicked, this, &MainWindow::copyJobId);
    connect(m_ui->openDashboardAction, &QAction::triggered, this, &MainWindow::openDashboard);
    connect(m_ui->detailsPane, &DetailsPane::openDashboardClicked, this, &MainWindow::openDashboard);
    connect(list, &JobsPanel::readFinished, this, &MainWindow::onJobsRead);
    connect(list, &JobsPanel::currentJobChanged, this, [this] {
        showDetails();
        updateActions();
    });
    connect(list, &JobsPanel::selectionChanged, this, &MainWindow::updateActions);
    connect(list, &JobsPanel::countsChanged, this, &MainWindow::updateTabTitles);
    connect(list, &JobsPanel::enterPressed, this, &MainWindow::cancelSelected);
    connect(m_ui->jobsTabs, &QTabWidget::currentChanged, this, [this] {
        showDetails();
        updateActions();
        maybeReadJobs();
    });
    connect(m_ui->detailsTabs, &QTabWidget::currentChanged, this, &MainWindow::showEvents);
    auto* find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_ui->jobsTabs->setCurrentWidget(m_ui->accountTab);
        m_ui->jobsPanel->focusFilter();
    });
    m_autoRefresh->setObjectName(QStringLiteral("autoRefreshTimer"));
    connect(m_autoRefresh, &QTimer::timeout, this, &MainWindow::autoRefresh);
    m_listUpdate->setSingleShot(true);
    m_listUpdate->setInterval(100);
    connect(m_listUpdate, &QTimer::timeout, this, &MainWindow::updateListedJobs);
    m_eventsUpdate->setSingleShot(true);
    m_eventsUpdate->setInterval(150);
    connect(m_eventsUpdate, &QTimer::timeout, this, &MainWindow::showEvents);
}

void MainWindow::connectAccount()
{
    // The account: the profile in use and its key (AccountPane), read from the keyring after the first frame.
    connect(m_pane, &AccountPane::accountChanged, this, [this] {
        updateAccount();
        accountChanged();
        updateActions();
    });
    connect(m_pane, &AccountPane::loadingChanged, this, &MainWindow::updateActions);
    connect(m_pane, &AccountPane::loaded, this, &MainWindow::onAccountLoaded);
    connect(m_pane, &AccountPane::profileSwitched, this, &MainWindow::onProfileSwitched);
    connect(m_pane, &AccountPane::message, this, &MainWindow::showMessage);
    connect(m_ui->manageProfilesAction, &QAction::triggered, m_pane, &AccountPane::openProfiles);
}

void MainWindow::connectMenus()
{
    connect(m_ui->logPane, &LogPane::message, this, &MainWindow::showMessage);
    connect(m_ui->actionSaveLog, &QAction::triggered, m_ui->logPane, &LogPane::saveLog);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionHistory, &QAction::triggered, this, &MainWindow::openHistory);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::restoreSize()
{
    // The size the operator left it at, or one that fits the screen (at 2x scaling too).
    const QByteArray geometry = AppSettings().windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        QSize size = sizeHint().expandedTo(QSize(960, 640));
        if (const QScreen* screen = QGuiApplication::primaryScreen())
            size = size.boundedTo(screen->availableGeometry().size() * 9 / 10);
        resize(size.expandedTo(minimumSizeHint()));
    }
}

void MainWindow::showMessage(const QString& text, int timeoutMs)
{
    if (text.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (m_pane->isStarted() || m_firstFrameHook || !windowHandle())
        return;
    // The keyring is read after the first frame: reading it loads libsecret, GIO and GObject and connects to the
    // session bus, some ms that the first frame need not wait for. Queued once more, so that what else waits for
    // the first frame (the window icon, the benchmark's exit hook) goes first. A window shown but not exposed
    // (minimized, on another desktop) reads it after a second all the same.
    m_firstFrameHook
        = new AfterFirstFrame(windowHandle(), [this] { QTimer::singleShot(0, m_pane, &AccountPane::start); });
    QTimer::singleShot(1000, m_pane, &AccountPane::start);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Closing (the window's close button, File → Quit) never stops a batch by accident: it asks first.
    if (m_batch && m_batch->isRunning() && !m_quitting) {
        event->ignore();
        askToQuit();
        return;
    }
    AppSettings().setWindowGeometry(saveGeometry());
    event->accept();
}

void MainWindow::quitNow(const QString& reason)
{
    // Stopped first, so closing finds nothing running to ask about.
    if (m_batch && m_batch->isRunning()) {
        m_log->add(tr("Stopped: %1").arg(reason));
        m_batch->stop(reason);
    } else if (m_batch && m_batch->state() == CancelBatch::State::AwaitingConfirmation) {
        m_batch->decline();
    }
    m_quitting = true;
    if (m_quitQuestion)
        m_quitQuestion->close();
    close();
}

void MainWindow::askToQuit()
{
    if (m_quitQuestion) {
        m_quitQuestion->raise();
        m_quitQuestion->activateWindow();
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Stop and Quit?"),
                                tr("Jobs are being looked up or cancelled. Quitting stops them: what has not been sent "
                                   "is not sent, and a cancel in flight ends \u201Cstopped\u201D (it may or may not "
                                   "have happened)."),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("quitQuestion"));
    QPushButton* stop = box->addButton(tr("Stop and quit"), QMessageBox::DestructiveRole);
    stop->setObjectName(QStringLiteral("stopAndQuitButton"));
    QPushButton* keep = box->addButton(tr("Keep running"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepRunningQuitButton"));
    // Enter and Escape keep the batch running; only a deliberate click (or Space) quits.
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, stop] {
        m_quitQuestion.clear(); // closed: the next close asks again
        if (box->clickedButton() == stop)
            quitNow(tr("Outcome unknown: FtCancel was quit while the request was in flight. The job may or may not "
                       "have been cancelled; check it before retrying."));
    });
    m_quitQuestion = box;
    box->open();
}

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && isActiveWindow())
        updateAskingNotice(); // Settings may have been changed elsewhere (another FtCancel window)
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        // After the children have their new palette too.
        QTimer::singleShot(0, this, &MainWindow::applyColors);
    }
}

// ---- What the window shows ----------------------------------------------------------------------------------

void MainWindow::updateActions()
{
    const bool busy = batchBusy();
    updateFieldButton();
    // The account a batch runs with stays on screen until it ends: no typing over it, no switching, no Forget.
    m_pane->setLocked(busy);
    m_ui->batchBar->updateButtons(busy, m_batch && m_batch->rowCount() > 0 && setupChanged());
    m_ui->checkAgainAction->setEnabled(m_ui->batchBar->canCheckAgain());
    m_ui->checkAgainAction->setToolTip(m_ui->batchBar->checkAgainToolTip());
    updateListActions(busy);
    updateJobActions();
}

void MainWindow::updateFieldButton()
{
    if (m_batch && m_batch->isRunning()) {
        m_ui->jobFieldPane->setButtonText(tr("Stop"), tr("Stop the jobs being looked up or cancelled (Esc)"));
        return;
    }
    const int pending = pendingCount();
    const QString text = pending > 1 ? tr("Cancel %n job(s)", nullptr, pending) : tr("Cancel job");
    m_ui->jobFieldPane->setButtonText(text, text);
}

void MainWindow::updateListActions(bool busy)
{
    // The jobs list: what the selection can become, and "stop everything" unless a batch or its own read runs.
    int activeSelected = 0;
    for (const FineTuningJob& job : m_ui->jobsPanel->selectedJobs())
        activeSelected += job.isTerminal() ? 0 : 1;
    // Only the selection in view: the menu never cancels rows of a tab that is not shown.
    if (accountTabShown()) {
        m_ui->cancelSelectedAction->setEnabled(!busy && !m_pane->isLoading() && activeSelected > 0);
        m_ui->cancelSelectedAction->setToolTip(
            activeSelected > 0
                ? tr("Look up the %n selected job(s) not finished yet and, after you confirm, cancel them (Enter in "
                     "the list)",
                     nullptr, activeSelected)
                : tr("Select jobs that have not finished to cancel them"));
    } else {
        const int resendable = busy ? 0 : int(resendableSelectedRows().size());
        m_ui->cancelSelectedAction->setEnabled(!m_pane->isLoading() && resendable > 0);
        m_ui->cancelSelectedAction->setToolTip(
            resendable > 0
                ? tr("Look up the %n selected job(s) again and, after you confirm, cancel them", nullptr, resendable)
                : tr("Select jobs that are not cancelled or finished to cancel them"));
    }
    // Pause and resume: jobs of the list the provider pauses, running (to pause) or paused (to resume).
    int pausable = 0;
    int resumable = 0;
    for (const FineTuningJob& job : m_ui->jobsPanel->selectedJobs()) {
        if (!ProviderFacts::canPause(m_pane->provider(), job.kind))
            continue;
        pausable += job.statusClass == StatusClass::Active ? 1 : 0;
        resumable += job.statusClass == StatusClass::Paused ? 1 : 0;
    }
    const bool listFree = accountTabShown() && !busy && !m_pane->isLoading();
    m_ui->pauseSelectedAction->setEnabled(listFree && pausable > 0);
    m_ui->resumeSelectedAction->setEnabled(listFree && resumable > 0);
    m_ui->stopEverythingAction->setEnabled(!busy && !m_pane->isLoading() && !m_stopEverythingRead);
    m_ui->stopEverywhereAction->setEnabled(!busy && !m_everywhere);
    m_ui->refreshJobsAction->setEnabled(!m_pane->isLoading());
}

void MainWindow::updateJobActions()
{
    const bool hasJob = !selectedJobId().isEmpty();
    const int copyable = int(selectedJobIds().size());
    m_ui->copyJobIdAction->setText(copyable > 1 ? tr("Copy %n Job &ID(s)", nullptr, copyable) : tr("Copy Job &ID"));
    m_ui->copyJobIdAction->setEnabled(copyable > 0);
    m_ui->openDashboardAction->setEnabled(hasJob);
    // A provider without dashboard links: the action is hidden, not broken.
    // Demo mode: the jobs are made up, no provider's dashboard has them.
    const bool hasDashboard = ProviderFacts::hasDashboard(m_pane->provider()) && !Demo::isActive();
    m_ui->openDashboardAction->setVisible(hasDashboard);
    m_ui->detailsPane->setJobActions(hasJob, hasDashboard);
}

void MainWindow::updateSummary()
{
    m_ui->batchBar->showSummary(m_notSent);
    updateTabTitles();
}

void MainWindow::updateAccount()
{
    QString error;
    const ApiConfig config = m_batch && batchBusy() ? m_batch->config() : currentConfig(&error);
    const ProviderInfo& provider = ProviderInfo::of(config.provider);
    const QString host = config.baseUrl.isValid() ? hostOf(config.baseUrl) : tr("(invalid base URL)");
    // Where requests go, always in sight: "prod (OpenAI) · api.openai.com · org-… · proj_…".
    QString account = config.profileName.isEmpty()
        ? tr("%1 \u00B7 %2").arg(provider.displayName, host)
        : tr("%1 (%2) \u00B7 %3").arg(config.profileName, provider.displayName, host);
    if (provider.hasOrganization) {
        account += QStringLiteral(" \u00B7 ")
            + (config.organization.isEmpty() ? tr("default organization") : config.organization);
        if (!config.project.isEmpty())
            account += QStringLiteral(" \u00B7 ") + config.project;
    }
    account = OutputGate::clean(account, 400);
    const QString title = tr("%1 \u2014 %2").arg(AppInfo::displayName(), account);
    setWindowTitle(Demo::isActive() ? Demo::titlePrefix() + title : title);
    m_accountLabel->setText(account);
    m_accountLabel->setToolTip(
        tr("Requests go to this profile and host, as this organization and project.").toHtmlEscaped());
}

void MainWindow::showDetails()
{
    // The details (and the events) are those of the current row of the tab shown.
    if (!m_eventsUpdate->isActive())
        m_eventsUpdate->start();
    m_ui->detailsPane->setJobActions(!selectedJobId().isEmpty(),
                                     ProviderFacts::hasDashboard(m_pane->provider()) && !Demo::isActive());
    DetailsPane* details = m_ui->detailsPane;
    if (accountTabShown()) {
        QString unused;
        if (const std::optional<FineTuningJob> job = m_ui->jobsPanel->currentJob())
            details->showListedJob(*job, m_pane->provider(), currentConfig(&unused).organization);
        else
            details->showNothing();
        return;
    }
    const int row = m_ui->cancelsPane->currentRow();
    if (row < 0 || !m_batch)
        details->showNothing();
    else
        details->showBatchRow(*m_batch, m_ui->cancelsPane->model(), row, m_notSent);
}

void MainWindow::showFieldMessage(const QStringList& lines, Outcome::Category category)
{
    m_ui->jobFieldPane->showMessage(lines, category);
}

void MainWindow::applyColors()
{
    m_ui->cancelsPane->applyColors();
    m_ui->jobFieldPane->applyColors();
    m_pane->applyColors();
    showDetails();
}

void MainWindow::updateAskingNotice()
{
    const bool off = !AppSettings().askBeforeCancelling();
    m_ui->jobFieldPane->setAskingOffShown(off);
    m_listAskingOff->setVisible(off);
}

void MainWindow::turnAskingOn()
{
    AppSettings().setAskBeforeCancelling(true);
    m_log->add(tr("Asking before cancelling is on again."));
    statusBar()->showMessage(tr("Each cancel is asked about again."), 5000);
    updateAskingNotice();
}

void MainWindow::scheduleHistoryRefresh()
{
    if (m_history && m_history->isVisible() && !m_historyRefresh->isActive())
        m_historyRefresh->start();
}

// ---- The account, settings, about ---------------------------------------------------------------------------

void MainWindow::onAccountLoaded()
{
    accountChanged();
    maybeReadJobs();
    // Put the cursor where the operator's next keystroke belongs.
    if (m_pane->keyIsEmpty())
        m_pane->focusKey();
    else
        m_ui->jobFieldPane->focusField(Qt::OtherFocusReason);
}

void MainWindow::onProfileSwitched(const QString& name)
{
    // What was listed, looked up or cancelled belonged to the other profile: it goes (the history keeps it).
    clearJobs(); // the jobs list empties itself: accountChanged() gives it another account
    m_ui->jobFieldPane->clear();
    if (name.isEmpty())
        m_log->add(tr("No profile in use."));
    updateAccount();
    accountChanged();
    updateActions();
}

void MainWindow::openSettings()
{
    auto* dialog = new SettingsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        m_log->add(tr("Settings changed."));
        updateAskingNotice();
        updateAccount();
        accountChanged();
        applyAutoRefreshSetting();
        updateActions();
    });
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
