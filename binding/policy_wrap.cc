// NativePolicy: a JS class owning a trpo::Policy (weights stay on the C++ side between calls).
#include "policy_wrap.hpp"

#include "args.hpp"
#include "value_wrap.hpp"

namespace trpo_binding {
namespace {

trpo::PolicyBatch batchOf(const Napi::CallbackInfo& info, size_t first, int64_t unitsPerRow) {
  trpo::PolicyBatch b;
  b.obs = viewOf(info[first], "obs");
  b.actions = viewOf(info[first + 1], "actions");
  b.advantages = viewOf(info[first + 2], "advantages");
  b.logProbOld = viewOf(info[first + 3], "logProbOld");
  b.n = rowsOf(info[first + 4], unitsPerRow);
  return b;
}

trpo::TrpoOptions trpoOptionsOf(const Napi::Value& v) {
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), "options: expected an object");
  Napi::Object o = v.As<Napi::Object>();
  trpo::TrpoOptions t;
  t.targetKl = fieldOf(o, "targetKl");
  t.cgMaxSteps = static_cast<int>(integerOf(o.Get("cgMaxSteps"), "options.cgMaxSteps", 1));
  t.cgDamping = fieldOf(o, "cgDamping");
  t.cgTol = fieldOf(o, "cgTol");
  t.lineSearchMaxIter = static_cast<int>(integerOf(o.Get("lineSearchMaxIter"), "options.lineSearchMaxIter", 1));
  t.lineSearchShrinkingFactor = fieldOf(o, "lineSearchShrinkingFactor");
  t.entCoef = fieldOf(o, "entCoef");
  t.subSamplingFactor = static_cast<int>(integerOf(o.Get("subSamplingFactor"), "options.subSamplingFactor", 1));
  const Napi::Value algo = o.Get("algo");
  if (!algo.IsString()) throw Napi::TypeError::New(v.Env(), "options.algo: expected a string");
  const std::string a = algo.As<Napi::String>().Utf8Value();
  if (a == "trpo") t.algo = trpo::TrpoAlgo::Trpo;
  else if (a == "npg") t.algo = trpo::TrpoAlgo::Npg;
  else throw Napi::RangeError::New(v.Env(), "options.algo: expected 'trpo' or 'npg', got '" + a + "'");
  const Napi::Value warm = o.Get("cgWarmStart");
  if (!warm.IsBoolean()) throw Napi::TypeError::New(v.Env(), "options.cgWarmStart: expected a boolean");
  t.cgWarmStart = warm.As<Napi::Boolean>().Value();
  return t;
}

Napi::Object statsToJs(Napi::Env env, const trpo::TrpoStats& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("surrogateBefore", s.surrogateBefore);
  o.Set("surrogateAfter", s.surrogateAfter);
  o.Set("kl", s.kl);
  o.Set("stepFraction", s.stepFraction);
  o.Set("backtracks", s.backtracks);
  o.Set("accepted", s.accepted);
  o.Set("cgResidual", s.cgResidual);
  o.Set("cgIterations", s.cgIterations);
  o.Set("gradNorm", s.gradNorm);
  o.Set("sFs", s.sFs);
  return o;
}

class TrpoStepWorker : public Napi::AsyncWorker {
 public:
  TrpoStepWorker(Napi::Env env, PolicyWrap* owner, const Napi::CallbackInfo& info, trpo::PolicyBatch batch,
                 trpo::TrpoOptions options)
      : Napi::AsyncWorker(env, "trpo-node:trpoStep"),
        deferred_(Napi::Promise::Deferred::New(env)),
        owner_(owner),
        batch_(batch),
        options_(options) {
    self_ = Napi::Persistent(info.This().As<Napi::Object>());
    for (size_t i = 0; i < 4; ++i) held_.hold(info[i]);
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      stats_ = owner_->core().trpoStep(batch_, options_);
    } catch (const std::bad_alloc&) {
      SetError(kOutOfMemory);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    owner_->setBusy(false);
    deferred_.Resolve(statsToJs(Env(), stats_));
  }
  void OnError(const Napi::Error& e) override {
    owner_->setBusy(false);
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  PolicyWrap* owner_;
  Napi::ObjectReference self_;
  HeldArrays held_;
  trpo::PolicyBatch batch_;
  trpo::TrpoOptions options_;
  trpo::TrpoStats stats_;
};

}  // namespace

