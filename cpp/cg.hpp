// Conjugate gradient for A x = b with A symmetric positive definite, given only products A p.
#pragma once

#include <Eigen/Dense>

#include <cmath>

namespace trpo {

struct CgResult {
  Eigen::VectorXd x;
  Eigen::VectorXd r;  // final residual b - A x (as updated by the iterations)
  double residual;  // final r.r
  int iterations;   // number of products A p made
};

// Starts from 0, or with a warm start x0 from alpha x0, alpha = x0.b / x0^T A x0: the multiple of
// x0 closest to the solution in the A-norm, so never a worse start than 0 in that norm (one
// product, counted in `iterations` = products made; a non-finite or non-positive x0^T A x0 falls
// back to 0). Stops after `maxIters` products, when r.r < tol, or when p^T A p <= 0 (A not positive
// definite along p, e.g. a wrong or degenerate Fisher matrix), keeping the x reached.
template <typename MatVec>
CgResult conjugateGradient(MatVec&& matVec, const Eigen::VectorXd& b, int maxIters, double tol,
                           const Eigen::VectorXd* x0 = nullptr) {
  CgResult res{Eigen::VectorXd::Zero(b.size()), b, 0.0, 0};
  Eigen::VectorXd& r = res.r;
  Eigen::VectorXd p(b.size()), Ap(b.size());
  if (x0 != nullptr && x0->size() == b.size() && maxIters > 0) {
    matVec(*x0, Ap);
    ++res.iterations;
    const double alpha = x0->dot(b) / x0->dot(Ap);
    if (std::isfinite(alpha) && x0->dot(Ap) > 0 && Ap.allFinite()) {
      res.x = alpha * *x0;
      r = b - alpha * Ap;
    }
  }
  p = r;
  double rr = r.squaredNorm();
  while (res.iterations < maxIters) {
    if (rr < tol) break;
    matVec(p, Ap);
    const double pAp = p.dot(Ap);
    ++res.iterations;
    if (!(pAp > 0)) break;
    const double alpha = rr / pAp;
    res.x += alpha * p;
    r -= alpha * Ap;
    const double rrNew = r.squaredNorm();
    p = r + (rrNew / rr) * p;
    rr = rrNew;
  }
  res.residual = rr;
  return res;
}

}  // namespace trpo
