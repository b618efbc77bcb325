#include "historydialog.h"

#include "provider.h"
#include "ui_historydialog.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <algorithm>
#include <array>

namespace {
// What the proxy sorts by: real time for the Time column, numbers for HTTP and Attempts, text elsewhere.
constexpr int sortRole = Qt::UserRole + 1;
constexpr int maxWarningsInTooltip = 20;
constexpr int maxOutcomeColumnWidth = 420;
// Column widths follow the contents of this many rows (and the visible ones), not all ten thousand.
constexpr int resizeSampleRows = 200;

enum Column {
    TimeColumn,
    JobIdColumn,
    OutcomeColumn,
    HttpColumn,
    RequestIdColumn,
    ProfileColumn,
    ProviderColumn,
    OrganizationColumn,
    ProjectColumn,
    HostColumn,
    AttemptsColumn,
    SourceColumn,
    ColumnCount
};

// Qt shows a tooltip as rich text when it looks like HTML, so a message from a server such as "<img src=…>" or
// "<a href=…>" would be rendered (and fetched, or made a link). Escaped inside a paragraph of our own, the
// tooltip is rich text on purpose and shows such text exactly as written.
QString textTooltip(const QString& text)
{
    if (text.isEmpty())
        return QString();
    return QStringLiteral("<p style=\"white-space:pre-wrap\">") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

// One row of the table, every text made in the background.
struct Row
{
    std::array<QString, ColumnCount> text;
    std::array<QVariant, ColumnCount> sortKey;
    QString timeTip;
    QString outcomeTip;
    bool error = false;
};
} // namespace

struct HistoryDialog::Loaded
{
    AuditReadResult read; // entries in row order: newest first
    QList<Row> rows;
};

// The rows as a read-only table. One object per cell, as QStandardItemModel makes them, would take the window
// away for a noticeable moment with ten thousand rows; here handing the rows over is a swap.
class HistoryDialog::TableModel final : public QAbstractTableModel
{
public:
    TableModel(const QStringList& headers, QObject* parent) : QAbstractTableModel(parent), m_headers(headers) { }

    void setLoaded(std::shared_ptr<const Loaded> loaded)
    {
        beginResetModel();
        m_loaded = std::move(loaded);
        endResetModel();
    }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override
    {
        return parent.isValid() || !m_loaded ? 0 : int(m_loaded->rows.size());
    }
    int columnCount(const QModelIndex& parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }

    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!index.isValid() || !m_loaded || index.row() >= m_loaded->rows.size())
            return QVariant();
        const Row& row = m_loaded->rows.at(index.row());
        switch (role) {
        case Qt::DisplayRole:
            return row.text.at(size_t(index.column()));
        case sortRole:
            return row.sortKey.at(size_t(index.column()));
        case Qt::ToolTipRole:
            if (index.column() == TimeColumn)
                return row.timeTip;
            if (index.column() == OutcomeColumn && !row.outcomeTip.isEmpty())
                return row.outcomeTip;
            return QVariant();
        case Qt::ForegroundRole:
            if (index.column() == OutcomeColumn && row.error)
                return QColor(0xb3, 0x26, 0x1e);
            return QVariant();
        default:
            return QVariant();
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < m_headers.size())
            return m_headers.at(section);
        return QAbstractTableModel::headerData(section, orientation, role);
    }

private:
    QStringList m_headers;
    std::shared_ptr<const Loaded> m_loaded;
};

