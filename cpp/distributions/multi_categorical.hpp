// Independent categoricals, one per component c with nvec[c] actions (MultiDiscrete actions).
// Outputs: the logits of every component, concatenated (sum of nvec). Twin: multi-categorical.ts.
// Each quantity is the sum over the components; M is block-diagonal.
#pragma once

#include "categorical.hpp"

namespace trpo {

template <typename T>
class MultiCategorical final : public Distribution<T> {
 public:
  explicit MultiCategorical(const std::vector<Index>& nvec) : nvec_(nvec), offsets_(nvec.size()) {
    Index total = 0;
    for (size_t c = 0; c < nvec.size(); ++c) {
      offsets_[c] = total;
      total += nvec[c];
    }
    outDim_ = total;
  }
  Index outDim() const override { return outDim_; }
  Index actionDim() const override { return components(); }
  Index noiseDim() const override { return components(); }
  bool noiseIsNormal() const override { return false; }

  void readActions(const ArrayView& v, int64_t n, double* out) const override {
    requireIndices(v, "action indices (n x nvec.length)");
    const Index m = components();
    requireLength(v, static_cast<size_t>(n * m), "actions");
    for (int64_t i = 0; i < n; ++i) {
      for (Index c = 0; c < m; ++c) {
        const double x = valueAt(v, i * m + c);
        if (!(x >= 0 && x < static_cast<double>(nvec_[c]))) {
          throw ArgumentError("actions: component " + std::to_string(c) + " of sample " + std::to_string(i) + " is " +
                                  std::to_string(static_cast<long long>(x)) + ", outside [0, " +
                                  std::to_string(nvec_[c]) + ")",
                              true);
        }
        out[i * m + c] = x;
      }
    }
  }

  double logProb(const T* y, const double*, const double* a) const override {
    double lp = 0;
    for (Index c = 0; c < components(); ++c) lp += categorical::logProb(y + offsets_[c], nvec_[c], static_cast<Index>(a[c]));
    return lp;
  }
  double entropy(const T* y, const double*) const override {
    double h = 0;
    for (Index c = 0; c < components(); ++c) h += categorical::entropy(y + offsets_[c], nvec_[c]);
    return h;
  }
  double kl(const T* yOld, const double*, const T* y, const double*) const override {
    double sum = 0;
    for (Index c = 0; c < components(); ++c) sum += categorical::kl(yOld + offsets_[c], y + offsets_[c], nvec_[c]);
    return sum;
  }
  void logProbGradient(const T* y, const double*, const double* a, double scale, double* dy, double*) const override {
    for (Index c = 0; c < components(); ++c) {
      categorical::logProbGradient(y + offsets_[c], nvec_[c], static_cast<Index>(a[c]), scale, dy + offsets_[c]);
    }
  }
  void entropyGradient(const T* y, const double*, double scale, double* dy, double*) const override {
    for (Index c = 0; c < components(); ++c) categorical::entropyGradient(y + offsets_[c], nvec_[c], scale, dy + offsets_[c]);
  }
  void fisherWeight(const Mat<T>& y, const double*, const Mat<T>& u, const double*, double scale, Mat<T>& out,
                    double*) const override {
    out.resize(u.rows(), outDim_);
    for (Index r = 0; r < u.rows(); ++r) {
      for (Index c = 0; c < components(); ++c) {
        const Index o = offsets_[c];
        categorical::fisherWeight(&y(r, o), &u(r, o), nvec_[c], scale, &out(r, o));
      }
    }
  }
  double sample(const T* y, const double*, const double* noise, double* a) const override {
    double lp = 0;
    for (Index c = 0; c < components(); ++c) {
      Index pick;
      lp += categorical::sample(y + offsets_[c], nvec_[c], noise[c], &pick);
      a[c] = static_cast<double>(pick);
    }
    return lp;
  }
  double mode(const T* y, const double*, double* a) const override {
    double lp = 0;
    for (Index c = 0; c < components(); ++c) {
      Index pick;
      lp += categorical::mode(y + offsets_[c], nvec_[c], &pick);
      a[c] = static_cast<double>(pick);
    }
    return lp;
  }

 private:
  Index components() const { return static_cast<Index>(nvec_.size()); }
  std::vector<Index> nvec_, offsets_;
  Index outDim_ = 0;
};

}  // namespace trpo
