// A small persistent thread pool for batch-parallel work.
//
// Work is cut into chunks by the caller, and chunk boundaries depend only on the batch size (not on
// the number of threads), and reductions are summed in chunk order, so results are bit-for-bit the
// same whatever the thread count. One parallel region runs at a time; a caller that finds the pool
// busy (e.g. two async jobs at once) runs its chunks itself.
#pragma once

#include <functional>

namespace trpo {

// Runs fn(0) .. fn(nTasks - 1), on the pool's threads and the caller's; returns when all are done.
// An exception thrown by a task is rethrown in the caller (the first one, if several).
void parallelFor(int nTasks, const std::function<void(int)>& fn);

// Number of threads used by parallelFor (the caller included); 1 disables threading.
int numThreads();
void setNumThreads(int n);

}  // namespace trpo
