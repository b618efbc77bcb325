#include "profilestore.h"

#include "appsettings.h"

#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace {
const QString groupProfiles = QStringLiteral("profiles");
const QString keyDefault = QStringLiteral("profileState/default");
const QString keyMigrated = QStringLiteral("profileState/migrated");
const QString fieldName = QStringLiteral("name");
const QString fieldProvider = QStringLiteral("provider");
const QString fieldBaseUrl = QStringLiteral("baseUrl");
const QString fieldOrganization = QStringLiteral("organization");
const QString fieldProject = QStringLiteral("project");
const QString fieldApiVersion = QStringLiteral("apiVersion");

// A profile's child group: its name percent-encoded, so that "/" or "\" in a name cannot make groups of their own.
QString groupOf(const QString& name)
{
    return groupProfiles + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(name));
}

std::optional<Profile> readProfile(QSettings& settings, const QString& group)
{
    settings.beginGroup(group);
    Profile p;
    p.name = settings.value(fieldName).toString();
    const ProviderInfo* info = ProviderInfo::byKey(settings.value(fieldProvider).toString());
    p.baseUrl = settings.value(fieldBaseUrl).toString();
    p.organization = settings.value(fieldOrganization).toString();
    p.project = settings.value(fieldProject).toString();
    p.apiVersion = settings.value(fieldApiVersion).toString();
    settings.endGroup();
    if (p.name.isEmpty() || !info) // written by a later release, or by hand: not ours to guess at
        return std::nullopt;
    p.provider = info->provider;
    return p;
}
} // namespace

ProfileStore::ProfileStore(SecretStore* secrets, QObject* parent) : QObject(parent), m_secrets(secrets)
{
    qRegisterMetaType<ProfileStore::Outcome>();
}

template <typename F> void ProfileStore::later(F f)
{
    QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
}

QList<Profile> ProfileStore::profiles() const
{
    QSettings settings;
    settings.beginGroup(groupProfiles);
    const QStringList groups = settings.childGroups();
    settings.endGroup();
    QList<Profile> list;
    for (const QString& group : groups) {
        const std::optional<Profile> p = readProfile(settings, groupProfiles + QLatin1Char('/') + group);
        if (p && groupOf(p->name) == groupProfiles + QLatin1Char('/') + group)
            list.append(*p);
    }
    std::sort(list.begin(), list.end(), [](const Profile& a, const Profile& b) {
        const int c = QString::localeAwareCompare(a.name, b.name);
        return c != 0 ? c < 0 : a.name < b.name;
    });
    return list;
}

std::optional<Profile> ProfileStore::profile(const QString& name) const
{
    if (name.isEmpty())
        return std::nullopt;
    QSettings settings;
    std::optional<Profile> p = readProfile(settings, groupOf(name));
    if (p && p->name != name)
        return std::nullopt;
    return p;
}

QStringList ProfileStore::names() const
{
    QStringList list;
    for (const Profile& p : profiles())
        list << p.name;
    return list;
}

QString ProfileStore::defaultName() const
{
    const QString name = QSettings().value(keyDefault).toString();
    return profile(name) ? name : QString();
}

void ProfileStore::setDefault(const QString& name)
{
    QSettings settings;
    // Compared with what was stored (not defaultName()): the default of a profile just removed or renamed is no
    // longer a profile's, and its change must still be heard.
    const QString before = settings.value(keyDefault).toString();
    if (name.isEmpty())
        settings.remove(keyDefault);
    else
        settings.setValue(keyDefault, name);
    settings.sync();
    if (name != before)
        emit defaultChanged(defaultName());
}

QString ProfileStore::checkName(const QString& name, const QString& except) const
{
    if (name.trimmed().isEmpty())
        return tr("A profile needs a name.");
    if (name != name.trimmed())
        return tr("A profile's name may not begin or end with a space.");
    if (name.size() > maxNameLength)
        return tr("A profile's name may be %n character(s) long at most.", nullptr, maxNameLength);
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            || c.category() == QChar::Separator_Line || c.category() == QChar::Separator_Paragraph)
            return tr("A profile's name may not contain control characters.");
    }
    if (name != except && profile(name))
        return tr("There is a profile named \u201C%1\u201D already.").arg(name);
    return QString();
}

