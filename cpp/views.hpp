// Checked access to caller-owned arrays (ArrayView) and zero-copy row sources for the network.
#pragma once

#include "core.hpp"
#include "limits.hpp"
#include "mlp.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <string>

namespace trpo {

inline const char* typeName(ElementType t) {
  switch (t) {
    case ElementType::Float32: return "Float32Array";
    case ElementType::Float64: return "Float64Array";
    case ElementType::Int32: return "Int32Array";
    case ElementType::Uint32: return "Uint32Array";
  }
  return "unknown";
}

// x as JavaScript's String(x) writes integers and short decimals (for messages shared with the JS core).
inline std::string jsNumber(double x) {
  std::ostringstream os;
  os << std::setprecision(17) << x;
  return os.str();
}

inline void requireFloat(const ArrayView& v, const char* name) {
  if (v.type != ElementType::Float32 && v.type != ElementType::Float64) {
    throw ArgumentError(std::string(name) + ": expected a Float32Array or Float64Array, got " + typeName(v.type),
                        false);
  }
}

inline void requireLength(const ArrayView& v, size_t expected, const char* name) {
  if (v.length != expected) {
    throw ArgumentError(std::string(name) + ": expected length " + std::to_string(expected) + ", got " +
                            std::to_string(v.length),
                        true);
  }
}

inline void requireRows(int64_t n) {
  if (n < 1) throw ArgumentError("n: expected a positive number of samples, got " + std::to_string(n), true);
}

// Element i of a view, as double.
inline double valueAt(const ArrayView& v, size_t i) {
  switch (v.type) {
    case ElementType::Float32: return static_cast<const float*>(v.data)[i];
    case ElementType::Float64: return static_cast<const double*>(v.data)[i];
    case ElementType::Int32: return static_cast<const int32_t*>(v.data)[i];
    case ElementType::Uint32: return static_cast<const uint32_t*>(v.data)[i];
  }
  return 0;
}

template <typename T>
void copyInto(const ArrayView& v, size_t offset, size_t count, T* dst) {
  if (v.type == ElementType::Float32) {
    const float* src = static_cast<const float*>(v.data) + offset;
    for (size_t i = 0; i < count; ++i) dst[i] = static_cast<T>(src[i]);
  } else if (v.type == ElementType::Float64) {
    const double* src = static_cast<const double*>(v.data) + offset;
    for (size_t i = 0; i < count; ++i) dst[i] = static_cast<T>(src[i]);
  } else {
    for (size_t i = 0; i < count; ++i) dst[i] = static_cast<T>(valueAt(v, offset + i));
  }
}

inline Eigen::VectorXd toVector(const ArrayView& v, int64_t n, const char* name) {
  requireFloat(v, name);
  requireLength(v, static_cast<size_t>(n), name);
  Eigen::VectorXd out(n);
  copyInto(v, 0, static_cast<size_t>(n), out.data());
  return out;
}

// Rows 0, step, 2 step, ... of a row-major (n x cols) float array, as T. Zero-copy when the
// element type is T (a strided map); otherwise converted once into an owned buffer.
template <typename T>
class RowSource {
 public:
  void bind(const ArrayView& v, int64_t n, Index cols, Index step, const char* name) {
    requireFloat(v, name);
    requireRows(n);
    requireLength(v, static_cast<size_t>(checkedMul(n, cols, name)), name);
    rows_ = (n + step - 1) / step;
    const bool same = (sizeof(T) == 4) == (v.type == ElementType::Float32);
    if (same) {
      data_ = static_cast<const T*>(v.data);
      stride_ = cols * step;
    } else {
      copy_.resize(rows_, cols);
      for (Index i = 0; i < rows_; ++i) copyInto(v, static_cast<size_t>(i * step * cols), cols, copy_.row(i).data());
      data_ = copy_.data();
      stride_ = cols;
    }
  }
  const T* row(Index i) const { return data_ + i * stride_; }
  Index rows() const { return rows_; }
  Index stride() const { return stride_; }

 private:
  const T* data_ = nullptr;
  Index rows_ = 0, stride_ = 0;
  Mat<T> copy_;
};

// Chunks of a batch: boundaries depend only on the number of rows, so results do not depend on
// how many threads run them.
struct Chunks {
  static constexpr Index kRows = 1024;
  Index rows = 0;
  int count() const { return static_cast<int>(std::max<Index>(1, (rows + kRows - 1) / kRows)); }
  Index begin(int c) const { return c * kRows; }
  Index size(int c) const { return std::min(kRows, rows - c * kRows); }
};

}  // namespace trpo
