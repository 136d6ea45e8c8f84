#include "work/background.h"

#include <QCoreApplication>
#include <QThread>
#include <QThreadPool>

#include <algorithm>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace vidrnn::ui {

void lowerThreadPriority() {
#ifdef __linux__
    // On Linux, niceness is per thread (task id), unlike POSIX's per process.
    thread_local bool lowered = false;
    if (!lowered) {
        const auto tid = static_cast<id_t>(syscall(SYS_gettid));
        const int current = getpriority(PRIO_PROCESS, tid);
        setpriority(PRIO_PROCESS, tid, std::min(19, current + 10));
        lowered = true;
    }
#endif
}

QThreadPool* backgroundPool() {
    static QThreadPool* pool = [] {
        // Owned by the application, so its (idle) threads end with it.
        auto* p = new QThreadPool(QCoreApplication::instance());
        p->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        p->setThreadPriority(QThread::LowPriority);
        return p;
    }();
    return pool;
}

}  // namespace vidrnn::ui
