#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

// Says, in the warning colour, that cancels go out without a confirmation ("Don't ask again" was ticked, or
// Settings → Ask before cancelling is off), next to the buttons that start them, with a button that turns asking
// back on. The window shows it while asking is off; turnOnClicked() is that button.
class AskingOffNotice final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AskingOffNotice)

public:
    explicit AskingOffNotice(QWidget* parent = nullptr);
    ~AskingOffNotice() override;

signals:
    void turnOnClicked();

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColors();

    QLabel* m_label;
    QPushButton* m_button;
};
