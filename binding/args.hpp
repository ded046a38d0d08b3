// Argument conversion between JS values and the C++ core, and the exception guard that turns every
// C++ exception into a JS exception (TypeError / RangeError for bad arguments) instead of aborting.
#pragma once

#include <napi.h>

#include <string>

#include "../cpp/core.hpp"
#include "../cpp/limits.hpp"
#include "../cpp/views.hpp"

namespace trpo_binding {

inline trpo::ArrayView viewOf(const Napi::Value& value, const char* name) {
  if (!value.IsTypedArray()) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + ": expected a TypedArray, got " +
                                                (value.IsArray() ? "an Array" : "a non-TypedArray value"));
  }
  Napi::TypedArray ta = value.As<Napi::TypedArray>();
  trpo::ArrayView v;
  v.length = ta.ElementLength();
  v.data = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  switch (ta.TypedArrayType()) {
    case napi_float32_array: v.type = trpo::ElementType::Float32; break;
    case napi_float64_array: v.type = trpo::ElementType::Float64; break;
    case napi_int32_array: v.type = trpo::ElementType::Int32; break;
    case napi_uint32_array: v.type = trpo::ElementType::Uint32; break;
    default:
      throw Napi::TypeError::New(value.Env(), std::string(name) +
                                                  ": expected a Float32Array, Float64Array, Int32Array or Uint32Array");
  }
  return v;
}

// A Float64Array of exactly `length` elements, for outputs and parameter vectors.
inline double* float64Of(const Napi::Value& value, size_t length, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(value.Env(), std::string(name) + ": expected a Float64Array");
  }
  Napi::Float64Array a = value.As<Napi::Float64Array>();
  if (a.ElementLength() != length) {
    throw Napi::RangeError::New(value.Env(), std::string(name) + ": expected length " + std::to_string(length) +
                                                 ", got " + std::to_string(a.ElementLength()));
  }
  return a.Data();
}

inline double numberOf(const Napi::Value& value, const char* name) {
  if (!value.IsNumber()) throw Napi::TypeError::New(value.Env(), std::string(name) + ": expected a number");
  return value.As<Napi::Number>().DoubleValue();
}

inline int64_t integerOf(const Napi::Value& value, const char* name, int64_t min) {
  const double x = numberOf(value, name);
  if (!(x >= static_cast<double>(min)) || x > 9.0e15 || x != static_cast<double>(static_cast<int64_t>(x))) {
    throw Napi::RangeError::New(value.Env(), std::string(name) + ": expected an integer >= " + std::to_string(min) +
                                                 ", got " + trpo::jsNumber(x));
  }
  return static_cast<int64_t>(x);
}

// A batch size n: a positive integer whose activations (n x unitsPerRow) fit the memory cap, so that
// every n x width product of the call is far from overflowing (see cpp/limits.hpp).
inline int64_t rowsOf(const Napi::Value& value, int64_t unitsPerRow) {
  const int64_t n = integerOf(value, "n", 1);
  try {
    trpo::checkBatchSize(n, unitsPerRow);
  } catch (const trpo::ArgumentError& e) {
    throw Napi::RangeError::New(value.Env(), e.what());
  }
  return n;
}

inline int64_t unitsPerRowOf(const trpo::NetworkSpec& spec) {
  int64_t units = spec.inDim + spec.outDim;
  for (int64_t w : spec.hiddenSizes) units += w;  // no overflow: checkNetworkSize accepted the spec
  return units;
}

constexpr const char* kOutOfMemory = "trpo-node native: out of memory (std::bad_alloc)";

inline double fieldOf(const Napi::Object& o, const char* key) {
  return numberOf(o.Get(key), (std::string("options.") + key).c_str());
}

// Runs fn, converting C++ exceptions into JS ones.
template <typename Fn>
auto guard(Napi::Env env, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const trpo::ArgumentError& e) {
    if (e.isRange()) throw Napi::RangeError::New(env, e.what());
    throw Napi::TypeError::New(env, e.what());
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, kOutOfMemory);
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string("trpo-node native: ") + e.what());
  }
}

// Keeps the JS arrays behind a batch alive while a worker thread reads them.
class HeldArrays {
 public:
  void hold(const Napi::Value& v) {
    if (v.IsObject()) refs_.push_back(Napi::Persistent(v.As<Napi::Object>()));
  }

 private:
  std::vector<Napi::ObjectReference> refs_;
};

trpo::NetworkSpec specOf(const Napi::CallbackInfo& info, size_t first, int64_t outDim);

}  // namespace trpo_binding
