// Categorical distribution over K actions, p = softmax(logits) (Discrete actions).
// Outputs: the logits (K). Twin: categorical.ts. The functions on a block of logits (offset
// into a wider row) are shared with MultiCategorical.
#pragma once

#include "distribution.hpp"

namespace trpo {
namespace categorical {

template <typename T>
double logProb(const T* z, Index k, Index action) {
  double* lp = scratchRow(k);
  logSoftmax(z, k, lp);
  return lp[action];
}

template <typename T>
double entropy(const T* z, Index k) {
  double* lp = scratchRow(k);
  logSoftmax(z, k, lp);
  double h = 0;
  for (Index j = 0; j < k; ++j) h -= std::exp(lp[j]) * lp[j];
  return h;
}

// KL = sum_j p_old,j (log p_old,j - log p_new,j).
template <typename T>
double kl(const T* zOld, const T* z, Index k) {
  double* lpOld = scratchRow(k, 0);
  double* lpNew = scratchRow(k, 1);
  logSoftmax(zOld, k, lpOld);
  logSoftmax(z, k, lpNew);
  double sum = 0;
  for (Index j = 0; j < k; ++j) sum += std::exp(lpOld[j]) * (lpOld[j] - lpNew[j]);
  return sum;
}

// dlogp_a/dz_j = [j == a] - p_j.
template <typename T>
void logProbGradient(const T* z, Index k, Index action, double scale, double* dz) {
  double* lp = scratchRow(k);
  logSoftmax(z, k, lp);
  for (Index j = 0; j < k; ++j) dz[j] = scale * ((j == action ? 1.0 : 0.0) - std::exp(lp[j]));
}

// dH/dz_j = -p_j (log p_j + H).
template <typename T>
void entropyGradient(const T* z, Index k, double scale, double* dz) {
  double* lp = scratchRow(k);
  logSoftmax(z, k, lp);
  double h = 0;
  for (Index j = 0; j < k; ++j) h -= std::exp(lp[j]) * lp[j];
  for (Index j = 0; j < k; ++j) dz[j] += scale * (-std::exp(lp[j]) * (lp[j] + h));
}

// (M u)_j = p_j (u_j - p.u): M = diag(p) - p p^T.
template <typename T>
void fisherWeight(const T* z, const T* u, Index k, double scale, T* out) {
  double* lp = scratchRow(k);
  logSoftmax(z, k, lp);
  double pu = 0;
  for (Index j = 0; j < k; ++j) pu += std::exp(lp[j]) * static_cast<double>(u[j]);
  for (Index j = 0; j < k; ++j) out[j] = static_cast<T>(std::exp(lp[j]) * (static_cast<double>(u[j]) - pu) * scale);
}

// Inverse CDF at the uniform: the first j with p_0 + ... + p_j > uniform.
template <typename T>
double sample(const T* z, Index k, double uniform, Index* action) {
  double* lp = scratchRow(k);
  logSoftmax(z, k, lp);
  double cumulative = 0;
  Index pick = k - 1;
  for (Index j = 0; j < k; ++j) {
    cumulative += std::exp(lp[j]);
    if (uniform < cumulative) { pick = j; break; }
  }
  *action = pick;
  return lp[pick];
}

template <typename T>
double mode(const T* z, Index k, Index* action) {
  double* lp = scratchRow(k);
  logSoftmax(z, k, lp);
  Index pick = 0;
  for (Index j = 1; j < k; ++j) if (lp[j] > lp[pick]) pick = j;
  *action = pick;
  return lp[pick];
}

}  // namespace categorical

template <typename T>
class Categorical final : public Distribution<T> {
 public:
  explicit Categorical(Index nActions) : k_(nActions) {}
  Index outDim() const override { return k_; }
  Index actionDim() const override { return 1; }
  Index noiseDim() const override { return 1; }
  bool noiseIsNormal() const override { return false; }

  void readActions(const ArrayView& v, int64_t n, double* out) const override {
    requireIndices(v, "action indices");
    requireLength(v, static_cast<size_t>(n), "actions");
    for (int64_t i = 0; i < n; ++i) {
      const double x = valueAt(v, i);
      if (!(x >= 0 && x < static_cast<double>(k_))) {
        throw ArgumentError("actions: index " + std::to_string(static_cast<long long>(x)) + " at position " +
                                std::to_string(i) + " is outside [0, " + std::to_string(k_) + ")",
                            true);
      }
      out[i] = x;
    }
  }

  double logProb(const T* y, const double*, const double* a) const override {
    return categorical::logProb(y, k_, static_cast<Index>(a[0]));
  }
  double entropy(const T* y, const double*) const override { return categorical::entropy(y, k_); }
  double kl(const T* yOld, const double*, const T* y, const double*) const override {
    return categorical::kl(yOld, y, k_);
  }
  void logProbGradient(const T* y, const double*, const double* a, double scale, double* dy, double*) const override {
    categorical::logProbGradient(y, k_, static_cast<Index>(a[0]), scale, dy);
  }
  void entropyGradient(const T* y, const double*, double scale, double* dy, double*) const override {
    categorical::entropyGradient(y, k_, scale, dy);
  }
  void fisherWeight(const Mat<T>& y, const double*, const Mat<T>& u, const double*, double scale, Mat<T>& out,
                    double*) const override {
    out.resize(u.rows(), k_);
    for (Index r = 0; r < u.rows(); ++r) categorical::fisherWeight(&y(r, 0), &u(r, 0), k_, scale, &out(r, 0));
  }
  double sample(const T* y, const double*, const double* noise, double* a) const override {
    Index pick;
    const double lp = categorical::sample(y, k_, noise[0], &pick);
    a[0] = static_cast<double>(pick);
    return lp;
  }
  double mode(const T* y, const double*, double* a) const override {
    Index pick;
    const double lp = categorical::mode(y, k_, &pick);
    a[0] = static_cast<double>(pick);
    return lp;
  }

 private:
  Index k_;
};

}  // namespace trpo
