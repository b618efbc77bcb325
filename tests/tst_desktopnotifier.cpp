#include "appinfo.h"
#include "desktopnotifier.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusMessage>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>
#include <QWidget>

// The desktop's notification service as the specification (org.freedesktop.Notifications) has it, on a connection of
// its own to the test's private session bus, so every call crosses the real bus daemon. It records what it is told.
class NotificationService final : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString appName;
        uint replacesId = 0;
        QString icon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
    };
    QList<Call> calls;
    bool refuse = false;

public slots:
    uint Notify(const QString& appName, uint replacesId, const QString& icon, const QString& summary,
                const QString& body, const QStringList& actions, const QVariantMap& hints, int expireTimeout)
    {
        Q_UNUSED(expireTimeout);
        calls.append({appName, replacesId, icon, summary, body, actions, hints});
        if (refuse) {
            sendErrorReply(QDBusError::AccessDenied, QStringLiteral("not now"));
            return 0;
        }
        return uint(calls.size()) + 41;
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
};

class TestDesktopNotifier final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void goesToTheNotificationService();
    void clickOnTheNotificationShowsTheWindow();
    void withoutTheServiceOnlyTheWindowAsks();
    void aRefusingServiceFallsBack();

private:
    bool startService();

    std::unique_ptr<NotificationService> m_service;
};

void TestDesktopNotifier::initTestCase()
{
    AppInfo::applyToApplication();
    QVERIFY2(QDBusConnection::sessionBus().isConnected(), "the test runs on a private session bus (KEYRING)");
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen: no tray, so the fallback is the alert alone
}

bool TestDesktopNotifier::startService()
{
    m_service = std::make_unique<NotificationService>();
    QDBusConnection connection
        = QDBusConnection::connectToBus(QDBusConnection::SessionBus, QStringLiteral("notifications"));
    return connection.isConnected()
        && connection.registerObject(QStringLiteral("/org/freedesktop/Notifications"), m_service.get(),
                                     QDBusConnection::ExportAllSlots)
        && connection.registerService(QStringLiteral("org.freedesktop.Notifications"));
}

void TestDesktopNotifier::cleanup()
{
    if (m_service) {
        QDBusConnection connection
            = QDBusConnection::connectToBus(QDBusConnection::SessionBus, QStringLiteral("notifications"));
        connection.unregisterService(QStringLiteral("org.freedesktop.Notifications"));
        connection.unregisterObject(QStringLiteral("/org/freedesktop/Notifications"));
        m_service.reset();
        QDBusConnection::disconnectFromBus(QStringLiteral("notifications"));
    }
}

void TestDesktopNotifier::goesToTheNotificationService()
{
    QVERIFY(startService());
    QWidget window;
    DesktopNotifier notifier(&window);
    QSignalSpy notified(&notifier, &DesktopNotifier::notified);
    notifier.notify(QStringLiteral("FtCancel: jobs done"), QStringLiteral("3 cancelled <b>&</b>"), true);
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.first().at(2).value<DesktopNotifier::Channel>(), DesktopNotifier::Channel::NotificationService);
    QCOMPARE(m_service->calls.size(), 1);
    const NotificationService::Call& call = m_service->calls.first();
    QCOMPARE(call.summary, QStringLiteral("FtCancel: jobs done"));
    // Plain text stays plain where the service reads the body as markup.
    QCOMPARE(call.body, QStringLiteral("3 cancelled &lt;b&gt;&amp;&lt;/b&gt;"));
    QCOMPARE(call.icon, AppInfo::appId());
    QCOMPARE(call.hints.value(QStringLiteral("desktop-entry")).toString(), AppInfo::appId());
    QCOMPARE(call.hints.value(QStringLiteral("urgency")).toInt(), 2); // critical: something needs the operator
    QVERIFY(call.actions.contains(QStringLiteral("default")));
    QCOMPARE(call.replacesId, 0u);

    // The next one replaces it instead of piling up.
    notifier.notify(QStringLiteral("FtCancel: jobs done"), QStringLiteral("1 cancelled"), false);
    QTRY_COMPARE(notified.size(), 2);
    QCOMPARE(m_service->calls.at(1).replacesId, 42u);
    QCOMPARE(m_service->calls.at(1).hints.value(QStringLiteral("urgency")).toInt(), 1);
}

void TestDesktopNotifier::clickOnTheNotificationShowsTheWindow()
{
    QVERIFY(startService());
    QWidget window;
    window.show();
    window.showMinimized();
    QTRY_VERIFY(window.isMinimized());
    DesktopNotifier notifier(&window);
    QSignalSpy notified(&notifier, &DesktopNotifier::notified);
    notifier.notify(QStringLiteral("t"), QStringLiteral("m"), false);
    QTRY_COMPARE(notified.size(), 1);
    // The service says the operator clicked it: a signal on the bus, as a notification daemon sends it.
    QDBusMessage clicked
        = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                                     QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
    clicked << 42u << QStringLiteral("default");
    QVERIFY(QDBusConnection::connectToBus(QDBusConnection::SessionBus, QStringLiteral("notifications")).send(clicked));
    QTRY_VERIFY(!window.isMinimized());
}

void TestDesktopNotifier::withoutTheServiceOnlyTheWindowAsks()
{
    QVERIFY(!QDBusConnection::sessionBus().interface()->isServiceRegistered(
        QStringLiteral("org.freedesktop.Notifications")));
    QWidget window;
    DesktopNotifier notifier(&window);
    QSignalSpy notified(&notifier, &DesktopNotifier::notified);
    notifier.notify(QStringLiteral("t"), QStringLiteral("m"), false);
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.first().at(2).value<DesktopNotifier::Channel>(), DesktopNotifier::Channel::AlertOnly);
}

void TestDesktopNotifier::aRefusingServiceFallsBack()
{
    QVERIFY(startService());
    m_service->refuse = true;
    QWidget window;
    DesktopNotifier notifier(&window);
    QSignalSpy notified(&notifier, &DesktopNotifier::notified);
    notifier.notify(QStringLiteral("t"), QStringLiteral("m"), false);
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(m_service->calls.size(), 1);
    QCOMPARE(notified.first().at(2).value<DesktopNotifier::Channel>(), DesktopNotifier::Channel::AlertOnly);
}

QTEST_MAIN(TestDesktopNotifier)
#include "tst_desktopnotifier.moc"