Napi::Function PolicyWrap::Define(Napi::Env env) {
  return DefineClass(env, "NativePolicy",
                     {
                         InstanceMethod<&PolicyWrap::NumParameters>("numParameters"),
                         InstanceMethod<&PolicyWrap::Dispose>("dispose"),
                         InstanceMethod<&PolicyWrap::GetParameters>("getParameters"),
                         InstanceMethod<&PolicyWrap::SetParameters>("setParameters"),
                         InstanceMethod<&PolicyWrap::Forward>("forward"),
                         InstanceMethod<&PolicyWrap::LogProb>("logProb"),
                         InstanceMethod<&PolicyWrap::Entropy>("entropy"),
                         InstanceMethod<&PolicyWrap::Surrogate>("surrogate"),
                         InstanceMethod<&PolicyWrap::MeanKl>("meanKl"),
                         InstanceMethod<&PolicyWrap::FisherVectorProduct>("fisherVectorProduct"),
                         InstanceMethod<&PolicyWrap::SolveFisher>("solveFisher"),
                         InstanceMethod<&PolicyWrap::TrpoStep>("trpoStep"),
                         InstanceMethod<&PolicyWrap::TrpoStepAsync>("trpoStepAsync"),
                         InstanceMethod<&PolicyWrap::Sample>("sample"),
                         InstanceMethod<&PolicyWrap::SampleWithValues>("sampleWithValues"),
                     });
}

// new NativePolicy(distribution: { kind, nvec: number[], fullStd, useExpln, learnFeatures }, inDim, outDim, hiddenSizes: number[], dtype, activationFn)
PolicyWrap::PolicyWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PolicyWrap>(info), env_(info.Env()) {
  Napi::Env env = info.Env();
  guard(env, [&] {
    const char* expected =
        "distribution: expected { kind: 'gaussian' | 'categorical' | 'multiCategorical' | 'bernoulli' | 'gsde', nvec: "
        "number[], fullStd, useExpln, learnFeatures: boolean }";
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, expected);
    Napi::Object d = info[0].As<Napi::Object>();
    if (!d.Get("kind").IsString() || !d.Get("nvec").IsArray()) throw Napi::TypeError::New(env, expected);
    const std::string kind = d.Get("kind").As<Napi::String>().Utf8Value();
    trpo::DistributionSpec dist;
    if (kind == "gaussian") dist.kind = trpo::PolicyKind::Gaussian;
    else if (kind == "categorical") dist.kind = trpo::PolicyKind::Categorical;
    else if (kind == "multiCategorical") dist.kind = trpo::PolicyKind::MultiCategorical;
    else if (kind == "bernoulli") dist.kind = trpo::PolicyKind::Bernoulli;
    else if (kind == "gsde") dist.kind = trpo::PolicyKind::Gsde;
    else throw Napi::TypeError::New(env, std::string(expected) + ", got kind '" + kind + "'");
    Napi::Array nvec = d.Get("nvec").As<Napi::Array>();
    for (uint32_t k = 0; k < nvec.Length(); ++k) dist.nvec.push_back(integerOf(nvec.Get(k), "distribution.nvec[]", 1));
    for (const char* flag : {"fullStd", "useExpln", "learnFeatures"}) {
      if (!d.Get(flag).IsBoolean()) throw Napi::TypeError::New(env, std::string("distribution.") + flag + ": expected a boolean");
    }
    dist.fullStd = d.Get("fullStd").As<Napi::Boolean>().Value();
    dist.useExpln = d.Get("useExpln").As<Napi::Boolean>().Value();
    dist.learnFeatures = d.Get("learnFeatures").As<Napi::Boolean>().Value();
    const trpo::NetworkSpec spec = specOf(info, 1, -1);
    core_ = trpo::makePolicy(dist, spec);
    unitsPerRow_ = unitsPerRowOf(spec);
    externalBytes_ = core_->numParameters() * (spec.dtype == trpo::Dtype::Float32 ? 4 : 8);
    Napi::MemoryManagement::AdjustExternalMemory(env_, externalBytes_);
    return 0;
  });
}