// The text filter across every column, and on top of it the profile and provider chosen (empty: any).
class HistoryDialog::Proxy final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setAccount(const QString& profile, const QString& provider)
    {
        m_profile = profile;
        m_provider = provider;
        invalidateFilter();
    }
    bool filtersAccount() const { return !m_profile.isEmpty() || !m_provider.isEmpty(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        const auto matches = [&](int column, const QString& wanted) {
            return wanted.isEmpty() || sourceModel()->index(row, column, parent).data(::sortRole).toString() == wanted;
        };
        return matches(ProfileColumn, m_profile) && matches(ProviderColumn, m_provider)
            && QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

private:
    QString m_profile; // the profile's name; a space alone stands for "none" (environment variables)
    QString m_provider; // the provider's key
};

HistoryDialog::HistoryDialog(const QString& auditPath, QWidget* parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::HistoryDialog>()),
      m_audit(auditPath),
      m_model(
          new TableModel({tr("Time"), tr("Job ID"), tr("Status / error"), tr("HTTP"), tr("Request ID"), tr("Profile"),
                          tr("Provider"), tr("Organization"), tr("Project"), tr("Host"), tr("Attempts"), tr("Source")},
                         this)),
      m_proxy(new Proxy(this)),
      m_loader(new QFutureWatcher<std::shared_ptr<const Loaded>>(this)),
      m_loaded(std::make_shared<const Loaded>())
{
    m_ui->setupUi(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(sortRole);
    m_proxy->setFilterKeyColumn(-1); // every column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_ui->historyView->setModel(m_proxy);
    m_ui->historyView->sortByColumn(TimeColumn, Qt::DescendingOrder);
    m_ui->historyView->horizontalHeader()->setResizeContentsPrecision(resizeSampleRows);

    connect(m_ui->historyFilterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        // Fixed string, not a pattern: a job id or message pasted in must match as typed.
        m_proxy->setFilterFixedString(text.trimmed());
        updateSummary();
    });
    const auto accountChosen = [this] {
        m_proxy->setAccount(m_ui->profileFilterCombo->currentData().toString(),
                            m_ui->providerFilterCombo->currentData().toString());
        updateSummary();
    };
    connect(m_ui->profileFilterCombo, &QComboBox::currentIndexChanged, this, accountChosen);
    connect(m_ui->providerFilterCombo, &QComboBox::currentIndexChanged, this, accountChosen);
    connect(m_ui->refreshHistoryButton, &QPushButton::clicked, this, &HistoryDialog::refresh);
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, &HistoryDialog::exportCsv);
    connect(m_ui->closeHistoryButton, &QPushButton::clicked, this, &QDialog::close);
    connect(m_loader, &QFutureWatcherBase::finished, this, &HistoryDialog::onLoaded);

    refresh();
}

HistoryDialog::~HistoryDialog()
{
    // Neither the read nor the rows being made hold anything of this dialog, and the watcher goes with it, so
    // nothing is delivered here any more. Cancelling only spares the thread pool the rest of the file.
    m_reading.cancel();
}

void HistoryDialog::refresh()
{
    if (m_loading) {
        m_reloadWanted = true;
        return;
    }
    m_loading = true;
    m_reloadWanted = false;
    m_reading = m_audit.readNewestInBackground(maxLoadedEntries);
    m_loader->setFuture(m_reading.then(QtFuture::Launch::Async, &HistoryDialog::makeRows));
    updateSummary();
}

std::shared_ptr<const HistoryDialog::Loaded> HistoryDialog::makeRows(const AuditReadResult& read)
{
    // In the thread pool: nothing here may touch a widget or the dialog.
    auto loaded = std::make_shared<Loaded>();
    loaded->read = read;
    loaded->rows.reserve(read.entries.size());
    for (const AuditEntry& e : read.entries) {
        Row row;
        const auto set = [&row](Column column, const QString& text, const QVariant& sortKey) {
            row.text.at(column) = text;
            row.sortKey.at(column) = sortKey;
        };
        set(TimeColumn, e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
            e.time.toMSecsSinceEpoch());
        row.timeTip = e.time.toUTC().toString(Qt::ISODateWithMs);
        set(JobIdColumn, e.jobId, e.jobId);
        QString outcome = e.status;
        if (e.isError()) {
            const QString message = e.errorMessage.simplified();
            outcome = message.isEmpty() ? tr("Error (%1)").arg(e.errorKind)
                                        : tr("Error (%1): %2").arg(e.errorKind, message);
            row.outcomeTip = textTooltip(e.errorMessage);
            row.error = true;
        }
        set(OutcomeColumn, outcome, outcome);
        set(HttpColumn, e.httpStatus != 0 ? QString::number(e.httpStatus) : QString(), e.httpStatus);
        set(RequestIdColumn, e.requestId, e.requestId);
        // Sorted and filtered by the name itself; a space stands for "no profile", which no name can be.
        set(ProfileColumn, e.profile.isEmpty() ? tr("(none)") : e.profile,
            e.profile.isEmpty() ? QStringLiteral(" ") : e.profile);
        const ProviderInfo* provider = ProviderInfo::byKey(e.provider);
        set(ProviderColumn, provider ? provider->displayName : e.provider, e.provider);
        set(OrganizationColumn, e.organization, e.organization);
        set(ProjectColumn, e.project, e.project);
        set(HostColumn, e.baseHost, e.baseHost);
        set(AttemptsColumn, QString::number(e.attempts), e.attempts);
        QString source = e.source;
        if (e.source == QLatin1String("window"))
            source = tr("Window");
        else if (e.source == QLatin1String("cli"))
            source = tr("Command line");
        set(SourceColumn, source, source);
        loaded->rows.append(std::move(row));
    }
    return loaded;
}

