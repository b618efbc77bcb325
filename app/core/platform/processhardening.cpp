#include "processhardening.h"

#include <QByteArray>
#include <QList>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

extern char** environ;

namespace ProcessHardening {

void forbidCoreDumps()
{
    // Both: RLIMIT_CORE alone does not stop a core_pattern that pipes to a program (systemd-coredump, apport),
    // which the kernel feeds whatever the limit; a process that is not dumpable gets no core at all.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const struct rlimit none = {0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
}

bool isKeyVariable(QStringView name)
{
    if (name.compare(QLatin1String("XDG_ACTIVATION_TOKEN"), Qt::CaseInsensitive) == 0)
        return false;
    const QList<QStringView> words = name.split(u'_', Qt::SkipEmptyParts);
    if (words.size() < 2)
        return false;
    const auto is = [](QStringView word, const char* what) {
        return word.compare(QLatin1String(what), Qt::CaseInsensitive) == 0;
    };
    if (is(words.last(), "KEY"))
        return true;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QStringView word = words.at(i);
        if (is(word, "APIKEY") || is(word, "TOKEN") || is(word, "SECRET") || is(word, "PASSWORD") || is(word, "PASSWD")
            || is(word, "CREDENTIALS"))
            return true;
        if (is(word, "API") && i + 1 < words.size() && is(words.at(i + 1), "KEY"))
            return true;
    }
    return false;
}

QStringList removeKeyVariables()
{
    // The names first: unsetenv() changes environ while it is being walked.
    QList<QByteArray> names;
    for (char** entry = environ; entry && *entry; ++entry) {
        const QByteArray variable(*entry);
        const qsizetype equals = variable.indexOf('=');
        if (equals > 0)
            names << variable.left(equals);
    }
    QStringList removed;
    for (const QByteArray& name : std::as_const(names)) {
        const QString shown = QString::fromLocal8Bit(name);
        if (isKeyVariable(shown) && ::unsetenv(name.constData()) == 0)
            removed << shown;
    }
    return removed;
}

} // namespace ProcessHardening