QString ProfileStore::checkFields(const Profile& p)
{
    const ProviderInfo& info = ProviderInfo::of(p.provider);
    if (p.baseUrl.trimmed().isEmpty()) {
        if (info.defaultBaseUrl.isEmpty())
            return tr("A %1 profile needs its endpoint, such as https://<resource>.openai.azure.com.")
                .arg(info.displayName);
    } else {
        QString error;
        if (!ApiConfig::parseBaseUrl(p.baseUrl, &error).isValid())
            return error;
    }
    if (!info.hasOrganization && !(p.organization.isEmpty() && p.project.isEmpty()))
        return tr("Only OpenAI profiles have an organization and a project; %1 has neither.").arg(info.displayName);
    QString problem = ApiConfig::checkAccountId(p.organization, tr("Organization ID"), QStringLiteral("org-"));
    if (problem.isEmpty())
        problem = ApiConfig::checkAccountId(p.project, tr("Project ID"), QStringLiteral("proj_"));
    if (!problem.isEmpty())
        return problem;
    if (!info.hasApiVersion && !p.apiVersion.isEmpty())
        return tr("Only Azure OpenAI profiles have an API version; %1 has none.").arg(info.displayName);
    static const QRegularExpression versionShape(QStringLiteral("^(v1|\\d{4}-\\d{2}-\\d{2}(-preview)?)$"));
    if (!p.apiVersion.isEmpty() && !versionShape.match(p.apiVersion).hasMatch())
        return tr("\u201C%1\u201D is not an API version: use v1 or a date such as 2024-10-21.").arg(p.apiVersion);
    return QString();
}

QString ProfileStore::migratedName()
{
    return QStringLiteral("Default");
}

ProfileStore::Outcome ProfileStore::fromSecret(const SecretStore::Outcome& o, const QString& context)
{
    Outcome outcome;
    outcome.status = o.status;
    if (!o.isOk())
        // The keyring's words first ("The keyring is locked: unlock it …"): they say what to do.
        outcome.message = context.isEmpty() ? o.message : o.message + QLatin1Char(' ') + context;
    return outcome;
}

ProfileStore::Outcome ProfileStore::refusal(const QString& message)
{
    Outcome outcome;
    outcome.refused = true;
    outcome.message = message;
    return outcome;
}

QString ProfileStore::checkKey(const QString& key)
{
    if (key.isEmpty())
        return tr("The API key is empty.");
    for (const QChar c : key) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return tr("The API key may not contain spaces, line breaks or control characters.");
    }
    return QString();
}

void ProfileStore::writeFields(const Profile& p)
{
    QSettings settings;
    settings.beginGroup(groupOf(p.name));
    settings.setValue(fieldName, p.name);
    settings.setValue(fieldProvider, ProviderInfo::of(p.provider).key);
    const auto setOrRemove = [&settings](const QString& key, const QString& value) {
        if (value.trimmed().isEmpty())
            settings.remove(key);
        else
            settings.setValue(key, value.trimmed());
    };
    setOrRemove(fieldBaseUrl, p.baseUrl);
    setOrRemove(fieldOrganization, p.organization);
    setOrRemove(fieldProject, p.project);
    setOrRemove(fieldApiVersion, p.apiVersion);
    settings.endGroup();
    settings.sync();
}

void ProfileStore::removeFields(const QString& name)
{
    QSettings settings;
    settings.remove(groupOf(name));
    settings.sync();
}

// ---- add, edit, keys ----

void ProfileStore::add(const Profile& p, const QString& key)
{
    QString problem = checkName(p.name);
    if (problem.isEmpty())
        problem = checkFields(p);
    if (problem.isEmpty())
        problem = checkKey(key);
    if (!problem.isEmpty())
        return later([this, p, problem] { emit added(p.name, refusal(problem)); });
    m_secrets->writeSecret(SecretStore::profileEntry(p.name), key, this, [this, p](const SecretStore::Outcome& o) {
        if (!o.isOk())
            return emit added(p.name, fromSecret(o, tr("The key could not be saved, so the profile was not added.")));
        if (profile(p.name)) // added meanwhile by another call: its key was just replaced, its fields stay
            return emit added(p.name, Outcome());
        writeFields(p);
        if (defaultName().isEmpty())
            setDefault(p.name);
        emit changed();
        emit added(p.name, Outcome());
    });
}

