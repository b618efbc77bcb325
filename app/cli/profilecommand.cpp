#include "profilecommand.h"

#include "clioptions.h"
#include "console.h"
#include "outputgate.h"
#include "secretstore.h"

#include <QJsonObject>
#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

ProfileCommand::ProfileCommand(Console& console, const CliOptions& options, QObject* parent)
    : Command(console, options, parent), m_secrets(new SecretStore(this)), m_store(new ProfileStore(m_secrets, this))
{
}

ProfileCommand::~ProfileCommand()
{
    restoreEcho();
}

void ProfileCommand::restoreEcho()
{
    if (m_echoOff)
        ::tcsetattr(STDIN_FILENO, TCSANOW, &m_savedTerminal);
    m_echoOff = false;
}

bool ProfileCommand::stop()
{
    restoreEcho();
    return false;
}

void ProfileCommand::run()
{
    m_action = m_options.positional.value(0);
    static const QStringList actions{QStringLiteral("list"), QStringLiteral("add"), QStringLiteral("remove"),
                                     QStringLiteral("rename"), QStringLiteral("default")};
    if (!actions.contains(m_action)) {
        m_console.err((m_action.isEmpty()
                           ? tr("\u201Cprofile\u201D needs what to do.")
                           : tr("Unknown profile command \u201C%1\u201D.").arg(OutputGate::clean(m_action, 80)))
                      + u' ' + tr("Usage: ftcancel profile list|add|remove|rename|default; see \"ftcancel --help\"."));
        return emit finished(CliExit::BadUsage);
    }
    const bool fieldsGiven = m_options.provider || m_options.apiVersion || m_options.baseUrl || m_options.organization
        || m_options.project;
    if ((fieldsGiven && m_action != QLatin1String("add")) || (m_options.json && m_action != QLatin1String("list"))) {
        m_console.err(tr("Only \u201Cprofile add\u201D takes --provider, --base-url, --org, --project and "
                         "--api-version, and only \u201Cprofile list\u201D takes --json."));
        return emit finished(CliExit::BadUsage);
    }
    if (m_store->isMigrated())
        return runAction();
    // The credential saved before profiles becomes the profile "Default" first, so that it is listed (and named).
    connect(m_store, &ProfileStore::migrated, this, [this](bool, const ProfileStore::Outcome& outcome) {
        // No keyring at all (CI, a container): nothing can have been saved there, nothing worth a warning.
        if (!outcome.isOk() && outcome.status != SecretStore::Status::Unavailable)
            m_console.err(tr("Warning: %1").arg(OutputGate::clean(outcome.message, OutputGate::lineBytes)));
        runAction();
    });
    m_store->migrate();
}

void ProfileCommand::runAction()
{
    if (m_action == QLatin1String("list"))
        return list();
    if (m_action == QLatin1String("add"))
        return add();
    if (m_action == QLatin1String("remove"))
        return remove();
    if (m_action == QLatin1String("rename"))
        return rename();
    makeDefault();
}

bool ProfileCommand::wantWords(int count, const QString& usage)
{
    if (m_options.positional.size() == count + 1)
        return true;
    m_console.err(tr("Usage: %1").arg(usage));
    emit finished(CliExit::BadUsage);
    return false;
}

void ProfileCommand::list()
{
    if (!wantWords(0, QStringLiteral("ftcancel profile list [--json]")))
        return;
    const QList<Profile> profiles = m_store->profiles();
    printList(profiles);
    if (profiles.isEmpty() && !m_options.json)
        m_console.err(tr("No profiles yet. Add one: ftcancel profile add NAME --provider %1 (the key is read from "
                         "standard input).")
                          .arg(ProviderInfo::keys()));
    emit finished(CliExit::AllCancelled);
}

