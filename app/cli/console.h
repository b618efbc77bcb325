#pragma once

#include "apierror.h"
#include "finetuningjob.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

class ActivityLog;

// The exit codes of the command line (README, "ftcancel --help").
namespace CliExit {
enum Code : int {
    AllCancelled = 0,
    NotCancelled = 1, // the API refused, a job did not end cancelled, had nothing to cancel or was not found
    BadUsage = 2, // bad arguments or invalid id: nothing was sent
    NoCredentials = 3, // no key, the keychain failed, or the API rejected the key (401)
    NetworkFailure = 4, // network failure or timeout (the outcome of a job is unknown), or rate limited
    OutputFailed = 5, // stdout could not be written (closed pipe, full disk): the results did not arrive
    // Stopped by a signal: 128 + its number (130 SIGINT, 143 SIGTERM, 129 SIGHUP), as shells report it.
};
} // namespace CliExit

// What every command writes to and asks through: stdout (a failed write is remembered: exit 5), stderr, the
// terminal a person answers on, the step-by-step log (--verbose), and the signal that is stopping the run.
class Console final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Console)

public:
    explicit Console(QObject* parent = nullptr);
    ~Console() override;

    // One line (a newline is added) to stdout / stderr, written at once; a failed stdout write is remembered.
    void out(const QString& line);
    void err(const QString& line);
    QString outError() const { return m_outError; } // why stdout could not be written, empty while it can

    // Whether a person can be asked, on the controlling terminal (/dev/tty) or a terminal on stdin; opens it once.
    bool canAsk();
    // One line to where the question is asked (the terminal); write() without a newline.
    void say(const QString& line);
    void write(const QString& text);
    int askIn() const { return m_askIn; }

    ActivityLog* log() const { return m_log; }
    bool verbose() const { return m_verbose; }
    void setVerbose(bool verbose) { m_verbose = verbose; }

    // The signal being handled, 0 when none; endCode(code): 128 + it when set, else code.
    int signal() const { return m_signal; }
    void setSignal(int signalNumber) { m_signal = signalNumber; }
    int endCode(int code) const { return m_signal != 0 ? 128 + m_signal : code; }

private:
    ActivityLog* m_log;
    bool m_verbose = false;
    int m_signal = 0;
    QString m_outError;
    bool m_terminalChecked = false;
    int m_terminal = -1; // /dev/tty, opened by canAsk()
    int m_askIn = -1; // where the answer is read from, -1 when nobody can be asked
    int m_askOut = -1; // where the question is written
};

// How the commands show jobs and times; every string from a server passes the output gate.
namespace CliText {
// Writes all of data to fd (a pipe may take it in pieces); returns 0 or the errno of the failure.
int writeAll(int fd, const QByteArray& data);
// A server field for --json: through the gate, or null when empty.
QJsonValue jsonField(const QString& text);
// A time for --json: ISO 8601 in UTC, or null when unknown.
QJsonValue jsonTime(qint64 secs);
// A time in the system's time zone (looked up once), and for people: local, to the minute.
QDateTime inLocalTime(qint64 secs);
QString localTime(qint64 secs);
// "14:05:30 (2024-07-24)", local time.
QString untilText(const QDateTime& until);
// The job as `list --json` and `show --json` print it: stable field names (README), every string through the gate.
QJsonObject jobJson(const FineTuningJob& job);
QString compact(const QJsonObject& object);
// Rows of cells as aligned columns (the last one is not padded).
QStringList alignedColumns(const QList<QStringList>& rows);
// The exit code for an error that ended a read: 4 without an answer, 3 for a rejected key, 1 for a refusal.
int exitCodeOf(const ApiError& error);
} // namespace CliText
