// Gaussian and categorical MLP policies: log-probabilities, surrogate and its gradient, mean KL,
// the analytic Fisher-vector product and the TRPO step (Schulman et al. 2015, Appendix C).
#include "batch_passes.hpp"
#include "cg.hpp"
#include "core.hpp"
#include "mlp.hpp"
#include "parallel.hpp"
#include "views.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace trpo {
namespace {

constexpr double kLog2Pi = 1.8378770664093453;  // log(2 pi)

// log-softmax of one row of logits into `out` (double); returns nothing, out[k] = z_k - logsumexp(z).
template <typename Row>
void logSoftmax(const Row& z, double* out) {
  const Index k = z.size();
  double zmax = -std::numeric_limits<double>::infinity();
  for (Index j = 0; j < k; ++j) zmax = std::max(zmax, static_cast<double>(z[j]));
  double sum = 0;
  for (Index j = 0; j < k; ++j) sum += std::exp(static_cast<double>(z[j]) - zmax);
  const double lse = zmax + std::log(sum);
  for (Index j = 0; j < k; ++j) out[j] = static_cast<double>(z[j]) - lse;
}

// Actions of a batch in a form ready for the distribution math.
struct Actions {
  Eigen::MatrixXd continuous;  // n x actDim (Gaussian)
  std::vector<int32_t> index;  // n (categorical)
};

template <typename T>
class PolicyImpl final : public Policy {
 public:
  PolicyImpl(PolicyKind kind, const NetworkSpec& spec)
      : kind_(kind),
        shape_(spec.inDim, spec.outDim, std::vector<Index>(spec.hiddenSizes.begin(), spec.hiddenSizes.end())),
        outDim_(spec.outDim),
        netParams_(shape_.numParameters()),
        numParams_(netParams_ + (kind == PolicyKind::Gaussian ? spec.outDim : 0)),
        theta_(Vec<T>::Zero(numParams_)),
        passes_(shape_) {}

  PolicyKind kind() const override { return kind_; }
  int64_t numParameters() const override { return numParams_; }
  int64_t outDim() const override { return outDim_; }
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
    Actions a = prepareActions(actions, n);
    forwardAll(source_, theta_.data());
    parallelFor(passes_.count(), [&](int c) {
      const Mat<T>& y = passes_.output(c);
      std::vector<double> scratch(outDim_);
      for (Index r = 0; r < passes_.size(c); ++r) {
        out[passes_.begin(c) + r] = rowLogProb(y, r, a, passes_.begin(c) + r, scratch.data());
      }
    });
  }

  double entropy(const ArrayView& obs, int64_t n) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    if (kind_ == PolicyKind::Gaussian) return gaussianEntropy();
    forwardAll(source_, theta_.data());
    std::vector<double> sums(passes_.count(), 0.0);
    parallelFor(passes_.count(), [&](int c) {
      const Mat<T>& y = passes_.output(c);
      std::vector<double> logp(outDim_);
      for (Index r = 0; r < passes_.size(c); ++r) {
        logSoftmax(y.row(r), logp.data());
        for (Index k = 0; k < outDim_; ++k) sums[c] -= std::exp(logp[k]) * logp[k];
      }
    });
    return sumInOrder(sums) / static_cast<double>(n);
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

  CgSummary solveFisher(const ArrayView& obs, int64_t n, const double* b, double damping, int iters, double tol,
                        int subSamplingFactor, double* xOut) override {
    subSource_.bind(obs, n, shape_.inDim(), subSamplingFactor, "obs");
    forwardAll(subSource_, theta_.data());
    auto fisher = [&](const Eigen::VectorXd& v, Eigen::VectorXd& out) { fvpOnCaches(v.data(), damping, out.data()); };
    CgResult cg = conjugateGradient(fisher, Eigen::Map<const Eigen::VectorXd>(b, numParams_), iters, tol);
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
    CgResult cg = conjugateGradient(fisher, g, o.cgIters, o.cgTol);
    stats.cgResidual = cg.residual;
    stats.cgIterations = cg.iterations;
    // (F + damping I) s = g - r, so s^T (F + damping I) s = s.(g - r): no extra Fisher-vector product.
    double sFs = 0;
    for (Index j = 0; j < numParams_; ++j) sFs += cg.x[j] * (g[j] - cg.r[j]);
    stats.sFs = sFs;
    if (!(sFs > 0) || !std::isfinite(sFs)) {  // no usable direction: leave the parameters as they are
      stats.backtracks = o.backtrackIters;
      return stats;
    }

    // Backtracking line search on the full step beta * s, beta = sqrt(2 delta / s^T F s).
    const Eigen::VectorXd fullStep = std::sqrt(2 * o.maxKl / sFs) * cg.x;
    for (int i = 0; i < o.backtrackIters; ++i) {
      const double frac = std::pow(o.backtrackCoeff, i);
      for (Index j = 0; j < numParams_; ++j) {
        theta_[j] = static_cast<T>(static_cast<double>(thetaOld[j]) + frac * fullStep[j]);
      }
      forwardAll(source_, theta_.data());
      const double kl = klOnCaches();
      const double L = surrogateOnCaches(p, o.entCoef, nullptr);
      if (kl <= o.maxKl && L > L0) {
        stats.accepted = true;
        stats.kl = kl;
        stats.surrogateAfter = L;
        stats.stepFraction = frac;
        stats.backtracks = i;
        return stats;
      }
    }
    theta_ = thetaOld;  // nothing accepted: restore bit for bit
    stats.backtracks = o.backtrackIters;
    return stats;
  }

