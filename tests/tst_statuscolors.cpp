#include "batchmodel.h"
#include "cancelbatch.h"
#include "jobsproxymodel.h"
#include "statuscolors.h"

#include <QApplication>
#include <QBrush>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

// Outcome colours that follow the palette: readable (4.5:1) on light, dark and odd backgrounds, light on dark
// and dark on light, and applied by JobsProxyModel to the Outcome column only.
class TestStatusColors final : public QObject
{
    Q_OBJECT

private slots:
    void readableOnEveryBackground_data();
    void readableOnEveryBackground();
    void darkPaletteGetsLightColors();
    void proxyColorsTheOutcomeColumnForItsPalette();
};

namespace {
QPalette paletteWith(const QColor& base, const QColor& text)
{
    QPalette palette;
    for (const QPalette::ColorRole role : {QPalette::Base, QPalette::Window})
        palette.setColor(role, base);
    for (const QPalette::ColorRole role : {QPalette::Text, QPalette::WindowText})
        palette.setColor(role, text);
    return palette;
}

const QList<Outcome::Category> categories{Outcome::Category::Neutral, Outcome::Category::Busy,
                                          Outcome::Category::Success, Outcome::Category::Warning,
                                          Outcome::Category::Error};
} // namespace

void TestStatusColors::readableOnEveryBackground_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::newRow("white") << paletteWith(Qt::white, Qt::black);
    QTest::newRow("light grey") << paletteWith(QColor(0xef, 0xef, 0xef), Qt::black);
    QTest::newRow("dark grey") << paletteWith(QColor(0x2b, 0x2b, 0x2b), QColor(0xee, 0xee, 0xee));
    QTest::newRow("black") << paletteWith(Qt::black, Qt::white);
    QTest::newRow("mid grey") << paletteWith(QColor(0x80, 0x80, 0x80), Qt::black);
    QTest::newRow("solarized dark") << paletteWith(QColor(0x00, 0x2b, 0x36), QColor(0x93, 0xa1, 0xa1));
    QTest::newRow("pale green") << paletteWith(QColor(0xd0, 0xf0, 0xd0), QColor(0x10, 0x10, 0x10));
}

void TestStatusColors::readableOnEveryBackground()
{
    QFETCH(QPalette, palette);
    for (const QPalette::ColorRole background : {QPalette::Base, QPalette::Window}) {
        for (const Outcome::Category category : categories) {
            const QColor color = StatusColors::forCategory(category, palette, background);
            QVERIFY2(StatusColors::contrast(color, palette.color(background)) >= 4.5,
                     qPrintable(QStringLiteral("category %1: %2 on %3")
                                    .arg(int(category))
                                    .arg(color.name(), palette.color(background).name())));
        }
    }
    // Green, red and amber stay apart from each other.
    const QColor success = StatusColors::forCategory(Outcome::Category::Success, palette);
    const QColor error = StatusColors::forCategory(Outcome::Category::Error, palette);
    QVERIFY(success != error);
}

void TestStatusColors::darkPaletteGetsLightColors()
{
    const QPalette light = paletteWith(Qt::white, Qt::black);
    const QPalette dark = paletteWith(QColor(0x1e, 0x1e, 0x1e), QColor(0xee, 0xee, 0xee));
    QVERIFY(!StatusColors::isDark(light));
    QVERIFY(StatusColors::isDark(dark));
    for (const Outcome::Category category : categories) {
        const QColor onLight = StatusColors::forCategory(category, light);
        const QColor onDark = StatusColors::forCategory(category, dark);
        QVERIFY(onLight != onDark);
        QVERIFY2(onDark.lightnessF() > onLight.lightnessF(), qPrintable(onDark.name() + u' ' + onLight.name()));
    }
    QCOMPARE(StatusColors::contrast(Qt::white, Qt::black), 21.0);
    QCOMPARE(StatusColors::contrast(Qt::gray, Qt::gray), 1.0);
}

void TestStatusColors::proxyColorsTheOutcomeColumnForItsPalette()
{
    // A stand-in source with BatchModel's columns and roles.
    QStandardItemModel source(1, BatchModel::ColumnCount);
    for (int column = 0; column < BatchModel::ColumnCount; ++column) {
        auto* item = new QStandardItem(QStringLiteral("x"));
        item->setData(int(Outcome::Category::Error), BatchModel::CategoryRole);
        source.setItem(0, column, item);
    }
    JobsProxyModel proxy;
    proxy.setSourceModel(&source);
    const QPalette light = paletteWith(Qt::white, Qt::black);
    const QPalette dark = paletteWith(QColor(0x1e, 0x1e, 0x1e), QColor(0xee, 0xee, 0xee));
    proxy.setPalette(light);
    const QModelIndex outcome = proxy.index(0, BatchModel::OutcomeColumn);
    QCOMPARE(outcome.data(Qt::ForegroundRole).value<QBrush>().color(),
             StatusColors::forCategory(Outcome::Category::Error, light));
    QVERIFY(!proxy.index(0, BatchModel::IdColumn).data(Qt::ForegroundRole).isValid());
    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
    proxy.setPalette(dark);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(outcome.data(Qt::ForegroundRole).value<QBrush>().color(),
             StatusColors::forCategory(Outcome::Category::Error, dark));
}

QTEST_MAIN(TestStatusColors)
#include "tst_statuscolors.moc"
