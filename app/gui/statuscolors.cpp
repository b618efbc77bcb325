#include "statuscolors.h"

#include <QtMath>

namespace {
constexpr double minimumContrast = 4.5;

double luminance(const QColor& color)
{
    const auto channel = [](double c) {
        return c <= 0.03928 ? c / 12.92 : qPow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

QColor mix(const QColor& a, const QColor& b, double towardB)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * towardB),
                            float(a.greenF() + (b.greenF() - a.greenF()) * towardB),
                            float(a.blueF() + (b.blueF() - a.blueF()) * towardB));
}

QPalette::ColorRole textRoleFor(QPalette::ColorRole background)
{
    switch (background) {
    case QPalette::Window:
        return QPalette::WindowText;
    case QPalette::Button:
        return QPalette::ButtonText;
    default:
        return QPalette::Text;
    }
}
} // namespace

bool StatusColors::isDark(const QPalette& palette, QPalette::ColorRole background)
{
    return luminance(palette.color(background)) < 0.18; // about the middle grey a person sees
}

double StatusColors::contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor StatusColors::forCategory(Outcome::Category category, const QPalette& palette, QPalette::ColorRole background)
{
    const QColor base = palette.color(background);
    const QColor text = palette.color(textRoleFor(background));
    const bool dark = isDark(palette, background);
    QColor color;
    switch (category) {
    case Outcome::Category::Success:
        color = dark ? QColor(0x7e, 0xe2, 0xa8) : QColor(0x1b, 0x7f, 0x3b);
        break;
    case Outcome::Category::Error:
        color = dark ? QColor(0xff, 0xa1, 0x98) : QColor(0xb3, 0x26, 0x1e);
        break;
    case Outcome::Category::Warning:
        color = dark ? QColor(0xff, 0xcc, 0x80) : QColor(0x8a, 0x51, 0x00);
        break;
    case Outcome::Category::Busy:
        color = dark ? QColor(0x9e, 0xcb, 0xff) : QColor(0x1a, 0x5f, 0xb4);
        break;
    case Outcome::Category::Neutral:
        color = mix(text, base, 0.25);
        break;
    }
    // A palette of its own (high contrast, a themed base) may sit close to our colour: move toward the text.
    for (int step = 0; step < 10 && contrast(color, base) < minimumContrast; ++step)
        color = mix(color, text, 0.25);
    return color;
}