  void sample(const ArrayView& obs, int64_t n, const ArrayView& noise, bool deterministic, double* actionsOut,
              double* logProbOut) override {
    source_.bind(obs, n, shape_.inDim(), 1, "obs");
    const bool gaussian = kind_ == PolicyKind::Gaussian;
    if (!deterministic) {
      requireFloat(noise, "noise");
      requireLength(noise, static_cast<size_t>(n) * (gaussian ? outDim_ : 1), "noise");
    }
    forwardAll(source_, theta_.data());
    parallelFor(passes_.count(), [&](int c) {
      const Mat<T>& y = passes_.output(c);
      std::vector<double> logp(outDim_);
      for (Index r = 0; r < passes_.size(c); ++r) {
        const Index i = passes_.begin(c) + r;
        if (gaussian) {
          double lp = 0;
          for (Index j = 0; j < outDim_; ++j) {
            const double ls = logStd(j);
            const double eps = deterministic ? 0.0 : valueAt(noise, i * outDim_ + j);
            actionsOut[i * outDim_ + j] = static_cast<double>(y(r, j)) + std::exp(ls) * eps;
            lp += -0.5 * eps * eps - ls - 0.5 * kLog2Pi;
          }
          logProbOut[i] = lp;
        } else {
          logSoftmax(y.row(r), logp.data());
          Index pick = 0;
          if (deterministic) {
            for (Index k = 1; k < outDim_; ++k) if (logp[k] > logp[pick]) pick = k;
          } else {
            const double u = valueAt(noise, i);
            double cumulative = 0;
            pick = outDim_ - 1;
            for (Index k = 0; k < outDim_; ++k) {
              cumulative += std::exp(logp[k]);
              if (u < cumulative) { pick = k; break; }
            }
          }
          actionsOut[i] = static_cast<double>(pick);
          logProbOut[i] = logp[pick];
        }
      }
    });
  }

 private:
  struct Prepared {
    Actions actions;
    Eigen::VectorXd advantages, logProbOld;
    int64_t n;
  };

  Prepared prepare(const PolicyBatch& b) {
    source_.bind(b.obs, b.n, shape_.inDim(), 1, "obs");
    Prepared p{prepareActions(b.actions, b.n), toVector(b.advantages, b.n, "advantages"),
               toVector(b.logProbOld, b.n, "logProbOld"), b.n};
    return p;
  }

