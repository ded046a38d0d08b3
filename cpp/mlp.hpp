// A multilayer perceptron (tanh or ReLU hidden layers, linear head) over a flat parameter vector,
// in PyTorch's nn.Linear layout: for each layer from input to output, the weight (out x in,
// row-major) then the bias (out). Twin: src/core/js/mlp.ts.
// Three batched passes share the activations cached by forward():
//   forward   h_l = act(h_{l-1} W_l^T + b_l) (linear for the last layer)
//   tangent   dh_l = act'_l * (dh_{l-1} W_l^T + h_{l-1} dW_l^T + db_l)     (J v)
//   backward  g_{l-1} = act'_{l-1} * (g_l W_l),  dW_l += g_l^T h_{l-1}     (J^T u)
// with act' written through the output h: tanh' = 1 - h^2, relu' = [h > 0].
#pragma once

#include <Eigen/Dense>

#include "core.hpp"

#include <vector>

namespace trpo {

using Index = Eigen::Index;
template <typename T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <typename T>
using StridedRows = Eigen::Map<const Mat<T>, Eigen::Unaligned, Eigen::OuterStride<>>;

struct Layer {
  Index in, out;
  Index weightOffset, biasOffset;
};

// Layer sizes and where each layer's parameters sit in the flat vector.
class MlpShape {
 public:
  MlpShape(Index inDim, Index outDim, const std::vector<Index>& hidden, Activation activation = Activation::Tanh);
  Activation activation() const { return activation_; }
  Index inDim() const { return inDim_; }
  Index outDim() const { return outDim_; }
  Index numParameters() const { return numParameters_; }
  const std::vector<Layer>& layers() const { return layers_; }

 private:
  Index inDim_, outDim_, numParameters_;
  Activation activation_;
  std::vector<Layer> layers_;
};

// Activations of one forward pass over a block of rows, plus scratch for the other passes.
template <typename T>
struct MlpCache {
  const T* input = nullptr;  // rows x inDim, row stride inputStride (not owned)
  Index rows = 0;
  Index inputStride = 0;
  std::vector<Mat<T>> activations;  // per layer; the last one is the network output
  Mat<T> scratchA, scratchB;
  // After mlpTangent: the tangent of the last hidden layer (null without hidden layers).
  const Mat<T>* latentTangent = nullptr;

  StridedRows<T> inputMap(Index inDim) const {
    return StridedRows<T>(input, rows, inDim, Eigen::OuterStride<>(inputStride));
  }
  const Mat<T>& output() const { return activations.back(); }
};

// Forward pass over `rows` rows starting at `input` (row stride `inputStride`); caches activations.
template <typename T>
void mlpForward(const MlpShape& shape, const T* theta, const T* input, Index rows, Index inputStride,
                MlpCache<T>& cache);

// J v for the parameter direction v (flat, same layout as theta) at the cached activations.
// Returns a reference to a scratch matrix (rows x outDim) valid until the next pass on the cache.
template <typename T>
const Mat<T>& mlpTangent(const MlpShape& shape, const T* theta, const T* v, MlpCache<T>& cache);

// grad += J^T gradOutput at the cached activations (gradOutput: rows x outDim). gradLatent (rows x
// the last hidden width), when given, is a gradient on the last hidden layer added on the way.
template <typename T>
void mlpBackward(const MlpShape& shape, const T* theta, const Mat<T>& gradOutput, MlpCache<T>& cache,
                 T* grad, const Mat<T>* gradLatent = nullptr);

}  // namespace trpo
