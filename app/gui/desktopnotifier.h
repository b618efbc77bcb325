#pragma once

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QTimer;
class QWidget;

// Tells the operator that something ended while they were looking elsewhere: a message from a tray icon where the
// desktop has a system tray (QSystemTrayIcon::showMessage; the icon shows only while the message does), and the
// window asking for attention (QApplication::alert) everywhere. Where there is no tray (offscreen, some Wayland
// desktops) only the alert remains; nothing fails. notified() says what was said and whether a tray showed it.
class DesktopNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopNotifier)

public:
    explicit DesktopNotifier(QWidget* window);
    ~DesktopNotifier() override;

    // Returns whether a tray message was shown. title and message are plain text, already through the gate.
    bool notify(const QString& title, const QString& message, bool isError);

signals:
    void notified(const QString& title, const QString& message, bool shownInTray);

private:
    QPointer<QWidget> m_window;
    QSystemTrayIcon* m_tray = nullptr;
    QTimer* m_hideTray;
};