  Actions prepareActions(const ArrayView& v, int64_t n) {
    Actions a;
    if (kind_ == PolicyKind::Gaussian) {
      requireFloat(v, "actions");
      requireLength(v, static_cast<size_t>(n * outDim_), "actions");
      a.continuous.resize(n, outDim_);
      for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < outDim_; ++j) a.continuous(i, j) = valueAt(v, i * outDim_ + j);
    } else {
      if (v.type != ElementType::Int32 && v.type != ElementType::Uint32) {
        throw ArgumentError(std::string("actions: expected an Int32Array or Uint32Array of action indices, got ") +
                                typeName(v.type),
                            false);
      }
      requireLength(v, static_cast<size_t>(n), "actions");
      a.index.resize(n);
      for (Index i = 0; i < n; ++i) {
        const double x = valueAt(v, i);
        if (!(x >= 0 && x < static_cast<double>(outDim_))) {
          throw ArgumentError("actions: index " + std::to_string(static_cast<long long>(x)) + " at position " +
                                  std::to_string(i) + " is outside [0, " + std::to_string(outDim_) + ")",
                              true);
        }
        a.index[i] = static_cast<int32_t>(x);
      }
    }
    return a;
  }

  double logStd(Index j) const { return static_cast<double>(theta_[netParams_ + j]); }

  double gaussianEntropy() const {
    double h = 0;
    for (Index j = 0; j < outDim_; ++j) h += 0.5 + 0.5 * kLog2Pi + logStd(j);
    return h;
  }

  void forwardAll(const RowSource<T>& src, const T* theta) { passes_.forward(src, theta); }

  void saveOldOutputs(const Vec<T>& oldTheta) {
    oldOutputs_.resize(passes_.rows(), outDim_);
    passes_.gatherOutputs(oldOutputs_.data());
    oldLogStd_.resize(kind_ == PolicyKind::Gaussian ? outDim_ : 0);
    for (Index j = 0; j < oldLogStd_.size(); ++j) oldLogStd_[j] = static_cast<double>(oldTheta[netParams_ + j]);
  }

  // log pi(a_i | s_i) for row r of a chunk's outputs y (global sample index i).
  double rowLogProb(const Mat<T>& y, Index r, const Actions& a, Index i, double* scratch) const {
    if (kind_ == PolicyKind::Gaussian) {
      double lp = 0;
      for (Index j = 0; j < outDim_; ++j) {
        const double ls = logStd(j);
        const double z = (a.continuous(i, j) - static_cast<double>(y(r, j))) * std::exp(-ls);
        lp += -0.5 * z * z - ls - 0.5 * kLog2Pi;
      }
      return lp;
    }
    logSoftmax(y.row(r), scratch);
    return scratch[a.index[i]];
  }

  // Surrogate at the cached forward pass; gradient into gradOut (numParams_) when not null.
  double surrogateOnCaches(const Prepared& p, double entCoef, double* gradOut) {
    const int count = passes_.count();
    const double invN = 1.0 / static_cast<double>(p.n);
    const bool gaussian = kind_ == PolicyKind::Gaussian;
    std::vector<double> objective(count, 0.0), entropySum(count, 0.0);
    std::vector<Eigen::VectorXd> logStdGrad(count, Eigen::VectorXd::Zero(gaussian ? outDim_ : 0));
    parallelFor(count, [&](int c) {
      const Mat<T>& y = passes_.output(c);
      const Index rows = passes_.size(c);
      Mat<T>* G = gradOut ? &passes_.gradOutput(c) : nullptr;
      std::vector<double> logp(outDim_);
      for (Index r = 0; r < rows; ++r) {
        const Index i = passes_.begin(c) + r;
        const double lp = rowLogProb(y, r, p.actions, i, logp.data());
        const double ratio = std::exp(lp - p.logProbOld[i]);
        objective[c] += ratio * p.advantages[i];
        const double w = ratio * p.advantages[i] * invN;  // dL/dlogpi_i
        if (gaussian) {
          if (!gradOut) continue;
          for (Index j = 0; j < outDim_; ++j) {
            const double invStd = std::exp(-logStd(j));
            const double z = (p.actions.continuous(i, j) - static_cast<double>(y(r, j))) * invStd;
            (*G)(r, j) = static_cast<T>(w * z * invStd);     // dlogpi/dmu = (a - mu) / sigma^2
            logStdGrad[c][j] += w * (z * z - 1);          // dlogpi/dlogsigma = z^2 - 1
          }
        } else {
          // logp holds the log-softmax of the row (rowLogProb filled it).
          double h = 0;
          for (Index k = 0; k < outDim_; ++k) h -= std::exp(logp[k]) * logp[k];
          entropySum[c] += h;
          if (!gradOut) continue;
          for (Index k = 0; k < outDim_; ++k) {
            const double pk = std::exp(logp[k]);
            const double dlogp = (k == p.actions.index[i] ? 1.0 : 0.0) - pk;  // dlogpi/dz_k
            const double dh = -pk * (logp[k] + h);                               // dH/dz_k
            (*G)(r, k) = static_cast<T>(w * dlogp + entCoef * invN * dh);
          }
        }
      }
      if (gradOut) passes_.backward(c, theta_.data());
    });
    const double entropy = gaussian ? gaussianEntropy() : sumInOrder(entropySum) * invN;
    const double L = sumInOrder(objective) * invN + entCoef * entropy;
    if (gradOut) {
      Eigen::Map<Eigen::VectorXd> grad(gradOut, numParams_);
      passes_.sumGradients(gradOut);  // the network part; the log_std part follows
      if (gaussian) {
        grad.tail(outDim_).setZero();
        for (int c = 0; c < count; ++c) grad.tail(outDim_) += logStdGrad[c];
        grad.tail(outDim_).array() += entCoef;  // dH/dlogsigma_j = 1
      }
    }
    return L;
  }

  // Mean KL(pi_old || pi_theta) between the saved old outputs and the cached forward pass.
  double klOnCaches() {
    const int count = passes_.count();
    std::vector<double> sums(count, 0.0);
    const bool gaussian = kind_ == PolicyKind::Gaussian;
    parallelFor(count, [&](int c) {
      const Mat<T>& y = passes_.output(c);
      std::vector<double> lpOld(outDim_), lpNew(outDim_);
      for (Index r = 0; r < passes_.size(c); ++r) {
        const Index i = passes_.begin(c) + r;
        if (gaussian) {
          // KL(N(mo, so^2) || N(mn, sn^2)) = log(sn/so) + (so^2 + (mo - mn)^2) / (2 sn^2) - 1/2, per dimension.
          for (Index j = 0; j < outDim_; ++j) {
            const double lsNew = logStd(j), lsOld = oldLogStd_[j];
            const double sNew = std::exp(lsNew), sOld = std::exp(lsOld);
            const double diff = oldOutputs_(i, j) - static_cast<double>(y(r, j));
            sums[c] += lsNew - lsOld + (sOld * sOld + diff * diff) / (2 * sNew * sNew) - 0.5;
          }
        } else {
          logSoftmax(oldOutputs_.row(i), lpOld.data());
          logSoftmax(y.row(r), lpNew.data());
          for (Index k = 0; k < outDim_; ++k) sums[c] += std::exp(lpOld[k]) * (lpOld[k] - lpNew[k]);
        }
      }
    });
    return sumInOrder(sums) / static_cast<double>(passes_.rows());
  }

  // (F + damping I) v at the cached forward pass: F v = (1/m) sum_s J_s^T M_s J_s v (+ 2 v on log_std).
  void fvpOnCaches(const double* v, double damping, double* out) {
    const int count = passes_.count();
    const double invM = 1.0 / static_cast<double>(passes_.rows());
    const bool gaussian = kind_ == PolicyKind::Gaussian;
    direction_.resize(netParams_);
    for (Index j = 0; j < netParams_; ++j) direction_[j] = static_cast<T>(v[j]);
    Vec<T> meanWeight(gaussian ? outDim_ : 0);  // 1 / (m sigma_j^2)
    for (Index j = 0; j < meanWeight.size(); ++j) meanWeight[j] = static_cast<T>(std::exp(-2 * logStd(j)) * invM);
    parallelFor(count, [&](int c) {
      const Mat<T>& u = mlpTangent(shape_, theta_.data(), direction_.data(), passes_.cache(c));  // J v
      Mat<T>& G = passes_.gradOutput(c);
      if (gaussian) {
        G = u * meanWeight.asDiagonal();
      } else {
        const Mat<T>& y = passes_.output(c);
        std::vector<double> logp(outDim_);
        for (Index r = 0; r < u.rows(); ++r) {
          logSoftmax(y.row(r), logp.data());
          double pu = 0;
          for (Index k = 0; k < outDim_; ++k) pu += std::exp(logp[k]) * static_cast<double>(u(r, k));
          for (Index k = 0; k < outDim_; ++k) {
            G(r, k) = static_cast<T>(std::exp(logp[k]) * (static_cast<double>(u(r, k)) - pu) * invM);
          }
        }
      }
      passes_.backward(c, theta_.data());
    });
    Eigen::Map<Eigen::VectorXd> result(out, numParams_);
    Eigen::Map<const Eigen::VectorXd> vin(v, numParams_);
    passes_.sumGradients(out);
    if (gaussian) result.tail(outDim_) = 2 * vin.tail(outDim_);
    result += damping * vin;
  }

  PolicyKind kind_;
  MlpShape shape_;
  Index outDim_, netParams_, numParams_;
  Vec<T> theta_;
  RowSource<T> source_, subSource_;
  BatchPasses<T> passes_;
  Vec<T> direction_;
  Mat<double> oldOutputs_;
  Eigen::VectorXd oldLogStd_;
};

}  // namespace

std::unique_ptr<Policy> makePolicy(PolicyKind kind, const NetworkSpec& spec) {
  if (spec.dtype == Dtype::Float32) return std::make_unique<PolicyImpl<float>>(kind, spec);
  return std::make_unique<PolicyImpl<double>>(kind, spec);
}

}  // namespace trpo
