#pragma once

#include <napi.h>

#include <memory>

#include "../cpp/core.hpp"

namespace trpo_binding {

class ValueWrap : public Napi::ObjectWrap<ValueWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ValueWrap(const Napi::CallbackInfo& info);

  trpo::ValueFunction& core() { return *core_; }
  void setBusy(bool busy) { busy_ = busy; }

 private:
  void checkIdle(Napi::Env env) const;

  Napi::Value NumParameters(const Napi::CallbackInfo& info);
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
};

}  // namespace trpo_binding
