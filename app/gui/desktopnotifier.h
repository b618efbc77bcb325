#pragma once

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QTimer;
class QWidget;

// Tells the operator that something ended while they were looking elsewhere: through the desktop's notification
// service (org.freedesktop.Notifications on the session bus, asked asynchronously), else a message from a tray icon
// where the desktop has a system tray, and the window asking for attention (QApplication::alert) everywhere. Where
// there is neither (offscreen, a bare X server) only the alert remains; nothing fails and nothing blocks.
// notified() says what was said and how it reached the desktop, once the service has answered.
class DesktopNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopNotifier)

public:
    enum class Channel {
        NotificationService, // the desktop's notification service took it
        Tray, // the service is missing or refused: a tray icon's message
        AlertOnly, // neither: only the taskbar entry asks for attention
    };
    Q_ENUM(Channel)

    explicit DesktopNotifier(QWidget* window);
    ~DesktopNotifier() override;

    // title and message are plain text, already through the gate. The answer comes with notified().
    void notify(const QString& title, const QString& message, bool isError);

signals:
    void notified(const QString& title, const QString& message, DesktopNotifier::Channel channel);

private slots:
    // The service's ActionInvoked signal (QtDBus connects signals by signature only).
    void onActionInvoked(uint id, const QString& action);

private:
    void notifyWithoutService(const QString& title, const QString& message, bool isError);
    void showWindow();

    QPointer<QWidget> m_window;
    QSystemTrayIcon* m_tray = nullptr;
    QTimer* m_hideTray;
    uint m_lastId = 0; // the service's id of our last notification: the next one replaces it
    bool m_listening = false; // connected to the service's ActionInvoked signal
};
