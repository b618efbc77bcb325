#include "jobspanel.h"

#include "accountjobsproxymodel.h"
#include "activitylog.h"
#include "appsettings.h"
#include "displaytext.h"
#include "joblister.h"
#include "jobsmodel.h"
#include "outputgate.h"
#include "providerfacts.h"
#include "statuscolors.h"
#include "ui_jobspanel.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHash>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QTimer>
#include <algorithm>

namespace {
const QString keyAll = QStringLiteral("all");
const QString keyActive = QStringLiteral("active");
const QString keyFinished = QStringLiteral("finished");
const QString statusPrefix = QStringLiteral("status:");

constexpr int classRole = Qt::UserRole + 1; // int(StatusClass) of a status line: kept while its jobs are gone

// Where a class's statuses stand in the side list: what can still change (and spend) first, an unknown status among
// them (it is not finished), then the finished.
int rankOf(StatusClass statusClass)
{
    switch (statusClass) {
    case StatusClass::Active:
        return 0;
    case StatusClass::Stopping:
        return 1;
    case StatusClass::Paused:
        return 2;
    case StatusClass::Unknown:
        return 3;
    case StatusClass::Succeeded:
        return 4;
    case StatusClass::Failed:
        return 5;
    case StatusClass::Cancelled:
        return 6;
    }
    return 3;
}

// One raw status of the list, as its jobs give it: the word (shown as it is), its class and how many jobs have it.
struct StatusLine
{
    QString status;
    StatusClass statusClass = StatusClass::Unknown;
    int count = 0;
};

// The statuses of the jobs, ordered by class (rankOf), then by word; `kept` (the status chosen, with the class its
// jobs had) stays, at 0 and in its class's place, while no job has it.
QList<StatusLine> statusLines(const QList<FineTuningJob>& jobs, const std::optional<StatusLine>& kept)
{
    QHash<QString, StatusLine> byStatus;
    for (const FineTuningJob& job : jobs) {
        auto it = byStatus.find(job.status);
        if (it == byStatus.end())
            it = byStatus.insert(job.status, {job.status, job.statusClass, 0});
        it->count += 1;
    }
    if (kept && !byStatus.contains(kept->status))
        byStatus.insert(kept->status, {kept->status, kept->statusClass, 0});
    QList<StatusLine> lines = byStatus.values();
    std::sort(lines.begin(), lines.end(), [](const StatusLine& a, const StatusLine& b) {
        if (rankOf(a.statusClass) != rankOf(b.statusClass))
            return rankOf(a.statusClass) < rankOf(b.statusClass);
        if (const int byName = a.status.compare(b.status, Qt::CaseInsensitive); byName != 0)
            return byName < 0;
        return a.status < b.status;
    });
    return lines;
}

// One line of the side list: its key (keyAll …, or statusPrefix + the raw status), what it shows, its tooltip (plain
// text) and, for a status, its class.
struct FilterLine
{
    QString key;
    QString text;
    QString toolTip;
    StatusClass statusClass = StatusClass::Unknown;
};

// The side list's items, reused in place; the line whose key is `current` stays current (else the first).
void fillStatusFilter(QListWidget* list, const QList<FilterLine>& lines, const QString& current)
{
    const QSignalBlocker blocker(list);
    while (list->count() > lines.size())
        delete list->takeItem(list->count() - 1);
    for (int i = 0; i < lines.size(); ++i) {
        const FilterLine& line = lines.at(i);
        QListWidgetItem* item = i < list->count() ? list->item(i) : new QListWidgetItem(list);
        item->setText(line.text);
        item->setData(Qt::UserRole, line.key);
        item->setData(classRole, int(line.statusClass));
        item->setToolTip(DisplayText::toolTip(line.toolTip));
        if (line.key == current)
            list->setCurrentItem(item);
    }
    if (!list->currentItem())
        list->setCurrentRow(0);
}

bool sameAccount(const ApiConfig& a, const ApiConfig& b)
{
    return a.provider == b.provider && a.profileName == b.profileName && a.baseUrl == b.baseUrl && a.apiKey == b.apiKey
        && a.organization == b.organization && a.project == b.project && a.apiVersion == b.apiVersion;
}
} // namespace

