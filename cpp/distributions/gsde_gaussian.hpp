// The gSDE Gaussian (generalized state-dependent exploration, Raffin et al. 2021; SB3's
// StateDependentNoiseDistribution): actions a = mu(s) + phi(s)^T W with an exploration matrix
// W (latentDim x actDim) of N(0, std^2) entries held fixed between resamples, phi(s) the latent
// features (the policy's last hidden layer). Given s, a ~ N(mu, diag(var)) with
//   var_j(s) = sum_i phi_i^2 std_ij^2 + 1e-6,
// std = exp(logStd) (or expln(logStd) = logStd <= 0 ? exp(logStd) : 1 + log1p(logStd)).
// Rows read per state: y = [mu (actDim) | phi (latentDim)]; parameters: logStd, latentDim x actDim
// row-major (fullStd) or latentDim (one std per latent feature, shared by the actions).
// Noise per state: latentDim x actDim standard normals eps, W = std * eps.
// Twin: src/core/js/distributions/gsde-gaussian.ts.
//
// The Fisher matrix in (mu, var) is diag(1/var, 1/(2 var^2)), so in the rows and parameters
// M = dvar^T diag(1/(2 var^2)) dvar + diag(1/var) on mu: it varies with the state and couples phi
// and logStd through var.
#pragma once

#include "distribution.hpp"

namespace trpo {

constexpr double kGsdeEpsilon = 1e-6;

template <typename T>
class GsdeGaussian final : public Distribution<T> {
 public:
  GsdeGaussian(Index actDim, Index latentDim, bool fullStd, bool useExpln, bool learnFeatures)
      : a_(actDim), l_(latentDim), fullStd_(fullStd), useExpln_(useExpln), learnFeatures_(learnFeatures) {}
  Index outDim() const override { return a_ + l_; }
  Index actionDim() const override { return a_; }
  Index noiseDim() const override { return l_ * a_; }
  bool noiseIsNormal() const override { return true; }
  Index numParameters() const override { return fullStd_ ? l_ * a_ : l_; }
  Index latentDim() const override { return l_; }
  bool learnFeatures() const override { return learnFeatures_; }

  void readActions(const ArrayView& v, int64_t n, double* out) const override {
    requireFloat(v, "actions");
    requireLength(v, static_cast<size_t>(n * a_), "actions");
    copyInto(v, 0, static_cast<size_t>(n * a_), out);
  }

  double logProb(const T* y, const double* logStd, const double* a) const override {
    Scratch s(*this, logStd, false);
    varianceOf(y, s.std, s.var);
    double lp = 0;
    for (Index j = 0; j < a_; ++j) {
      const double d = a[j] - static_cast<double>(y[j]);
      lp += -0.5 * (d * d) / s.var[j] - 0.5 * std::log(s.var[j]) - 0.5 * kLog2Pi;
    }
    return lp;
  }

  double entropy(const T* y, const double* logStd) const override {
    Scratch s(*this, logStd, false);
    varianceOf(y, s.std, s.var);
    double h = 0;
    for (Index j = 0; j < a_; ++j) h += 0.5 + 0.5 * kLog2Pi + 0.5 * std::log(s.var[j]);
    return h;
  }

  // KL(N(mo, vo) || N(mn, vn)) = (log(vn / vo) + (vo + (mo - mn)^2) / vn - 1) / 2, per dimension.
  double kl(const T* yOld, const double* logStdOld, const T* y, const double* logStd) const override {
    Scratch old(*this, logStdOld, false, 1);
    varianceOf(yOld, old.std, old.var);
    Scratch s(*this, logStd, false);
    varianceOf(y, s.std, s.var);
    double sum = 0;
    for (Index j = 0; j < a_; ++j) {
      const double vo = old.var[j], vn = s.var[j];
      const double d = static_cast<double>(yOld[j]) - static_cast<double>(y[j]);
      sum += 0.5 * (std::log(vn / vo) + (vo + d * d) / vn - 1);
    }
    return sum;
  }

  // dlogpi/dmu = (a - mu) / var; dlogpi/dvar = ((a - mu)^2 / var - 1) / (2 var).
  void logProbGradient(const T* y, const double* logStd, const double* a, double scale, double* dy,
                       double* dLogStd) const override {
    Scratch s(*this, logStd, true);
    varianceOf(y, s.std, s.var);
    for (Index j = 0; j < a_; ++j) {
      const double d = a[j] - static_cast<double>(y[j]);
      const double v = s.var[j];
      dy[j] = scale * (d / v);
      s.g[j] = (d * d / v - 1) / (2 * v);
    }
    for (Index i = 0; i < l_; ++i) dy[a_ + i] = 0;
    addThroughVariance(y, s, scale, dy, dLogStd);
  }

  // dH/dvar_j = 1 / (2 var_j); H does not depend on mu.
  void entropyGradient(const T* y, const double* logStd, double scale, double* dy, double* dLogStd) const override {
    Scratch s(*this, logStd, true);
    varianceOf(y, s.std, s.var);
    for (Index j = 0; j < a_; ++j) s.g[j] = 1 / (2 * s.var[j]);
    addThroughVariance(y, s, scale, dy, dLogStd);
  }

