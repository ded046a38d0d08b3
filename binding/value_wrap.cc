// NativeValue: a JS class owning a trpo::ValueFunction and its Adam state.
#include "value_wrap.hpp"

#include "addon_data.hpp"
#include "args.hpp"

namespace trpo_binding {
namespace {

trpo::ValueFitOptions fitOptionsOf(const Napi::Value& v) {
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), "options: expected an object");
  Napi::Object o = v.As<Napi::Object>();
  trpo::ValueFitOptions f;
  f.learningRate = fieldOf(o, "learningRate");
  f.epochs = static_cast<int>(integerOf(o.Get("epochs"), "options.epochs", 1));
  f.batchSize = integerOf(o.Get("batchSize"), "options.batchSize", 1);
  f.maxGradNorm = fieldOf(o, "maxGradNorm");
  return f;
}

// The minibatch order: a Uint32Array of epochs x n indices.
const uint32_t* orderOf(const Napi::Value& v, int64_t n, int epochs) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    throw Napi::TypeError::New(v.Env(), "order: expected a Uint32Array");
  }
  Napi::Uint32Array a = v.As<Napi::Uint32Array>();
  if (a.ElementLength() != static_cast<size_t>(n) * epochs) {
    throw Napi::RangeError::New(v.Env(), "order: expected length epochs * n = " + std::to_string(n * epochs) +
                                             ", got " + std::to_string(a.ElementLength()));
  }
  return a.Data();
}

Napi::Object fitStatsToJs(Napi::Env env, const trpo::ValueFitStats& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("lossBefore", s.lossBefore);
  o.Set("lossAfter", s.lossAfter);
  o.Set("steps", static_cast<double>(s.steps));
  return o;
}

class FitWorker : public Napi::AsyncWorker {
 public:
  FitWorker(Napi::Env env, ValueWrap* owner, const Napi::CallbackInfo& info, trpo::ArrayView obs,
            trpo::ArrayView returns, int64_t n, const uint32_t* order, trpo::ValueFitOptions options)
      : Napi::AsyncWorker(env, "trpo-node:fit"),
        deferred_(Napi::Promise::Deferred::New(env)),
        owner_(owner),
        obs_(obs),
        returns_(returns),
        n_(n),
        order_(order),
        options_(options) {
    self_ = Napi::Persistent(info.This().As<Napi::Object>());
    held_.hold(info[0]);
    held_.hold(info[1]);
    held_.hold(info[3]);
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      stats_ = owner_->core().fit(obs_, returns_, n_, order_, options_);
    } catch (const std::bad_alloc&) {
      SetError(kOutOfMemory);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    owner_->setBusy(false);
    deferred_.Resolve(fitStatsToJs(Env(), stats_));
  }
  void OnError(const Napi::Error& e) override {
    owner_->setBusy(false);
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  ValueWrap* owner_;
  Napi::ObjectReference self_;
  HeldArrays held_;
  trpo::ArrayView obs_, returns_;
  int64_t n_;
  const uint32_t* order_;
  trpo::ValueFitOptions options_;
  trpo::ValueFitStats stats_;
};

}  // namespace

ValueWrap* ValueWrap::unwrapOrThrow(const Napi::Value& v, const char* name) {
  AddonData* data = v.Env().GetInstanceData<AddonData>();
  if (!v.IsObject() || !data || !v.As<Napi::Object>().InstanceOf(data->valueConstructor.Value())) {
    throw Napi::TypeError::New(v.Env(), std::string(name) + ": expected a NativeValue");
  }
  return Napi::ObjectWrap<ValueWrap>::Unwrap(v.As<Napi::Object>());
}

void ValueWrap::forwardInto(Napi::Env env, const trpo::ArrayView& obs, int64_t n, double* out) {
  checkIdle(env);
  core_->forward(obs, n, out);
}

Napi::Function ValueWrap::Define(Napi::Env env) {
  Napi::Function cls = DefineClass(env, "NativeValue",
                     {
                         InstanceMethod<&ValueWrap::NumParameters>("numParameters"),
                         InstanceMethod<&ValueWrap::Dispose>("dispose"),
                         InstanceMethod<&ValueWrap::GetParameters>("getParameters"),
                         InstanceMethod<&ValueWrap::SetParameters>("setParameters"),
                         InstanceMethod<&ValueWrap::Forward>("forward"),
                         InstanceMethod<&ValueWrap::Loss>("loss"),
                         InstanceMethod<&ValueWrap::Fit>("fit"),
                         InstanceMethod<&ValueWrap::FitAsync>("fitAsync"),
                         InstanceMethod<&ValueWrap::GetOptimizerState>("getOptimizerState"),
                         InstanceMethod<&ValueWrap::SetOptimizerState>("setOptimizerState"),
                     });
  return cls;
}