void PolicyWrap::checkIdle(Napi::Env env) const {
  if (!core_) throw Napi::Error::New(env, "policy was disposed: dispose() freed its native memory");
  if (busy_) {
    throw Napi::Error::New(env, "policy is busy: an async trpoStep is still running on it; await it first");
  }
}

// The native memory goes with the JS object: freed when it is collected, or by dispose().
PolicyWrap::~PolicyWrap() { release(); }

void PolicyWrap::release() {
  core_.reset();
  if (externalBytes_) Napi::MemoryManagement::AdjustExternalMemory(env_, -externalBytes_);
  externalBytes_ = 0;
}

Napi::Value PolicyWrap::Dispose(const Napi::CallbackInfo& info) {
  if (busy_) checkIdle(info.Env());  // an async job still uses it
  release();
  return info.Env().Undefined();
}

Napi::Value PolicyWrap::NumParameters(const Napi::CallbackInfo& info) {
  checkIdle(info.Env());
  return Napi::Number::New(info.Env(), static_cast<double>(core_->numParameters()));
}

Napi::Value PolicyWrap::GetParameters(const Napi::CallbackInfo& info) {
  checkIdle(info.Env());
  core_->getParameters(float64Of(info[0], core_->numParameters(), "out"));
  return info.Env().Undefined();
}

Napi::Value PolicyWrap::SetParameters(const Napi::CallbackInfo& info) {
  checkIdle(info.Env());
  core_->setParameters(float64Of(info[0], core_->numParameters(), "params"));
  return info.Env().Undefined();
}

// forward(obs, n, out)
Napi::Value PolicyWrap::Forward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const int64_t n = rowsOf(info[1], unitsPerRow_);
    core_->forward(viewOf(info[0], "obs"), n, float64Of(info[2], n * outDim(), "out"));
    return env.Undefined();
  });
}

// logProb(obs, actions, n, out)
Napi::Value PolicyWrap::LogProb(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const int64_t n = rowsOf(info[2], unitsPerRow_);
    core_->logProb(viewOf(info[0], "obs"), viewOf(info[1], "actions"), n, float64Of(info[3], n, "out"));
    return env.Undefined();
  });
}

// entropy(obs, n)
Napi::Value PolicyWrap::Entropy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    return Napi::Value(Napi::Number::New(env, core_->entropy(viewOf(info[0], "obs"), rowsOf(info[1], unitsPerRow_))));
  });
}

// surrogate(obs, actions, advantages, logProbOld, n, entCoef, gradOut | null)
Napi::Value PolicyWrap::Surrogate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    trpo::PolicyBatch b = batchOf(info, 0, unitsPerRow_);
    const double entCoef = numberOf(info[5], "entCoef");
    double* grad = info[6].IsNull() || info[6].IsUndefined() ? nullptr
                                                             : float64Of(info[6], core_->numParameters(), "gradOut");
    return Napi::Value(Napi::Number::New(env, core_->surrogate(b, entCoef, grad)));
  });
}

// meanKl(obs, n, oldParams)
Napi::Value PolicyWrap::MeanKl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const double kl = core_->meanKl(viewOf(info[0], "obs"), rowsOf(info[1], unitsPerRow_),
                                    float64Of(info[2], core_->numParameters(), "oldParameters"));
    return Napi::Value(Napi::Number::New(env, kl));
  });
}

