// Long background work (training, demo generation, scans, feature
// extraction, predictions, model probes) runs at a lower CPU priority than
// the UI thread, so the event loop gets a core promptly even while LibTorch
// and the demo writers use every core. Threads they start (OpenMP teams,
// the engine's writers) inherit the priority.
#pragma once

class QThreadPool;

namespace vidrnn::ui {

// Lowers the calling thread's priority (Linux: nice +10 for this thread
// only). Raising niceness cannot be undone without privileges: call it only
// on threads that do background work for good.
void lowerThreadPriority();

// A pool whose threads run at lowered priority. Interactive decoding (the
// clip preview) stays on the global pool.
QThreadPool* backgroundPool();

}  // namespace vidrnn::ui
