#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QWindow>

#include <cstdio>
#include <ctime>

// The bare window's copy of the product's test hook (app/windowmain.cpp): prints the CLOCK_MONOTONIC time of the
// first painted frame ("first-frame-ns N") on stderr and quits. Widgets paint and flush a top-level window while its
// first expose event is handled; the queued call runs right after that. Kept identical so both are timed alike.
class FirstFrameProbe final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Expose && !m_seen) {
            auto* window = qobject_cast<QWindow*>(watched);
            if (window && window->isExposed()) {
                m_seen = true;
                QMetaObject::invokeMethod(
                    this,
                    [] {
                        timespec now{};
                        clock_gettime(CLOCK_MONOTONIC, &now);
                        std::fprintf(stderr, "first-frame-ns %lld\n",
                                     static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec);
                        std::fflush(stderr);
                        QCoreApplication::quit();
                    },
                    Qt::QueuedConnection);
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_seen = false;
};
