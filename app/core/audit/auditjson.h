#pragma once

#include "auditentry.h"

#include <QByteArray>
#include <QString>

#include <optional>

// One audit entry as one line of JSON, both ways: written by hand in QJsonDocument's compact form, read back through
// the output gate; and what becomes of a line that holds no entry.
namespace AuditJson {

// One entry as one line of compact JSON (without the line end), keys sorted as QJsonObject writes them.
QByteArray toLine(const AuditEntry& e);

// A line that holds no entry, kept until the end of the read, when its line number may be known.
struct SkippedLine
{
    enum class Kind { Overlong, Incomplete, NotJson, NotObject, NoTimeOrJobId };
    Kind kind;
    qint64 offset; // of its first byte
    qint64 fromEnd; // 0: the piece after the last '\n'
    qint64 length;
    QString detail; // the JSON parser's words
};

// Why a line was skipped, as a sentence starting with where (translated).
QString describeSkip(const SkippedLine& s, const QString& where);

// Only white space (a blank line is neither an entry nor damage).
bool isBlank(const QByteArray& bytes);

// The entry a line holds, every text field through the output gate (the file may be old, or edited by hand):
// masked, control characters shown, capped. Or nothing, with skipped->kind and detail saying why. lastPiece: the
// piece after the last line end, which alone may lack one (a writer that died in the middle of it).
std::optional<AuditEntry> parseLine(const QByteArray& bytes, bool lastPiece, SkippedLine* skipped);

} // namespace AuditJson
