#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace trpo {
namespace {

int defaultThreads() {
  if (const char* env = std::getenv("TRPO_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1) return std::min(n, 64);
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min(hw, 8u));
}

class Pool {
 public:
  ~Pool() { stopWorkers(); }

  void run(int nTasks, const std::function<void(int)>& fn) {
    std::unique_lock<std::mutex> region(regionMutex_, std::try_to_lock);
    int threads = wanted_.load();
    if (nTasks <= 1 || threads <= 1 || !region.owns_lock()) {
      for (int i = 0; i < nTasks; ++i) fn(i);
      return;
    }
    ensureWorkers(threads - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &fn;
      nTasks_ = nTasks;
      next_.store(0);
      pending_ = static_cast<int>(workers_.size());
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    drain();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

  int threads() const { return wanted_.load(); }
  void setThreads(int n) { wanted_.store(std::max(1, std::min(n, 64))); }

 private:
  void drain() {
    for (;;) {
      int i = next_.fetch_add(1);
      if (i >= nTasks_) return;
      try {
        (*task_)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  void workerLoop() {
    unsigned long seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      lock.unlock();
      drain();
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  void ensureWorkers(int n) {
    if (static_cast<int>(workers_.size()) == n) return;
    stopWorkers();
    stopping_ = false;
    for (int i = 0; i < n; ++i) workers_.emplace_back([this] { workerLoop(); });
  }

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  std::mutex regionMutex_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* task_ = nullptr;
  int nTasks_ = 0;
  std::atomic<int> next_{0};
  int pending_ = 0;
  unsigned long generation_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::atomic<int> wanted_{defaultThreads()};
};

Pool& pool() {
  static Pool instance;
  return instance;
}

}  // namespace

void parallelFor(int nTasks, const std::function<void(int)>& fn) { pool().run(nTasks, fn); }
int numThreads() { return pool().threads(); }
void setNumThreads(int n) { pool().setThreads(n); }

}  // namespace trpo
