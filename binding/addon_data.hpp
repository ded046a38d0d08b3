// Per-environment data of the addon (Node main thread and each worker thread have their own).
#pragma once

#include <napi.h>

namespace trpo_binding {

struct AddonData {
  Napi::FunctionReference valueConstructor;  // NativeValue, to recognise its instances
};

}  // namespace trpo_binding