// fisherVectorProduct(obs, n, v, damping, out)
Napi::Value PolicyWrap::FisherVectorProduct(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const int64_t P = core_->numParameters();
    core_->fisherVectorProduct(viewOf(info[0], "obs"), rowsOf(info[1], unitsPerRow_), float64Of(info[2], P, "v"),
                               numberOf(info[3], "damping"), float64Of(info[4], P, "out"));
    return env.Undefined();
  });
}

// solveFisher(obs, n, b, options: { cgDamping, cgMaxSteps, cgTol, subSamplingFactor }, xOut) -> { residual, iterations }
Napi::Value PolicyWrap::SolveFisher(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    const int64_t P = core_->numParameters();
    if (!info[3].IsObject()) throw Napi::TypeError::New(env, "options: expected an object");
    Napi::Object o = info[3].As<Napi::Object>();
    trpo::FisherSolveOptions f;
    f.cgDamping = fieldOf(o, "cgDamping");
    f.cgMaxSteps = static_cast<int>(integerOf(o.Get("cgMaxSteps"), "options.cgMaxSteps", 1));
    f.cgTol = fieldOf(o, "cgTol");
    f.subSamplingFactor = static_cast<int>(integerOf(o.Get("subSamplingFactor"), "options.subSamplingFactor", 1));
    const trpo::CgSummary s = core_->solveFisher(viewOf(info[0], "obs"), rowsOf(info[1], unitsPerRow_),
                                                 float64Of(info[2], P, "b"), f, float64Of(info[4], P, "xOut"));
    Napi::Object result = Napi::Object::New(env);
    result.Set("residual", s.residual);
    result.Set("iterations", s.iterations);
    return Napi::Value(result);
  });
}

// trpoStep(obs, actions, advantages, logProbOld, n, options)
Napi::Value PolicyWrap::TrpoStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    trpo::PolicyBatch b = batchOf(info, 0, unitsPerRow_);
    return Napi::Value(statsToJs(env, core_->trpoStep(b, trpoOptionsOf(info[5]))));
  });
}

Napi::Value PolicyWrap::TrpoStepAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    trpo::PolicyBatch b = batchOf(info, 0, unitsPerRow_);
    core_->checkBatch(b);  // synchronously, so that bad input throws a TypeError/RangeError here
    auto* worker = new TrpoStepWorker(env, this, info, b, trpoOptionsOf(info[5]));
    busy_ = true;
    Napi::Promise promise = worker->promise();
    worker->Queue();
    return Napi::Value(promise);
  });
}

// Shared by sample and sampleWithValues: arguments (obs, n, noise | null, deterministic, actionsOut,
// logProbOut) from info[first].
void PolicyWrap::sampleFrom(const Napi::CallbackInfo& info, size_t first) {
  const int64_t n = rowsOf(info[first + 1], unitsPerRow_);
  const bool deterministic = info[first + 3].ToBoolean().Value();
  trpo::ArrayView noise;
  if (!deterministic) noise = viewOf(info[first + 2], "noise");
  core_->sample(viewOf(info[first], "obs"), n, noise, deterministic,
                float64Of(info[first + 4], n * core_->actionDim(), "actionsOut"),
                float64Of(info[first + 5], n, "logProbOut"));
}

// sample(obs, n, noise | null, deterministic, actionsOut, logProbOut)
Napi::Value PolicyWrap::Sample(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    sampleFrom(info, 0);
    return env.Undefined();
  });
}

// sampleWithValues(value: NativeValue, obs, n, noise | null, deterministic, actionsOut, logProbOut, valuesOut):
// the actions and V(s) of a rollout step in one call.
Napi::Value PolicyWrap::SampleWithValues(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&] {
    checkIdle(env);
    ValueWrap* value = ValueWrap::unwrapOrThrow(info[0], "value");
    const int64_t n = rowsOf(info[2], unitsPerRow_);
    double* valuesOut = float64Of(info[7], n, "valuesOut");
    sampleFrom(info, 1);
    value->forwardInto(env, viewOf(info[1], "obs"), n, valuesOut);
    return env.Undefined();
  });
}

}  // namespace trpo_binding
