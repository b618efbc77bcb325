#pragma once

#include <QObject>

class Console;
struct CliOptions;

// One command of the command line, run once: it writes through the Console and ends with finished(exitCode),
// exactly once.
class Command : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Command)

public:
    Command(Console& console, const CliOptions& options, QObject* parent)
        : QObject(parent), m_console(console), m_options(options)
    {
    }

    // A signal arrived (Console::signal() is set): stop what is in flight. True when finished() follows by itself
    // (with 128 + the signal), false when nothing is in flight and the caller ends the run.
    virtual bool stop() { return false; }

signals:
    void finished(int exitCode);

protected:
    Console& m_console;
    const CliOptions& m_options;
};
