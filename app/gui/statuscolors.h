#pragma once

#include "outcome.h"

#include <QColor>
#include <QPalette>

// Colours for how a job reads (Outcome::Category) that follow the palette: dark greens, reds, ambers and blues on
// a light background, light ones on a dark background, each nudged toward the text colour until it keeps a 4.5:1
// contrast (WCAG AA) with the background it is drawn on. Neutral is the palette's own text colour, a little
// softened. Every colour goes with a word: the colour never carries the meaning alone.
namespace StatusColors {

// Whether the background role of the palette is dark (then the colours are light).
bool isDark(const QPalette& palette, QPalette::ColorRole background = QPalette::Base);
QColor forCategory(Outcome::Category category, const QPalette& palette,
                   QPalette::ColorRole background = QPalette::Base);
// The WCAG contrast ratio of two colours, 1 to 21.
double contrast(const QColor& a, const QColor& b);

} // namespace StatusColors
