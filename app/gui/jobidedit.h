#pragma once

#include <QClipboard>
#include <QLineEdit>

// The job field: a line edit for one id or several. QLineEdit keeps one line, so a pasted list (ids one per line,
// a JSON array, a log excerpt) would lose lines or run together; such a paste — from the keyboard, the context
// menu, a middle click or a drop — does not go into the field but is handed over whole as multiLinePasted(), for
// the window to turn into rows. A paste of one line goes into the field (trimmed), as it always did.
class JobIdEdit final : public QLineEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobIdEdit)

public:
    explicit JobIdEdit(QWidget* parent = nullptr);
    ~JobIdEdit() override;

    // Pastes from the clipboard (or the X11 selection) as described above.
    void pasteText(QClipboard::Mode mode = QClipboard::Clipboard);
    // Whether text holds more than one non-empty line.
    static bool isMultiLine(const QString& text);

signals:
    void multiLinePasted(const QString& text);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void take(const QString& text);
};
