#include "askingoffnotice.h"

#include "statuscolors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

AskingOffNotice::AskingOffNotice(QWidget* parent)
    : QWidget(parent), m_label(new QLabel(this)), m_button(new QPushButton(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_button);
    m_label->setObjectName(QStringLiteral("askingOffLabel"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setText(tr("\u26A0 Asking before cancelling is off"));
    m_label->setToolTip(tr("Cancels are sent without a confirmation (\u201CDon't ask again\u201D, or Settings \u2192 "
                           "Ask before cancelling). \u201CStop everything\u201D still asks.")
                            .toHtmlEscaped());
    m_button->setObjectName(QStringLiteral("turnAskingOnButton"));
    m_button->setText(tr("Turn on"));
    m_button->setAccessibleName(tr("Ask before cancelling again"));
    m_button->setToolTip(tr("Ask before each cancel again").toHtmlEscaped());
    connect(m_button, &QPushButton::clicked, this, &AskingOffNotice::turnOnClicked);
    applyColors();
}

AskingOffNotice::~AskingOffNotice() = default;

void AskingOffNotice::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}

void AskingOffNotice::applyColors()
{
    QPalette colored = m_label->palette();
    colored.setColor(QPalette::WindowText,
                     StatusColors::forCategory(Outcome::Category::Warning, palette(), QPalette::Window));
    m_label->setPalette(colored);
}
