#include "desktopnotifier.h"

#include "appinfo.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QVariantMap>
#include <QWidget>

namespace {
constexpr int messageMs = 10000;
const QString service = QStringLiteral("org.freedesktop.Notifications");
const QString path = QStringLiteral("/org/freedesktop/Notifications");
const QString interfaceName = QStringLiteral("org.freedesktop.Notifications");
const QString defaultAction = QStringLiteral("default");
// A service that does not answer in this time is taken as absent (the tray takes over).
constexpr int serviceTimeoutMs = 3000;
} // namespace

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

void DesktopNotifier::notify(const QString& title, const QString& message, bool isError)
{
    if (m_window)
        QApplication::alert(m_window);
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return notifyWithoutService(title, message, isError);
    if (!m_listening) {
        // A click on the notification brings the window back. (QtDBus connects to D-Bus signals by name only.)
        m_listening = bus.connect(service, path, interfaceName, QStringLiteral("ActionInvoked"), this,
                                  SLOT(onActionInvoked(uint, QString)));
    }
    QDBusMessage call = QDBusMessage::createMethodCall(service, path, interfaceName, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), AppInfo::appId());
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(isError ? 2 : 1)));
    // The body may be read as markup by the service (the specification's "body-markup"): plain text stays plain.
    call << QApplication::applicationDisplayName() << m_lastId << AppInfo::appId() << title << message.toHtmlEscaped()
         << QStringList{defaultAction, tr("Show FtCancel")} << hints << -1;
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, serviceTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, title, message, isError] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError())
            return notifyWithoutService(title, message, isError);
        m_lastId = reply.value();
        emit notified(title, message, Channel::NotificationService);
    });
}

void DesktopNotifier::notifyWithoutService(const QString& title, const QString& message, bool isError)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        emit notified(title, message, Channel::AlertOnly);
        return;
    }
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(QApplication::applicationDisplayName());
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &DesktopNotifier::showWindow);
    }
    m_tray->show();
    m_tray->showMessage(title, message, isError ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, messageMs);
    m_hideTray->start(messageMs + 2000);
    emit notified(title, message, Channel::Tray);
}

void DesktopNotifier::onActionInvoked(uint id, const QString& action)
{
    if (id == m_lastId && m_lastId != 0 && action == defaultAction)
        showWindow();
}

void DesktopNotifier::showWindow()
{
    if (!m_window)
        return;
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}
