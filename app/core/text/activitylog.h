#pragma once

#include <QObject>
#include <QStringList>

// The step-by-step log shared by the window and the command line: one timestamped line per step, through the
// output gate (secrets masked, control characters shown, length capped),
// at most maxLines kept. lineAdded() fires for each new line with the text exactly as stored.
class ActivityLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivityLog)

public:
    explicit ActivityLog(int maxLines = 5000, QObject* parent = nullptr);

    // A secret (an API key used this session) to mask wherever it appears; registered with OutputGate, so it is
    // masked in every other output of this process too.
    void addSecret(const QString& secret);
    void add(const QString& message);
    void clear();

    int maxLines() const { return m_maxLines; }
    QStringList lines() const { return m_lines; }
    QString text() const;
    // Writes the (already redacted) log; returns false and sets errorMessage when the file cannot be written.
    bool saveTo(const QString& path, QString* errorMessage) const;

signals:
    void lineAdded(const QString& line);
    void cleared();

private:
    int m_maxLines;
    QStringList m_lines;
};