QString ProfileStore::addFields(const Profile& p)
{
    QString problem = checkName(p.name);
    if (problem.isEmpty())
        problem = checkFields(p);
    if (!problem.isEmpty())
        return problem;
    writeFields(p);
    if (defaultName().isEmpty())
        setDefault(p.name);
    emit changed();
    return QString();
}

void ProfileStore::edit(const QString& name, const Profile& p)
{
    Profile fields = p;
    fields.name = name;
    QString problem = profile(name) ? checkFields(fields) : tr("There is no profile named \u201C%1\u201D.").arg(name);
    if (!problem.isEmpty())
        return later([this, name, problem] { emit edited(name, refusal(problem)); });
    writeFields(fields);
    emit changed();
    later([this, name] { emit edited(name, Outcome()); });
}

void ProfileStore::setKey(const QString& name, const QString& key)
{
    QString problem = profile(name) ? checkKey(key) : tr("There is no profile named \u201C%1\u201D.").arg(name);
    if (!problem.isEmpty())
        return later([this, name, problem] { emit keySet(name, refusal(problem)); });
    m_secrets->writeSecret(SecretStore::profileEntry(name), key, this, [this, name](const SecretStore::Outcome& o) {
        emit keySet(name, fromSecret(o, tr("The key could not be saved.")));
    });
}

void ProfileStore::readKey(const QString& name)
{
    if (!profile(name)) {
        const QString problem = tr("There is no profile named \u201C%1\u201D.").arg(name);
        return later([this, name, problem] { emit keyRead(name, QString(), refusal(problem)); });
    }
    m_secrets->readSecret(SecretStore::profileEntry(name), this,
                          [this, name](const QString& secret, const SecretStore::Outcome& o) {
                              emit keyRead(name, o.isOk() ? secret : QString(), fromSecret(o));
                          });
}

// ---- rename, remove ----

void ProfileStore::rename(const QString& from, const QString& to)
{
    QString problem = profile(from) ? checkName(to, from) : tr("There is no profile named \u201C%1\u201D.").arg(from);
    if (problem.isEmpty() && from == to)
        return later([this, from, to] { emit renamed(from, to, Outcome()); });
    if (!problem.isEmpty())
        return later([this, from, to, problem] { emit renamed(from, to, refusal(problem)); });
    m_secrets->readSecret(
        SecretStore::profileEntry(from), this, [this, from, to](const QString& secret, const SecretStore::Outcome& o) {
            if (o.status == SecretStore::Status::NotFound) { // no key to move
                renameFields(from, to);
                return emit renamed(from, to, Outcome());
            }
            if (!o.isOk())
                return emit renamed(from, to,
                                    fromSecret(o, tr("The key could not be read, so the profile was not renamed.")));
            moveSecret(from, to, secret);
        });
}

void ProfileStore::moveSecret(const QString& from, const QString& to, const QString& secret)
{
    const QString newEntry = SecretStore::profileEntry(to);
    const QString notRenamed = tr("The key could not be moved, so the profile was not renamed.");
    m_secrets->writeSecret(newEntry, secret, this, [=](const SecretStore::Outcome& written) {
        if (!written.isOk())
            return emit renamed(from, to, fromSecret(written, notRenamed));
        m_secrets->readSecret(newEntry, this, [=](const QString& back, const SecretStore::Outcome& read) {
            if (!read.isOk() || back != secret) {
                Outcome outcome = fromSecret(read, notRenamed);
                if (read.isOk()) {
                    outcome.status = SecretStore::Status::AccessDenied;
                    outcome.message
                        = notRenamed + QLatin1Char(' ') + tr("The keyring did not give back what was written.");
                }
                return emit renamed(from, to, outcome);
            }
            renameFields(from, to);
            m_secrets->deleteSecret(SecretStore::profileEntry(from), this, [=](const SecretStore::Outcome& deleted) {
                emit renamed(from, to,
                             fromSecret(deleted,
                                        tr("The profile was renamed, but the key under its old name could "
                                           "not be deleted from the keyring.")));
            });
        });
    });
}