void ProfileCommand::printList(const QList<Profile>& profiles)
{
    const QString defaultName = m_store->defaultName();
    const auto field = [](const QString& text) {
        return text.isEmpty() ? QJsonValue() : QJsonValue(text);
    };
    QList<QStringList> rows{
        {QString(), tr("NAME"), tr("PROVIDER"), tr("BASE URL"), tr("ORGANIZATION"), tr("PROJECT"), tr("API VERSION")}};
    for (const Profile& p : profiles) {
        const ProviderInfo& info = ProviderInfo::of(p.provider);
        const QString baseUrl = OutputGate::clean(p.baseUrl.isEmpty() ? info.defaultBaseUrl : p.baseUrl, 300);
        if (m_options.json) {
            m_console.out(CliText::compact({{QLatin1String("name"), OutputGate::clean(p.name, 200)},
                                            {QLatin1String("provider"), info.key},
                                            {QLatin1String("base_url"), field(baseUrl)},
                                            {QLatin1String("organization"), field(OutputGate::clean(p.organization))},
                                            {QLatin1String("project"), field(OutputGate::clean(p.project))},
                                            {QLatin1String("api_version"), field(OutputGate::clean(p.apiVersion))},
                                            {QLatin1String("default"), p.name == defaultName}}));
            continue;
        }
        rows << QStringList{OutputGate::clean(p.name, 200),
                            info.key,
                            baseUrl,
                            OutputGate::clean(p.organization, 100),
                            OutputGate::clean(p.project, 100),
                            OutputGate::clean(p.apiVersion, 40),
                            p.name == defaultName ? QStringLiteral("*") : QString()};
    }
    if (!m_options.json && !profiles.isEmpty()) {
        for (const QString& line : CliText::alignedColumns(rows))
            m_console.out(line);
    }
}

bool ProfileCommand::profileFromOptions(Profile* p)
{
    p->name = m_options.positional.value(1);
    if (!m_options.provider) {
        m_console.err(tr("\u201Cprofile add\u201D needs --provider %1.").arg(ProviderInfo::keys()));
        return false;
    }
    const ProviderInfo* info = ProviderInfo::byKey(m_options.provider->trimmed());
    if (!info) {
        m_console.err(tr("Unknown provider \u201C%1\u201D: use one of %2.")
                          .arg(OutputGate::clean(*m_options.provider, 80), ProviderInfo::keys(u',')));
        return false;
    }
    p->provider = info->provider;
    p->baseUrl = m_options.baseUrl.value_or(QString()).trimmed();
    p->organization = m_options.organization.value_or(QString()).trimmed();
    p->project = m_options.project.value_or(QString()).trimmed();
    p->apiVersion = m_options.apiVersion.value_or(QString()).trimmed();
    QString problem = m_store->checkName(p->name);
    if (problem.isEmpty())
        problem = ProfileStore::checkFields(*p);
    if (!problem.isEmpty())
        m_console.err(OutputGate::clean(problem, OutputGate::lineBytes));
    return problem.isEmpty();
}

void ProfileCommand::add()
{
    if (!wantWords(1,
                   QStringLiteral("ftcancel profile add NAME --provider %1 [--base-url URL] [--org ID] "
                                  "[--project ID] [--api-version V]")
                       .arg(ProviderInfo::keys())))
        return;
    if (!profileFromOptions(&m_new))
        return emit finished(CliExit::BadUsage);
    connect(m_store, &ProfileStore::added, this, [this](const QString&, const ProfileStore::Outcome& outcome) {
        const bool isDefault = m_store->defaultName() == m_new.name;
        finish(outcome,
               isDefault ? tr("Added the profile \u201C%1\u201D (%2), the default profile.")
                         : tr("Added the profile \u201C%1\u201D (%2)."));
    });
    readKey();
}

// The key comes from standard input, never from an argument (every user can read those). A terminal is asked,
// with its echo off; a pipe or a file gives its first line.
void ProfileCommand::readKey()
{
    if (::fcntl(STDIN_FILENO, F_GETFD) == -1) {
        m_console.err(tr("Could not read the key from standard input (it is closed). Nothing was saved."));
        return emit finished(CliExit::BadUsage);
    }
    if (::isatty(STDIN_FILENO) == 1) {
        if (::tcgetattr(STDIN_FILENO, &m_savedTerminal) == 0) {
            termios quiet = m_savedTerminal;
            quiet.c_lflag &= tcflag_t(~(ECHO | ECHONL));
            m_echoOff = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
        CliText::writeAll(
            STDERR_FILENO,
            tr("API key for \u201C%1\u201D (not shown): ").arg(OutputGate::clean(m_new.name, 200)).toUtf8());
    }
    m_keyNotifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_keyNotifier, &QSocketNotifier::activated, this, &ProfileCommand::onKeyInput);
}

