// MLP policies over an action distribution (distributions/): the batching of log-probabilities,
// the surrogate and its gradient, the mean KL, the analytic Fisher-vector product and the TRPO
// step (Schulman et al. 2015, Appendix C). Twin: src/core/js/policy.ts.
#include "batch_passes.hpp"
#include "cg.hpp"
#include "core.hpp"
#include "distributions/make.hpp"
#include "limits.hpp"
#include "mlp.hpp"
#include "parallel.hpp"
#include "views.hpp"

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

namespace trpo {
namespace {

template <typename T>
class PolicyImpl final : public Policy {
 public:
  PolicyImpl(const DistributionSpec& dist, const NetworkSpec& spec)
      : kind_(dist.kind),
        dist_(makeDistribution<T>(dist, spec.outDim,
                                  spec.hiddenSizes.empty() ? spec.inDim : spec.hiddenSizes.back())),
        shape_(spec.inDim, spec.outDim, std::vector<Index>(spec.hiddenSizes.begin(), spec.hiddenSizes.end()),
               spec.activationFn),
        outDim_(spec.outDim),
        actionDim_(dist_->actionDim()),
        rowWidth_(dist_->outDim()),
        latentDim_(dist_->latentDim()),
        netParams_(shape_.numParameters()),
        numParams_(netParams_ + dist_->numParameters()),
        theta_(Vec<T>::Zero(numParams_)),
        passes_(shape_) {}

  PolicyKind kind() const override { return kind_; }
  int64_t numParameters() const override { return numParams_; }
  int64_t outDim() const override { return outDim_; }
  int64_t actionDim() const override { return actionDim_; }
  int64_t noiseDim() const override { return dist_->noiseDim(); }
  void checkBatch(const PolicyBatch& batch) override { prepare(batch); }

  void getParameters(double* out) const override {
    for (Index i = 0; i < numParams_; ++i) out[i] = static_cast<double>(theta_[i]);
  }
  void setParameters(const double* params) override {
    for (Index i = 0; i < numParams_; ++i) theta_[i] = static_cast<T>(params[i]);
  }

  void forward(const ArrayView& obs, int64_t n, double* out) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    forwardAll(source_, theta_.data());
    passes_.gatherOutputs(out);
  }

  void logProb(const ArrayView& obs, const ArrayView& actions, int64_t n, double* out) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    const std::vector<double> a = readActions(actions, n);
    forwardAll(source_, theta_.data());
    const Eigen::VectorXd p = distParams(theta_);
    parallelFor(passes_.count(), [&](int c) {
      const Mat<T>& y = rows(c);
      for (Index r = 0; r < passes_.size(c); ++r) {
        const Index i = passes_.begin(c) + r;
        out[i] = dist_->logProb(&y(r, 0), p.data(), &a[i * actionDim_]);
      }
    });
  }

