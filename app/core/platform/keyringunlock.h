#pragma once

#include <QDBusVariant>
#include <QObject>
#include <QString>

class QTimer;

// Asks the Secret Service (the desktop's keyring: GNOME Keyring, KWallet, KeePassXC) to unlock its default
// collection, the one QtKeychain stores FtCancel's entry in: Service.Unlock, and when the service answers with a
// prompt, Prompt.Prompt — the keyring itself then asks the operator for its password, in its own window; FtCancel
// never sees it. Everything is asynchronous; finished() comes exactly once, then the object deletes itself.
class KeyringUnlock final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyringUnlock)

public:
    enum class Result {
        Unlocked, // the default collection is unlocked now (or was)
        Dismissed, // the prompt was closed or refused: still locked
        Failed, // no Secret Service, no default collection, an error or no answer; message says which
    };
    Q_ENUM(Result)

    // windowId: the native id of the window the keyring's prompt belongs to (0 when none).
    explicit KeyringUnlock(quintptr windowId = 0, QObject* parent = nullptr);

    void start();

    // How long the keyring's prompt may stay open, waiting for the operator.
    static constexpr int promptTimeoutMs = 5 * 60 * 1000;

signals:
    // message: translated, empty for Unlocked.
    void finished(KeyringUnlock::Result result, const QString& message);

private slots:
    // The prompt's Completed signal (QtDBus connects to D-Bus signals by signature only).
    void onPromptCompleted(bool dismissed, const QDBusVariant& result);

private:
    void unlock(const QString& collectionPath);
    void prompt(const QString& promptPath);
    void finish(Result result, const QString& message);

    quintptr m_windowId;
    QString m_promptPath;
    QTimer* m_timeout;
    bool m_done = false;
};
