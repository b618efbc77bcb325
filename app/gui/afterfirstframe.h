#pragma once

#include <QObject>
#include <functional>

class QWindow;

// Runs a function once, right after a window's first frame: widgets paint and flush a top-level window while its
// first expose event is handled, and the queued call runs just after that. For work the first frame need not wait
// for (the window icon, the keyring read). Owned by the window it watches.
class AfterFirstFrame final : public QObject
{
public:
    AfterFirstFrame(QWindow* window, std::function<void()> then);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    std::function<void()> m_then;
};