// new NativeValue(inDim, hiddenSizes: number[], dtype, activationFn)
ValueWrap::ValueWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ValueWrap>(info), env_(info.Env()) {
  guard(info.Env(), [&] {
    const trpo::NetworkSpec spec = specOf(info, 0, 1);
    core_ = trpo::makeValueFunction(spec);
    unitsPerRow_ = unitsPerRowOf(spec);
    externalBytes_ = core_->numParameters() * (spec.dtype == trpo::Dtype::Float32 ? 4 : 8);
    Napi::MemoryManagement::AdjustExternalMemory(env_, externalBytes_);
    return 0;
  });
}

void ValueWrap::checkIdle(Napi::Env env) const {
  if (!core_) throw Napi::Error::New(env, "value function was disposed: dispose() freed its native memory");
  if (busy_) throw Napi::Error::New(env, "value function is busy: an async fit is still running on it; await it first");
}

// The native memory goes with the JS object: freed when it is collected, or by dispose().
ValueWrap::~ValueWrap() { release(); }

void ValueWrap::release() {
  core_.reset();
  if (externalBytes_) Napi::MemoryManagement::AdjustExternalMemory(env_, -externalBytes_);
  externalBytes_ = 0;
}

Napi::Value ValueWrap::Dispose(const Napi::CallbackInfo& info) {
  if (busy_) checkIdle(info.Env());  // an async job still uses it
  release();
  return info.Env().Undefined();
}

Napi::Value ValueWrap::NumParameters(const Napi::CallbackInfo& info) {
  checkIdle(info.Env());
  return Napi::Number::New(info.Env(), static_cast<double>(core_->numParameters()));
}

Napi::Value ValueWrap::GetParameters(const Napi::CallbackInfo& info) {
  checkIdle(info.Env());
  core_->getParameters(float64Of(info[0], core_->numParameters(), "out"));
  return info.Env().Undefined();
}

Napi::Value ValueWrap::SetParameters(const Napi::CallbackInfo& info) {
  checkIdle(info.Env());
  core_->setParameters(float64Of(info[0], core_->numParameters(), "params"));
  return info.Env().Undefined();
}

// forward(obs, n, out)
Napi::Value ValueWrap::Forward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const int64_t n = rowsOf(info[1], unitsPerRow_);
    core_->forward(viewOf(info[0], "obs"), n, float64Of(info[2], n, "out"));
    return env.Undefined();
  });
}

// loss(obs, returns, n, gradOut | null)
Napi::Value ValueWrap::Loss(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    double* grad = info[3].IsNull() || info[3].IsUndefined() ? nullptr
                                                             : float64Of(info[3], core_->numParameters(), "gradOut");
    const double l = core_->loss(viewOf(info[0], "obs"), viewOf(info[1], "returns"), rowsOf(info[2], unitsPerRow_), grad);
    return Napi::Value(Napi::Number::New(env, l));
  });
}

// fit(obs, returns, n, order, options)
Napi::Value ValueWrap::Fit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const int64_t n = rowsOf(info[2], unitsPerRow_);
    trpo::ValueFitOptions o = fitOptionsOf(info[4]);
    const trpo::ValueFitStats s =
        core_->fit(viewOf(info[0], "obs"), viewOf(info[1], "returns"), n, orderOf(info[3], n, o.epochs), o);
    return Napi::Value(fitStatsToJs(env, s));
  });
}

Napi::Value ValueWrap::FitAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const int64_t n = rowsOf(info[2], unitsPerRow_);
    trpo::ValueFitOptions o = fitOptionsOf(info[4]);
    trpo::ArrayView obs = viewOf(info[0], "obs"), returns = viewOf(info[1], "returns");
    const uint32_t* order = orderOf(info[3], n, o.epochs);
    core_->checkInputs(obs, returns, n);  // synchronously, so that bad input throws a TypeError/RangeError here
    auto* worker = new FitWorker(env, this, info, obs, returns, n, order, o);
    busy_ = true;
    Napi::Promise promise = worker->promise();
    worker->Queue();
    return Napi::Value(promise);
  });
}

Napi::Value ValueWrap::GetOptimizerState(const Napi::CallbackInfo& info) {
  checkIdle(info.Env());
  core_->getOptimizerState(float64Of(info[0], 1 + 2 * core_->numParameters(), "out"));
  return info.Env().Undefined();
}

Napi::Value ValueWrap::SetOptimizerState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    core_->setOptimizerState(float64Of(info[0], 1 + 2 * core_->numParameters(), "state"));
    return env.Undefined();
  });
}

}  // namespace trpo_binding
