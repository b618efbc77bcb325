#pragma once

#include "provider.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class Console;

// What the arguments asked for, checked: the command, its ids or names, and every option in range. Nothing here
// touches the keychain or the network.
struct CliOptions
{
    Q_DECLARE_TR_FUNCTIONS(CliOptions)

public:
    enum class Command { Cancel, List, Show, Events, Profile, Pause, Resume };
    Command command = Command::Cancel;
    QString commandName; // as typed: "cancel", "profile", …
    QStringList positional; // after the command: ids, or the profile command's words

    std::optional<QString> profile; // --profile NAME
    std::optional<QString> baseUrl, organization, project, caFile;
    std::optional<QString> provider, apiVersion; // profile add
    std::optional<int> timeoutSeconds, maxRetries, deadlineSeconds;
    int concurrency = 0;
    int waitSeconds = 0;
    bool waitSecondsGiven = false; // --wait=N: the limit for every kind of job; plain --wait: each kind's own
    // --kind: for lists (list, cancel --all-active) the kinds to read (empty: listKinds() decides); for ids (cancel,
    // show, events) what an id is where a provider's ids of two kinds look alike.
    QList<JobKind> kinds;
    JobKind idKind = JobKind::FineTuning;
    bool kindGiven = false;
    int limit = 0;
    QStringList statuses;
    bool all = false;
    bool allActive = false;
    bool allProfiles = false; // cancel --all-active --all-profiles: every saved profile
    bool json = false;
    bool verbose = false;
    bool dryRun = false;
    bool yes = false;
    bool preview = true;
    bool wait = false;

    // The kinds a list reads: --kind's, else the provider's first (fine-tuning; Anthropic's batches).
    QList<JobKind> listKinds(Provider provider) const;

    // Parses argv; returns -1 to go on, or the exit code to end with (0 after --help or --version, 2 for a mistake,
    // said on the console).
    static int parse(const QStringList& arguments, CliOptions* options, Console& console);
};
