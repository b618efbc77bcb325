#include "historydialog.h"

#include "ui_historydialog.h"

#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QStandardPaths>

namespace {
// What the proxy sorts by: real time for the Time column, numbers for HTTP and Attempts, text elsewhere.
constexpr int sortRole = Qt::UserRole + 1;
constexpr int maxWarningsInTooltip = 20;
constexpr int maxOutcomeColumnWidth = 420;
} // namespace

HistoryDialog::HistoryDialog(const QString& auditPath, QWidget* parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::HistoryDialog>()),
      m_audit(auditPath),
      m_model(new QStandardItemModel(0, ColumnCount, this)),
      m_proxy(new QSortFilterProxyModel(this))
{
    m_ui->setupUi(this);
    m_model->setHorizontalHeaderLabels({tr("Time"), tr("Job ID"), tr("Status / error"), tr("HTTP"), tr("Request ID"),
                                        tr("Organization"), tr("Project"), tr("Host"), tr("Attempts"), tr("Source")});
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(sortRole);
    m_proxy->setFilterKeyColumn(-1); // every column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_ui->historyView->setModel(m_proxy);
    m_ui->historyView->sortByColumn(TimeColumn, Qt::DescendingOrder);

    connect(m_ui->historyFilterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        // Fixed string, not a pattern: a job id or message pasted in must match as typed.
        m_proxy->setFilterFixedString(text.trimmed());
        updateSummary();
    });
    connect(m_ui->refreshHistoryButton, &QPushButton::clicked, this, &HistoryDialog::refresh);
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, &HistoryDialog::exportCsv);
    connect(m_ui->closeHistoryButton, &QPushButton::clicked, this, &QDialog::close);

    refresh();
}

HistoryDialog::~HistoryDialog() = default;

void HistoryDialog::refresh()
{
    // Read on the UI thread: AuditLog reads only the end of the file, at most maxLoadedEntries entries.
    m_read = m_audit.readNewest(maxLoadedEntries);
    // Newest first (the file backwards) in the model too, so entries with the same timestamp keep file order
    // under the stable sort.
    fillModel();
    updateSummary();
}

void HistoryDialog::fillModel()
{
    // Detach the proxy while filling, so it sorts and filters once instead of once per cell.
    m_proxy->setSourceModel(nullptr);
    m_model->setRowCount(0);
    m_model->setRowCount(int(m_read.entries.size()));
    const auto makeItem = [](const QString& text, const QVariant& sortKey) {
        auto* item = new QStandardItem(text);
        item->setData(sortKey, sortRole);
        return item;
    };
    for (int row = 0; row < m_read.entries.size(); ++row) {
        const AuditEntry& e = m_read.entries.at(row);
        auto* time = makeItem(e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                              e.time.toMSecsSinceEpoch());
        time->setToolTip(e.time.toUTC().toString(Qt::ISODateWithMs));
        m_model->setItem(row, TimeColumn, time);
        m_model->setItem(row, JobIdColumn, makeItem(e.jobId, e.jobId));

        QString outcome = e.status;
        if (e.isError()) {
            const QString message = e.errorMessage.simplified();
            outcome = message.isEmpty() ? tr("Error (%1)").arg(e.errorKind)
                                        : tr("Error (%1): %2").arg(e.errorKind, message);
        }
        auto* outcomeItem = makeItem(outcome, outcome);
        if (e.isError()) {
            outcomeItem->setToolTip(e.errorMessage);
            outcomeItem->setForeground(QColor(0xb3, 0x26, 0x1e));
        }
        m_model->setItem(row, OutcomeColumn, outcomeItem);

        m_model->setItem(row, HttpColumn,
                         makeItem(e.httpStatus != 0 ? QString::number(e.httpStatus) : QString(), e.httpStatus));
        m_model->setItem(row, RequestIdColumn, makeItem(e.requestId, e.requestId));
        m_model->setItem(row, OrganizationColumn, makeItem(e.organization, e.organization));
        m_model->setItem(row, ProjectColumn, makeItem(e.project, e.project));
        m_model->setItem(row, HostColumn, makeItem(e.baseHost, e.baseHost));
        m_model->setItem(row, AttemptsColumn, makeItem(QString::number(e.attempts), e.attempts));
        QString source = e.source;
        if (e.source == QLatin1String("window"))
            source = tr("Window");
        else if (e.source == QLatin1String("cli"))
            source = tr("Command line");
        m_model->setItem(row, SourceColumn, makeItem(source, source));
    }
    m_proxy->setSourceModel(m_model);
    QHeaderView* header = m_ui->historyView->horizontalHeader();
    // Keep the order the operator chose (newest first until they click a header).
    m_ui->historyView->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    m_ui->historyView->resizeColumnsToContents();
    if (m_ui->historyView->columnWidth(OutcomeColumn) > maxOutcomeColumnWidth)
        m_ui->historyView->setColumnWidth(OutcomeColumn, maxOutcomeColumnWidth);
}

