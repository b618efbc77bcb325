#include "logview.h"

#include <QScrollBar>
#include <QTextCursor>

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

LogView::~LogView()
{
    endLines();
}

void LogView::appendLine(const QString& line)
{
    const int limit = maximumBlockCount();
    if (!m_follow && limit > 0 && blockCount() >= limit) {
        // Full, and the operator is reading further up: one at a time, so that QPlainTextEdit keeps the lines in
        // view where they are as the oldest go.
        endLines();
        m_scrolling = true;
        appendPlainText(line);
        m_scrolling = false;
        return;
    }
    // The line is in the document at once (what the pane holds is always complete); QPlainTextEdit hears of it when
    // the edit ends, once the event loop runs again, for every line added meanwhile. Told of one line it lays that
    // line out at once (shaping its text), shown or not; told of many, it lays out only those it shows.
    if (!m_lines) {
        m_lines = std::make_unique<QTextCursor>(document());
        m_lines->beginEditBlock();
        // setPosition, not movePosition: moving a cursor lays its block out; within an edit nothing is laid out.
        // Lines only ever go in at the end, so the cursor stays there.
        m_lines->setPosition(document()->characterCount() - 1);
        QMetaObject::invokeMethod(this, &LogView::endLines, Qt::QueuedConnection);
    }
    if (!document()->isEmpty())
        m_lines->insertBlock();
    m_lines->insertText(line);
}

void LogView::endLines()
{
    if (!m_lines)
        return;
    m_scrolling = true;
    m_lines->endEditBlock();
    m_lines.reset();
    m_scrolling = false;
    if (m_follow)
        scrollToEnd();
}

void LogView::clearLines()
{
    endLines();
    clear();
    m_follow = true;
}

void LogView::resizeEvent(QResizeEvent* event)
{
    endLines(); // the layout knows every line before it lays them out again
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