JobsPanel::JobsPanel(QWidget* parent)
    : QWidget(parent),
      m_ui(std::make_unique<Ui::JobsPanel>()),
      m_model(new JobsModel(this)),
      m_proxy(new AccountJobsProxyModel(this)),
      m_countsTimer(new QTimer(this))
{
    m_ui->setupUi(this);
    m_proxy->setSourceModel(m_model);
    QTableView* view = m_ui->accountJobsView;
    view->setModel(m_proxy);
    setUpTable(view);
    view->installEventFilter(this);
    setFocusProxy(view); // the window puts the focus back on the list after a confirmation

    // The side list: as wide as "validating_files (1,000)", no wider.
    QListWidget* filter = m_ui->statusFilterList;
    const int padding = QFontMetrics(filter->font()).horizontalAdvance(QStringLiteral("MM"));
    filter->setMinimumWidth(QFontMetrics(filter->font()).horizontalAdvance(QStringLiteral("validating_files (9,999)"))
                            + 2 * filter->frameWidth() + padding);
    filter->setMaximumWidth(filter->minimumWidth() * 2);
    m_ui->jobsPanelSplitter->setStretchFactor(0, 0);
    m_ui->jobsPanelSplitter->setStretchFactor(1, 1);
    m_ui->jobsPanelSplitter->setSizes({filter->minimumWidth(), 4 * filter->minimumWidth()});
    m_ui->jobsListStatusLabel->installEventFilter(this);

    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(100);
    connect(m_countsTimer, &QTimer::timeout, this, &JobsPanel::rebuildStatusFilter);
    const auto recount = [this] {
        if (!m_countsTimer->isActive())
            m_countsTimer->start();
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, recount);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, recount);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, recount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, recount);
    connect(m_model, &QAbstractItemModel::dataChanged, this, recount);
    connect(filter, &QListWidget::currentItemChanged, this, &JobsPanel::applyStatusFilter);
    connect(m_ui->jobsFilterEdit, &QLineEdit::textChanged, m_proxy, &AccountJobsProxyModel::setText);
    connect(m_ui->jobsKindCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_proxy->setKind(index == 1       ? std::optional<JobKind>(JobKind::FineTuning)
                             : index == 2 ? std::optional<JobKind>(JobKind::Batch)
                                          : std::nullopt);
    });
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &JobsPanel::currentJobChanged);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &JobsPanel::selectionChanged);
    // Filtering may take the current row away: the details follow.
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &JobsPanel::currentJobChanged);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &JobsPanel::selectionChanged);

    rebuildStatusFilter();
    filter->setCurrentRow(0);
    setStatusText(tr("Press F5 to read the account's jobs."), Outcome::Category::Neutral);
    applyColors();
}

// The table: sorted "active first, then newest" until a column is clicked, columns as wide as their usual text, the
// operator's sort and widths of the last run over those, fixed row heights.
void JobsPanel::setUpTable(QTableView* view)
{
    QHeaderView* header = view->horizontalHeader();
    header->setSortIndicator(-1, Qt::AscendingOrder); // active first, then newest, until a column is clicked
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics metrics(view->font());
    const int padding = metrics.horizontalAdvance(QStringLiteral("MM"));
    const auto widthOf = [&metrics, padding](const QString& sample) {
        return metrics.horizontalAdvance(sample) + padding;
    };
    const QString sampleTime
        = QLocale().toString(QDateTime(QDate(2024, 12, 31), QTime(23, 59, 59)), QLocale::ShortFormat);
    view->setColumnWidth(JobsModel::IdColumn, widthOf(QStringLiteral("ftjob-abcdefghijklmnopqrstuvwx")));
    view->setColumnWidth(JobsModel::StatusColumn, widthOf(QStringLiteral("validating_files")));
    view->setColumnWidth(JobsModel::ModelColumn, widthOf(QStringLiteral("gpt-4o-mini-2024-07-18")));
    view->setColumnWidth(JobsModel::FineTunedModelColumn, widthOf(QStringLiteral("ft:gpt-4o-mini:org::abcdefgh")));
    view->setColumnWidth(JobsModel::CreatedColumn, widthOf(sampleTime));
    view->setColumnWidth(JobsModel::FinishColumn, widthOf(QLatin1Char('~') + sampleTime));
    view->setColumnWidth(JobsModel::TokensColumn, widthOf(QStringLiteral("Trained tokens")));
    view->setColumnWidth(JobsModel::KindColumn, widthOf(tr("Fine-tuning")));
    view->setColumnWidth(JobsModel::RequestsColumn, widthOf(QStringLiteral("400 completed, 10 failed of 1000")));
    // The operator's sort and widths of the last run, over the defaults above.
    if (const QByteArray state = AppSettings().jobsHeaderState(); !state.isEmpty() && header->restoreState(state))
        m_proxy->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
    QHeaderView* rows = view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(metrics.height() + 6);
    view->setMinimumHeight(header->sizeHint().height() + 2 * rows->defaultSectionSize() + 4);
}

