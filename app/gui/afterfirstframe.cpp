#include "afterfirstframe.h"

#include <QEvent>
#include <QWindow>

AfterFirstFrame::AfterFirstFrame(QWindow* window, std::function<void()> then) : QObject(window), m_then(std::move(then))
{
    window->installEventFilter(this);
}

bool AfterFirstFrame::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Expose && m_then && static_cast<QWindow*>(watched)->isExposed()) {
        QMetaObject::invokeMethod(this, m_then, Qt::QueuedConnection);
        m_then = nullptr;
    }
    return QObject::eventFilter(watched, event);
}
