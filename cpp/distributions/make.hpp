// The distribution of a DistributionSpec. Twin: src/core/js/distributions/index.ts.
#pragma once

#include "bernoulli.hpp"
#include "categorical.hpp"
#include "diag_gaussian.hpp"
#include "gsde_gaussian.hpp"
#include "multi_categorical.hpp"

#include <memory>

namespace trpo {

// The distribution over outDim network outputs (and, for gSDE, the latentDim features of the last
// hidden layer). Throws ArgumentError when outDim does not fit the distribution.
template <typename T>
std::unique_ptr<Distribution<T>> makeDistribution(const DistributionSpec& d, int64_t outDim, int64_t latentDim) {
  std::unique_ptr<Distribution<T>> dist;
  switch (d.kind) {
    case PolicyKind::Gsde:
      dist = std::make_unique<GsdeGaussian<T>>(outDim, latentDim, d.fullStd, d.useExpln, d.learnFeatures);
      break;
    case PolicyKind::Gaussian: dist = std::make_unique<DiagGaussian<T>>(outDim); break;
    case PolicyKind::Categorical: dist = std::make_unique<Categorical<T>>(outDim); break;
    case PolicyKind::Bernoulli: dist = std::make_unique<Bernoulli<T>>(outDim); break;
    case PolicyKind::MultiCategorical: {
      if (d.nvec.empty()) throw ArgumentError("nvec: expected at least one component", true);
      std::vector<Index> nvec(d.nvec.begin(), d.nvec.end());
      for (Index k : nvec) if (k < 1) throw ArgumentError("nvec: expected positive integers", true);
      dist = std::make_unique<MultiCategorical<T>>(nvec);
      break;
    }
  }
  if (dist->outDim() - dist->latentDim() != outDim) {
    throw ArgumentError("outDim: expected " + std::to_string(dist->outDim()) + " (the sum of nvec), got " +
                            std::to_string(outDim),
                        true);
  }
  return dist;
}

}  // namespace trpo