JobsPanel::~JobsPanel()
{
    AppSettings().setJobsHeaderState(m_ui->accountJobsView->horizontalHeader()->saveState());
    if (m_lister)
        m_lister->disconnect(this);
    m_ui->accountJobsView->setModel(nullptr);
}

void JobsPanel::setActions(QAction* refresh, QAction* cancelSelected, QAction* stopEverything)
{
    m_ui->refreshJobsButton->setDefaultAction(refresh);
    m_ui->cancelSelectedButton->setDefaultAction(cancelSelected);
    m_ui->stopEverythingButton->setDefaultAction(stopEverything);
}

void JobsPanel::setPauseActions(QAction* pauseSelected, QAction* resumeSelected)
{
    m_ui->pauseSelectedButton->setDefaultAction(pauseSelected);
    m_ui->resumeSelectedButton->setDefaultAction(resumeSelected);
}

void JobsPanel::setRowActions(const QList<QAction*>& actions)
{
    m_ui->accountJobsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_ui->accountJobsView->addActions(actions);
}

void JobsPanel::setAccount(const ApiConfig& config)
{
    const bool other = !sameAccount(config, m_config);
    m_config = config; // timeouts and retries follow the settings in any case
    if (!other)
        return;
    // The kind filter and column only where the provider runs more than one kind of job.
    const bool kinds = ProviderFacts::kinds(config.provider).size() > 1;
    m_ui->jobsKindCombo->setVisible(kinds);
    if (!kinds)
        m_ui->jobsKindCombo->setCurrentIndex(0);
    m_ui->accountJobsView->setColumnHidden(JobsModel::KindColumn, !kinds);
    const bool pauses = ProviderFacts::canPause(config.provider, JobKind::FineTuning);
    m_ui->pauseSelectedButton->setVisible(pauses);
    m_ui->resumeSelectedButton->setVisible(pauses);
    abortRead();
    m_model->clear();
    m_readAt = QDateTime();
    m_readError = ApiError();
    m_reachedCap = false;
    setStatusText(tr("Press F5 to read the account's jobs."), Outcome::Category::Neutral);
}

bool JobsPanel::isReading() const
{
    return m_lister && m_lister->isRunning();
}

bool JobsPanel::refresh(int cap)
{
    if (isReading())
        return false;
    if (const QString problem = m_config.problem(); !problem.isEmpty()) {
        setStatusText(tr("Nothing read: %1").arg(OutputGate::clean(problem, OutputGate::lineBytes)),
                      Outcome::Category::Error);
        return false;
    }
    if (m_lister)
        m_lister->deleteLater();
    m_lister = new JobLister(m_config, m_log, this);
    m_lister->setKinds(ProviderFacts::kinds(m_config.provider)); // every kind of job the provider runs
    connect(m_lister, &JobLister::pageRead, this, &JobsPanel::onPageRead);
    connect(m_lister, &JobLister::pageLoaded, this, &JobsPanel::onPageLoaded);
    connect(m_lister, &JobLister::finished, this, &JobsPanel::onReadFinished);
    setStatusText(tr("Reading jobs\u2026"), Outcome::Category::Busy);
    m_lister->start(cap);
    return true;
}

