#pragma once

#include <napi.h>

#include <memory>

#include "../cpp/core.hpp"

namespace trpo_binding {

class ValueWrap : public Napi::ObjectWrap<ValueWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ValueWrap(const Napi::CallbackInfo& info);
  ~ValueWrap() override;

  trpo::ValueFunction& core() { return *core_; }
  // The ValueWrap behind a JS NativeValue, or a TypeError naming `name`.
  static ValueWrap* unwrapOrThrow(const Napi::Value& v, const char* name);
  // forward(obs, n) into out (n values), refusing while an async fit runs.
  void forwardInto(Napi::Env env, const trpo::ArrayView& obs, int64_t n, double* out);
  void setBusy(bool busy) { busy_ = busy; }

 private:
  void checkIdle(Napi::Env env) const;  // also: not disposed
  void release();

  Napi::Value NumParameters(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value GetParameters(const Napi::CallbackInfo& info);
  Napi::Value SetParameters(const Napi::CallbackInfo& info);
  Napi::Value Forward(const Napi::CallbackInfo& info);
  Napi::Value Loss(const Napi::CallbackInfo& info);
  Napi::Value Fit(const Napi::CallbackInfo& info);
  Napi::Value FitAsync(const Napi::CallbackInfo& info);
  Napi::Value GetOptimizerState(const Napi::CallbackInfo& info);
  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info);

  std::unique_ptr<trpo::ValueFunction> core_;
  bool busy_ = false;
  Napi::Env env_;
  int64_t externalBytes_ = 0;  // reported to V8 (AdjustExternalMemory), so that GC runs for native memory
  int64_t unitsPerRow_ = 1;  // units of all layers, the input included (see rowsOf)
};

}  // namespace trpo_binding
