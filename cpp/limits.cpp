#include "limits.hpp"

#include <atomic>
#include <cstdlib>
#include <limits>
#include <string>

namespace trpo {
namespace {

int64_t capFromEnvironment() {
  const char* s = std::getenv("TRPO_NODE_MAX_CORE_BYTES");
  if (!s || !*s) return kDefaultMaxCoreBytes;
  char* end = nullptr;
  const long long v = std::strtoll(s, &end, 10);
  return (*end == '\0' && v > 0) ? static_cast<int64_t>(v) : kDefaultMaxCoreBytes;
}

std::atomic<int64_t>& cap() {
  static std::atomic<int64_t> value(capFromEnvironment());
  return value;
}

std::string gib(int64_t bytes) {
  const double g = static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0);
  std::string s = std::to_string(g);
  return s.substr(0, s.find('.') + 3) + " GiB";
}

[[noreturn]] void tooLarge(const std::string& message) { throw ArgumentError(message, true); }

}  // namespace

int64_t maxCoreBytes() { return cap().load(); }
void setMaxCoreBytes(int64_t bytes) {
  if (bytes < 1) tooLarge("maxCoreBytes: expected a positive integer, got " + std::to_string(bytes));
  cap().store(bytes);
}

int64_t checkedMul(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r)) {
    tooLarge(std::string(what) + ": the size " + std::to_string(a) + " x " + std::to_string(b) + " overflows 64 bits");
  }
  return r;
}

int64_t checkedAdd(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (a < 0 || b < 0 || __builtin_add_overflow(a, b, &r)) {
    tooLarge(std::string(what) + ": the size " + std::to_string(a) + " + " + std::to_string(b) + " overflows 64 bits");
  }
  return r;
}

void checkNetworkSize(const NetworkSpec& spec, const DistributionSpec* dist) {
  const char* what = "hiddenSizes";
  // Sizes beyond 2^53 cannot even be named exactly from JS; anything near int64 overflows below.
  int64_t params = 0, prev = spec.inDim;
  std::vector<int64_t> widths(spec.hiddenSizes);
  widths.push_back(spec.outDim);
  for (int64_t w : widths) {
    if (w < 1 || prev < 1) tooLarge("layer widths must be positive");
    params = checkedAdd(params, checkedAdd(checkedMul(w, prev, what), w, what), what);
    if (params > kMaxParameters) break;
    prev = w;
  }
  if (dist && params <= kMaxParameters) {
    const int64_t latent = spec.hiddenSizes.empty() ? spec.inDim : spec.hiddenSizes.back();
    int64_t extra = 0;
    switch (dist->kind) {
      case PolicyKind::Gaussian: extra = spec.outDim; break;  // log_std
      case PolicyKind::Gsde: extra = dist->fullStd ? checkedMul(latent, spec.outDim, what) : latent; break;
      case PolicyKind::MultiCategorical: {
        int64_t sum = 0;
        for (int64_t k : dist->nvec) sum = checkedAdd(sum, k < 0 ? 0 : k, "nvec");
        break;
      }
      default: break;
    }
    params = checkedAdd(params, extra, what);
  }
  if (params > kMaxParameters) {
    tooLarge("hiddenSizes: the network would have more than " + std::to_string(kMaxParameters) +
             " parameters (the most a Float64Array holds)");
  }
  const int64_t bytes = params * kBytesPerParameter;
  if (bytes > maxCoreBytes()) {
    tooLarge("hiddenSizes: the network's " + std::to_string(params) + " parameters need about " + gib(bytes) +
             ", more than the memory cap of " + gib(maxCoreBytes()) +
             " (setMaxCoreBytes() or TRPO_NODE_MAX_CORE_BYTES raise it)");
  }
}

void checkBatchSize(int64_t n, int64_t unitsPerRow) {
  const int64_t bytes = checkedMul(checkedMul(n, unitsPerRow, "n"), kBytesPerActivation, "n");
  if (bytes > maxCoreBytes()) {
    tooLarge("n: a batch of " + std::to_string(n) + " samples needs about " + gib(bytes) +
             " for the network's activations, more than the memory cap of " + gib(maxCoreBytes()) +
             " (use smaller batches, or raise the cap: setMaxCoreBytes() or TRPO_NODE_MAX_CORE_BYTES)");
  }
}

}  // namespace trpo