void HistoryDialog::updateSummary()
{
    const int total = int(m_read.entries.size());
    const int shown = m_proxy->rowCount();
    QString text;
    if (!m_read.error.isEmpty()) {
        text = tr("Could not read the history: %1").arg(m_read.error);
    } else if (total == 0 && m_read.skippedLines() == 0 && m_read.notLoadedBytes == 0) {
        text = tr("No cancel attempts recorded yet.");
    } else {
        text = m_proxy->filterRegularExpression().pattern().isEmpty()
            ? tr("%n record(s)", nullptr, total)
            : tr("%1 of %n record(s) shown", nullptr, total).arg(shown);
        if (m_read.damagedLines > 0)
            text += tr(", %n damaged line(s) skipped", nullptr, m_read.damagedLines);
        if (m_read.overlongLines > 0)
            text += tr(", %n over-long line(s) skipped", nullptr, m_read.overlongLines);
        if (m_read.notLoadedBytes > 0)
            text += tr("; older entries not loaded (the first %1 of the file)")
                        .arg(QLocale().formattedDataSize(m_read.notLoadedBytes));
    }
    m_ui->historySummaryLabel->setText(text);
    QStringList tip = m_read.warnings.mid(0, maxWarningsInTooltip);
    // Warnings are kept for the newest lines only; the counts cover every line.
    if (const int more = m_read.skippedLines() - int(tip.size()); more > 0)
        tip << tr("…and %n more.", nullptr, more);
    m_ui->historySummaryLabel->setToolTip(tip.join(u'\n'));
    m_ui->exportCsvButton->setEnabled(shown > 0);
}

QList<AuditEntry> HistoryDialog::shownEntries() const
{
    QList<AuditEntry> rows;
    rows.reserve(m_proxy->rowCount());
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        rows.append(m_read.entries.at(m_proxy->mapToSource(m_proxy->index(row, 0)).row()));
    return rows;
}

void HistoryDialog::exportCsv()
{
    // Non-blocking like the window's Save log: attempts keep being recorded while the dialog is open.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto* dialog
        = new QFileDialog(this, tr("Export History"), QDir(dir).filePath(QStringLiteral("ftcancel-history.csv")),
                          tr("CSV files (*.csv);;All files (*)"));
    dialog->setObjectName(QStringLiteral("exportCsvDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        // The rows shown when the file is chosen, in the order shown.
        const QList<AuditEntry> rows = shownEntries();
        QString error;
        if (AuditLog::exportCsv(path, rows, &error)) {
            m_ui->historyMessageLabel->setText(
                tr("Exported %n record(s) to %1.", nullptr, int(rows.size())).arg(QDir::toNativeSeparators(path)));
        } else {
            m_ui->historyMessageLabel->setText(
                tr("Could not export to %1: %2").arg(QDir::toNativeSeparators(path), error));
        }
    });
    dialog->open();
}
