#pragma once

#include <QString>

// How the models put times and tooltips into words, the same way in every table.
namespace DisplayText {
// Seconds since the epoch in local time: the time alone for today, else date and time (the locale's short forms);
// empty for 0 (unknown).
QString localTime(qint64 secs);
// A tooltip of text that came from outside: through the output gate, then escaped and wrapped, so Qt's rich-text
// guess cannot turn a server's "<img …>" into markup. Empty text gives an empty tooltip.
QString toolTip(const QString& text);
} // namespace DisplayText
