#pragma once

#include <QPlainTextEdit>

// The activity log pane: read-only, wraps long lines (URLs included) instead of scrolling sideways, and keeps its
// newest line in view. QPlainTextEdit follows appended text only while its last line is entirely visible; once
// the viewport shrinks (a panel above it grows, a horizontal scroll bar appears) the last line is cut off and it
// never follows again. This view remembers whether the operator is at the end and, if so, stays there through
// appends and resizes; scrolling up to read stops the following, scrolling back to the end resumes it.
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

    bool m_follow = true;
    bool m_scrolling = false; // our own scrolling, not the operator's
};
