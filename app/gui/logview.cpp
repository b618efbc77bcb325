#include "logview.h"

#include <QScrollBar>

LogView::LogView(QWidget* parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    // A URL or a request id has no spaces: break it anywhere rather than scroll sideways.
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QScrollBar* bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        if (!m_scrolling)
            m_follow = value >= bar->maximum();
    });
    // More lines, or fewer lines in view (a resize): still at the end when we were.
    connect(bar, &QScrollBar::rangeChanged, this, [this] {
        if (m_follow && !m_scrolling)
            scrollToEnd();
    });
}

LogView::~LogView() = default;

void LogView::appendLine(const QString& line)
{
    m_scrolling = true;
    appendPlainText(line);
    m_scrolling = false;
    if (m_follow)
        scrollToEnd();
}

void LogView::clearLines()
{
    clear();
    m_follow = true;
}

void LogView::resizeEvent(QResizeEvent* event)
{
    const bool follow = m_follow;
    m_scrolling = true;
    QPlainTextEdit::resizeEvent(event);
    m_scrolling = false;
    m_follow = follow;
    if (m_follow)
        scrollToEnd();
}

void LogView::scrollToEnd()
{
    m_scrolling = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_scrolling = false;
}
