#pragma once

#include "command.h"
#include "profilestore.h"

#include <QByteArray>
#include <termios.h>

class QSocketNotifier;
class SecretStore;

// `ftcancel profile list [--json] | add NAME --provider P … | remove NAME | rename OLD NEW | default [NAME]`.
// The key of `add` is read from standard input (a terminal is asked, without echo), never from an argument.
// Exit 0 done, 2 a mistake in the arguments (nothing changed), 3 the keychain failed.
class ProfileCommand final : public Command
{
    Q_OBJECT

public:
    ProfileCommand(Console& console, const CliOptions& options, QObject* parent);
    ~ProfileCommand() override;
    void run();
    bool stop() override;

private:
    void runAction();
    void list();
    void printList(const QList<Profile>& profiles);
    void add();
    bool profileFromOptions(Profile* p);
    void readKey();
    void onKeyInput();
    void keyRead(const QByteArray& input);
    void remove();
    void rename();
    void makeDefault();
    bool wantWords(int count, const QString& usage);
    // The end of a keychain operation: its problem said, exit 0, 2 (refused) or 3 (the keychain).
    void finish(const ProfileStore::Outcome& outcome, const QString& success);
    void restoreEcho();

    SecretStore* m_secrets;
    ProfileStore* m_store;
    QString m_action;
    Profile m_new;
    QSocketNotifier* m_keyNotifier = nullptr;
    QByteArray m_keyInput;
    bool m_echoOff = false;
    termios m_savedTerminal{};
};
