#pragma once

#include <QPlainTextEdit>

#include <memory>

class QTextCursor;

// The activity log pane: read-only, wraps long lines (URLs included) instead of scrolling sideways, and keeps its
// newest line in view. QPlainTextEdit follows appended text only while its last line is entirely visible; once
// the viewport shrinks (a panel above it grows, a horizontal scroll bar appears) the last line is cut off and it
// never follows again. This view remembers whether the operator is at the end and, if so, stays there through
// appends and resizes; scrolling up to read stops the following, scrolling back to the end resumes it. A line is in
// the document as soon as it is added, but the lines added until the event loop runs again reach the view in one
// edit: QPlainTextEdit lays out a line appended on its own at once, shown or not, and lines appended together only
// when they are shown (3,000 lines of a 1,000-job batch, one by one, took a third of the window's time).
class LogView final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogView)

public:
    explicit LogView(QWidget* parent = nullptr);
    ~LogView() override;

    void appendLine(const QString& line);
    void clearLines();
    bool followsEnd() const { return m_follow; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void scrollToEnd();
    void endLines();

    bool m_follow = true;
    bool m_scrolling = false; // our own scrolling, not the operator's
    std::unique_ptr<QTextCursor> m_lines; // the edit that lines go into until the event loop runs again
};
