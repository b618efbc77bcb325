#include "mainwindow.h"

#include "accountjobsproxymodel.h"
#include "accountpane.h"
#include "activitylog.h"
#include "afterfirstframe.h"
#include "apiconfig.h"
#include "appinfo.h"
#include "appsettings.h"
#include "askingoffnotice.h"
#include "auditlog.h"
#include "batchmodel.h"
#include "confirmdialog.h"
#include "desktopnotifier.h"
#include "displaytext.h"
#include "eventspane.h"
#include "historydialog.h"
#include "jobid.h"
#include "jobsmodel.h"
#include "jobspanel.h"
#include "jobsproxymodel.h"
#include "keyrefusingvalidator.h"
#include "outputgate.h"
#include "providerfacts.h"
#include "settingsdialog.h"
#include "statuscolors.h"
#include "stopeverything.h"
#include "ui_mainwindow.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QScreen>
#include <QShortcut>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QWindow>

namespace {
constexpr int logLineLimit = 5000;
constexpr int maxListedRejections = 8;
constexpr int fieldChars = 200;
constexpr int tickMs = 250;

QString hostOf(const QUrl& url)
{
    return url.port() == -1 ? url.host() : QStringLiteral("%1:%2").arg(url.host()).arg(url.port());
}

// Whether a batch made with (was, wasOptions) sends exactly what one made now would.
bool sameSetup(const ApiConfig& was, const CancelBatch::Options& wasOptions, const ApiConfig& now,
               const CancelBatch::Options& nowOptions)
{
    return was.provider == now.provider && was.profileName == now.profileName && was.apiVersion == now.apiVersion
        && was.baseUrl == now.baseUrl && was.apiKey == now.apiKey && was.organization == now.organization
        && was.project == now.project && was.timeoutSeconds == now.timeoutSeconds && was.maxRetries == now.maxRetries
        && was.deadlineSeconds == now.deadlineSeconds && wasOptions.concurrency == nowOptions.concurrency
        && wasOptions.watch == nowOptions.watch && wasOptions.watchSeconds == nowOptions.watchSeconds;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_ui(std::make_unique<Ui::MainWindow>()),
      m_log(new ActivityLog(logLineLimit, this)),
      m_model(new BatchModel(this)),
      m_proxy(new JobsProxyModel(this)),
      m_jobsPanel(nullptr),
      m_notifier(new DesktopNotifier(this)),
      m_accountLabel(new QLabel(this)),
      m_listAskingOff(nullptr),
      m_tick(new QTimer(this)),
      m_historyRefresh(new QTimer(this)),
      m_autoRefresh(new QTimer(this)),
      m_listUpdate(new QTimer(this)),
      m_eventsUpdate(new QTimer(this))
{
    m_ui->setupUi(this);
    m_pane = m_ui->accountPane;
    m_pane->setLog(m_log);
    m_jobsPanel = m_ui->jobsPanel;
    m_jobsPanel->setLog(m_log);
    m_ui->eventsPane->setLog(m_log);
    m_ui->refreshJobsAction->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_ui->cancelSelectedAction->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_ui->stopEverythingAction->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
    m_jobsPanel->setActions(m_ui->refreshJobsAction, m_ui->cancelSelectedAction, m_ui->stopEverythingAction);
    m_jobsPanel->setRowActions({m_ui->cancelSelectedAction, m_ui->copyJobIdAction, m_ui->openDashboardAction});
    for (QLayout* page : {m_ui->accountTabLayout, m_ui->cancelsTabLayout})
        page->setContentsMargins(4, 4, 4, 4);
    // "Asking is off", where cancels start: beside the job field's button (in the form) and beside the list's
    // "Cancel selected" (in the panel's tool row, found by name; above the panel should the row ever move).
    m_listAskingOff = new AskingOffNotice(this);
    m_listAskingOff->setObjectName(QStringLiteral("listAskingOffNotice"));
    auto* listTools = m_jobsPanel->findChild<QBoxLayout*>(QStringLiteral("jobsToolLayout"));
    auto* cancelSelectedButton = m_jobsPanel->findChild<QWidget*>(QStringLiteral("cancelSelectedButton"));
    if (listTools && cancelSelectedButton && listTools->indexOf(cancelSelectedButton) >= 0)
        listTools->insertWidget(listTools->indexOf(cancelSelectedButton) + 1, m_listAskingOff);
    else
        m_ui->accountTabLayout->insertWidget(0, m_listAskingOff);
    for (AskingOffNotice* notice : {m_ui->askingOffNotice, m_listAskingOff})
        connect(notice, &AskingOffNotice::turnOnClicked, this, &MainWindow::turnAskingOn);
    // The account's fields, then the job field and its button (the pane's buttons come after those).
    setTabOrder(m_pane->lastField(), m_ui->jobIdEdit);
    setTabOrder(m_ui->jobIdEdit, m_ui->cancelButton);
    setTabOrder(m_ui->cancelButton, m_ui->askingOffNotice);
    if (cancelSelectedButton)
        setTabOrder(cancelSelectedButton, m_listAskingOff);
    m_ui->logView->setMaximumBlockCount(logLineLimit);
    // Problems with what was pasted: a few lines under the field, scrolling when there are more, so a long list of
    // refusals never pushes the window past the screen.
    m_ui->jobIdMessageScroll->hide();
    m_ui->jobIdMessageScroll->viewport()->setAutoFillBackground(false);
    m_ui->jobIdMessageLabel->setAutoFillBackground(false);
    m_messageMaxHeight = 2 * m_ui->jobIdMessageLabel->fontMetrics().lineSpacing() + 4;
    QFont headline = m_ui->statusLabel->font();
    headline.setBold(true);
    headline.setPointSizeF(headline.pointSizeF() * 1.25);
    m_ui->statusLabel->setFont(headline);
    m_accountLabel->setObjectName(QStringLiteral("accountLabel"));
    m_accountLabel->setTextFormat(Qt::PlainText);
    m_accountLabel->setAccessibleName(tr("Account in use"));
    // A gap before it: a long message on the status bar is cut where the account starts, never run into it.
    m_accountLabel->setContentsMargins(2 * m_accountLabel->fontMetrics().averageCharWidth(), 0, 0, 0);
    statusBar()->addPermanentWidget(m_accountLabel);

    // A long rate limit holds the whole batch: until when, and the operator's choice, in the summary line's place
    // (a row of its own would not fit a 2x-scaled laptop screen with everything else shown).
    m_rateLimitBar = new QFrame(m_ui->jobsPane);
    m_rateLimitBar->setObjectName(QStringLiteral("rateLimitBar"));
    auto* barLayout = new QHBoxLayout(m_rateLimitBar);
    barLayout->setContentsMargins(0, 0, 0, 0);
    m_rateLimitLabel = new QLabel(m_rateLimitBar);
    m_rateLimitLabel->setObjectName(QStringLiteral("rateLimitLabel"));
    m_rateLimitLabel->setTextFormat(Qt::PlainText);
    m_rateLimitLabel->setAccessibleName(tr("Rate limit"));
    m_retryNowButton = new QPushButton(tr("Retry now"), m_rateLimitBar);
    m_retryNowButton->setObjectName(QStringLiteral("retryNowButton"));
    m_retryNowButton->setToolTip(tr("Send what is held now, before the time the API asked for"));
    m_rateLimitStopButton = new QPushButton(tr("Stop"), m_rateLimitBar);
    m_rateLimitStopButton->setObjectName(QStringLiteral("rateLimitStopButton"));
    m_rateLimitStopButton->setToolTip(tr("Send nothing more: the jobs not cancelled yet keep running"));
    barLayout->addWidget(m_rateLimitLabel, 1);
    barLayout->addWidget(m_retryNowButton);
    barLayout->addWidget(m_rateLimitStopButton);
    m_ui->batchButtonsLayout->insertWidget(m_ui->batchButtonsLayout->indexOf(m_ui->summaryLabel), m_rateLimitBar, 1);
    m_rateLimitBar->hide();
    // Check again: rows that ended "cancel requested" are read and watched again (never cancelled again).
    m_checkAgainButton = new QPushButton(tr("Check again"), m_ui->jobsPane);
    m_checkAgainButton->setObjectName(QStringLiteral("checkAgainButton"));
    m_ui->batchButtonsLayout->insertWidget(m_ui->batchButtonsLayout->indexOf(m_ui->clearJobsButton),
                                           m_checkAgainButton);
    m_checkAgainAction = new QAction(tr("Check Again"), this);
    m_checkAgainAction->setObjectName(QStringLiteral("checkAgainAction"));
    // The Cancels table's right-click menu is the list's, plus Check again.
    auto* separator = new QAction(this);
    separator->setSeparator(true);
    m_ui->jobsView->addActions(
        {m_ui->cancelSelectedAction, m_ui->copyJobIdAction, m_ui->openDashboardAction, separator, m_checkAgainAction});
    m_ui->jobsView->setContextMenuPolicy(Qt::ActionsContextMenu);

    // The jobs table: one row per job, no widget per row; the model batches its updates.
    m_proxy->setSourceModel(m_model);
    m_ui->jobsView->setModel(m_proxy);
    QHeaderView* header = m_ui->jobsView->horizontalHeader();
    header->setSortIndicator(-1, Qt::AscendingOrder); // the order pasted, until a column is clicked
    header->setSectionResizeMode(QHeaderView::Interactive);
    // What became of a job comes right after its id, where a narrow window still shows it.
    header->moveSection(header->visualIndex(BatchModel::OutcomeColumn), 1);
    const QFontMetrics metrics(m_ui->jobsView->font());
    const int padding = metrics.horizontalAdvance(QStringLiteral("MM"));
    const auto widthOf = [&metrics, padding](const QString& sample) {
        return metrics.horizontalAdvance(sample) + padding;
    };
    m_ui->jobsView->setColumnWidth(BatchModel::IdColumn, widthOf(QStringLiteral("ftjob-abcdefghijklmnopqrstuvwx")));
    m_ui->jobsView->setColumnWidth(BatchModel::StatusColumn, widthOf(QStringLiteral("running \u2192 cancelled")));
    m_ui->jobsView->setColumnWidth(BatchModel::ModelColumn, widthOf(QStringLiteral("gpt-4o-mini-2024-07-18")));
    // As BatchModel writes times: the locale's short date and time.
    const QString sampleTime
        = QLocale().toString(QDateTime(QDate(2024, 12, 31), QTime(23, 59, 59)), QLocale::ShortFormat);
    m_ui->jobsView->setColumnWidth(BatchModel::CreatedColumn, widthOf(sampleTime));
    m_ui->jobsView->setColumnWidth(BatchModel::FinishColumn, widthOf(QLatin1Char('~') + sampleTime));
    m_ui->jobsView->setColumnWidth(BatchModel::OutcomeColumn, widthOf(QStringLiteral("nothing to cancel")));
    QHeaderView* rows = m_ui->jobsView->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(metrics.height() + 6);
    // The big panes take what is left, down to a few lines each: the window fits small (and 2x scaled) screens.
    m_ui->jobsView->setMinimumHeight(header->sizeHint().height() + 3 * rows->defaultSectionSize() + 4);
    // Two lines each at the least: with everything shown the window still fits a 2x-scaled 1080p screen and its panel.
    m_ui->logView->setMinimumHeight(2 * m_ui->logView->fontMetrics().lineSpacing());
    m_ui->detailsScroll->setMinimumHeight(2 * m_ui->logView->fontMetrics().lineSpacing());
    // The details read as part of the tab, not as a box inside it.
    m_ui->detailsScroll->viewport()->setAutoFillBackground(false);
    m_ui->detailsContents->setAutoFillBackground(false);
    // One line, elided to its width; the whole text is its tooltip.
    m_ui->summaryLabel->installEventFilter(this);
    m_ui->mainSplitter->setStretchFactor(0, 3);
    m_ui->mainSplitter->setStretchFactor(1, 2);
    m_ui->mainSplitter->setSizes({600, 400}); // in proportion: the table gets the larger part

    connect(m_log, &ActivityLog::lineAdded, m_ui->logView, &LogView::appendLine);
    connect(m_log, &ActivityLog::cleared, m_ui->logView, &LogView::clearLines);

    // Jobs: the field (Enter, the button), a pasted list, Ctrl+V anywhere, Escape to stop.
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &MainWindow::cancelOrStop);
    connect(m_ui->jobIdEdit, &QLineEdit::returnPressed, this, [this] {
        // Enter adds and starts; it never stops what runs (that takes Stop or Escape).
        takeField();
    });
    connect(m_ui->jobIdEdit, &QLineEdit::textEdited, this,
            [this] { showFieldMessage({}, Outcome::Category::Neutral); });
    connect(m_ui->jobIdEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_fieldIds.clear();
        if (text.size() <= 4096) {
            for (const JobId::Parsed& parsed : JobId::extract(text, m_pane->provider()).ids)
                m_fieldIds << parsed.id;
        }
        updateActions();
    });
    connect(m_ui->jobIdEdit, &JobIdEdit::multiLinePasted, this, &MainWindow::pasteIds);
    connect(m_ui->actionPasteIds, &QAction::triggered, this,
            [this] { pasteIds(QGuiApplication::clipboard()->text()); });
    auto* focusJobId = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
    connect(focusJobId, &QShortcut::activated, this, [this] {
        m_ui->jobIdEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->jobIdEdit->selectAll();
    });
    auto* stop = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(stop, &QShortcut::activated, this, &MainWindow::stopBatch);
    connect(m_ui->retryFailedButton, &QPushButton::clicked, this, &MainWindow::retryFailed);
    connect(m_checkAgainButton, &QPushButton::clicked, this, &MainWindow::checkAgain);
    connect(m_checkAgainAction, &QAction::triggered, this, &MainWindow::checkAgain);
    connect(m_retryNowButton, &QPushButton::clicked, this, [this] {
        if (m_batch && m_batch->retryNow())
            statusBar()->showMessage(tr("Retrying now."), 5000);
        updateSummary();
    });
    connect(m_rateLimitStopButton, &QPushButton::clicked, this, &MainWindow::stopBatch);
    connect(m_ui->clearJobsButton, &QPushButton::clicked, this, &MainWindow::clearJobs);
    connect(m_ui->jobsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::showDetails);
    connect(m_ui->jobsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, [this] {
        showDetails();
        updateSummary();
        updateActions();
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        updateSummary();
        updateActions();
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        showDetails();
        updateSummary();
        updateActions();
    });
    m_tick->setInterval(tickMs);
    connect(m_tick, &QTimer::timeout, this, &MainWindow::updateSummary);
    m_historyRefresh->setSingleShot(true);
    m_historyRefresh->setInterval(300);
    connect(m_historyRefresh, &QTimer::timeout, this, [this] {
        if (m_history)
            m_history->refresh();
    });

