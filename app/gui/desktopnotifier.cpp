#include "desktopnotifier.h"

#include <QApplication>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QWidget>

namespace {
constexpr int messageMs = 10000;
}

DesktopNotifier::DesktopNotifier(QWidget* window) : QObject(window), m_window(window), m_hideTray(new QTimer(this))
{
    setObjectName(QStringLiteral("desktopNotifier"));
    m_hideTray->setSingleShot(true);
    connect(m_hideTray, &QTimer::timeout, this, [this] {
        if (m_tray)
            m_tray->hide();
    });
}

DesktopNotifier::~DesktopNotifier() = default;

bool DesktopNotifier::notify(const QString& title, const QString& message, bool isError)
{
    bool inTray = false;
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
            m_tray->setToolTip(QApplication::applicationDisplayName());
            // A click on the message brings the window back.
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                if (m_window) {
                    m_window->showNormal();
                    m_window->raise();
                    m_window->activateWindow();
                }
            });
        }
        m_tray->show();
        m_tray->showMessage(title, message, isError ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information,
                            messageMs);
        m_hideTray->start(messageMs + 2000);
        inTray = true;
    }
    if (m_window)
        QApplication::alert(m_window);
    emit notified(title, message, inTray);
    return inTray;
}
