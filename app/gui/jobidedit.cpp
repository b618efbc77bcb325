#include "jobidedit.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>
#include <QMimeData>

JobIdEdit::JobIdEdit(QWidget* parent) : QLineEdit(parent) { }

JobIdEdit::~JobIdEdit() = default;

bool JobIdEdit::isMultiLine(const QString& text)
{
    int lines = 0;
    QStringView rest(text);
    qsizetype start = 0;
    for (qsizetype i = 0; i <= rest.size(); ++i) {
        const bool end = i == rest.size();
        const QChar c = end ? QChar() : rest.at(i);
        if (end || c == u'\n' || c == u'\r' || c == QChar(0x2028) || c == QChar(0x2029) || c == QChar(0x85)) {
            if (!rest.mid(start, i - start).trimmed().isEmpty() && ++lines > 1)
                return true;
            start = i + 1;
        }
    }
    return false;
}

void JobIdEdit::take(const QString& text)
{
    if (isReadOnly())
        return;
    if (isMultiLine(text)) {
        emit multiLinePasted(text);
        return;
    }
    // One line (perhaps with the line break a browser's address bar adds): into the field, without the blanks.
    insert(text.trimmed());
}

void JobIdEdit::pasteText(QClipboard::Mode mode)
{
    take(QGuiApplication::clipboard()->text(mode));
}

void JobIdEdit::keyPressEvent(QKeyEvent* event)
{
    if (event == QKeySequence::Paste) {
        pasteText();
        event->accept();
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void JobIdEdit::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu* menu = createStandardContextMenu();
    menu->setAttribute(Qt::WA_DeleteOnClose);
    // The standard Paste would cut a list at its first line. Qt 6.4 names no action; its text is QLineEdit's own
    // translation of "&Paste" (with the shortcut after a tab).
    const QString pasteText = QLineEdit::tr("&Paste");
    for (QAction* action : menu->actions()) {
        if (action->objectName() != QLatin1String("edit-paste") && action->text().section(u'\t', 0, 0) != pasteText)
            continue;
        action->disconnect(this);
        connect(action, &QAction::triggered, this, [this] { this->pasteText(); });
    }
    menu->popup(event->globalPos());
}

void JobIdEdit::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::MiddleButton && QGuiApplication::clipboard()->supportsSelection()) {
        pasteText(QClipboard::Selection);
        event->accept();
        return;
    }
    QLineEdit::mouseReleaseEvent(event);
}

void JobIdEdit::dropEvent(QDropEvent* event)
{
    if (event->mimeData()->hasText() && isMultiLine(event->mimeData()->text()) && !isReadOnly()) {
        emit multiLinePasted(event->mimeData()->text());
        event->acceptProposedAction();
        return;
    }
    QLineEdit::dropEvent(event);
}
