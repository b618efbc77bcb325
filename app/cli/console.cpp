#include "console.h"

#include "activitylog.h"
#include "outputgate.h"

#include <QJsonDocument>
#include <QTimeZone>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

Console::Console(QObject* parent) : QObject(parent), m_log(new ActivityLog(5000, this))
{
    connect(m_log, &ActivityLog::lineAdded, this, [this](const QString& line) {
        if (m_verbose)
            err(line); // already through the gate
    });
}

Console::~Console()
{
    if (m_terminal >= 0)
        ::close(m_terminal);
}

void Console::out(const QString& line)
{
    if (!m_outError.isEmpty())
        return; // once a write failed, the rest would only fail too
    if (const int error = CliText::writeAll(STDOUT_FILENO, (line + u'\n').toUtf8()); error != 0)
        m_outError = QString::fromLocal8Bit(std::strerror(error));
}

void Console::err(const QString& line)
{
    // Nowhere left to complain to if stderr fails too; the exit code still tells.
    CliText::writeAll(STDERR_FILENO, (line + u'\n').toUtf8());
}

bool Console::canAsk()
{
    if (!m_terminalChecked) {
        m_terminalChecked = true;
        // The controlling terminal, also when stdin is a pipe of ids (`grep … | ftcancel cancel -`): a person is at
        // it. None (cron, CI, setsid): nobody can be asked, and a script is never blocked by a question.
        m_terminal = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (m_terminal >= 0) {
            m_askIn = m_terminal;
            m_askOut = m_terminal;
        } else if (::isatty(STDIN_FILENO) == 1) {
            // A terminal on stdin that is not the controlling one: the answer comes from it, the question on stderr.
            m_askIn = STDIN_FILENO;
            m_askOut = STDERR_FILENO;
        }
    }
    return m_askIn >= 0;
}

void Console::say(const QString& line)
{
    write(line + u'\n');
}

void Console::write(const QString& text)
{
    CliText::writeAll(m_askOut, text.toUtf8());
}

int CliText::writeAll(int fd, const QByteArray& data)
{
    const char* p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += n;
        left -= n;
    }
    return 0;
}

QJsonValue CliText::jsonField(const QString& text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(OutputGate::clean(text));
}

QJsonValue CliText::jsonTime(qint64 secs)
{
    return secs > 0 ? QJsonValue(QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(Qt::ISODate)) : QJsonValue();
}

// Converting through the C library's local time makes glibc check /etc/localtime on every call (two stat() calls a
// job, 20,000 for `list --limit 10000`): the zone is looked up once.
QDateTime CliText::inLocalTime(qint64 secs)
{
    static const QTimeZone zone = QTimeZone::systemTimeZone();
    return zone.isValid() ? QDateTime::fromSecsSinceEpoch(secs, zone)
                          : QDateTime::fromSecsSinceEpoch(secs).toLocalTime();
}

QString CliText::localTime(qint64 secs)
{
    return secs > 0 ? inLocalTime(secs).toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QString CliText::untilText(const QDateTime& until)
{
    const QDateTime local = until.toLocalTime();
    return QStringLiteral("%1 (%2)").arg(local.toString(QStringLiteral("HH:mm:ss")),
                                         local.date().toString(Qt::ISODate));
}

QJsonObject CliText::jobJson(const FineTuningJob& job)
{
    return QJsonObject{
        {QLatin1String("id"), jsonField(job.id)},
        {QLatin1String("kind"), jobKindKey(job.kind)},
        {QLatin1String("status"), jsonField(job.status)},
        {QLatin1String("model"), jsonField(job.model)},
        {QLatin1String("fine_tuned_model"), jsonField(job.fineTunedModel)},
        {QLatin1String("created_at"), jsonTime(job.createdAt)},
        {QLatin1String("estimated_finish"), jsonTime(job.estimatedFinish)},
        {QLatin1String("finished_at"), jsonTime(job.finishedAt)},
        {QLatin1String("trained_tokens"), job.trainedTokens >= 0 ? QJsonValue(job.trainedTokens) : QJsonValue()},
        {QLatin1String("organization_id"), jsonField(job.organizationId)},
        {QLatin1String("suffix"), jsonField(job.suffix)},
        {QLatin1String("metadata"), jsonField(job.metadata)},
        {QLatin1String("error"), jsonField(job.errorMessage)},
        {QLatin1String("request_counts"), jsonField(job.requestCounts)},
        {QLatin1String("finished"), job.isTerminal()},
    };
}

QString CliText::compact(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QStringList CliText::alignedColumns(const QList<QStringList>& rows)
{
    QList<int> widths;
    for (const QStringList& row : rows) {
        for (int c = 0; c < row.size(); ++c) {
            if (widths.size() <= c)
                widths << 0;
            widths[c] = qMax(widths[c], int(row.at(c).size()));
        }
    }
    QStringList lines;
    for (const QStringList& row : rows) {
        QString line;
        for (int c = 0; c < row.size(); ++c)
            line += c + 1 < row.size() ? row.at(c).leftJustified(widths.at(c) + 2) : row.at(c);
        lines << line.trimmed();
    }
    return lines;
}

int CliText::exitCodeOf(const ApiError& error)
{
    if (error.isTransport())
        return CliExit::NetworkFailure;
    if (error.kind == ApiError::Kind::Http && error.httpStatus == 401 && error.contentType.isEmpty())
        return CliExit::NoCredentials; // the API rejected the key (its JSON answer, not a proxy's page)
    return error.kind == ApiError::Kind::Input ? CliExit::BadUsage : CliExit::NotCancelled;
}
