#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>

// Searches the test's whole profile — HOME, the XDG dirs and the QStandardPaths test-mode dirs — for a secret,
// so a test can show that nothing was written where a person or another program could read it.
namespace ProfileScan {
// Every file under the profile (no duplicates).
QStringList profileFiles();
// The files whose bytes contain any of the needles.
QStringList filesContaining(const QStringList& files, const QList<QByteArray>& needles);
} // namespace ProfileScan
