// Independent Bernoulli variables, p_j = sigmoid(z_j) (MultiBinary actions, each 0 or 1).
// Outputs: the logits z (n). Twin: bernoulli.ts. With log p = -softplus(-z) and
// log(1 - p) = -softplus(z), everything stays finite for large |z|.
#pragma once

#include "distribution.hpp"

namespace trpo {

template <typename T>
class Bernoulli final : public Distribution<T> {
 public:
  explicit Bernoulli(Index n) : n_(n) {}
  Index outDim() const override { return n_; }
  Index actionDim() const override { return n_; }
  Index noiseDim() const override { return n_; }
  bool noiseIsNormal() const override { return false; }

  void readActions(const ArrayView& v, int64_t n, double* out) const override {
    requireLength(v, static_cast<size_t>(n * n_), "actions");
    for (int64_t t = 0; t < n * n_; ++t) {
      const double x = valueAt(v, t);
      if (x != 0 && x != 1) {
        throw ArgumentError("actions: entry " + std::to_string(t % n_) + " of sample " + std::to_string(t / n_) +
                                " is " + jsNumber(x) + ", expected 0 or 1",
                            true);
      }
      out[t] = x;
    }
  }

  // log pi(a) = sum_j a_j log p_j + (1 - a_j) log(1 - p_j).
  double logProb(const T* y, const double*, const double* a) const override {
    double lp = 0;
    for (Index j = 0; j < n_; ++j) lp -= softplus(a[j] > 0 ? -static_cast<double>(y[j]) : static_cast<double>(y[j]));
    return lp;
  }

  // H = sum_j p_j softplus(-z_j) + (1 - p_j) softplus(z_j).
  double entropy(const T* y, const double*) const override {
    double h = 0;
    for (Index j = 0; j < n_; ++j) {
      const double z = static_cast<double>(y[j]);
      const double p = sigmoid(z);
      h += p * softplus(-z) + (1 - p) * softplus(z);
    }
    return h;
  }

  // KL = sum_j p_o (log p_o - log p_n) + (1 - p_o) (log(1 - p_o) - log(1 - p_n)).
  double kl(const T* yOld, const double*, const T* y, const double*) const override {
    double sum = 0;
    for (Index j = 0; j < n_; ++j) {
      const double zo = static_cast<double>(yOld[j]), zn = static_cast<double>(y[j]);
      const double po = sigmoid(zo);
      sum += po * (softplus(-zn) - softplus(-zo)) + (1 - po) * (softplus(zn) - softplus(zo));
    }
    return sum;
  }

  // dlogpi/dz_j = a_j - p_j.
  void logProbGradient(const T* y, const double*, const double* a, double scale, double* dy, double*) const override {
    for (Index j = 0; j < n_; ++j) dy[j] = scale * (a[j] - sigmoid(static_cast<double>(y[j])));
  }

  // dH/dz_j = -z_j p_j (1 - p_j).
  void entropyGradient(const T* y, const double*, double scale, double* dy, double*) const override {
    for (Index j = 0; j < n_; ++j) {
      const double z = static_cast<double>(y[j]);
      const double p = sigmoid(z);
      dy[j] += scale * (-z * p * (1 - p));
    }
  }

  // M = diag(p (1 - p)).
  void fisherWeight(const Mat<T>& y, const double*, const Mat<T>& u, const double*, double scale, Mat<T>& out,
                    double*) const override {
    out.resize(u.rows(), n_);
    for (Index r = 0; r < u.rows(); ++r) {
      for (Index j = 0; j < n_; ++j) {
        const double p = sigmoid(static_cast<double>(y(r, j)));
        out(r, j) = static_cast<T>(p * (1 - p) * static_cast<double>(u(r, j)) * scale);
      }
    }
  }

  // a_j = 1 when the uniform u_j < p_j.
  double sample(const T* y, const double*, const double* noise, double* a) const override {
    for (Index j = 0; j < n_; ++j) a[j] = noise[j] < sigmoid(static_cast<double>(y[j])) ? 1.0 : 0.0;
    return logProb(y, nullptr, a);
  }

  // a_j = 1 when p_j > 1/2 (z_j > 0).
  double mode(const T* y, const double*, double* a) const override {
    for (Index j = 0; j < n_; ++j) a[j] = static_cast<double>(y[j]) > 0 ? 1.0 : 0.0;
    return logProb(y, nullptr, a);
  }

 private:
  static double sigmoid(double z) { return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); }
  Index n_;
};

}  // namespace trpo
