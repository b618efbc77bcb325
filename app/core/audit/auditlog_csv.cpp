// AuditLog: the trail as CSV, for spreadsheets and scripts.

#include "auditlog.h"

#include <QSaveFile>

QString AuditLog::csvField(const QString& text)
{
    QString field = text;
    // Spreadsheets run a cell that starts with one of these as a formula (CSV injection); an apostrophe makes
    // it plain text. Only text is neutralised: the numbers we write are never negative.
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!field.isEmpty() && formulaStarts.contains(field.front()))
        field.prepend(u'\'');
    if (field.contains(u',') || field.contains(u'"') || field.contains(u'\r') || field.contains(u'\n')) {
        field.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        field = u'"' + field + u'"';
    }
    return field;
}

bool AuditLog::exportCsv(const QString& path, const QList<AuditEntry>& entries, QString* error)
{
    // The header is not translated: it names columns for scripts and spreadsheets, like the JSON keys.
    QString text = QStringLiteral("time_utc,job_id,status,error_kind,error_message,http_status,request_id,"
                                  "organization,project,base_host,attempts,source,profile,provider,kind,action\r\n");
    for (const AuditEntry& e : entries) {
        const QStringList fields{
            csvField(e.time.toUTC().toString(Qt::ISODateWithMs)),
            csvField(e.jobId),
            csvField(e.status),
            csvField(e.errorKind),
            csvField(e.errorMessage),
            QString::number(e.httpStatus),
            csvField(e.requestId),
            csvField(e.organization),
            csvField(e.project),
            csvField(e.baseHost),
            QString::number(e.attempts),
            csvField(e.source),
            csvField(e.profile),
            csvField(e.provider),
            csvField(e.kind),
            csvField(e.action),
        };
        text += fields.join(u',') + QStringLiteral("\r\n");
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    // Owner-only like the trail (it names accounts and jobs), set on the new file before a byte is in it, also when
    // it replaces a file that others could read.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        if (error)
            *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    file.write(text.toUtf8());
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}