    // The account's jobs: read (F5, on a timer if asked), filtered, selected; cancelled through the same batch.
    connect(m_ui->refreshJobsAction, &QAction::triggered, this, &MainWindow::refreshJobs);
    connect(m_ui->cancelSelectedAction, &QAction::triggered, this, &MainWindow::cancelSelected);
    connect(m_ui->stopEverythingAction, &QAction::triggered, this, &MainWindow::stopEverything);
    connect(m_ui->copyJobIdAction, &QAction::triggered, this, &MainWindow::copyJobId);
    connect(m_ui->copyIdButton, &QPushButton::clicked, this, &MainWindow::copyJobId);
    connect(m_ui->openDashboardAction, &QAction::triggered, this, &MainWindow::openDashboard);
    connect(m_ui->openDashboardButton, &QPushButton::clicked, this, &MainWindow::openDashboard);
    connect(m_jobsPanel, &JobsPanel::readFinished, this, &MainWindow::onJobsRead);
    connect(m_jobsPanel, &JobsPanel::currentJobChanged, this, [this] {
        showDetails();
        updateActions();
    });
    connect(m_jobsPanel, &JobsPanel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_jobsPanel, &JobsPanel::countsChanged, this, &MainWindow::updateTabTitles);
    connect(m_jobsPanel, &JobsPanel::enterPressed, this, &MainWindow::cancelSelected);
    connect(m_ui->jobsTabs, &QTabWidget::currentChanged, this, [this] {
        showDetails();
        updateActions();
        maybeReadJobs();
    });
    connect(m_ui->detailsTabs, &QTabWidget::currentChanged, this, &MainWindow::showEvents);
    auto* find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_ui->jobsTabs->setCurrentWidget(m_ui->accountTab);
        m_jobsPanel->focusFilter();
    });
    m_autoRefresh->setObjectName(QStringLiteral("autoRefreshTimer"));
    connect(m_autoRefresh, &QTimer::timeout, this, &MainWindow::autoRefresh);
    m_listUpdate->setSingleShot(true);
    m_listUpdate->setInterval(100);
    connect(m_listUpdate, &QTimer::timeout, this, &MainWindow::updateListedJobs);
    m_eventsUpdate->setSingleShot(true);
    m_eventsUpdate->setInterval(150);
    connect(m_eventsUpdate, &QTimer::timeout, this, &MainWindow::showEvents);

    // The account: the profile in use and its key (AccountPane), read from the keyring after the first frame.
    connect(m_pane, &AccountPane::accountChanged, this, [this] {
        updateAccount();
        accountChanged();
        updateActions();
    });
    connect(m_pane, &AccountPane::loadingChanged, this, &MainWindow::updateActions);
    connect(m_pane, &AccountPane::loaded, this, &MainWindow::onAccountLoaded);
    connect(m_pane, &AccountPane::profileSwitched, this, &MainWindow::onProfileSwitched);
    connect(m_pane, &AccountPane::message, this,
            [this](const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    connect(m_ui->manageProfilesAction, &QAction::triggered, m_pane, &AccountPane::openProfiles);
    auto* jobGuard = new KeyRefusingValidator(KeyRefusingValidator::Mode::RemoveKeys, m_ui->jobIdEdit);
    m_ui->jobIdEdit->setValidator(jobGuard);
    connect(jobGuard, &KeyRefusingValidator::refused, this, [this](const QStringList& masked) {
        const QString keys = masked.join(QStringLiteral(", "));
        showFieldMessage(
            {tr("That looks like an API key (%1); it belongs in the API key field. Removed from the field.").arg(keys)},
            Outcome::Category::Error);
        m_log->add(tr("Job IDs: removed text that looks like an API key (%1).").arg(keys));
    });

    connect(m_ui->copyLogButton, &QPushButton::clicked, this, &MainWindow::copyLog);
    connect(m_ui->saveLogButton, &QPushButton::clicked, this, &MainWindow::saveLog);
    connect(m_ui->actionSaveLog, &QAction::triggered, this, &MainWindow::saveLog);
    connect(m_ui->clearLogButton, &QPushButton::clicked, m_log, &ActivityLog::clear);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionHistory, &QAction::triggered, this, &MainWindow::openHistory);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);

    // The size the operator left it at, or one that fits the screen (at 2x scaling too).
    const QByteArray geometry = AppSettings().windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        QSize size = sizeHint().expandedTo(QSize(960, 640));
        if (const QScreen* screen = QGuiApplication::primaryScreen())
            size = size.boundedTo(screen->availableGeometry().size() * 9 / 10);
        resize(size.expandedTo(minimumSizeHint()));
    }

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
    m_ui->jobsView->setModel(nullptr);
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

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->summaryLabel && event->type() == QEvent::Resize)
        m_ui->summaryLabel->setText(
            m_ui->summaryLabel->fontMetrics().elidedText(m_summary, Qt::ElideRight, m_ui->summaryLabel->width()));
    return QMainWindow::eventFilter(watched, event);
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
    m_model->setBatch(batch);
    connect(batch, &CancelBatch::lookupFinished, this, &MainWindow::onLookupFinished);
    connect(batch, &CancelBatch::finished, this, &MainWindow::onBatchFinished);
    connect(batch, &CancelBatch::retryScheduled, this, &MainWindow::onRetryScheduled);
    connect(batch, &CancelBatch::rateLimitChanged, this, &MainWindow::onRateLimitChanged);
    connect(batch, &CancelBatch::keyRejected, this, &MainWindow::onKeyRejected);
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
    const QString text = m_ui->jobIdEdit->text();
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
        m_ui->jobIdEdit->setFocus();
        return;
    }
    // Everything taken: the field is free for the next ids. Anything refused stays, to be corrected (never a key:
    // the field's KeyRefusingValidator took that out).
    if (takeText(text))
        m_ui->jobIdEdit->clear();
    // The next keystroke belongs in the field, unless what is missing is the key (reportNotSent went there).
    if (!m_pane->keyHasFocus())
        m_ui->jobIdEdit->setFocus();
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
        if (!m_ui->jobsView->currentIndex().isValid() || added == m_batch->rowCount())
            selectRow(first);
    } else if (!ids.isEmpty()) {
        selectRow(m_batch->rowOf(ids.first().id));
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
    m_tookMs = -1;
    m_retryText.clear();
    if (m_batch->isRunning())
        m_tick->start();
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
    if (const QString why = m_batch->cannotSend(); !why.isEmpty()) {
        reportNotSent(why);
        if (m_batch->isKeyRejected())
            focusKeyField(why);
        return;
    }
    if (m_batch->retryFailed() > 0) {
        m_tookMs = -1;
        m_retryText.clear();
        m_tick->start();
    }
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
    for (const QModelIndex& index : m_ui->jobsView->selectionModel()->selectedRows()) {
        const int row = m_proxy->mapToSource(index).row();
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
    if (const QString why = m_batch->cannotSend(); !why.isEmpty()) {
        reportNotSent(why);
        if (m_batch->isKeyRejected())
            focusKeyField(why);
        return;
    }
    m_notSent.clear();
    if (m_batch->checkAgain(rows) > 0) {
        m_tookMs = -1;
        m_retryText.clear();
        m_tick->start();
    }
    updateActions();
    updateSummary();
}

void MainWindow::onRateLimitChanged()
{
    const bool paused = m_batch && m_batch->isPaused();
    if (paused) {
        const QString text = tr("Rate limited: the API asks to wait until %1. Nothing more is sent until then \u2014 "
                                "or until you press Retry now.")
                                 .arg(m_batch->rateLimitedUntilText());
        m_rateLimitLabel->setText(tr("Rate limited until %1: nothing is sent").arg(m_batch->rateLimitedUntilText()));
        m_rateLimitLabel->setToolTip(text.toHtmlEscaped());
        m_rateLimitBar->setAccessibleDescription(text);
        statusBar()->showMessage(text);
    } else if (m_rateLimitBar->isVisible()) {
        statusBar()->clearMessage();
    }
    m_rateLimitBar->setVisible(paused);
    m_ui->summaryLabel->setVisible(!paused);
    updateSummary();
}

void MainWindow::onKeyRejected(const QString& message)
{
    focusKeyField(message);
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
    m_tookMs = -1;
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
        updateActions();
        updateSummary();
        (accountTabShown() ? static_cast<QWidget*>(m_jobsPanel) : m_ui->jobIdEdit)->setFocus();
    });
    connect(dialog, &QDialog::rejected, this, [this, batch] {
        if (batch)
            batch->decline();
        updateActions();
        updateSummary();
        (accountTabShown() ? static_cast<QWidget*>(m_jobsPanel) : m_ui->jobIdEdit)->setFocus();
    });
    dialog->open();
    updateActions();
    updateSummary();
}

