#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

#if defined(_WIN32)
#include <condition_variable>
#include <mutex>
#else
#include <pthread.h>
#endif

namespace trpo {
namespace {

#if defined(_WIN32)
using Mutex = std::mutex;
using Lock = std::unique_lock<std::mutex>;
using CondVar = std::condition_variable;
#else
// POSIX primitives directly: libstdc++ 12's std::condition_variable::wait needs GLIBCXX_3.4.30, which
// would keep the prebuilt binary from loading on older distributions.
class Mutex {
 public:
  Mutex() { pthread_mutex_init(&m_, nullptr); }
  ~Mutex() { pthread_mutex_destroy(&m_); }
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }
  pthread_mutex_t* native() { return &m_; }

 private:
  pthread_mutex_t m_;
};

class Lock {
 public:
  explicit Lock(Mutex& m) : m_(m) { m_.lock(); }
  ~Lock() { if (owned_) m_.unlock(); }
  void lock() { m_.lock(); owned_ = true; }
  void unlock() { m_.unlock(); owned_ = false; }
  Mutex& mutex() { return m_; }

 private:
  Mutex& m_;
  bool owned_ = true;
};

class CondVar {
 public:
  CondVar() { pthread_cond_init(&c_, nullptr); }
  ~CondVar() { pthread_cond_destroy(&c_); }
  template <typename Pred>
  void wait(Lock& lock, Pred pred) {
    while (!pred()) pthread_cond_wait(&c_, lock.mutex().native());
  }
  void notify_all() { pthread_cond_broadcast(&c_); }
  void notify_one() { pthread_cond_signal(&c_); }

 private:
  pthread_cond_t c_;
};
#endif

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
    const int threads = wanted_.load();
    bool expected = false;
    if (nTasks <= 1 || threads <= 1 || !regionBusy_.compare_exchange_strong(expected, true)) {
      for (int i = 0; i < nTasks; ++i) fn(i);
      return;
    }
    struct Release {
      std::atomic<bool>& flag;
      ~Release() { flag.store(false); }
    } release{regionBusy_};
    ensureWorkers(threads - 1);
    {
      Lock lock(mutex_);
      task_ = &fn;
      nTasks_ = nTasks;
      next_.store(0);
      pending_ = static_cast<int>(workers_.size());
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    drain();
    Lock lock(mutex_);
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
        Lock lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  void workerLoop() {
    unsigned long seen = 0;
    Lock lock(mutex_);
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
      Lock lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  std::atomic<bool> regionBusy_{false};
  Mutex mutex_;
  CondVar wake_, done_;
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
  // Never destroyed: at process exit the OS ends the workers. Joining them from a static destructor
  // hangs on Windows, where the other threads are already gone when a DLL's destructors run.
  static Pool* instance = new Pool();
  return *instance;
}

}  // namespace

void parallelFor(int nTasks, const std::function<void(int)>& fn) { pool().run(nTasks, fn); }
int numThreads() { return pool().threads(); }
void setNumThreads(int n) { pool().setThreads(n); }

}  // namespace trpo
