#pragma once

#include <QString>
#include <QStringView>

// The one gate for text that came from outside — a server's body or headers, the clipboard, an argument — on its
// way to any output: terminal, label, tooltip, log pane, saved log, audit line, CSV, JSON. clean() does three
// things, in this order:
//   1. masks every secret in play (registered with addSecret) and every key-shaped token of the providers we
//      know, also a secret that arrives cut short by someone else's limit (mask first, then cut);
//   2. replaces control, escape and bidi-override characters, and every invisible one (Unicode's default-ignorable
//      code points and format characters: a soft hyphen, zero-width characters, Hangul fillers, variation
//      selectors, tag characters …), with visible stand-ins ("␊", "[U+00AD]"), so a status cannot forge a second
//      line, retitle or clear a terminal, reorder what a person reads, or read as "running" when it is not;
//   3. caps the length, ending with "… (N bytes more)", N counting the bytes of the text as given that are not
//      shown (never cutting a stand-in or a masked key in two).
namespace OutputGate {

// A server field (a message, a status, a code, a request id …), in UTF-8 bytes.
constexpr int fieldBytes = 2048;
// A whole line or message of ours with gated fields inside it.
constexpr int lineBytes = 8192;

// Registers a secret (an API key in use) so that it is masked in everything that passes the gate from now on,
// in this process, until it exits. Secrets shorter than 8 characters are not registered (they would mask
// ordinary words). Thread-safe.
void addSecret(const QString& secret);

// Steps 1–3. maxBytes counts the UTF-8 bytes kept before the "… (N bytes more)" note; 0 or less keeps all.
// bytesNotGiven: how many more bytes the text had before the caller cut it (counted in the note).
QString clean(QStringView text, int maxBytes = fieldBytes, qint64 bytesNotGiven = 0);
// Step 1 only: for text of several lines that is ours apart from fields that were already cleaned (a log being
// saved or copied), where line breaks must stay.
QString mask(QStringView text);
// "…wxyz": the last four characters of a key, or just "…" when the key is too short to show any.
QString maskKey(QStringView key);
// Whether the text holds a registered secret or a key-shaped token (what mask() would change).
bool containsSecret(QStringView text);

} // namespace OutputGate
