#pragma once

#include <QStringList>
#include <QStringView>

// What a process that holds an API key does about its surroundings: no core dump (a crash would leave copies of
// the key on disk), and, for the window, no key variable in the environment that the programs it starts (the
// browser for "Open in dashboard") inherit.
namespace ProcessHardening {

// No core file and no ptrace by other processes of the user: PR_SET_DUMPABLE 0 and RLIMIT_CORE 0 (soft and hard,
// so nothing later in the process can raise it). The first thing main() does.
void forbidCoreDumps();

// Whether an environment variable's name is one that holds a key. Its words (split at '_', any case) are looked at:
// the last one is KEY, or any one is APIKEY, TOKEN, SECRET, PASSWORD, PASSWD or CREDENTIALS, or API is followed by
// KEY: OPENAI_API_KEY, AZURE_OPENAI_API_KEY, ANTHROPIC_API_KEY, TOGETHER_API_KEY, MISTRAL_API_KEY,
// AWS_SECRET_ACCESS_KEY, HF_TOKEN, GITHUB_TOKEN, CLIENT_SECRET, DB_PASSWORD. A name without '_' is none, and so is
// XDG_ACTIVATION_TOKEN: the desktop's one-time token for showing this very window, not a credential.
bool isKeyVariable(QStringView name);

// Removes every variable isKeyVariable() names from this process's environment; returns their names (never their
// values). The window does this at its start, before it creates anything that could start a program.
QStringList removeKeyVariables();

} // namespace ProcessHardening
