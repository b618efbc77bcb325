#include "cancelspane.h"

#include "batchmodel.h"
#include "cancelbatch.h"
#include "jobsproxymodel.h"
#include "ui_cancelspane.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLocale>

CancelsPane::CancelsPane(QWidget* parent)
    : QWidget(parent),
      m_ui(std::make_unique<Ui::CancelsPane>()),
      m_model(new BatchModel(this)),
      m_proxy(new JobsProxyModel(this))
{
    m_ui->setupUi(this);
    // One row per job, no widget per row; the model batches its updates.
    m_proxy->setSourceModel(m_model);
    m_ui->jobsView->setModel(m_proxy);
    setUpColumns();
    m_ui->jobsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    QItemSelectionModel* selection = m_ui->jobsView->selectionModel();
    connect(selection, &QItemSelectionModel::currentRowChanged, this, &CancelsPane::currentRowChanged);
    connect(selection, &QItemSelectionModel::selectionChanged, this, &CancelsPane::selectionChanged);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &CancelsPane::rowsChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &CancelsPane::rowsAdded);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &CancelsPane::rowsReset);
}

CancelsPane::~CancelsPane()
{
    m_ui->jobsView->setModel(nullptr);
}

void CancelsPane::setUpColumns()
{
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
}

void CancelsPane::setBatch(CancelBatch* batch)
{
    m_batch = batch;
    m_model->setBatch(batch);
}

void CancelsPane::setRowActions(const QList<QAction*>& actions)
{
    m_ui->jobsView->addActions(actions);
}

bool CancelsPane::hasCurrentIndex() const
{
    return m_ui->jobsView->currentIndex().isValid();
}

int CancelsPane::currentRow() const
{
    const QModelIndex current = m_ui->jobsView->currentIndex();
    if (!current.isValid() || !m_batch)
        return -1;
    const int row = m_proxy->mapToSource(current).row();
    return row >= 0 && row < m_batch->rowCount() ? row : -1;
}

QList<int> CancelsPane::selectedRows() const
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

QList<int> CancelsPane::selectionRows() const
{
    QList<int> rows;
    for (const QModelIndex& index : m_ui->jobsView->selectionModel()->selectedRows())
        rows << m_proxy->mapToSource(index).row();
    return rows;
}

void CancelsPane::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_ui->jobsView->selectionModel()->setCurrentIndex(index,
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_ui->jobsView->scrollTo(index);
}

void CancelsPane::applyColors()
{
    m_proxy->setPalette(m_ui->jobsView->palette());
}
