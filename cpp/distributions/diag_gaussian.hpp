// Diagonal Gaussian N(mu, diag(sigma^2)) with a state-independent log sigma (Box actions).
// Outputs: the means mu (actDim); parameters: log sigma (actDim). Twin: diag-gaussian.ts.
#pragma once

#include "distribution.hpp"

namespace trpo {

template <typename T>
class DiagGaussian final : public Distribution<T> {
 public:
  explicit DiagGaussian(Index actDim) : d_(actDim) {}
  Index outDim() const override { return d_; }
  Index actionDim() const override { return d_; }
  Index noiseDim() const override { return d_; }
  bool noiseIsNormal() const override { return true; }
  Index numParameters() const override { return d_; }

  void readActions(const ArrayView& v, int64_t n, double* out) const override {
    requireFloat(v, "actions");
    requireLength(v, static_cast<size_t>(n * d_), "actions");
    copyInto(v, 0, static_cast<size_t>(n * d_), out);
  }

  // log N(a; mu, sigma^2) = sum_j -z_j^2 / 2 - log sigma_j - log(2 pi) / 2, z = (a - mu) / sigma.
  double logProb(const T* y, const double* logStd, const double* a) const override {
    double lp = 0;
    for (Index j = 0; j < d_; ++j) {
      const double z = (a[j] - static_cast<double>(y[j])) * std::exp(-logStd[j]);
      lp += -0.5 * z * z - logStd[j] - 0.5 * kLog2Pi;
    }
    return lp;
  }

  double entropy(const T*, const double* logStd) const override {
    double h = 0;
    for (Index j = 0; j < d_; ++j) h += 0.5 + 0.5 * kLog2Pi + logStd[j];
    return h;
  }

  // KL(N(mo, so^2) || N(mn, sn^2)) = log(sn/so) + (so^2 + (mo - mn)^2) / (2 sn^2) - 1/2, per dimension.
  double kl(const T* yOld, const double* logStdOld, const T* y, const double* logStd) const override {
    double sum = 0;
    for (Index j = 0; j < d_; ++j) {
      const double sNew = std::exp(logStd[j]), sOld = std::exp(logStdOld[j]);
      const double diff = static_cast<double>(yOld[j]) - static_cast<double>(y[j]);
      sum += logStd[j] - logStdOld[j] + (sOld * sOld + diff * diff) / (2 * sNew * sNew) - 0.5;
    }
    return sum;
  }

  // dlogpi/dmu = (a - mu) / sigma^2, dlogpi/dlog sigma = z^2 - 1.
  void logProbGradient(const T* y, const double* logStd, const double* a, double scale, double* dy,
                       double* dLogStd) const override {
    for (Index j = 0; j < d_; ++j) {
      const double invStd = std::exp(-logStd[j]);
      const double z = (a[j] - static_cast<double>(y[j])) * invStd;
      dy[j] = scale * z * invStd;
      dLogStd[j] += scale * (z * z - 1);
    }
  }

  // dH/dlog sigma_j = 1; H does not depend on mu.
  void entropyGradient(const T*, const double*, double scale, double*, double* dLogStd) const override {
    for (Index j = 0; j < d_; ++j) dLogStd[j] += scale;
  }

  // M = diag(1 / sigma^2) on the means.
  void fisherWeight(const Mat<T>&, const double* logStd, const Mat<T>& u, const double*, double scale, Mat<T>& out,
                    double*) const override {
    Vec<T> weight(d_);
    for (Index j = 0; j < d_; ++j) weight[j] = static_cast<T>(std::exp(-2 * logStd[j]) * scale);
    out = u * weight.asDiagonal();
  }

  // The Fisher of log sigma is exactly 2 per entry (and 0 between mu and log sigma).
  void parameterFisher(const double*, const double* v, double* out) const override {
    for (Index j = 0; j < d_; ++j) out[j] = 2 * v[j];
  }

  // a = mu + sigma * eps; log pi(a) from eps directly.
  double sample(const T* y, const double* logStd, const double* eps, double* a) const override {
    double lp = 0;
    for (Index j = 0; j < d_; ++j) {
      a[j] = static_cast<double>(y[j]) + std::exp(logStd[j]) * eps[j];
      lp += -0.5 * eps[j] * eps[j] - logStd[j] - 0.5 * kLog2Pi;
    }
    return lp;
  }

  double mode(const T* y, const double* logStd, double* a) const override {
    double lp = 0;
    for (Index j = 0; j < d_; ++j) {
      const double eps = 0.0;
      a[j] = static_cast<double>(y[j]) + std::exp(logStd[j]) * eps;
      lp += -0.5 * eps * eps - logStd[j] - 0.5 * kLog2Pi;
    }
    return lp;
  }

 private:
  Index d_;
};

}  // namespace trpo
