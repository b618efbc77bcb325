#pragma once

#include <QString>

// Helpers for tests that look for secrets in what FtCancel printed, showed or wrote.
namespace SecretCheck {
// n characters drawn at random from alphabet (keys are made at run time: no tracked literal looks like one).
QString randomChars(int n, const char* alphabet);
// The longest run (of at least 5 characters) of secret found in text; 4 is the masked tail an output may show.
int longestLeak(const QString& text, const QString& secret);
// The first control, C1 or bidi-override character in text, as "U+XXXX"; empty when there is none.
QString dangerousCharacterIn(const QString& text, bool lineBreaksAllowed = false);
} // namespace SecretCheck