  // Row by row, with the tangent (u, vLogStd): dvar = dvar/dphi u_phi + dvar/dlogStd vLogStd;
  // out_mu = scale u_mu / var, and w = scale dvar / (2 var^2) sent back through dvar into out_phi
  // and outLogStd (added).
  void fisherWeight(const Mat<T>& y, const double* logStd, const Mat<T>& u, const double* vLogStd, double scale,
                    Mat<T>& out, double* outLogStd) const override {
    out.resize(u.rows(), a_ + l_);
    Scratch s(*this, logStd, true);
    std::vector<double> row(a_ + l_);
    for (Index r = 0; r < u.rows(); ++r) {
      const T* yr = &y(r, 0);
      varianceOf(yr, s.std, s.var);
      for (Index j = 0; j < a_; ++j) {
        double dv = 0;
        for (Index i = 0; i < l_; ++i) {
          const double phi = static_cast<double>(yr[a_ + i]);
          const double sd = s.std[i * a_ + j];
          dv += 2 * phi * sd * sd * static_cast<double>(u(r, a_ + i));
          dv += 2 * phi * phi * sd * s.dStd[i * a_ + j] * vLogStd[fullStd_ ? i * a_ + j : i];
        }
        const double v = s.var[j];
        row[j] = scale * (static_cast<double>(u(r, j)) / v);
        s.g[j] = dv / (2 * v * v);
      }
      for (Index i = 0; i < l_; ++i) row[a_ + i] = 0;
      addThroughVariance(yr, s, scale, row.data(), outLogStd);
      for (Index k = 0; k < a_ + l_; ++k) out(r, k) = static_cast<T>(row[k]);
    }
  }

  // a = mu + phi^T W, W_ij = std_ij eps_ij; its log-probability under N(mu, var).
  double sample(const T* y, const double* logStd, const double* eps, double* a) const override {
    Scratch s(*this, logStd, false);
    for (Index j = 0; j < a_; ++j) {
      double noise = 0;
      for (Index i = 0; i < l_; ++i) noise += static_cast<double>(y[a_ + i]) * (s.std[i * a_ + j] * eps[i * a_ + j]);
      a[j] = static_cast<double>(y[j]) + noise;
    }
    return logProb(y, logStd, a);
  }

  double mode(const T* y, const double* logStd, double* a) const override {
    for (Index j = 0; j < a_; ++j) a[j] = static_cast<double>(y[j]);
    return logProb(y, logStd, a);
  }

 private:
  // std_ij, dstd_ij/dlogStd (latentDim x actDim), var (actDim) and dX/dvar (actDim) of one call,
  // in per-thread buffers (slot 1 for the old policy of kl()).
  struct Scratch {
    std::vector<double>& std;
    std::vector<double>& dStd;
    std::vector<double>& var;
    std::vector<double>& g;
    static std::vector<double>& buffer(int slot, int k, size_t size) {
      thread_local std::vector<double> pool[2][4];
      std::vector<double>& b = pool[slot][k];
      if (b.size() < size) b.resize(size);
      return b;
    }
    Scratch(const GsdeGaussian& d, const double* logStd, bool derivative, int slot = 0)
        : std(buffer(slot, 0, d.l_ * d.a_)), dStd(buffer(slot, 1, d.l_ * d.a_)), var(buffer(slot, 2, d.a_)),
          g(buffer(slot, 3, d.a_)) {
      for (Index i = 0; i < d.l_; ++i) {
        for (Index j = 0; j < d.a_; ++j) {
          const double x = logStd[d.fullStd_ ? i * d.a_ + j : i];
          double s, ds;
          if (!d.useExpln_ || x <= 0) {
            s = std::exp(x);
            ds = s;
          } else {
            s = 1 + std::log1p(x);
            ds = 1 / (1 + x);
          }
          std[i * d.a_ + j] = s;
          if (derivative) dStd[i * d.a_ + j] = ds;
        }
      }
    }
  };

  // var_j = sum_i phi_i^2 std_ij^2 + eps for the row y (phi after the actDim means).
  void varianceOf(const T* y, const std::vector<double>& sd, std::vector<double>& var) const {
    for (Index j = 0; j < a_; ++j) {
      double v = 0;
      for (Index i = 0; i < l_; ++i) {
        const double phi = static_cast<double>(y[a_ + i]);
        const double s = sd[i * a_ + j];
        v += phi * phi * s * s;
      }
      var[j] = v + kGsdeEpsilon;
    }
  }

  // Given g_j = dX/dvar_j, adds scale * dX/dphi (into dy after the means) and scale * dX/dlogStd
  // (into dLogStd): dvar_j/dphi_i = 2 phi_i std_ij^2, dvar_j/dlogStd_ij = 2 phi_i^2 std_ij dstd_ij.
  void addThroughVariance(const T* y, const Scratch& s, double scale, double* dy, double* dLogStd) const {
    for (Index i = 0; i < l_; ++i) {
      const double phi = static_cast<double>(y[a_ + i]);
      double dPhi = 0;
      for (Index j = 0; j < a_; ++j) {
        const double sd = s.std[i * a_ + j];
        dPhi += s.g[j] * 2 * phi * sd * sd;
        dLogStd[fullStd_ ? i * a_ + j : i] += scale * s.g[j] * 2 * phi * phi * sd * s.dStd[i * a_ + j];
      }
      dy[a_ + i] += scale * dPhi;
    }
  }

  Index a_, l_;
  bool fullStd_, useExpln_, learnFeatures_;
};

}  // namespace trpo
