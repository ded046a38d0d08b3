// The action distribution of a policy over the network outputs y of one state (a row), plus the
// distribution's own state-independent parameters (the Gaussian's log_std), stored after the
// network's in the flat parameter vector. Twin: src/core/js/distributions/distribution.ts.
//
// Every function reads y as T (the network precision) and computes in double. The policy
// (policy.cpp) keeps the MLP passes, the batching and the TRPO step; the distribution gives the
// math of one state: log-probability, entropy, KL(old || new), their gradients with respect to the
// outputs, the Fisher weight M of F = J^T M J, sampling and the mode.
#pragma once

#include "../core.hpp"
#include "../mlp.hpp"
#include "../views.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace trpo {

constexpr double kLog2Pi = 1.8378770664093453;  // log(2 pi)

template <typename T>
class Distribution {
 public:
  virtual ~Distribution() = default;
  // Network outputs read per state (means, logits).
  virtual Index outDim() const = 0;
  // Entries of one action in a flat action batch.
  virtual Index actionDim() const = 0;
  // Noise entries per state that sample() reads (standard normals if noiseIsNormal(), else uniforms in [0, 1)).
  virtual Index noiseDim() const = 0;
  virtual bool noiseIsNormal() const = 0;
  // The distribution's own parameters (after the network's in theta).
  virtual Index numParameters() const { return 0; }
  // Latent features read after the outDim() - latentDim() network outputs of a row (gSDE: the
  // policy's last hidden layer; 0 for the others), and whether gradients and the Fisher flow into
  // them (else the policy treats them as constants).
  virtual Index latentDim() const { return 0; }
  virtual bool learnFeatures() const { return false; }
  // Checks the element type, length (n x actionDim) and values of an action batch; copies it as double.
  virtual void readActions(const ArrayView& v, int64_t n, double* out) const = 0;

  // log pi(a | y).
  virtual double logProb(const T* y, const double* params, const double* a) const = 0;
  // Entropy of pi(. | y).
  virtual double entropy(const T* y, const double* params) const = 0;
  // KL(pi(. | yOld, paramsOld) || pi(. | y, params)).
  virtual double kl(const T* yOld, const double* paramsOld, const T* y, const double* params) const = 0;
  // dy = scale * dlogpi(a)/dy (written), dParams += scale * dlogpi(a)/dparams.
  virtual void logProbGradient(const T* y, const double* params, const double* a, double scale, double* dy,
                               double* dParams) const = 0;
  // dy += scale * dH/dy, dParams += scale * dH/dparams.
  virtual void entropyGradient(const T* y, const double* params, double scale, double* dy, double* dParams) const = 0;
  // out = scale * M u row by row: M the Fisher matrix of the distribution in output space at each
  // row of y (the Hessian of KL(pi_y || pi_y') at y' = y), u a tangent of the outputs. A
  // distribution whose parameters enter M state by state (gSDE) also reads their tangent vParams
  // and adds its rows' part of M (u, vParams) into outParams.
  virtual void fisherWeight(const Mat<T>& y, const double* params, const Mat<T>& u, const double* vParams, double scale,
                            Mat<T>& out, double* outParams) const = 0;
  // out = M_p v for state-independent parameters whose M_p does not depend on the state (the Gaussian's log_std).
  virtual void parameterFisher(const double* /*params*/, const double* /*v*/, double* /*out*/) const {}
  // Draws an action from the noise of one state; returns its log-probability.
  virtual double sample(const T* y, const double* params, const double* noise, double* a) const = 0;
  // The most probable action (the mean; the first most probable index); returns its log-probability.
  virtual double mode(const T* y, const double* params, double* a) const = 0;
};

// A per-thread scratch buffer of at least k doubles (for log-softmax rows).
inline double* scratchRow(Index k, int slot = 0) {
  thread_local std::vector<double> buffers[2];
  std::vector<double>& b = buffers[slot];
  if (static_cast<Index>(b.size()) < k) b.resize(k);
  return b.data();
}

// out[k] = z_k - logsumexp(z) for the k logits at z.
template <typename T>
void logSoftmax(const T* z, Index k, double* out) {
  double zmax = -std::numeric_limits<double>::infinity();
  for (Index j = 0; j < k; ++j) zmax = std::max(zmax, static_cast<double>(z[j]));
  double sum = 0;
  for (Index j = 0; j < k; ++j) sum += std::exp(static_cast<double>(z[j]) - zmax);
  const double lse = zmax + std::log(sum);
  for (Index j = 0; j < k; ++j) out[j] = static_cast<double>(z[j]) - lse;
}

// log(1 + e^x) without overflow.
inline double softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }

// Checks that an action batch holds integer indices (Int32Array or Uint32Array).
inline void requireIndices(const ArrayView& v, const char* what) {
  if (v.type != ElementType::Int32 && v.type != ElementType::Uint32) {
    throw ArgumentError(std::string("actions: expected an Int32Array or Uint32Array of ") + what + ", got " +
                            typeName(v.type),
                        false);
  }
}

}  // namespace trpo