  double entropy(const ArrayView& obs, int64_t n) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    forwardAll(source_, theta_.data());
    return entropyOnCaches();
  }

  double surrogate(const PolicyBatch& batch, double entCoef, double* gradOut) override {
    Prepared p = prepare(batch);
    forwardAll(source_, theta_.data());
    return surrogateOnCaches(p, entCoef, gradOut);
  }

  double meanKl(const ArrayView& obs, int64_t n, const double* oldParams) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    Vec<T> old(numParams_);
    for (Index i = 0; i < numParams_; ++i) old[i] = static_cast<T>(oldParams[i]);
    forwardAll(source_, old.data());
    saveOldOutputs(old);
    forwardAll(source_, theta_.data());
    return klOnCaches();
  }

  void fisherVectorProduct(const ArrayView& obs, int64_t n, const double* v, double damping, double* out) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    forwardAll(source_, theta_.data());
    fvpOnCaches(v, damping, out);
  }

  CgSummary solveFisher(const ArrayView& obs, int64_t n, const double* b, const FisherSolveOptions& o,
                        double* xOut) override {
    subSource_.bind(obs, n, shape_.inDim(), o.subSamplingFactor, "obs");
    forwardAll(subSource_, theta_.data());
    auto fisher = [&](const Eigen::VectorXd& v, Eigen::VectorXd& out) { fvpOnCaches(v.data(), o.cgDamping, out.data()); };
    CgResult cg = conjugateGradient(fisher, Eigen::Map<const Eigen::VectorXd>(b, numParams_), o.cgMaxSteps, o.cgTol);
    Eigen::Map<Eigen::VectorXd>(xOut, numParams_) = cg.x;
    return CgSummary{cg.residual, cg.iterations};
  }

  TrpoStats trpoStep(const PolicyBatch& batch, const TrpoOptions& o) override {
    Prepared p = prepare(batch);
    TrpoStats stats;
    const Vec<T> thetaOld = theta_;

    // Surrogate and its gradient at theta_old; keep the old outputs for the KL of the line search.
    forwardAll(source_, theta_.data());
    Eigen::VectorXd g(numParams_);
    const double L0 = surrogateOnCaches(p, o.entCoef, g.data());
    saveOldOutputs(thetaOld);
    stats.surrogateBefore = stats.surrogateAfter = L0;
    stats.gradNorm = g.norm();

    // Fisher-vector products at theta_old, on every k-th sample (activations cached once).
    if (o.subSamplingFactor > 1) {
      subSource_.bind(batch.obs, batch.n, shape_.inDim(), o.subSamplingFactor, "obs");
      forwardAll(subSource_, theta_.data());
    }
    auto fisher = [&](const Eigen::VectorXd& v, Eigen::VectorXd& out) {
      fvpOnCaches(v.data(), o.cgDamping, out.data());
    };
    // cgWarmStart: from the previous step's solution (Nexus notes), else from 0.
    CgResult cg = conjugateGradient(fisher, g, o.cgMaxSteps, o.cgTol,
                                    o.cgWarmStart && lastDirection_.size() == numParams_ ? &lastDirection_ : nullptr);
    if (cg.x.allFinite()) lastDirection_ = cg.x;
    stats.cgResidual = cg.residual;
    stats.cgIterations = cg.iterations;
    // (F + damping I) s = g - r, so s^T (F + damping I) s = s.(g - r): no extra Fisher-vector product.
    double sFs = 0;
    for (Index j = 0; j < numParams_; ++j) sFs += cg.x[j] * (g[j] - cg.r[j]);
    stats.sFs = sFs;
    if (!(sFs > 0) || !std::isfinite(sFs)) {  // no usable direction: leave the parameters as they are
      stats.backtracks = o.algo == TrpoAlgo::Npg ? 0 : o.lineSearchMaxIter;
      return stats;
    }

    // The full step beta * s, beta = sqrt(2 delta / s^T F s) (the quadratic model's KL is delta).
    const Eigen::VectorXd fullStep = std::sqrt(2 * o.targetKl / sFs) * cg.x;
    if (o.algo == TrpoAlgo::Npg) {  // natural policy gradient: take it, no line search
      setStep(thetaOld, fullStep, 1.0);
      forwardAll(source_, theta_.data());
      const double kl = klOnCaches();
      const double L = surrogateOnCaches(p, o.entCoef, nullptr);
      if (std::isfinite(kl) && std::isfinite(L)) {
        stats.accepted = true;
        stats.kl = kl;
        stats.surrogateAfter = L;
        stats.stepFraction = 1;
        stats.backtracks = 0;
        return stats;
      }
    } else {
      // Backtracking line search: fractions lineSearchShrinkingFactor^i of the full step.
      for (int i = 0; i < o.lineSearchMaxIter; ++i) {
        const double frac = std::pow(o.lineSearchShrinkingFactor, i);
        setStep(thetaOld, fullStep, frac);
        forwardAll(source_, theta_.data());
        const double kl = klOnCaches();
        const double L = surrogateOnCaches(p, o.entCoef, nullptr);
        if (kl <= o.targetKl && L > L0) {
          stats.accepted = true;
          stats.kl = kl;
          stats.surrogateAfter = L;
          stats.stepFraction = frac;
          stats.backtracks = i;
          return stats;
        }
      }
    }
    theta_ = thetaOld;  // nothing accepted (or a non-finite NPG step): restore bit for bit
    stats.backtracks = o.algo == TrpoAlgo::Npg ? 0 : o.lineSearchMaxIter;
    return stats;
  }

  void sample(const ArrayView& obs, int64_t n, const ArrayView& noise, bool deterministic, double* actionsOut,
              double* logProbOut) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    const Index noiseDim = dist_->noiseDim();
    std::vector<double> eps;
    if (!deterministic) {
      requireFloat(noise, "noise");
      requireLength(noise, static_cast<size_t>(checkedMul(n, noiseDim, "noise")), "noise");
      eps.resize(n * noiseDim);
      copyInto(noise, 0, eps.size(), eps.data());
    }
    forwardAll(source_, theta_.data());
    const Eigen::VectorXd p = distParams(theta_);
    parallelFor(passes_.count(), [&](int c) {
      const Mat<T>& y = rows(c);
      for (Index r = 0; r < passes_.size(c); ++r) {
        const Index i = passes_.begin(c) + r;
        double* a = actionsOut + i * actionDim_;
        logProbOut[i] = deterministic ? dist_->mode(&y(r, 0), p.data(), a)
                                      : dist_->sample(&y(r, 0), p.data(), &eps[i * noiseDim], a);
      }
    });
  }

 private:
  struct Prepared {
    std::vector<double> actions;  // n x actionDim
    Eigen::VectorXd advantages, logProbOld;
    int64_t n;
  };

  Prepared prepare(const PolicyBatch& b) {
    source_.bind(b.obs, b.n, shape_.inDim(), 1, "obs");
    Prepared p{readActions(b.actions, b.n), toVector(b.advantages, b.n, "advantages"),
               toVector(b.logProbOld, b.n, "logProbOld"), b.n};
    return p;
  }

  std::vector<double> readActions(const ArrayView& v, int64_t n) const {
    std::vector<double> a(static_cast<size_t>(n * actionDim_));
    dist_->readActions(v, n, a.data());
    return a;
  }

  // theta = thetaOld + frac * step.
  void setStep(const Vec<T>& thetaOld, const Eigen::VectorXd& step, double frac) {
    for (Index j = 0; j < numParams_; ++j) {
      theta_[j] = static_cast<T>(static_cast<double>(thetaOld[j]) + frac * step[j]);
    }
  }

  // The distribution's own parameters (the tail of theta), as double.
  Eigen::VectorXd distParams(const Vec<T>& theta) const {
    return theta.tail(numParams_ - netParams_).template cast<double>();
  }

  // Forward pass; for a distribution with latent features (gSDE), also the rows [outputs | latent].
  void forwardAll(const RowSource<T>& src, const T* theta) {
    passes_.forward(src, theta);
    if (latentDim_ == 0) return;
    if (static_cast<int>(rows_.size()) < passes_.count()) rows_.resize(passes_.count());
    parallelFor(passes_.count(), [&](int c) {
      rows_[c].resize(passes_.size(c), rowWidth_);
      rows_[c].leftCols(outDim_) = passes_.output(c);
      rows_[c].rightCols(latentDim_) = passes_.latent(c);
    });
  }

  // The rows the distribution reads for chunk c: the network outputs, then the latent features (gSDE).
  const Mat<T>& rows(int c) const { return latentDim_ == 0 ? passes_.output(c) : rows_[c]; }

  void saveOldOutputs(const Vec<T>& oldTheta) {
    oldOutputs_.resize(passes_.rows(), rowWidth_);
    for (int c = 0; c < passes_.count(); ++c) oldOutputs_.middleRows(passes_.begin(c), passes_.size(c)) = rows(c);
    oldParams_ = distParams(oldTheta);
  }

  double entropyOnCaches() {
    const Eigen::VectorXd p = distParams(theta_);
    std::vector<double> sums(passes_.count(), 0.0);
    parallelFor(passes_.count(), [&](int c) {
      const Mat<T>& y = rows(c);
      for (Index r = 0; r < passes_.size(c); ++r) sums[c] += dist_->entropy(&y(r, 0), p.data());
    });
    return sumInOrder(sums) / static_cast<double>(passes_.rows());
  }

  // Surrogate mean(ratio * A) + entCoef * mean entropy at the cached forward pass; its gradient
  // into gradOut (numParams_) when not null: dL/dy = (ratio A / n) dlogpi/dy + (entCoef / n) dH/dy.
  double surrogateOnCaches(const Prepared& prep, double entCoef, double* gradOut) {
    const int count = passes_.count();
    const double invN = 1.0 / static_cast<double>(prep.n);
    const Index P = numParams_ - netParams_;
    const Eigen::VectorXd p = distParams(theta_);
    std::vector<double> objective(count, 0.0), entropySum(count, 0.0);
    std::vector<Eigen::VectorXd> paramGrad(count, Eigen::VectorXd::Zero(P));
    const bool latentGrad = latentDim_ > 0 && dist_->learnFeatures();
    parallelFor(count, [&](int c) {
      const Mat<T>& y = rows(c);
      const Index nRows = passes_.size(c);
      Mat<T>* G = gradOut ? &passes_.gradOutput(c) : nullptr;
      Mat<T>* GL = gradOut && latentGrad ? &passes_.gradLatent(c, latentDim_) : nullptr;
      std::vector<double> dy(rowWidth_);
      for (Index r = 0; r < nRows; ++r) {
        const Index i = passes_.begin(c) + r;
        const T* yr = &y(r, 0);
        const double* a = &prep.actions[i * actionDim_];
        const double ratio = std::exp(dist_->logProb(yr, p.data(), a) - prep.logProbOld[i]);
        objective[c] += ratio * prep.advantages[i];
        if (entCoef != 0) entropySum[c] += dist_->entropy(yr, p.data());
        if (!gradOut) continue;
        dist_->logProbGradient(yr, p.data(), a, ratio * prep.advantages[i] * invN, dy.data(), paramGrad[c].data());
        if (entCoef != 0) dist_->entropyGradient(yr, p.data(), entCoef * invN, dy.data(), paramGrad[c].data());
        for (Index k = 0; k < outDim_; ++k) (*G)(r, k) = static_cast<T>(dy[k]);
        if (GL) for (Index k = 0; k < latentDim_; ++k) (*GL)(r, k) = static_cast<T>(dy[outDim_ + k]);
      }
      if (gradOut) passes_.backward(c, theta_.data(), GL != nullptr);
    });
    const double L = sumInOrder(objective) * invN + (entCoef != 0 ? entCoef * (sumInOrder(entropySum) * invN) : 0.0);
    if (gradOut) {
      Eigen::Map<Eigen::VectorXd> grad(gradOut, numParams_);
      passes_.sumGradients(gradOut);  // the network part; the distribution's parameters follow
      grad.tail(P).setZero();
      for (int c = 0; c < count; ++c) grad.tail(P) += paramGrad[c];
    }
    return L;
  }

  // Mean KL(pi_old || pi_theta) between the saved old outputs and the cached forward pass.
  double klOnCaches() {
    const int count = passes_.count();
    const Eigen::VectorXd p = distParams(theta_);
    std::vector<double> sums(count, 0.0);
    parallelFor(count, [&](int c) {
      const Mat<T>& y = rows(c);
      for (Index r = 0; r < passes_.size(c); ++r) {
        sums[c] += dist_->kl(&oldOutputs_(passes_.begin(c) + r, 0), oldParams_.data(), &y(r, 0), p.data());
      }
    });
    return sumInOrder(sums) / static_cast<double>(passes_.rows());
  }

  // (F + damping I) v at the cached forward pass: F v = (1/m) sum_s J_s^T M_s J_s v, plus the
  // Fisher of the distribution's own parameters (2 v on a Gaussian log_std).
  void fvpOnCaches(const double* v, double damping, double* out) {
    const int count = passes_.count();
    const double invM = 1.0 / static_cast<double>(passes_.rows());
    const Eigen::VectorXd p = distParams(theta_);
    const Index P = numParams_ - netParams_;
    direction_.resize(netParams_);
    for (Index j = 0; j < netParams_; ++j) direction_[j] = static_cast<T>(v[j]);
    const bool latentGrad = latentDim_ > 0 && dist_->learnFeatures();
    std::vector<Eigen::VectorXd> paramPart(count, Eigen::VectorXd::Zero(P));
    parallelFor(count, [&](int c) {
      const Mat<T>& u = mlpTangent(shape_, theta_.data(), direction_.data(), passes_.cache(c));  // J v
      if (latentDim_ == 0) {
        dist_->fisherWeight(passes_.output(c), p.data(), u, v + netParams_, invM, passes_.gradOutput(c), paramPart[c].data());
        passes_.backward(c, theta_.data());
        return;
      }
      // Rows [outputs | latent] and their tangent [J v | d latent] (0 when the features are detached).
      Mat<T> ut(u.rows(), rowWidth_), wt;
      ut.leftCols(outDim_) = u;
      const Mat<T>* lt = passes_.cache(c).latentTangent;
      if (latentGrad && lt) ut.rightCols(latentDim_) = *lt;
      else ut.rightCols(latentDim_).setZero();
      dist_->fisherWeight(rows(c), p.data(), ut, v + netParams_, invM, wt, paramPart[c].data());
      passes_.gradOutput(c) = wt.leftCols(outDim_);
      if (latentGrad) passes_.gradLatent(c, latentDim_) = wt.rightCols(latentDim_);
      passes_.backward(c, theta_.data(), latentGrad);
    });
    Eigen::Map<Eigen::VectorXd> result(out, numParams_);
    Eigen::Map<const Eigen::VectorXd> vin(v, numParams_);
    passes_.sumGradients(out);
    result.tail(P).setZero();
    for (int c = 0; c < count; ++c) result.tail(P) += paramPart[c];
    dist_->parameterFisher(p.data(), v + netParams_, out + netParams_);
    result += damping * vin;
  }

  PolicyKind kind_;
  std::unique_ptr<Distribution<T>> dist_;
  MlpShape shape_;
  Index outDim_, actionDim_, rowWidth_, latentDim_, netParams_, numParams_;
  Vec<T> theta_;
  RowSource<T> source_, subSource_;
  BatchPasses<T> passes_;
  Vec<T> direction_;
  std::vector<Mat<T>> rows_;
  Mat<T> oldOutputs_;
  Eigen::VectorXd oldParams_;
  // The last trpoStep's CG solution, the start of the next CG with cgWarmStart.
  Eigen::VectorXd lastDirection_;
};

}  // namespace

std::unique_ptr<Policy> makePolicy(const DistributionSpec& dist, const NetworkSpec& spec) {
  checkNetworkSize(spec, &dist);
  if (spec.dtype == Dtype::Float32) return std::make_unique<PolicyImpl<float>>(dist, spec);
  return std::make_unique<PolicyImpl<double>>(dist, spec);
}

}  // namespace trpo
