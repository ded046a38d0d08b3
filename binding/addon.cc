// Module entry: registers NativePolicy and NativeValue, plus build and threading information.
#include <napi.h>

#include <Eigen/Core>

#include "../cpp/parallel.hpp"
#include "addon_data.hpp"
#include "args.hpp"
#include "policy_wrap.hpp"
#include "value_wrap.hpp"

#ifndef TRPO_SOURCE_HASH
#define TRPO_SOURCE_HASH "unknown"
#endif
#ifndef TRPO_VARIANT
#define TRPO_VARIANT "baseline"
#endif

namespace trpo_binding {

// Parses (inDim, [outDim,] hiddenSizes, dtype, activationFn) starting at info[first]; outDim < 0 means
// it is read from the arguments, otherwise it is fixed (1 for a value function). Types only: the
// public TypeScript classes validate values and give the defaults.
trpo::NetworkSpec specOf(const Napi::CallbackInfo& info, size_t first, int64_t outDim) {
  Napi::Env env = info.Env();
  trpo::NetworkSpec spec;
  size_t i = first;
  spec.inDim = integerOf(info[i++], "inDim", 1);
  spec.outDim = outDim < 0 ? integerOf(info[i++], "outDim", 1) : outDim;
  if (!info[i].IsArray()) throw Napi::TypeError::New(env, "hiddenSizes: expected an array of positive integers");
  Napi::Array hidden = info[i++].As<Napi::Array>();
  for (uint32_t k = 0; k < hidden.Length(); ++k) spec.hiddenSizes.push_back(integerOf(hidden.Get(k), "hiddenSizes[]", 1));
  if (!info[i].IsString()) throw Napi::TypeError::New(env, "dtype: expected 'float32' or 'float64'");
  const std::string dtype = info[i].As<Napi::String>().Utf8Value();
  if (dtype != "float32" && dtype != "float64") {
    throw Napi::RangeError::New(env, "dtype: expected 'float32' or 'float64', got '" + dtype + "'");
  }
  spec.dtype = dtype == "float32" ? trpo::Dtype::Float32 : trpo::Dtype::Float64;
  ++i;
  if (!info[i].IsString()) throw Napi::TypeError::New(env, "activationFn: expected 'tanh' or 'relu'");
  const std::string activation = info[i].As<Napi::String>().Utf8Value();
  if (activation != "tanh" && activation != "relu") {
    throw Napi::TypeError::New(env, "activationFn: expected 'tanh' or 'relu', got '" + activation + "'");
  }
  spec.activationFn = activation == "tanh" ? trpo::Activation::Tanh : trpo::Activation::Relu;
  return spec;
}

namespace {

// Kept as one string in the binary so that a test can read the hash of any prebuild, even one for
// another CPU, by scanning the file.
const char kSourceHashMarker[] = "trpo-node-source-hash:" TRPO_SOURCE_HASH;
constexpr size_t kMarkerPrefix = sizeof("trpo-node-source-hash:") - 1;

bool cpuHasAvx2Fma() {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("variant", TRPO_VARIANT);
  o.Set("simd", Eigen::SimdInstructionSetsInUse());
  o.Set("sourceHash", kSourceHashMarker + kMarkerPrefix);
  o.Set("eigenVersion", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                            std::to_string(EIGEN_MINOR_VERSION));
  o.Set("cpuHasAvx2Fma", cpuHasAvx2Fma());
  return o;
}

Napi::Value NumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), trpo::numThreads()); }

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  const int64_t n = integerOf(info[0], "threads", 1);
  trpo::setNumThreads(static_cast<int>(std::min<int64_t>(n, 64)));
  return info.Env().Undefined();
}

Napi::Value MaxCoreBytes(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trpo::maxCoreBytes()));
}

// setMaxCoreBytes(bytes): the memory cap of cpp/limits.hpp (validated in src/core/limits.ts).
Napi::Value SetMaxCoreBytes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    trpo::setMaxCoreBytes(integerOf(info[0], "bytes", 1));
    return env.Undefined();
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativePolicy", PolicyWrap::Define(env));
  Napi::Function value = ValueWrap::Define(env);
  auto* data = new AddonData();
  data->valueConstructor = Napi::Persistent(value);
  env.SetInstanceData(data);  // deleted by Node when this environment is torn down
  exports.Set("NativeValue", value);
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
  exports.Set("numThreads", Napi::Function::New(env, NumThreads, "numThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("maxCoreBytes", Napi::Function::New(env, MaxCoreBytes, "maxCoreBytes"));
  exports.Set("setMaxCoreBytes", Napi::Function::New(env, SetMaxCoreBytes, "setMaxCoreBytes"));
  return exports;
}

}  // namespace
}  // namespace trpo_binding

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return trpo_binding::Init(env, exports); }

NODE_API_MODULE(trpo_node, InitModule)
