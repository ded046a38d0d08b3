#pragma once

#include <napi.h>

#include <memory>

#include "../cpp/core.hpp"

namespace trpo_binding {

class PolicyWrap : public Napi::ObjectWrap<PolicyWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit PolicyWrap(const Napi::CallbackInfo& info);
  ~PolicyWrap() override;

  trpo::Policy& core() { return *core_; }
  void setBusy(bool busy) { busy_ = busy; }

 private:
  int64_t outDim() const { return core_->outDim(); }
  void checkIdle(Napi::Env env) const;  // also: not disposed
  void release();

  Napi::Value NumParameters(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value GetParameters(const Napi::CallbackInfo& info);
  Napi::Value SetParameters(const Napi::CallbackInfo& info);
  Napi::Value Forward(const Napi::CallbackInfo& info);
  Napi::Value LogProb(const Napi::CallbackInfo& info);
  Napi::Value Entropy(const Napi::CallbackInfo& info);
  Napi::Value Surrogate(const Napi::CallbackInfo& info);
  Napi::Value MeanKl(const Napi::CallbackInfo& info);
  Napi::Value FisherVectorProduct(const Napi::CallbackInfo& info);
  Napi::Value SolveFisher(const Napi::CallbackInfo& info);
  Napi::Value TrpoStep(const Napi::CallbackInfo& info);
  Napi::Value TrpoStepAsync(const Napi::CallbackInfo& info);
  Napi::Value Sample(const Napi::CallbackInfo& info);
  Napi::Value SampleWithValues(const Napi::CallbackInfo& info);
  void sampleFrom(const Napi::CallbackInfo& info, size_t first);

  std::unique_ptr<trpo::Policy> core_;
  bool busy_ = false;
  Napi::Env env_;
  int64_t externalBytes_ = 0;  // reported to V8 (AdjustExternalMemory), so that GC runs for native memory
  int64_t unitsPerRow_ = 1;  // units of all layers, the input included (see rowsOf)
};

}  // namespace trpo_binding
