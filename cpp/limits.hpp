// Resource guards: sizes are checked before anything is allocated, so that a network or batch too
// large to allocate or to address is a RangeError (ArgumentError), never std::bad_alloc, an
// integer overflow or the kernel's out-of-memory killer. Twin: src/core/limits.ts (same estimate,
// same messages).
//
// Estimate of a network's memory: kBytesPerParameter per parameter (the weights, the TRPO step's
// old weights, gradient, CG vectors and per-chunk gradients, as double); of a batch:
// kBytesPerActivation per row and unit of every layer (input included: the activations and the two
// scratch matrices of the passes).
#pragma once

#include "core.hpp"

#include <cstdint>

namespace trpo {

// Largest parameter count: what a Float64Array can hold on every supported Node (2^32 - 1).
constexpr int64_t kMaxParameters = 4294967295LL;
constexpr int64_t kBytesPerParameter = 128;
constexpr int64_t kBytesPerActivation = 24;
constexpr int64_t kDefaultMaxCoreBytes = int64_t(4) << 30;  // 4 GiB

// The memory cap (bytes): TRPO_NODE_MAX_CORE_BYTES when set to a positive integer, else 4 GiB,
// until setMaxCoreBytes changes it.
int64_t maxCoreBytes();
void setMaxCoreBytes(int64_t bytes);

// a * b and a + b, or ArgumentError (range) naming `what` when the result exceeds int64.
int64_t checkedMul(int64_t a, int64_t b, const char* what);
int64_t checkedAdd(int64_t a, int64_t b, const char* what);

// Throws ArgumentError (range) when the policy (dist over the network spec; pass nullptr for a value
// function) has more parameters than kMaxParameters or needs more than maxCoreBytes().
void checkNetworkSize(const NetworkSpec& spec, const DistributionSpec* dist);

// Throws ArgumentError (range) when a batch of n rows through the layer widths [inDim, hidden...,
// outDim] needs more than maxCoreBytes() of activations.
void checkBatchSize(int64_t n, int64_t unitsPerRow);

}  // namespace trpo
