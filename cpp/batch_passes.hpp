// Network passes over a batch cut into chunks (see Chunks in views.hpp), run on the thread pool.
// Each chunk has its own activations, output-gradient buffer and parameter-gradient accumulator;
// sums over chunks are taken in chunk order, so results do not depend on the number of threads.
#pragma once

#include "mlp.hpp"
#include "parallel.hpp"
#include "views.hpp"

#include <vector>

namespace trpo {

template <typename T>
class BatchPasses {
 public:
  explicit BatchPasses(const MlpShape& shape) : shape_(shape) {}

  // Forward pass over every row of src with parameters theta; caches the activations.
  void forward(const RowSource<T>& src, const T* theta) {
    checkBatchSize(src.rows(), unitsPerRow());
    chunks_.rows = src.rows();
    const int n = count();
    if (static_cast<int>(caches_.size()) < n) {
      caches_.resize(n);
      gradOutput_.resize(n);
      gradLatent_.resize(n);
      grad_.resize(n);
    }
    try {
      parallelFor(n, [&](int c) { mlpForward(shape_, theta, src.row(begin(c)), size(c), src.stride(), caches_[c]); });
    } catch (...) {
      release();  // e.g. std::bad_alloc half-way: do not keep the chunks that did fit
      throw;
    }
  }

  // Frees every chunk's buffers (the next forward allocates them again).
  void release() {
    chunks_.rows = 0;
    caches_.clear();
    gradOutput_.clear();
    gradLatent_.clear();
    grad_.clear();
  }

  int count() const { return chunks_.count(); }
  // Units of every layer, the input included (one row's activations).
  Index unitsPerRow() const {
    Index units = shape_.inDim();
    for (const Layer& layer : shape_.layers()) units += layer.out;
    return units;
  }
  Index rows() const { return chunks_.rows; }
  Index begin(int c) const { return chunks_.begin(c); }
  Index size(int c) const { return chunks_.size(c); }
  const Mat<T>& output(int c) const { return caches_[c].output(); }
  MlpCache<T>& cache(int c) { return caches_[c]; }

  // The chunk's buffer for dLoss/dOutput (resized to size(c) x outDim), to fill before backward(c).
  Mat<T>& gradOutput(int c) {
    gradOutput_[c].resize(size(c), shape_.outDim());
    return gradOutput_[c];
  }

  // The chunk's buffer for dLoss/dLatent (the last hidden layer, size(c) x its width).
  Mat<T>& gradLatent(int c, Index width) {
    gradLatent_[c].resize(size(c), width);
    return gradLatent_[c];
  }

  // The latent features of a chunk's rows: the last hidden layer, or the input rows without one.
  Mat<T> latent(int c) const {
    const MlpCache<T>& k = caches_[c];
    if (k.activations.size() >= 2) return k.activations[k.activations.size() - 2];
    return k.inputMap(shape_.inDim());
  }

  // The chunk's parameter gradient J_c^T gradOutput(c) (plus the path of gradLatent(c) when
  // withLatent), replacing the previous one.
  void backward(int c, const T* theta, bool withLatent = false) {
    grad_[c].setZero(shape_.numParameters());
    mlpBackward(shape_, theta, gradOutput_[c], caches_[c], grad_[c].data(), withLatent ? &gradLatent_[c] : nullptr);
  }

  // out[0 .. numParameters) = sum of the chunks' gradients.
  void sumGradients(double* out) const {
    Eigen::Map<Eigen::VectorXd> result(out, shape_.numParameters());
    result.setZero();
    for (int c = 0; c < count(); ++c) result += grad_[c].template cast<double>();
  }

  // The network outputs of every row, as double (rows x outDim, row-major).
  void gatherOutputs(double* out) const {
    for (int c = 0; c < count(); ++c) {
      Eigen::Map<Mat<double>>(out + begin(c) * shape_.outDim(), size(c), shape_.outDim()) =
          output(c).template cast<double>();
    }
  }

 private:
  const MlpShape& shape_;
  Chunks chunks_;
  std::vector<MlpCache<T>> caches_;
  std::vector<Mat<T>> gradOutput_, gradLatent_;
  std::vector<Vec<T>> grad_;
};

// Sum of per-chunk partial results, in chunk order.
inline double sumInOrder(const std::vector<double>& parts) {
  double s = 0;
  for (double x : parts) s += x;
  return s;
}

}  // namespace trpo