void HistoryDialog::onLoaded()
{
    const QFuture<std::shared_ptr<const Loaded>> future = m_loader->future();
    std::shared_ptr<const Loaded> result = future.resultCount() > 0 ? future.result() : nullptr;
    m_loaded = result ? std::move(result) : std::make_shared<const Loaded>();
    m_loading = false;
    fillAccountFilters();
    showRows();
    updateSummary();
    emit loaded();
    if (m_reloadWanted)
        refresh();
}

void HistoryDialog::fillAccountFilters()
{
    // The profiles and providers the trail names, keeping the choice made when it is still among them.
    QStringList profiles;
    QStringList providers;
    for (const AuditEntry& e : m_loaded->read.entries) {
        const QString profile = e.profile.isEmpty() ? QStringLiteral(" ") : e.profile;
        if (!profiles.contains(profile))
            profiles << profile;
        if (!providers.contains(e.provider))
            providers << e.provider;
    }
    profiles.sort();
    providers.sort();
    const auto fill = [](QComboBox* combo, const QString& all, const QStringList& values, const auto& label) {
        const QString chosen = combo->currentData().toString();
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem(all, QString());
        for (const QString& value : values)
            combo->addItem(label(value), value);
        combo->setCurrentIndex(std::max(0, combo->findData(chosen)));
    };
    fill(m_ui->profileFilterCombo, tr("All profiles"), profiles,
         [](const QString& name) { return name == QLatin1String(" ") ? tr("(none)") : name; });
    fill(m_ui->providerFilterCombo, tr("All providers"), providers, [](const QString& key) {
        const ProviderInfo* provider = ProviderInfo::byKey(key);
        return provider ? provider->displayName : key;
    });
    m_proxy->setAccount(m_ui->profileFilterCombo->currentData().toString(),
                        m_ui->providerFilterCombo->currentData().toString());
}

void HistoryDialog::showRows()
{
    // Rows newest first (the file backwards), so entries with the same timestamp keep that order under the
    // stable sort.
    m_model->setLoaded(m_loaded);
    QHeaderView* header = m_ui->historyView->horizontalHeader();
    // Keep the order the operator chose (newest first until they click a header).
    m_ui->historyView->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    m_ui->historyView->resizeColumnsToContents();
    if (m_ui->historyView->columnWidth(OutcomeColumn) > maxOutcomeColumnWidth)
        m_ui->historyView->setColumnWidth(OutcomeColumn, maxOutcomeColumnWidth);
}

void HistoryDialog::updateSummary()
{
    const AuditReadResult& read = m_loaded->read;
    const int total = int(read.entries.size());
    const int shown = m_proxy->rowCount();
    QString text;
    if (m_loading) {
        text = tr("Loading…");
    } else if (!read.error.isEmpty()) {
        text = tr("Could not read the history: %1").arg(read.error);
    } else if (total == 0 && read.skippedLines() == 0 && read.notLoadedBytes == 0) {
        text = tr("No cancel attempts recorded yet.");
    } else {
        text = m_proxy->filterRegularExpression().pattern().isEmpty() && !m_proxy->filtersAccount()
            ? tr("%n record(s)", nullptr, total)
            : tr("%1 of %n record(s) shown", nullptr, total).arg(shown);
        if (read.damagedLines > 0)
            text += tr(", %n damaged line(s) skipped", nullptr, read.damagedLines);
        if (read.overlongLines > 0)
            text += tr(", %n over-long line(s) skipped", nullptr, read.overlongLines);
        if (read.notLoadedBytes > 0)
            text += tr("; older entries not loaded (the first %1 of the file)")
                        .arg(QLocale().formattedDataSize(read.notLoadedBytes));
    }
    m_ui->historySummaryLabel->setText(text);
    QStringList tip = read.warnings.mid(0, maxWarningsInTooltip);
    // Warnings are kept for the newest lines only; the counts cover every line.
    if (const int more = read.skippedLines() - int(tip.size()); more > 0)
        tip << tr("…and %n more.", nullptr, more);
    m_ui->historySummaryLabel->setToolTip(textTooltip(tip.join(u'\n')));
    m_ui->exportCsvButton->setEnabled(shown > 0);
}

QList<AuditEntry> HistoryDialog::shownEntries() const
{
    QList<AuditEntry> rows;
    rows.reserve(m_proxy->rowCount());
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        rows.append(m_loaded->read.entries.at(m_proxy->mapToSource(m_proxy->index(row, 0)).row()));
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
