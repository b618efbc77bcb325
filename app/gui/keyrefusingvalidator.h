#pragma once

#include <QStringList>
#include <QValidator>

// Keeps API keys out of a text field that is not the key field (Organization ID, Project ID, Job IDs). Set as the
// field's validator, it sees every change (typing, paste, drop, setText) before the field shows it and takes out
// what the output gate sees as a key — a registered secret or a key-shaped token, in the whole text or in what the
// change put in — so neither the field, its undo history nor its textChanged()/textEdited() signals ever hold the
// key. Restore puts back what the field held before the change; RemoveKeys takes out the words that hold a key
// (what was pasted, when the key was pasted next to a word) and keeps the rest. refused() follows each
// refusal (queued, after the field's own signals) with the keys masked as OutputGate::maskKey() shows them.
class KeyRefusingValidator final : public QValidator
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyRefusingValidator)

public:
    enum class Mode { Restore, RemoveKeys };

    explicit KeyRefusingValidator(Mode mode, QObject* parent = nullptr);
    ~KeyRefusingValidator() override;

    State validate(QString& input, int& pos) const override;

    // text without the words (separated by blanks, commas or semicolons) that hold a key; masked gets each of them
    // masked ("…wxyz"). When the words cannot be told apart (a key split by a blank, as in "Bearer …"), nothing of
    // the text is kept.
    static QString withoutKeys(const QString& text, QStringList* masked);

signals:
    void refused(const QStringList& maskedKeys);

private:
    Mode m_mode;
    mutable QString m_accepted; // the text last let through: what Restore puts back
};
