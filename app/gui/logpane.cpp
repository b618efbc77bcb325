#include "logpane.h"

#include "activitylog.h"
#include "logview.h"
#include "ui_logpane.h"

#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QStandardPaths>

LogPane::LogPane(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::LogPane>())
{
    m_ui->setupUi(this);
    // Two lines at the least: with everything shown the window still fits a 2x-scaled 1080p screen and its panel.
    m_ui->logView->setMinimumHeight(2 * m_ui->logView->fontMetrics().lineSpacing());
    connect(m_ui->copyLogButton, &QPushButton::clicked, this, &LogPane::copyLog);
    connect(m_ui->saveLogButton, &QPushButton::clicked, this, &LogPane::saveLog);
}

LogPane::~LogPane() = default;

void LogPane::setLog(ActivityLog* log, int lineLimit)
{
    m_log = log;
    m_ui->logView->setMaximumBlockCount(lineLimit);
    connect(log, &ActivityLog::lineAdded, m_ui->logView, &LogView::appendLine);
    connect(log, &ActivityLog::cleared, m_ui->logView, &LogView::clearLines);
    connect(m_ui->clearLogButton, &QPushButton::clicked, log, &ActivityLog::clear);
}

LogView* LogPane::view() const
{
    return m_ui->logView;
}

void LogPane::copyLog()
{
    if (!m_log)
        return;
    QGuiApplication::clipboard()->setText(m_log->text());
    emit message(tr("Log copied (%n line(s)).", nullptr, int(m_log->lines().size())), 5000);
}

void LogPane::saveLog()
{
    // A non-blocking dialog: the window keeps running (and requests keep finishing) while it is open.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto* dialog = new QFileDialog(window(), tr("Save Log"), QDir(dir).filePath(QStringLiteral("ftcancel-log.txt")),
                                   tr("Text files (*.txt);;All files (*)"));
    dialog->setObjectName(QStringLiteral("saveLogDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("txt"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        QString error;
        if (m_log && m_log->saveTo(path, &error)) {
            emit message(tr("Log saved to %1.").arg(QDir::toNativeSeparators(path)), 10000);
        } else if (m_log) {
            const QString message = tr("Could not save the log to %1: %2").arg(QDir::toNativeSeparators(path), error);
            emit this->message(message, 0);
            m_log->add(message);
        }
    });
    dialog->open();
}