void ProfileStore::renameFields(const QString& from, const QString& to)
{
    std::optional<Profile> p = profile(from);
    if (!p)
        return;
    const bool wasDefault = defaultName() == from;
    p->name = to;
    writeFields(*p);
    if (from != to)
        removeFields(from);
    if (wasDefault)
        setDefault(to);
    emit changed();
}

void ProfileStore::remove(const QString& name)
{
    if (!profile(name)) {
        const QString problem = tr("There is no profile named \u201C%1\u201D.").arg(name);
        return later([this, name, problem] { emit removed(name, refusal(problem)); });
    }
    m_secrets->deleteSecret(SecretStore::profileEntry(name), this, [this, name](const SecretStore::Outcome& o) {
        if (!o.isOk())
            return emit removed(name, fromSecret(o, tr("The key could not be deleted, so the profile was kept.")));
        const bool wasDefault = defaultName() == name;
        removeFields(name);
        if (wasDefault)
            setDefault(QString());
        emit changed();
        emit removed(name, Outcome());
    });
}

// ---- migration ----

bool ProfileStore::isMigrated() const
{
    return QSettings().value(keyMigrated, false).toBool();
}

QString ProfileStore::freeMigrationName() const
{
    QString name = migratedName();
    for (int n = 2; profile(name); ++n)
        name = migratedName() + QLatin1Char(' ') + QString::number(n);
    return name;
}

void ProfileStore::migrate()
{
    if (isMigrated())
        return later([this] { emit migrated(false, Outcome()); });
    m_secrets->loadLegacy(this, [this](const Credentials& old, const SecretStore::Outcome& o) {
        if (o.status == SecretStore::Status::NotFound || (o.isOk() && old.apiKey.isEmpty())) {
            QSettings().setValue(keyMigrated, true); // nothing saved before profiles: nothing to do, ever
            return emit migrated(false, Outcome());
        }
        if (!o.isOk())
            return emit migrated(false,
                                 fromSecret(o, tr("The saved credentials could not be read to make them a profile.")));
        migrateCredentials(old);
    });
}

void ProfileStore::migrateCredentials(const Credentials& old)
{
    Profile p;
    p.name = freeMigrationName();
    p.provider = Provider::OpenAI;
    p.baseUrl = AppSettings().baseUrl();
    if (p.baseUrl.trimmed() == ApiConfig::defaultBaseUrl().toString())
        p.baseUrl.clear();
    p.organization = old.organization;
    p.project = old.project;
    const QString entry = SecretStore::profileEntry(p.name);
    const QString kept = tr("The saved credentials stay where they were; FtCancel will try again next time.");
    m_secrets->writeSecret(entry, old.apiKey, this, [=](const SecretStore::Outcome& written) {
        if (!written.isOk())
            return emit migrated(false,
                                 fromSecret(written,
                                            tr("The saved key could not be written as the profile "
                                               "\u201C%1\u201D.")
                                                    .arg(p.name)
                                                + QLatin1Char(' ') + kept));
        m_secrets->readSecret(entry, this, [=](const QString& back, const SecretStore::Outcome& read) {
            if (read.isOk() && back == old.apiKey)
                return finishMigration(p, entry);
            Outcome outcome = fromSecret(read, kept);
            if (read.isOk()) {
                outcome.status = SecretStore::Status::AccessDenied;
                outcome.message
                    = tr("The keyring did not give back the key written for the profile \u201C%1\u201D.").arg(p.name)
                    + QLatin1Char(' ') + kept;
            }
            // What was half-written goes again (best effort); the old entry stays either way.
            m_secrets->deleteSecret(entry, this,
                                    [this, outcome](const SecretStore::Outcome&) { emit migrated(false, outcome); });
        });
    });
}

void ProfileStore::finishMigration(const Profile& p, const QString& entry)
{
    Q_UNUSED(entry)
    writeFields(p);
    QSettings().setValue(keyMigrated, true);
    if (defaultName().isEmpty())
        setDefault(p.name);
    emit changed();
    m_secrets->forgetLegacy(this, [this, p](const SecretStore::Outcome& deleted) {
        emit migrated(true,
                      fromSecret(deleted,
                                 tr("The profile \u201C%1\u201D holds the saved credentials now, "
                                    "but the old entry could not be deleted from the keyring.")
                                     .arg(p.name)));
    });
}
