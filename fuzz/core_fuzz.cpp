// libFuzzer harness of the C++ core (cpp/, no Node): fuzzed shapes, options and values through
// every public entry point — makePolicy (every distribution) and makeValueFunction with the size
// guards, forward, logProb, entropy, surrogate, meanKl, the Fisher-vector product, solveFisher,
// the TRPO step, sample, and the value loss and fit. Arrays have the lengths they claim (as
// TypedArrays do), but the claimed batch size n and the element types are fuzzed. A call may throw
// ArgumentError (bad input); anything else (a sanitizer report, another exception, a crash) is a
// finding. Build and run: scripts/fuzz.sh.
#include "../cpp/core.hpp"
#include "../cpp/limits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  uint32_t u32() { uint32_t v = 0; for (int i = 0; i < 4; ++i) v = (v << 8) | byte(); return v; }
  // A size: usually small, sometimes huge or degenerate (the guards must reject those).
  int64_t size(int64_t small) {
    const uint8_t b = byte();
    if (b < 200) return 1 + b % small;
    if (b < 220) return 0;
    if (b < 240) return int64_t(1) << (byte() % 63);
    return static_cast<int64_t>(u32()) * (1 + byte());
  }
  double value() {
    const uint8_t b = byte();
    if (b < 230) return (static_cast<int>(u32() % 20001) - 10000) / 1000.0;
    const double special[] = {0.0, -0.0, 1e308, -1e308, 1e-310, INFINITY, -INFINITY, NAN, 50.0, -50.0};
    return special[b % 10];
  }
  bool flag() { return byte() & 1; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// A caller-owned array of `length` elements of a fuzzed type (kept alive by `store`).
struct Array {
  std::vector<float> f32;
  std::vector<double> f64;
  std::vector<int32_t> i32;
  std::vector<uint32_t> u32;
  trpo::ArrayView view;
};

void fill(Input& in, Array& a, int64_t length, int typeHint) {
  const size_t len = static_cast<size_t>(std::clamp<int64_t>(length, 0, 1 << 14));
  const int t = (in.byte() < 200) ? typeHint : in.byte() % 4;
  a.view.length = len;
  switch (t) {
    case 0: a.f32.resize(len); for (auto& x : a.f32) x = static_cast<float>(in.value()); a.view.data = a.f32.data(); a.view.type = trpo::ElementType::Float32; break;
    case 1: a.f64.resize(len); for (auto& x : a.f64) x = in.value(); a.view.data = a.f64.data(); a.view.type = trpo::ElementType::Float64; break;
    case 2: a.i32.resize(len); for (auto& x : a.i32) x = static_cast<int32_t>(in.u32() % 7) - 1; a.view.data = a.i32.data(); a.view.type = trpo::ElementType::Int32; break;
    default: a.u32.resize(len); for (auto& x : a.u32) x = in.u32() % 6; a.view.data = a.u32.data(); a.view.type = trpo::ElementType::Uint32; break;
  }
  if (len == 0) a.view.data = nullptr;
}

template <typename Fn>
void call(Fn&& fn) {
  try {
    fn();
  } catch (const trpo::ArgumentError&) {
    // bad input, rejected: fine
  }
}

void fuzzPolicy(Input& in) {
  trpo::DistributionSpec dist;
  dist.kind = static_cast<trpo::PolicyKind>(in.byte() % 5);
  dist.fullStd = in.flag();
  dist.useExpln = in.flag();
  dist.learnFeatures = in.flag();
  trpo::NetworkSpec spec;
  spec.inDim = in.size(6);
  const int hidden = in.byte() % 3;
  for (int i = 0; i < hidden; ++i) spec.hiddenSizes.push_back(in.size(8));
  if (dist.kind == trpo::PolicyKind::MultiCategorical) {
    const int m = in.byte() % 4;
    int64_t sum = 0;
    for (int i = 0; i < m; ++i) { dist.nvec.push_back(in.size(4)); sum += dist.nvec.back() > 0 && dist.nvec.back() < (1 << 20) ? dist.nvec.back() : 0; }
    spec.outDim = in.flag() ? sum : in.size(6);
  } else {
    spec.outDim = in.size(4);
  }
  spec.dtype = in.flag() ? trpo::Dtype::Float32 : trpo::Dtype::Float64;
  spec.activationFn = in.flag() ? trpo::Activation::Tanh : trpo::Activation::Relu;
  std::unique_ptr<trpo::Policy> policy;
  call([&] { policy = trpo::makePolicy(dist, spec); });
  if (!policy) return;

  const int64_t P = policy->numParameters();
  std::vector<double> theta(P);
  for (auto& x : theta) x = in.value() / 4;
  policy->setParameters(theta.data());
  std::vector<double> got(P);
  policy->getParameters(got.data());

  const int64_t n = in.byte() < 230 ? 1 + in.byte() % 9 : in.size(4);
  // Usually the right lengths, sometimes off by a fuzzed amount.
  auto len = [&](int64_t right) { return in.byte() < 220 ? right : right + static_cast<int8_t>(in.byte()); };
  const int64_t rows = std::clamp<int64_t>(n, 0, 1 << 10);
  Array obs, actions, adv, logp, noise;
  fill(in, obs, len(rows * spec.inDim), in.flag() ? 0 : 1);
  const bool indexActions = dist.kind == trpo::PolicyKind::Categorical || dist.kind == trpo::PolicyKind::MultiCategorical;
  fill(in, actions, len(rows * policy->actionDim()), indexActions ? 2 + in.flag() : in.flag());
  fill(in, adv, len(rows), 1);
  fill(in, logp, len(rows), 1);
  fill(in, noise, len(rows * policy->noiseDim()), 1);
  trpo::PolicyBatch batch{obs.view, actions.view, adv.view, logp.view, n};
  std::vector<double> out(std::max<int64_t>(1, rows * std::max(policy->outDim(), policy->actionDim())));
  std::vector<double> out2(std::max<int64_t>(1, rows));
  std::vector<double> grad(P), v(P), x(P);
  for (auto& e : v) e = in.value();

  const int calls = 1 + in.byte() % 6;
  for (int c = 0; c < calls; ++c) {
    switch (in.byte() % 10) {
      case 0: call([&] { policy->forward(obs.view, n, out.data()); }); break;
      case 1: call([&] { policy->logProb(obs.view, actions.view, n, out2.data()); }); break;
      case 2: call([&] { (void)policy->entropy(obs.view, n); }); break;
      case 3: call([&] { (void)policy->surrogate(batch, in.value(), in.flag() ? grad.data() : nullptr); }); break;
      case 4: call([&] { (void)policy->meanKl(obs.view, n, v.data()); }); break;
      case 5: call([&] { policy->fisherVectorProduct(obs.view, n, v.data(), std::fabs(in.value()), grad.data()); }); break;
      case 6: {
        trpo::FisherSolveOptions o{std::fabs(in.value()), 1 + in.byte() % 20, std::fabs(in.value()) * 1e-6, 1 + in.byte() % 4};
        call([&] { (void)policy->solveFisher(obs.view, n, v.data(), o, x.data()); });
        break;
      }
      case 7: case 8: {
        trpo::TrpoOptions o{std::fabs(in.value()) * 0.01 + 1e-6, 1 + in.byte() % 15, std::fabs(in.value()) * 0.1, 1e-10,
                            1 + in.byte() % 10, 0.1 + (in.byte() % 9) / 10.0, in.value() * 0.01, 1 + in.byte() % 3};
        o.algo = in.byte() % 2 ? trpo::TrpoAlgo::Npg : trpo::TrpoAlgo::Trpo;
        o.cgWarmStart = in.byte() % 2 != 0;
        call([&] { policy->checkBatch(batch); (void)policy->trpoStep(batch, o); });
        break;
      }
      default:
        call([&] { policy->sample(obs.view, n, noise.view, in.flag(), out.data(), out2.data()); });
        break;
    }
  }
}

void fuzzValue(Input& in) {
  trpo::NetworkSpec spec;
  spec.inDim = in.size(6);
  spec.outDim = 1;
  const int hidden = in.byte() % 3;
  for (int i = 0; i < hidden; ++i) spec.hiddenSizes.push_back(in.size(8));
  spec.dtype = in.flag() ? trpo::Dtype::Float32 : trpo::Dtype::Float64;
  spec.activationFn = in.flag() ? trpo::Activation::Tanh : trpo::Activation::Relu;
  std::unique_ptr<trpo::ValueFunction> value;
  call([&] { value = trpo::makeValueFunction(spec); });
  if (!value) return;
  const int64_t P = value->numParameters();
  std::vector<double> theta(P), state(1 + 2 * P);
  for (auto& x : theta) x = in.value() / 4;
  value->setParameters(theta.data());
  value->getOptimizerState(state.data());
  value->setOptimizerState(state.data());
  const int64_t n = in.byte() < 230 ? 1 + in.byte() % 9 : in.size(4);
  const int64_t rows = std::clamp<int64_t>(n, 0, 1 << 10);
  auto len = [&](int64_t right) { return in.byte() < 220 ? right : right + static_cast<int8_t>(in.byte()); };
  Array obs, ret;
  fill(in, obs, len(rows * spec.inDim), in.flag() ? 0 : 1);
  fill(in, ret, len(rows), 1);
  std::vector<double> out(std::max<int64_t>(1, rows)), grad(P);
  trpo::ValueFitOptions o{std::fabs(in.value()) * 1e-3, 1 + in.byte() % 3, 1 + in.byte() % 8, std::fabs(in.value())};
  std::vector<uint32_t> order(static_cast<size_t>(rows) * o.epochs);
  for (auto& e : order) e = in.byte() < 250 ? in.u32() % std::max<int64_t>(1, rows) : in.u32();
  const int calls = 1 + in.byte() % 4;
  for (int c = 0; c < calls; ++c) {
    switch (in.byte() % 3) {
      case 0: call([&] { value->forward(obs.view, n, out.data()); }); break;
      case 1: call([&] { (void)value->loss(obs.view, ret.view, n, in.flag() ? grad.data() : nullptr); }); break;
      default:
        if (order.size() == static_cast<size_t>(n) * o.epochs) {
          call([&] { value->checkInputs(obs.view, ret.view, n); (void)value->fit(obs.view, ret.view, n, order.data(), o); });
        }
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  trpo::setMaxCoreBytes(int64_t(64) << 20);  // keep every accepted network and batch small
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  if (in.byte() & 1) fuzzValue(in); else fuzzPolicy(in);
  return 0;
}