void ProfileCommand::onKeyInput()
{
    char buffer[4096];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n > 0) {
        m_keyInput.append(buffer, n);
        if (!m_keyInput.contains('\n') && m_keyInput.size() < 64 * 1024)
            return;
    }
    m_keyNotifier->setEnabled(false);
    m_keyNotifier->deleteLater();
    m_keyNotifier = nullptr;
    if (m_echoOff)
        CliText::writeAll(STDERR_FILENO, "\n");
    restoreEcho();
    const QByteArray input = std::exchange(m_keyInput, {});
    keyRead(input);
}

void ProfileCommand::keyRead(const QByteArray& input)
{
    const QString key
        = QString::fromUtf8(input.left(input.indexOf('\n') < 0 ? input.size() : input.indexOf('\n'))).trimmed();
    OutputGate::addSecret(key);
    if (key.isEmpty()) {
        m_console.err(tr("No key on standard input: pipe it in (for example from your password manager) or type it "
                         "when asked. Nothing was saved."));
        return emit finished(CliExit::BadUsage);
    }
    m_store->add(m_new, key);
}

void ProfileCommand::remove()
{
    if (!wantWords(1, QStringLiteral("ftcancel profile remove NAME")))
        return;
    connect(m_store, &ProfileStore::removed, this, [this](const QString&, const ProfileStore::Outcome& outcome) {
        finish(outcome, tr("Removed the profile \u201C%1\u201D and its key."));
    });
    m_store->remove(m_options.positional.at(1));
}

void ProfileCommand::rename()
{
    if (!wantWords(2, QStringLiteral("ftcancel profile rename OLD NEW")))
        return;
    connect(m_store, &ProfileStore::renamed, this,
            [this](const QString&, const QString& to, const ProfileStore::Outcome& outcome) {
                finish(outcome, tr("Renamed the profile to \u201C%1\u201D.").arg(OutputGate::clean(to, 200)));
            });
    m_store->rename(m_options.positional.at(1), m_options.positional.at(2));
}

void ProfileCommand::makeDefault()
{
    if (m_options.positional.size() == 1) { // which one is it?
        const QString name = m_store->defaultName();
        if (name.isEmpty())
            m_console.err(tr("No default profile."));
        else
            m_console.out(OutputGate::clean(name, 200));
        return emit finished(CliExit::AllCancelled);
    }
    if (!wantWords(1, QStringLiteral("ftcancel profile default [NAME]")))
        return;
    const QString name = m_options.positional.at(1);
    if (!m_store->profile(name)) {
        m_console.err(tr("There is no profile named \u201C%1\u201D; see \"ftcancel profile list\".")
                          .arg(OutputGate::clean(name, 200)));
        return emit finished(CliExit::BadUsage);
    }
    m_store->setDefault(name);
    m_console.out(tr("\u201C%1\u201D is the default profile now.").arg(OutputGate::clean(name, 200)));
    emit finished(CliExit::AllCancelled);
}

void ProfileCommand::finish(const ProfileStore::Outcome& outcome, const QString& success)
{
    if (outcome.isOk()) {
        const QString name = OutputGate::clean(m_options.positional.value(1), 200);
        m_console.out(success.contains(QLatin1String("%2"))
                          ? success.arg(name, ProviderInfo::of(m_new.provider).displayName)
                          : success.contains(QLatin1String("%1")) ? success.arg(name)
                                                                  : success);
        return emit finished(CliExit::AllCancelled);
    }
    m_console.err(OutputGate::clean(outcome.message, OutputGate::lineBytes));
    emit finished(outcome.refused ? CliExit::BadUsage : CliExit::NoCredentials);
}
