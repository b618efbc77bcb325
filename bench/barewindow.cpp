// The anchor of the GUI start figure: a Qt Widgets window with a label and a button, nothing else. With
// FTCANCEL_TEST_EXIT_AFTER_FIRST_FRAME set it prints when its first frame is painted and quits, as FtCancel does.
#include "firstframeprobe.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    layout->addWidget(new QLabel(QStringLiteral("A label"), &window));
    layout->addWidget(new QPushButton(QStringLiteral("A button"), &window));
    if (qEnvironmentVariableIsSet("FTCANCEL_TEST_EXIT_AFTER_FIRST_FRAME")) {
        window.winId();
        window.windowHandle()->installEventFilter(new FirstFrameProbe(&window));
    }
    window.show();
    return app.exec();
}
