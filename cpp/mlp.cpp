#include "mlp.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace trpo {

MlpShape::MlpShape(Index inDim, Index outDim, const std::vector<Index>& hidden, Activation activation)
    : inDim_(inDim), outDim_(outDim), numParameters_(0), activation_(activation) {
  Index prev = inDim;
  std::vector<Index> widths(hidden);
  widths.push_back(outDim);
  for (Index width : widths) {
    if (width <= 0) throw std::invalid_argument("layer widths must be positive");
    Layer layer{prev, width, numParameters_, numParameters_ + width * prev};
    numParameters_ += width * prev + width;
    layers_.push_back(layer);
    prev = width;
  }
}

namespace {

// h = act(h) in place.
template <typename T>
void activate(Activation act, Mat<T>& h) {
  if (act == Activation::Tanh) {
    h = h.array().tanh();
  } else {
    h = h.array().max(T(0));
  }
}

// g *= act'(pre-activation), written through the layer's output h.
template <typename T>
void multiplyByDerivative(Activation act, const Mat<T>& h, Mat<T>& g) {
  if (act == Activation::Tanh) {
    g.array() *= (T(1) - h.array().square());
  } else {
    g.array() *= (h.array() > T(0)).template cast<T>();
  }
}

}  // namespace

template <typename T>
void mlpForward(const MlpShape& shape, const T* theta, const T* input, Index rows, Index inputStride,
                MlpCache<T>& cache) {
  const auto& layers = shape.layers();
  cache.input = input;
  cache.rows = rows;
  cache.inputStride = inputStride;
  cache.activations.resize(layers.size());
  for (size_t l = 0; l < layers.size(); ++l) {
    const Layer& layer = layers[l];
    Eigen::Map<const Mat<T>> W(theta + layer.weightOffset, layer.out, layer.in);
    Eigen::Map<const Vec<T>> b(theta + layer.biasOffset, layer.out);
    Mat<T>& h = cache.activations[l];
    h.resize(rows, layer.out);
    if (l == 0) {
      h.noalias() = cache.inputMap(shape.inDim()) * W.transpose();
    } else {
      h.noalias() = cache.activations[l - 1] * W.transpose();
    }
    h.rowwise() += b.transpose();
    if (l + 1 < layers.size()) activate(shape.activation(), h);
  }
}

template <typename T>
const Mat<T>& mlpTangent(const MlpShape& shape, const T* theta, const T* v, MlpCache<T>& cache) {
  const auto& layers = shape.layers();
  Mat<T>* current = &cache.scratchA;
  Mat<T>* previous = &cache.scratchB;
  for (size_t l = 0; l < layers.size(); ++l) {
    const Layer& layer = layers[l];
    Eigen::Map<const Mat<T>> W(theta + layer.weightOffset, layer.out, layer.in);
    Eigen::Map<const Mat<T>> dW(v + layer.weightOffset, layer.out, layer.in);
    Eigen::Map<const Vec<T>> db(v + layer.biasOffset, layer.out);
    current->resize(cache.rows, layer.out);
    if (l == 0) {
      current->noalias() = cache.inputMap(shape.inDim()) * dW.transpose();
    } else {
      current->noalias() = cache.activations[l - 1] * dW.transpose();
      current->noalias() += *previous * W.transpose();
    }
    current->rowwise() += db.transpose();
    if (l + 1 < layers.size()) {
      multiplyByDerivative(shape.activation(), cache.activations[l], *current);
    }
    std::swap(current, previous);
  }
  cache.latentTangent = layers.size() >= 2 ? current : nullptr;
  return *previous;
}

template <typename T>
void mlpBackward(const MlpShape& shape, const T* theta, const Mat<T>& gradOutput, MlpCache<T>& cache,
                 T* grad, const Mat<T>* gradLatent) {
  const auto& layers = shape.layers();
  const Mat<T>* g = &gradOutput;
  Mat<T>* next = &cache.scratchA;
  Mat<T>* spare = &cache.scratchB;
  for (size_t l = layers.size(); l-- > 0;) {
    const Layer& layer = layers[l];
    Eigen::Map<Mat<T>> gW(grad + layer.weightOffset, layer.out, layer.in);
    Eigen::Map<Vec<T>> gb(grad + layer.biasOffset, layer.out);
    if (l == 0) {
      gW.noalias() += g->transpose() * cache.inputMap(shape.inDim());
    } else {
      gW.noalias() += g->transpose() * cache.activations[l - 1];
    }
    gb.noalias() += g->colwise().sum().transpose();
    if (l > 0) {
      Eigen::Map<const Mat<T>> W(theta + layer.weightOffset, layer.out, layer.in);
      next->resize(cache.rows, layer.in);
      next->noalias() = *g * W;
      if (gradLatent && l + 1 == layers.size()) *next += *gradLatent;
      multiplyByDerivative(shape.activation(), cache.activations[l - 1], *next);
      g = next;
      std::swap(next, spare);
    }
  }
}

template void mlpForward<float>(const MlpShape&, const float*, const float*, Index, Index, MlpCache<float>&);
template void mlpForward<double>(const MlpShape&, const double*, const double*, Index, Index, MlpCache<double>&);
template const Mat<float>& mlpTangent<float>(const MlpShape&, const float*, const float*, MlpCache<float>&);
template const Mat<double>& mlpTangent<double>(const MlpShape&, const double*, const double*, MlpCache<double>&);
template void mlpBackward<float>(const MlpShape&, const float*, const Mat<float>&, MlpCache<float>&, float*,
                                 const Mat<float>*);
template void mlpBackward<double>(const MlpShape&, const double*, const Mat<double>&, MlpCache<double>&, double*,
                                  const Mat<double>*);

}  // namespace trpo