void JobsPanel::abortRead()
{
    if (!m_lister)
        return;
    JobLister* lister = m_lister;
    m_lister = nullptr;
    lister->disconnect(this);
    lister->abort();
    lister->deleteLater();
    if (m_readAt.isValid() || m_model->rowCount() > 0)
        showStatusText();
}

void JobsPanel::onPageRead(const QList<FineTuningJob>& jobs)
{
    m_model->mergeJobs(jobs);
}

void JobsPanel::onPageLoaded(int total)
{
    setStatusText(tr("Reading jobs\u2026 %1").arg(QLocale().toString(total)), Outcome::Category::Busy);
}

void JobsPanel::onReadFinished()
{
    JobLister* lister = m_lister;
    if (!lister)
        return;
    m_readError = lister->error();
    const int read = int(lister->jobs().size());
    // The pages read are shown already. Only a read that completed says which rows are gone: one that failed keeps
    // them (what it did not see may still run).
    if (!m_readError.isError())
        m_model->removeJobsNotIn(lister->ids());
    if (!m_readError.isError() || lister->pages() > 0)
        m_readAt = QDateTime::currentDateTime();
    m_reachedCap = !m_readError.isError() && lister->reachedCap();
    if (!m_readError.isError()) {
        setStatusText(listSummary(), Outcome::Category::Neutral);
        if (m_log)
            m_log->add(tr("Read %n job(s) of the account, %1 active.", nullptr, read).arg(m_model->activeCount()));
    } else {
        const QString why = OutputGate::clean(m_readError.message, OutputGate::lineBytes);
        const QString text = lister->pages() > 0 ? tr("Read %n job(s), then reading failed: %1", nullptr, read).arg(why)
                                                 : tr("Could not read the jobs: %1").arg(why);
        setStatusText(text, Outcome::Category::Error);
        if (m_log)
            m_log->add(text);
    }
    m_lister = nullptr;
    lister->deleteLater();
    rebuildStatusFilter();
    emit readFinished(!m_readError.isError());
}

QList<FineTuningJob> JobsPanel::selectedJobs() const
{
    QModelIndexList rows = m_ui->accountJobsView->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QList<FineTuningJob> jobs;
    for (const QModelIndex& index : std::as_const(rows)) {
        const int row = m_proxy->mapToSource(index).row();
        if (row >= 0 && row < m_model->rowCount())
            jobs << m_model->job(row);
    }
    return jobs;
}

std::optional<FineTuningJob> JobsPanel::currentJob() const
{
    const QModelIndex current = m_ui->accountJobsView->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    const int row = m_proxy->mapToSource(current).row();
    if (row < 0 || row >= m_model->rowCount())
        return std::nullopt;
    return m_model->job(row);
}

void JobsPanel::updateJob(const FineTuningJob& job)
{
    if (!job.id.isEmpty())
        m_model->updateJob(job);
}

void JobsPanel::updateJobs(const QList<FineTuningJob>& jobs)
{
    m_model->updateJobs(jobs);
}

int JobsPanel::activeCount() const
{
    return m_model->activeCount();
}

void JobsPanel::focusFilter()
{
    m_ui->jobsFilterEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui->jobsFilterEdit->selectAll();
}

// "250 jobs, 188 active · read at 10:03": the counts as the rows are now (a cancel changes them), the time of the
// read, and whether the cap left older jobs out.
QString JobsPanel::listSummary() const
{
    const int rows = m_model->rowCount();
    QString text = tr("%n job(s)", nullptr, rows) + QStringLiteral(", ")
        + tr("%n active", nullptr, m_model->activeCount()) + QStringLiteral(" \u00B7 ")
        + tr("read at %1").arg(QLocale().toString(m_readAt.time(), QLocale::ShortFormat));
    if (m_reachedCap)
        text += QStringLiteral(" \u00B7 ")
            + tr("the newest %n only: older jobs were not read (Settings \u2192 Jobs list)", nullptr, rows);
    return text;
}

