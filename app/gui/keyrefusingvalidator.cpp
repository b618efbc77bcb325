#include "keyrefusingvalidator.h"

#include "outputgate.h"

#include <QMetaObject>

namespace {
bool isSeparator(QChar c)
{
    return c.isSpace() || c == u',' || c == u';';
}

// Quotes and brackets around a key are not part of what is shown of it.
QStringView core(QStringView word)
{
    static const QString wrapping = QStringLiteral("\"'`()[]{}<>\u201C\u201D\u2018\u2019");
    while (!word.isEmpty() && wrapping.contains(word.front()))
        word = word.mid(1);
    while (!word.isEmpty() && wrapping.contains(word.back()))
        word.chop(1);
    return word;
}
} // namespace

KeyRefusingValidator::KeyRefusingValidator(Mode mode, QObject* parent) : QValidator(parent), m_mode(mode) { }

KeyRefusingValidator::~KeyRefusingValidator() = default;

QString KeyRefusingValidator::withoutKeys(const QString& text, QStringList* masked)
{
    QString kept;
    QStringList found;
    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype end = i;
        const bool blank = isSeparator(text.at(i));
        while (end < text.size() && isSeparator(text.at(end)) == blank)
            ++end;
        const QStringView word = QStringView(text).mid(i, end - i);
        if (!blank && OutputGate::containsSecret(word))
            found << OutputGate::maskKey(core(word));
        else
            kept += word;
        i = end;
    }
    if (OutputGate::containsSecret(kept)) {
        // The gate sees a key only across words ("Bearer …", "api_key = …"): keep nothing, show nothing of it.
        found << QStringLiteral("\u2026");
        kept.clear();
    }
    if (masked)
        *masked << found;
    return kept;
}

QValidator::State KeyRefusingValidator::validate(QString& input, int& pos) const
{
    // What this change put in (a paste, a drop, a keystroke): a key pasted next to a word ("org-abcsk-proj-…") is
    // not key-shaped inside the whole text, but it is on its own.
    qsizetype prefix = 0;
    while (prefix < input.size() && prefix < m_accepted.size() && input.at(prefix) == m_accepted.at(prefix))
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < input.size() - prefix && suffix < m_accepted.size() - prefix
           && input.at(input.size() - 1 - suffix) == m_accepted.at(m_accepted.size() - 1 - suffix))
        ++suffix;
    const QString inserted = input.mid(prefix, input.size() - prefix - suffix);
    const bool insertedKey = OutputGate::containsSecret(inserted);
    if (!insertedKey && !OutputGate::containsSecret(input)) {
        m_accepted = input;
        return Acceptable;
    }
    QStringList masked;
    if (m_mode == Mode::Restore) {
        withoutKeys(insertedKey ? inserted : input, &masked);
        input = m_accepted;
    } else {
        QString rest = insertedKey ? input.left(prefix) + withoutKeys(inserted, &masked) + input.right(suffix) : input;
        if (OutputGate::containsSecret(rest))
            rest = withoutKeys(rest, &masked);
        input = rest;
    }
    pos = int(input.size());
    m_accepted = input;
    // Said after the field has emitted its own signals for the change (a field's textEdited() may clear its
    // message). validate() is const in QValidator; the refusal is news, not a change of this validator.
    auto* self = const_cast<KeyRefusingValidator*>(this);
    QMetaObject::invokeMethod(
        self, [self, masked] { emit self->refused(masked); }, Qt::QueuedConnection);
    return Acceptable;
}
