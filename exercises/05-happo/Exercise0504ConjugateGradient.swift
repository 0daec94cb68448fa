/// Exercise 5.4: conjugate gradient.
///
/// HATRPO needs x = H⁻¹g, where H (the Hessian of the mean KL, symmetric positive definite) is far too
/// large to form: it is available only as a function v ↦ H v. Conjugate gradient solves H x = b with
/// one such product per iteration. From x₀ = 0, r₀ = b, p₀ = b:
///
///     αₖ = rₖᵀrₖ / pₖᵀH pₖ
///     xₖ₊₁ = xₖ + αₖ pₖ,   rₖ₊₁ = rₖ − αₖ H pₖ
///     pₖ₊₁ = rₖ₊₁ + (rₖ₊₁ᵀrₖ₊₁ / rₖᵀrₖ) pₖ
///
/// Run `iterations` iterations, but stop early once rₖᵀrₖ < 10⁻²⁰ (the system is solved; going on would
/// divide 0 by 0). Use exactly one call of `product` per iteration.
///
/// - Parameters:
///   - product: v ↦ H v for vectors of length P.
///   - b: the right-hand side, [P].
///   - iterations: the largest number of iterations (HATRPO uses 10).
/// - Returns: x after the last iteration, [P].
///
/// Hint: the residual is updated with the product you already have (rₖ₊₁ = rₖ − αₖ H pₖ), not
/// recomputed as b − H x. Nocedal & Wright, "Numerical Optimization" (2006), Algorithm 5.2.
/// Sanity check: H = diag(2, 4), b = (2, 4) gives x = (1, 1) after two iterations.
public func conjugateGradientSolve(_ product: ([Double]) -> [Double], _ b: [Double], iterations: Int) throws -> [Double] {
  // BEGIN SOLUTION
  var solution = Array(repeating: 0.0, count: b.count)
  var residual = b
  var searchDirection = b
  var residualNormSquared = residual.reduce(0) { $0 + $1 * $1 }
  var done = 0
  while done < iterations && residualNormSquared >= 1e-20 {
    let curved = product(searchDirection)
    let curvature = zip(searchDirection, curved).reduce(0) { $0 + $1.0 * $1.1 }
    let stepLength = residualNormSquared / curvature
    for k in solution.indices {
      solution[k] += stepLength * searchDirection[k]
      residual[k] -= stepLength * curved[k]
    }
    let nextNormSquared = residual.reduce(0) { $0 + $1 * $1 }
    let mixing = nextNormSquared / residualNormSquared
    searchDirection = zip(residual, searchDirection).map { $0 + mixing * $1 }
    residualNormSquared = nextNormSquared
    done += 1
  }
  return solution
  // END SOLUTION
}
