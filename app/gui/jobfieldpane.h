#pragma once

#include "outcome.h"

#include <QPointer>
#include <QWidget>
#include <memory>

namespace Ui {
class JobFieldPane;
}
class ActivityLog;

// The job field and its button: one job id or many typed or pasted (a JobIdEdit that hands a pasted list over
// whole, and refuses API keys through a KeyRefusingValidator), the problems with what was pasted in a few lines under
// it (scrolling when there are more), and "Asking is off" beside the button while cancels go out unasked. It decides
// nothing: takeRequested() is Enter, cancelClicked() the button, listPasted() a pasted list, textChanged() every
// change, turnAskingOnClicked() the notice's button.
class JobFieldPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobFieldPane)

public:
    explicit JobFieldPane(QWidget* parent = nullptr);
    ~JobFieldPane() override;

    void setLog(ActivityLog* log) { m_log = log; }
    // The tab order: after previous, the field, its button, then the notice.
    void placeAfter(QWidget* previous);
    QString text() const;
    void clear();
    void focusField(Qt::FocusReason reason = Qt::OtherFocusReason);
    void focusAndSelect();
    void setButtonText(const QString& text, const QString& accessibleName);
    // Lines under the field, coloured as category reads; no lines hide them.
    void showMessage(const QStringList& lines, Outcome::Category category);
    void setAskingOffShown(bool shown);
    void applyColors();

signals:
    void takeRequested();
    void cancelClicked();
    void listPasted(const QString& text);
    void textChanged(const QString& text);
    void turnAskingOnClicked();

private:
    void setMessageColor();

    std::unique_ptr<Ui::JobFieldPane> m_ui;
    QPointer<ActivityLog> m_log;
    int m_messageMaxHeight = 0; // of the problems listed under the field
    Outcome::Category m_messageCategory = Outcome::Category::Neutral;
};
