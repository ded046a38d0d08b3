// State-value network V(s) fitted to returns by minibatch Adam on the mean squared error.
#include "batch_passes.hpp"
#include "core.hpp"
#include "limits.hpp"
#include "mlp.hpp"
#include "parallel.hpp"
#include "views.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace trpo {
namespace {

template <typename T>
class ValueImpl final : public ValueFunction {
 public:
  explicit ValueImpl(const NetworkSpec& spec)
      : shape_(spec.inDim, 1, std::vector<Index>(spec.hiddenSizes.begin(), spec.hiddenSizes.end()), spec.activationFn),
        theta_(Vec<T>::Zero(shape_.numParameters())),
        adamM_(Eigen::VectorXd::Zero(shape_.numParameters())),
        adamV_(Eigen::VectorXd::Zero(shape_.numParameters())),
        passes_(shape_) {}

  int64_t numParameters() const override { return shape_.numParameters(); }
  void getParameters(double* out) const override {
    for (Index i = 0; i < theta_.size(); ++i) out[i] = static_cast<double>(theta_[i]);
  }
  void setParameters(const double* params) override {
    for (Index i = 0; i < theta_.size(); ++i) theta_[i] = static_cast<T>(params[i]);
  }

  void forward(const ArrayView& obs, int64_t n, double* out) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    passes_.forward(source_, theta_.data());
    passes_.gatherOutputs(out);
  }

  double loss(const ArrayView& obs, const ArrayView& returns, int64_t n, double* gradOut) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    const Eigen::VectorXd R = toVector(returns, n, "returns");
    passes_.forward(source_, theta_.data());
    const int count = passes_.count();
    std::vector<double> sums(count, 0.0);
    const double scale = 2.0 / static_cast<double>(n);  // d/dV of mean (V - R)^2
    parallelFor(count, [&](int c) {
      const Mat<T>& y = passes_.output(c);
      Mat<T>& G = passes_.gradOutput(c);
      for (Index r = 0; r < passes_.size(c); ++r) {
        const double e = static_cast<double>(y(r, 0)) - R[passes_.begin(c) + r];
        sums[c] += e * e;
        G(r, 0) = static_cast<T>(scale * e);
      }
      if (gradOut) passes_.backward(c, theta_.data());
    });
    if (gradOut) passes_.sumGradients(gradOut);
    return sumInOrder(sums) / static_cast<double>(n);
  }

  void checkInputs(const ArrayView& obs, const ArrayView& returns, int64_t n) const override {
    requireFloat(obs, "obs");
    requireRows(n);
    requireLength(obs, static_cast<size_t>(checkedMul(n, shape_.inDim(), "obs")), "obs");
    requireFloat(returns, "returns");
    requireLength(returns, static_cast<size_t>(n), "returns");
  }

  ValueFitStats fit(const ArrayView& obs, const ArrayView& returns, int64_t n, const uint32_t* order,
                    const ValueFitOptions& o) override {
    ValueFitStats stats;
    for (int64_t i = 0; i < static_cast<int64_t>(o.epochs) * n; ++i) {
      if (order[i] >= static_cast<uint64_t>(n)) {
        throw ArgumentError("order: entry " + std::to_string(i) + " is " + std::to_string(order[i]) +
                                ", outside [0, " + std::to_string(n) + ")",
                            true);
      }
    }
    stats.lossBefore = loss(obs, returns, n, nullptr);
    const Eigen::VectorXd R = toVector(returns, n, "returns");
    const Index inDim = shape_.inDim();
    const Index P = theta_.size();
    Mat<T> xb;
    Mat<T> G;
    Vec<T> gradT(P);
    Eigen::VectorXd grad(P);
    MlpCache<T> cache;
    for (int e = 0; e < o.epochs; ++e) {
      const uint32_t* perm = order + static_cast<size_t>(e) * n;
      for (int64_t start = 0; start < n; start += o.batchSize) {
        const Index b = std::min<int64_t>(o.batchSize, n - start);
        xb.resize(b, inDim);
        for (Index r = 0; r < b; ++r) copyInto(obs, static_cast<size_t>(perm[start + r]) * inDim, inDim, xb.row(r).data());
        mlpForward(shape_, theta_.data(), xb.data(), b, inDim, cache);
        G.resize(b, 1);
        for (Index r = 0; r < b; ++r) {
          G(r, 0) = static_cast<T>(2.0 * (static_cast<double>(cache.output()(r, 0)) - R[perm[start + r]]) / b);
        }
        gradT.setZero();
        mlpBackward(shape_, theta_.data(), G, cache, gradT.data());
        grad = gradT.template cast<double>();
        if (o.maxGradNorm > 0 && std::isfinite(o.maxGradNorm)) {
          const double clip = o.maxGradNorm / (grad.norm() + 1e-6);  // as torch.nn.utils.clip_grad_norm_
          if (clip < 1) grad *= clip;
        }
        adamStep(grad, o.learningRate);
        ++stats.steps;
      }
    }
    stats.lossAfter = loss(obs, returns, n, nullptr);
    return stats;
  }

  void getOptimizerState(double* out) const override {
    const Index P = theta_.size();
    out[0] = static_cast<double>(adamT_);
    Eigen::Map<Eigen::VectorXd>(out + 1, P) = adamM_;
    Eigen::Map<Eigen::VectorXd>(out + 1 + P, P) = adamV_;
  }
  void setOptimizerState(const double* state) override {
    const Index P = theta_.size();
    if (!(state[0] >= 0) || state[0] != std::floor(state[0])) {
      throw ArgumentError("state: the step count (first entry) must be a non-negative integer", true);
    }
    adamT_ = static_cast<int64_t>(state[0]);
    adamM_ = Eigen::Map<const Eigen::VectorXd>(state + 1, P);
    adamV_ = Eigen::Map<const Eigen::VectorXd>(state + 1 + P, P);
  }

 private:
  // Adam as in PyTorch: bias-corrected step lr / (1 - b1^t), denominator sqrt(v) / sqrt(1 - b2^t) + eps.
  // eps = 1e-5, the value SB3's ActorCriticPolicy (and so sb3-contrib's TRPO) gives its Adam.
  void adamStep(const Eigen::VectorXd& g, double lr) {
    constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-5;
    ++adamT_;
    adamM_ = b1 * adamM_ + (1 - b1) * g;
    adamV_ = b2 * adamV_ + (1 - b2) * g.cwiseProduct(g);
    const double stepSize = lr / (1 - std::pow(b1, static_cast<double>(adamT_)));
    const double biasCorrection2 = std::sqrt(1 - std::pow(b2, static_cast<double>(adamT_)));
    for (Index j = 0; j < theta_.size(); ++j) {
      const double denom = std::sqrt(adamV_[j]) / biasCorrection2 + eps;
      theta_[j] = static_cast<T>(static_cast<double>(theta_[j]) - stepSize * adamM_[j] / denom);
    }
  }

  MlpShape shape_;
  Vec<T> theta_;
  Eigen::VectorXd adamM_, adamV_;
  int64_t adamT_ = 0;
  RowSource<T> source_;
  BatchPasses<T> passes_;
};

}  // namespace

std::unique_ptr<ValueFunction> makeValueFunction(const NetworkSpec& spec) {
  checkNetworkSize(spec, nullptr);
  if (spec.dtype == Dtype::Float32) return std::make_unique<ValueImpl<float>>(spec);
  return std::make_unique<ValueImpl<double>>(spec);
}

}  // namespace trpo