void JobsPanel::rebuildStatusFilter()
{
    QListWidget* list = m_ui->statusFilterList;
    const QListWidgetItem* chosen = list->currentItem();
    const QString current = chosen ? chosen->data(Qt::UserRole).toString() : keyAll;
    // A status chosen keeps its line (at 0) while it has no jobs: the filter never changes by itself.
    std::optional<StatusLine> kept;
    if (current.startsWith(statusPrefix))
        kept = StatusLine{current.mid(statusPrefix.size()), StatusClass(chosen->data(classRole).toInt()), 0};
    const int total = m_model->rowCount();
    const int active = m_model->activeCount(); // by class: an unknown status is not finished
    const QLocale locale;
    QList<FilterLine> lines{
        {keyAll, tr("All (%1)").arg(locale.toString(total)), QString(), StatusClass::Unknown},
        {keyActive, tr("Active (%1)").arg(locale.toString(active)),
         tr("Jobs not finished: active, stopping, paused, or of a status unknown to FtCancel."), StatusClass::Unknown},
        {keyFinished, tr("Finished (%1)").arg(locale.toString(total - active)), QString(), StatusClass::Unknown},
    };
    for (const StatusLine& line : statusLines(m_model->jobs(), kept)) {
        const QString shown = line.status.isEmpty() ? tr("(no status)") : OutputGate::clean(line.status, 100);
        lines.append({statusPrefix + line.status, QStringLiteral("%1 (%2)").arg(shown, locale.toString(line.count)),
                      line.statusClass == StatusClass::Unknown
                          ? AccountJobsProxyModel::unknownStatusNote(line.status.isEmpty() ? QString() : shown)
                          : QString(),
                      line.statusClass});
    }
    fillStatusFilter(list, lines, current);
    if (m_readAt.isValid() && !m_readError.isError() && !isReading())
        setStatusText(listSummary(), Outcome::Category::Neutral);
    emit countsChanged();
}

void JobsPanel::applyStatusFilter()
{
    const QListWidgetItem* item = m_ui->statusFilterList->currentItem();
    const QString key = item ? item->data(Qt::UserRole).toString() : keyAll;
    if (key == keyActive)
        m_proxy->setGroup(AccountJobsProxyModel::Group::Active);
    else if (key == keyFinished)
        m_proxy->setGroup(AccountJobsProxyModel::Group::Finished);
    else if (key.startsWith(statusPrefix))
        m_proxy->setGroup(AccountJobsProxyModel::Group::Status, key.mid(statusPrefix.size()));
    else
        m_proxy->setGroup(AccountJobsProxyModel::Group::All);
}

void JobsPanel::setStatusText(const QString& text, Outcome::Category category)
{
    m_statusText = text;
    m_statusCategory = category;
    QPalette colored;
    colored.setColor(QPalette::WindowText, StatusColors::forCategory(category, palette(), QPalette::Window));
    m_ui->jobsListStatusLabel->setPalette(colored);
    showStatusText();
}

void JobsPanel::showStatusText()
{
    QLabel* label = m_ui->jobsListStatusLabel;
    label->setText(label->fontMetrics().elidedText(m_statusText, Qt::ElideRight, qMax(label->width(), 100)));
    label->setToolTip(m_statusText.toHtmlEscaped());
    label->setAccessibleDescription(m_statusText);
}

void JobsPanel::applyColors()
{
    m_proxy->setPalette(m_ui->accountJobsView->palette());
    setStatusText(m_statusText, m_statusCategory);
}

void JobsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        QTimer::singleShot(0, this, &JobsPanel::applyColors); // after the children have their new palette too
}

bool JobsPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->accountJobsView && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier) {
            emit enterPressed();
            return true;
        }
    }
    if (watched == m_ui->jobsListStatusLabel && event->type() == QEvent::Resize)
        showStatusText();
    return QWidget::eventFilter(watched, event);
}
