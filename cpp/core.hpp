// The TRPO core's public C++ interface: policies (an action distribution of distributions/ over an
// MLP) and a value function, with the precision (float or double) chosen at construction.
// Options here are the ones of src/core/types.ts, under the same names; their defaults and
// validation live once, at the public TypeScript edge (src/policies.ts, src/trpo/options.ts).
// Everything here is plain C++17 + Eigen; the N-API glue lives in binding/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace trpo {

// Thrown for bad arguments; `range` selects RangeError (a value out of range) over TypeError.
class ArgumentError : public std::invalid_argument {
 public:
  ArgumentError(const std::string& message, bool range) : std::invalid_argument(message), range_(range) {}
  bool isRange() const { return range_; }

 private:
  bool range_;
};

enum class ElementType { Float32, Float64, Int32, Uint32 };
enum class Dtype { Float32, Float64 };
enum class PolicyKind { Gaussian, Categorical, MultiCategorical, Bernoulli, Gsde };
enum class Activation { Tanh, Relu };

// Which action distribution a policy has (see DistributionSpec in src/core/types.ts): nvec the
// components of a MultiCategorical; the gSDE flags for Gsde.
struct DistributionSpec {
  PolicyKind kind = PolicyKind::Gaussian;
  std::vector<int64_t> nvec;
  bool fullStd = false, useExpln = false, learnFeatures = false;
};

// A read-only view of caller-owned memory (a TypedArray on the JS side).
struct ArrayView {
  const void* data = nullptr;
  size_t length = 0;
  ElementType type = ElementType::Float64;
};

struct PolicyBatch {
  ArrayView obs, actions, advantages, logProbOld;
  int64_t n = 0;
};

// The step's algorithm: TRPO (line search on the KL and the surrogate) or natural policy
// gradient (Spinning Up's algo='npg': the full step sqrt(2 delta / s^T F s) s, no line search).
enum class TrpoAlgo { Trpo, Npg };

// See TrpoStepOptions in src/core/types.ts (defaults: DEFAULT_TRPO_STEP_OPTIONS in src/policies.ts).
struct TrpoOptions {
  double targetKl;
  int cgMaxSteps;
  double cgDamping;
  double cgTol;
  int lineSearchMaxIter;
  double lineSearchShrinkingFactor;
  double entCoef;
  // The Fisher-vector products (only they) use every subSamplingFactor-th sample.
  int subSamplingFactor;
  TrpoAlgo algo = TrpoAlgo::Trpo;
  // CG starts from the previous trpoStep's CG solution (kept by the policy) instead of 0.
  bool cgWarmStart = false;
};

struct FisherSolveOptions {
  double cgDamping;
  int cgMaxSteps;
  double cgTol;
  int subSamplingFactor;
};

struct TrpoStats {
  double surrogateBefore = 0, surrogateAfter = 0, kl = 0, stepFraction = 0;
  int backtracks = 0;
  bool accepted = false;
  double cgResidual = 0;
  int cgIterations = 0;
  double gradNorm = 0, sFs = 0;
};

struct CgSummary {
  double residual = 0;
  int iterations = 0;
};

struct ValueFitOptions {
  double learningRate;
  int epochs;
  int64_t batchSize;
  double maxGradNorm;
};

struct ValueFitStats {
  double lossBefore = 0, lossAfter = 0;
  int64_t steps = 0;
};

struct NetworkSpec {
  int64_t inDim = 0, outDim = 0;
  std::vector<int64_t> hiddenSizes;
  Dtype dtype = Dtype::Float32;
  Activation activationFn = Activation::Tanh;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual PolicyKind kind() const = 0;
  virtual int64_t numParameters() const = 0;
  virtual int64_t outDim() const = 0;
  // Entries of one action, and of the noise sample() reads per state.
  virtual int64_t actionDim() const = 0;
  virtual int64_t noiseDim() const = 0;
  virtual void getParameters(double* out) const = 0;
  virtual void setParameters(const double* params) = 0;
  // Throws ArgumentError when a batch is malformed (types, lengths, action indices).
  virtual void checkBatch(const PolicyBatch& batch) = 0;
  // The network outputs (means, logits), n x outDim.
  virtual void forward(const ArrayView& obs, int64_t n, double* out) = 0;
  virtual void logProb(const ArrayView& obs, const ArrayView& actions, int64_t n, double* out) = 0;
  virtual double entropy(const ArrayView& obs, int64_t n) = 0;
  // Surrogate mean(ratio * A) + entCoef * mean entropy; gradient into gradOut when not null.
  virtual double surrogate(const PolicyBatch& batch, double entCoef, double* gradOut) = 0;
  virtual double meanKl(const ArrayView& obs, int64_t n, const double* oldParams) = 0;
  virtual void fisherVectorProduct(const ArrayView& obs, int64_t n, const double* v, double damping,
                                   double* out) = 0;
  // Solves (F + damping I) x = b by CG from 0 with F over every subSamplingFactor-th row of obs.
  virtual CgSummary solveFisher(const ArrayView& obs, int64_t n, const double* b, const FisherSolveOptions& options,
                                double* xOut) = 0;
  virtual TrpoStats trpoStep(const PolicyBatch& batch, const TrpoOptions& options) = 0;
  // Actions (n x actionDim) and their log-probabilities from caller-drawn noise (n x noiseDim; see
  // Distribution::sample); deterministic: the mode, noise unused.
  virtual void sample(const ArrayView& obs, int64_t n, const ArrayView& noise, bool deterministic,
                      double* actionsOut, double* logProbOut) = 0;
};

class ValueFunction {
 public:
  virtual ~ValueFunction() = default;
  virtual int64_t numParameters() const = 0;
  virtual void getParameters(double* out) const = 0;
  virtual void setParameters(const double* params) = 0;
  virtual void forward(const ArrayView& obs, int64_t n, double* out) = 0;
  virtual double loss(const ArrayView& obs, const ArrayView& returns, int64_t n, double* gradOut) = 0;
  // Throws ArgumentError when obs/returns do not fit n samples (types and lengths only).
  virtual void checkInputs(const ArrayView& obs, const ArrayView& returns, int64_t n) const = 0;
  virtual ValueFitStats fit(const ArrayView& obs, const ArrayView& returns, int64_t n, const uint32_t* order,
                            const ValueFitOptions& options) = 0;
  // Adam state [t, m..., v...] (1 + 2 * numParameters values).
  virtual void getOptimizerState(double* out) const = 0;
  virtual void setOptimizerState(const double* state) = 0;
};

std::unique_ptr<Policy> makePolicy(const DistributionSpec& dist, const NetworkSpec& spec);
std::unique_ptr<ValueFunction> makeValueFunction(const NetworkSpec& spec);

}  // namespace trpo