void MainWindow::onBatchFinished()
{
    m_stopEverythingRun = false;
    m_rateLimitBar->hide();
    m_ui->summaryLabel->show();
    m_listUpdate->stop();
    updateListedJobs();
    m_tick->stop();
    m_retryAt = QDeadlineTimer();
    m_retryText.clear();
    if (m_batch)
        m_tookMs = m_batch->elapsedMs();
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

void MainWindow::onRetryScheduled(int row, int attempt, int maxAttempts, int delayMs, const QString& reason)
{
    if (!m_batch)
        return;
    m_retryAt.setRemainingTime(delayMs);
    m_retryText = tr("%1: attempt %2 of %3 next, because of: %4")
                      .arg(m_batch->item(row).id)
                      .arg(attempt)
                      .arg(maxAttempts)
                      .arg(OutputGate::clean(reason, OutputGate::lineBytes));
    updateSummary();
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

void MainWindow::selectRow(int sourceRow)
{
    if (sourceRow < 0 || sourceRow >= m_model->rowCount())
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    m_ui->jobsView->selectionModel()->setCurrentIndex(index,
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_ui->jobsView->scrollTo(index);
}

// ---- The account's jobs -------------------------------------------------------------------------------------

bool MainWindow::accountTabShown() const
{
    return m_ui->jobsTabs->currentWidget() == m_ui->accountTab;
}

void MainWindow::accountChanged()
{
    // The list shows one account's jobs: another key, organization, project or host empties it.
    QString error;
    m_jobsPanel->setAccount(currentConfig(&error));
    if (!m_jobsPanel->isReading())
        m_stopEverythingRead = false; // its read was stopped with the account it read
    updateTabTitles();
}

void MainWindow::maybeReadJobs()
{
    // Showing the list reads it once, as opening the dashboard does; after that, F5 (or the timer) reads it again.
    if (!accountTabShown() || m_pane->isLoading() || m_jobsPanel->isReading() || m_jobsPanel->hasRead()
        || m_jobsPanel->readError().isError())
        return;
    QString error;
    if (!currentConfig(&error).problem().isEmpty())
        return;
    accountChanged();
    m_jobsPanel->refresh(AppSettings().listCap());
}

void MainWindow::refreshJobs()
{
    if (m_pane->isLoading()) {
        statusBar()->showMessage(tr("Credentials are still loading from the keyring; try again in a moment."), 5000);
        return;
    }
    accountChanged();
    if (!m_jobsPanel->isReading())
        m_jobsPanel->refresh(AppSettings().listCap()); // says why on the list's line when it cannot
    m_ui->jobsTabs->setCurrentWidget(m_ui->accountTab);
}

void MainWindow::autoRefresh()
{
    // Paused while a batch runs (or waits for its confirmation): the rows follow the batch meanwhile.
    if (batchBusy() || m_pane->isLoading() || m_jobsPanel->isReading() || m_stopEverythingRead)
        return;
    QString error;
    if (!currentConfig(&error).problem().isEmpty())
        return;
    accountChanged();
    m_jobsPanel->refresh(AppSettings().listCap());
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
            const JobId::Parsed parsed = JobId::parse(m_batch->item(row).id, m_pane->provider());
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
    const QList<FineTuningJob> selected = m_jobsPanel->selectedJobs();
    QList<JobId::Parsed> ids;
    int invalid = 0;
    for (const FineTuningJob& job : selected) {
        const JobId::Parsed parsed = JobId::parse(job.id, m_pane->provider());
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
    m_jobsPanel->abortRead();
    m_jobsPanel->setAccount(config);
    m_log->add(tr("Stop everything running: reading the account's jobs first."));
    m_stopEverythingRead = m_jobsPanel->refresh(AppSettings().listCap());
    m_ui->jobsTabs->setCurrentWidget(m_ui->accountTab);
    updateActions();
}

void MainWindow::onJobsRead(bool ok)
{
    updateTabTitles();
    showDetails();
    // Rows that ended show what their jobs are now, beside what became of them.
    if (ok && m_batch)
        m_batch->noteListed(m_jobsPanel->model()->jobs());
    if (!m_stopEverythingRead) {
        updateActions();
        return;
    }
    m_stopEverythingRead = false;
    updateActions();
    const StopEverything decided
        = StopEverything::decide(m_jobsPanel->model()->jobs(), m_jobsPanel->readError(), m_jobsPanel->reachedCap());
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
    m_jobsPanel->updateJobs(jobs);
}

QString MainWindow::selectedJobId() const
{
    QString id;
    if (accountTabShown()) {
        if (const std::optional<FineTuningJob> job = m_jobsPanel->currentJob())
            id = job->id;
    } else {
        const QModelIndex current = m_ui->jobsView->currentIndex();
        if (current.isValid() && m_batch) {
            const int row = m_proxy->mapToSource(current).row();
            if (row >= 0 && row < m_batch->rowCount())
                id = m_batch->item(row).id;
        }
    }
    // Only a real job id goes to the clipboard or into a URL: the list's ids came from a server.
    const JobId::Parsed parsed = JobId::parse(id, m_pane->provider());
    return parsed.isValid() ? parsed.id : QString();
}

QList<int> MainWindow::selectedBatchRows() const
{
    QList<int> rows;
    if (!m_batch)
        return rows;
    QModelIndexList selected = m_ui->jobsView->selectionModel()->selectedRows();
    std::sort(selected.begin(), selected.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& index : std::as_const(selected)) {
        const int row = m_proxy->mapToSource(index).row();
        if (row >= 0 && row < m_batch->rowCount())
            rows << row;
    }
    return rows;
}

QList<int> MainWindow::resendableSelectedRows() const
{
    QList<int> rows;
    for (const int row : selectedBatchRows()) {
        const BatchItem& item = m_batch->item(row);
        if (item.phase == BatchItem::Phase::Done && item.outcome != Outcome::Cancelled
            && item.outcome != Outcome::AlreadyFinished && JobId::parse(item.id, m_pane->provider()).isValid())
            rows << row;
    }
    return rows;
}

QStringList MainWindow::selectedJobIds() const
{
    QStringList ids;
    if (accountTabShown()) {
        for (const FineTuningJob& job : m_jobsPanel->selectedJobs())
            ids << job.id;
    } else {
        for (const int row : selectedBatchRows())
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
    const QString id = selectedJobId();
    if (id.isEmpty())
        return;
    const QUrl url(ProviderFacts::dashboardUrl(m_pane->provider(), id));
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
    const QString id = selectedJobId();
    if (id.isEmpty()) {
        m_ui->eventsPane->clear();
        return;
    }
    QString error;
    m_ui->eventsPane->showJob(currentConfig(&error), id);
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
             m_jobsPanel->hasRead()
                 ? tr("Acco&unt jobs (%1 active)").arg(QLocale().toString(m_jobsPanel->activeCount()))
                 : tr("Acco&unt jobs"));
    const int rows = m_batch ? m_batch->rowCount() : 0;
    setTitle(m_ui->cancelsTab, rows > 0 ? tr("C&ancels (%1)").arg(QLocale().toString(rows)) : tr("C&ancels"));
}

// ---- What the window shows ----------------------------------------------------------------------------------

void MainWindow::updateActions()
{
    const bool running = m_batch && m_batch->isRunning();
    const bool busy = batchBusy();
    if (running) {
        m_ui->cancelButton->setText(tr("Stop"));
        m_ui->cancelButton->setAccessibleName(tr("Stop the jobs being looked up or cancelled (Esc)"));
    } else {
        const int pending = pendingCount();
        const QString text = pending > 1 ? tr("Cancel %n job(s)", nullptr, pending) : tr("Cancel job");
        m_ui->cancelButton->setText(text);
        m_ui->cancelButton->setAccessibleName(text);
    }
    // The account a batch runs with stays on screen until it ends: no typing over it, no switching, no Forget.
    m_pane->setLocked(busy);
    const bool changed = m_batch && m_batch->rowCount() > 0 && setupChanged();
    const int retryable = m_batch && !busy ? int(m_batch->retryableRows().size()) : 0;
    m_ui->retryFailedButton->setEnabled(retryable > 0);
    m_ui->retryFailedButton->setToolTip(
        changed && retryable > 0
            ? tr("The account or the settings changed: the jobs are looked up again as it, and you confirm again")
            : tr("Send the cancels that failed, were stopped or had no answer once more, and look up again the jobs "
                 "whose look-up failed (%n in all)",
                 nullptr, retryable));
    const int checkable = m_batch && !busy ? int(m_batch->checkableRows().size()) : 0;
    m_checkAgainButton->setEnabled(checkable > 0);
    m_checkAgainAction->setEnabled(checkable > 0);
    const QString checkTip = tr("Read again the %n job(s) whose cancel was requested but that had not stopped yet, and "
                                "watch them until they stop; no cancel is sent again",
                                nullptr, checkable);
    m_checkAgainButton->setToolTip(checkTip);
    m_checkAgainAction->setToolTip(checkTip);
    m_ui->clearJobsButton->setEnabled(!busy && m_batch && m_batch->rowCount() > 0);

    // The jobs list: what the selection can become, and "stop everything" unless a batch or its own read runs.
    int activeSelected = 0;
    for (const FineTuningJob& job : m_jobsPanel->selectedJobs())
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
    m_ui->stopEverythingAction->setEnabled(!busy && !m_pane->isLoading() && !m_stopEverythingRead);
    m_ui->refreshJobsAction->setEnabled(!m_pane->isLoading());
    const bool hasJob = !selectedJobId().isEmpty();
    const int copyable = int(selectedJobIds().size());
    m_ui->copyJobIdAction->setText(copyable > 1 ? tr("Copy %n Job &ID(s)", nullptr, copyable) : tr("Copy Job &ID"));
    m_ui->copyJobIdAction->setEnabled(copyable > 0);
    m_ui->openDashboardAction->setEnabled(hasJob);
    for (QPushButton* button : {m_ui->copyIdButton, m_ui->openDashboardButton})
        button->setEnabled(hasJob);
    // A provider without dashboard links: the action is hidden, not broken.
    const bool hasDashboard = ProviderFacts::hasDashboard(m_pane->provider());
    m_ui->openDashboardAction->setVisible(hasDashboard);
    m_ui->openDashboardButton->setVisible(hasDashboard);
}

void MainWindow::updateSummary()
{
    QString text;
    if (!m_batch || m_batch->rowCount() == 0) {
        text = m_notSent.isEmpty() ? tr("Paste job ids (Ctrl+V) or select jobs in the list: each is looked up; nothing "
                                        "is cancelled before you confirm.")
                                   : m_notSent;
    } else {
        QString phase;
        switch (m_batch->state()) {
        case CancelBatch::State::LookingUp:
            phase = tr("Looking up\u2026");
            break;
        case CancelBatch::State::AwaitingConfirmation:
            phase = tr("Waiting for your confirmation\u2026");
            break;
        case CancelBatch::State::Cancelling:
            phase = tr("Cancelling\u2026");
            break;
        case CancelBatch::State::Idle:
        case CancelBatch::State::Finished:
            break;
        }
        if (m_batch->isPaused()) // looking up or cancelling, everything is held alike
            phase = tr("Paused: rate limited until %1").arg(m_batch->rateLimitedUntilText());
        QStringList parts;
        if (!phase.isEmpty())
            parts << phase;
        parts << m_batch->summary();
        if (m_batch->isRunning())
            parts << tr("%1 s").arg(m_batch->elapsedMs() / 1000);
        else if (m_tookMs >= 0)
            parts << tr("took %1 s").arg(qMax<qint64>(1, (m_tookMs + 999) / 1000));
        if (m_batch->isRunning() && !m_retryText.isEmpty() && !m_retryAt.hasExpired())
            parts << tr("retrying in %1 s (%2)").arg((m_retryAt.remainingTime() + 999) / 1000).arg(m_retryText);
        if (!m_notSent.isEmpty())
            parts << m_notSent;
        text = parts.join(QStringLiteral(" \u00B7 "));
    }
    m_summary = text;
    m_ui->summaryLabel->setText(
        m_ui->summaryLabel->fontMetrics().elidedText(text, Qt::ElideRight, m_ui->summaryLabel->width()));
    m_ui->summaryLabel->setToolTip(text.toHtmlEscaped());
    m_ui->summaryLabel->setAccessibleDescription(text);
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
    setWindowTitle(tr("%1 \u2014 %2").arg(AppInfo::displayName(), account));
    m_accountLabel->setText(account);
    m_accountLabel->setToolTip(
        tr("Requests go to this profile and host, as this organization and project.").toHtmlEscaped());
}

void MainWindow::showDetails()
{
    // The details (and the events) are those of the current row of the tab shown.
    if (!m_eventsUpdate->isActive())
        m_eventsUpdate->start();
    const bool hasJob = !selectedJobId().isEmpty();
    for (QPushButton* button : {m_ui->copyIdButton, m_ui->openDashboardButton})
        button->setEnabled(hasJob);
    if (accountTabShown()) {
        if (const std::optional<FineTuningJob> job = m_jobsPanel->currentJob()) {
            showListedJobDetails(*job);
        } else {
            m_ui->statusLabel->setText(QString());
            m_ui->statusDetailsLabel->setText(tr("Select a job to see its details."));
        }
        return;
    }
    const QModelIndex current = m_ui->jobsView->currentIndex();
    if (!current.isValid() || !m_batch || m_proxy->mapToSource(current).row() >= m_batch->rowCount()) {
        // setText, not clear(): clear() lays the details out again and repaints them even when they were empty,
        // and this runs for every answer of a batch.
        m_ui->statusLabel->setText(QString());
        m_ui->statusDetailsLabel->setText(tr("Select a job to see its details."));
        return;
    }
    const int row = m_proxy->mapToSource(current).row();
    const BatchItem& item = m_batch->item(row);
    const auto text = [this, row](int column) {
        return m_model->text(row, column);
    };
    // What happened first (the reason for a failure above all), then the facts.
    QStringList lines;
    if (!item.message.isEmpty())
        lines << item.message;
    if (!item.warning.isEmpty())
        lines << item.warning;
    if (item.phase == BatchItem::Phase::Waiting && !m_notSent.isEmpty())
        lines << m_notSent;
    if (!lines.isEmpty())
        lines << QString();
    lines << tr("Job: %1").arg(item.id);
    if (const QString status = text(BatchModel::StatusColumn); !status.isEmpty())
        lines << tr("Status: %1").arg(status);
    if (const QString model = text(BatchModel::ModelColumn); !model.isEmpty())
        lines << tr("Model: %1").arg(model);
    if (const QString created = text(BatchModel::CreatedColumn); !created.isEmpty())
        lines << tr("Created: %1").arg(created);
    if (const QString finish = text(BatchModel::FinishColumn); !finish.isEmpty())
        lines << tr("Estimated finish: %1").arg(finish);
    const FineTuningJob& job = item.before().organizationId.isEmpty() ? item.after() : item.before();
    if (!job.organizationId.isEmpty()) {
        QString organization = tr("Organization: %1").arg(OutputGate::clean(job.organizationId, fieldChars));
        if (item.otherOrganization)
            organization += QLatin1Char(' ')
                + tr("(not the configured %1)").arg(OutputGate::clean(m_batch->config().organization, fieldChars));
        lines << organization;
    }
    QStringList http;
    if (item.httpStatus != 0)
        http << tr("HTTP %1").arg(item.httpStatus);
    if (!item.requestId.isEmpty())
        http << tr("Request id: %1").arg(item.requestId);
    if (item.attempts > 1)
        http << tr("%n attempt(s)", nullptr, item.attempts);
    if (!http.isEmpty())
        lines << http.join(QStringLiteral(" \u00B7 "));
    m_ui->statusLabel->setText(text(BatchModel::OutcomeColumn));
    m_ui->statusDetailsLabel->setText(lines.join(u'\n'));
    setLabelColor(m_ui->statusLabel,
                  Outcome::Category(m_model->data(m_model->index(row, 0), BatchModel::CategoryRole).toInt()));
}

void MainWindow::showListedJobDetails(const FineTuningJob& job)
{
    // Every field the list has of the job, each through the gate: it all came from the server.
    const auto field = [](const QString& text) {
        return OutputGate::clean(text, fieldChars);
    };
    QStringList lines;
    lines << tr("Job: %1").arg(field(job.id));
    lines << tr("Status: %1").arg(field(job.status));
    if (!job.model.isEmpty())
        lines << tr("Model: %1").arg(field(job.model));
    if (!job.fineTunedModel.isEmpty())
        lines << tr("Fine-tuned model: %1").arg(field(job.fineTunedModel));
    if (job.createdAt > 0)
        lines << tr("Created: %1").arg(DisplayText::localTime(job.createdAt));
    if (job.estimatedFinish > 0)
        lines << tr("Estimated finish: ~%1").arg(DisplayText::localTime(job.estimatedFinish));
    if (job.finishedAt > 0)
        lines << tr("Finished: %1").arg(DisplayText::localTime(job.finishedAt));
    if (job.trainedTokens >= 0)
        lines << tr("Trained tokens: %1").arg(QLocale().toString(job.trainedTokens));
    if (!job.organizationId.isEmpty()) {
        QString organization = tr("Organization: %1").arg(field(job.organizationId));
        QString unused;
        const QString configured = currentConfig(&unused).organization;
        if (!configured.isEmpty() && configured != job.organizationId)
            organization += QLatin1Char(' ') + tr("(not the configured %1)").arg(field(configured));
        lines << organization;
    }
    if (!job.suffix.isEmpty())
        lines << tr("Suffix: %1").arg(field(job.suffix));
    if (!job.metadata.isEmpty())
        lines << tr("Metadata: %1").arg(OutputGate::clean(job.metadata, OutputGate::fieldBytes));
    if (!job.errorMessage.isEmpty())
        lines << tr("Error: %1").arg(OutputGate::clean(job.errorMessage, OutputGate::lineBytes));
    if (const QString url = ProviderFacts::dashboardUrl(m_pane->provider(), job.id);
        !url.isEmpty() && JobId::parse(job.id, m_pane->provider()).isValid())
        lines << tr("Dashboard: %1").arg(url);
    m_ui->statusLabel->setText(job.status.isEmpty() ? tr("(no status)") : field(job.status));
    m_ui->statusDetailsLabel->setText(lines.join(u'\n'));
    setLabelColor(m_ui->statusLabel, AccountJobsProxyModel::categoryOf(job.statusClass));
}

void MainWindow::showFieldMessage(const QStringList& lines, Outcome::Category category)
{
    // Reasons may quote what was pasted (a key, a line with escape sequences): through the gate, as plain text.
    QStringList gated;
    for (const QString& line : lines)
        gated << OutputGate::clean(line, OutputGate::lineBytes);
    m_ui->jobIdMessageLabel->setText(gated.join(u'\n'));
    m_fieldMessageCategory = category;
    setLabelColor(m_ui->jobIdMessageLabel, category);
    // As tall as its lines, up to two of them (then it scrolls).
    const int width
        = qMax(100,
               m_ui->jobIdMessageScroll->isVisible() ? m_ui->jobIdMessageScroll->viewport()->width()
                                                     : m_ui->jobIdEdit->width() + m_ui->cancelButton->width());
    m_ui->jobIdMessageScroll->setFixedHeight(
        qMin(m_ui->jobIdMessageLabel->heightForWidth(width) + 2, m_messageMaxHeight));
    m_ui->jobIdMessageScroll->setVisible(!lines.isEmpty());
}

void MainWindow::setLabelColor(QWidget* label, Outcome::Category category)
{
    QPalette colored;
    colored.setColor(QPalette::WindowText, StatusColors::forCategory(category, palette(), QPalette::Window));
    label->setPalette(colored);
}

void MainWindow::applyColors()
{
    m_proxy->setPalette(m_ui->jobsView->palette());
    setLabelColor(m_ui->jobIdMessageLabel, m_fieldMessageCategory);
    m_pane->applyColors();
    showDetails();
}

void MainWindow::updateAskingNotice()
{
    const bool off = !AppSettings().askBeforeCancelling();
    for (AskingOffNotice* notice : {m_ui->askingOffNotice, m_listAskingOff})
        notice->setVisible(off);
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

// ---- The account --------------------------------------------------------------------------------------------

void MainWindow::onAccountLoaded()
{
    accountChanged();
    maybeReadJobs();
    // Put the cursor where the operator's next keystroke belongs.
    if (m_pane->keyIsEmpty())
        m_pane->focusKey();
    else
        m_ui->jobIdEdit->setFocus(Qt::OtherFocusReason);
}

void MainWindow::onProfileSwitched(const QString& name)
{
    // What was listed, looked up or cancelled belonged to the other profile: it goes (the history keeps it).
    clearJobs(); // the jobs list empties itself: accountChanged() gives it another account
    m_ui->jobIdEdit->clear();
    if (name.isEmpty())
        m_log->add(tr("No profile in use."));
    updateAccount();
    accountChanged();
    updateActions();
}

// ---- Log, settings, about -----------------------------------------------------------------------------------

void MainWindow::copyLog()
{
    QGuiApplication::clipboard()->setText(m_log->text());
    statusBar()->showMessage(tr("Log copied (%n line(s)).", nullptr, int(m_log->lines().size())), 5000);
}

void MainWindow::saveLog()
{
    // A non-blocking dialog: the window keeps running (and requests keep finishing) while it is open.
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
