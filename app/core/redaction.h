#pragma once

#include <QString>
#include <QStringList>

// The one place secrets are masked before text reaches a log line, an error message, a file or a terminal.
namespace Redaction {
// "…wxyz": the last four characters of a key, or just "…" when the key is too short to show any.
QString maskKey(const QString& key);
// Masks sk-… keys, "Bearer <token>" and every occurrence of the given secrets.
QString redact(const QString& text, const QStringList& secrets = {});
} // namespace Redaction
