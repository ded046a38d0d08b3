// Conjugate gradient for A x = b with A symmetric positive definite, given only products A p.
#pragma once

#include <Eigen/Dense>

namespace trpo {

struct CgResult {
  Eigen::VectorXd x;
  Eigen::VectorXd r;  // final residual b - A x (as updated by the iterations)
  double residual;  // final r.r
  int iterations;   // number of products A p made
};

// Starts from x0 (0 when x0 is null); stops after `maxIters` products, when r.r < tol, or when
// p^T A p <= 0 (A not positive definite along p, e.g. a wrong or degenerate Fisher matrix), keeping
// the x reached. A warm start x0 costs one product for r0 = b - A x0, counted in `iterations`
// (iterations = products made); a non-finite r0 falls back to x0 = 0.
template <typename MatVec>
CgResult conjugateGradient(MatVec&& matVec, const Eigen::VectorXd& b, int maxIters, double tol,
                           const Eigen::VectorXd* x0 = nullptr) {
  CgResult res{Eigen::VectorXd::Zero(b.size()), b, 0.0, 0};
  Eigen::VectorXd& r = res.r;
  Eigen::VectorXd p(b.size()), Ap(b.size());
  if (x0 != nullptr && x0->size() == b.size() && maxIters > 0) {
    matVec(*x0, Ap);
    ++res.iterations;
    if (Ap.allFinite() && x0->allFinite()) {
      res.x = *x0;
      r = b - Ap;
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
