#include "jobfieldpane.h"

#include "activitylog.h"
#include "keyrefusingvalidator.h"
#include "outputgate.h"
#include "statuscolors.h"
#include "ui_jobfieldpane.h"

JobFieldPane::JobFieldPane(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::JobFieldPane>())
{
    m_ui->setupUi(this);
    // Problems with what was pasted: a few lines under the field, scrolling when there are more, so a long list of
    // refusals never pushes the window past the screen.
    m_ui->jobIdMessageScroll->hide();
    m_ui->jobIdMessageScroll->viewport()->setAutoFillBackground(false);
    m_ui->jobIdMessageLabel->setAutoFillBackground(false);
    m_messageMaxHeight = 2 * m_ui->jobIdMessageLabel->fontMetrics().lineSpacing() + 4;
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &JobFieldPane::cancelClicked);
    // Enter adds and starts; it never stops what runs (that takes Stop or Escape).
    connect(m_ui->jobIdEdit, &QLineEdit::returnPressed, this, &JobFieldPane::takeRequested);
    connect(m_ui->jobIdEdit, &QLineEdit::textEdited, this, [this] { showMessage({}, Outcome::Category::Neutral); });
    connect(m_ui->jobIdEdit, &QLineEdit::textChanged, this, &JobFieldPane::textChanged);
    connect(m_ui->jobIdEdit, &JobIdEdit::multiLinePasted, this, &JobFieldPane::listPasted);
    connect(m_ui->askingOffNotice, &AskingOffNotice::turnOnClicked, this, &JobFieldPane::turnAskingOnClicked);
    auto* jobGuard = new KeyRefusingValidator(KeyRefusingValidator::Mode::RemoveKeys, m_ui->jobIdEdit);
    m_ui->jobIdEdit->setValidator(jobGuard);
    connect(jobGuard, &KeyRefusingValidator::refused, this, [this](const QStringList& masked) {
        const QString keys = masked.join(QStringLiteral(", "));
        showMessage(
            {tr("That looks like an API key (%1); it belongs in the API key field. Removed from the field.").arg(keys)},
            Outcome::Category::Error);
        if (m_log)
            m_log->add(tr("Job IDs: removed text that looks like an API key (%1).").arg(keys));
    });
}

JobFieldPane::~JobFieldPane() = default;

void JobFieldPane::placeAfter(QWidget* previous)
{
    setTabOrder(previous, m_ui->jobIdEdit);
    setTabOrder(m_ui->jobIdEdit, m_ui->cancelButton);
    setTabOrder(m_ui->cancelButton, m_ui->askingOffNotice);
}

QString JobFieldPane::text() const
{
    return m_ui->jobIdEdit->text();
}

void JobFieldPane::clear()
{
    m_ui->jobIdEdit->clear();
}

void JobFieldPane::focusField(Qt::FocusReason reason)
{
    m_ui->jobIdEdit->setFocus(reason);
}

void JobFieldPane::focusAndSelect()
{
    m_ui->jobIdEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui->jobIdEdit->selectAll();
}

void JobFieldPane::setButtonText(const QString& text, const QString& accessibleName)
{
    m_ui->cancelButton->setText(text);
    m_ui->cancelButton->setAccessibleName(accessibleName);
}

void JobFieldPane::setAskingOffShown(bool shown)
{
    m_ui->askingOffNotice->setVisible(shown);
}

void JobFieldPane::showMessage(const QStringList& lines, Outcome::Category category)
{
    // Reasons may quote what was pasted (a key, a line with escape sequences): through the gate, as plain text.
    QStringList gated;
    for (const QString& line : lines)
        gated << OutputGate::clean(line, OutputGate::lineBytes);
    m_ui->jobIdMessageLabel->setText(gated.join(u'\n'));
    m_messageCategory = category;
    setMessageColor();
    // As tall as its lines, up to two of them (then it scrolls).
    const int width
        = qMax(100,
               m_ui->jobIdMessageScroll->isVisible() ? m_ui->jobIdMessageScroll->viewport()->width()
                                                     : m_ui->jobIdEdit->width() + m_ui->cancelButton->width());
    m_ui->jobIdMessageScroll->setFixedHeight(
        qMin(m_ui->jobIdMessageLabel->heightForWidth(width) + 2, m_messageMaxHeight));
    m_ui->jobIdMessageScroll->setVisible(!lines.isEmpty());
}

void JobFieldPane::applyColors()
{
    setMessageColor();
}

void JobFieldPane::setMessageColor()
{
    QPalette colored;
    colored.setColor(QPalette::WindowText, StatusColors::forCategory(m_messageCategory, palette(), QPalette::Window));
    m_ui->jobIdMessageLabel->setPalette(colored);
}
