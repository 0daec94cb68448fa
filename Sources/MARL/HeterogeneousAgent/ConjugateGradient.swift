import Autodiff

/// What ``conjugateGradient(_:_:maxIterations:residualTolerance:)`` found.
public struct ConjugateGradientResult: Sendable {
  /// x ≈ H⁻¹ b, [P].
  public let solution: [Double]
  /// ‖b − H xₖ‖² after each iteration k = 0, 1, … (entry 0 is ‖b‖², for x₀ = 0).
  public let squaredResiduals: [Double]
  /// The number of matrix–vector products used.
  public var iterations: Int { squaredResiduals.count - 1 }
}

/// Solves H x = b for a symmetric positive-definite H that is known only through products v ↦ H v.
///
/// Starting from x₀ = 0 (so r₀ = p₀ = b), each iteration moves along a direction that is H-conjugate to
/// all earlier ones:
///
///     αₖ = rₖᵀrₖ / pₖᵀH pₖ,   xₖ₊₁ = xₖ + αₖ pₖ,   rₖ₊₁ = rₖ − αₖ H pₖ,
///     βₖ = rₖ₊₁ᵀrₖ₊₁ / rₖᵀrₖ,   pₖ₊₁ = rₖ₊₁ + βₖ pₖ
///
/// In exact arithmetic it reaches H⁻¹b in at most P iterations; TRPO and HATRPO stop after about 10,
/// which is enough for a good natural-gradient direction without ever forming the P × P matrix H.
///
/// - Parameters:
///   - product: v ↦ H v, for vectors [P].
///   - b: the right-hand side, [P] (for HATRPO, the surrogate's gradient g).
///   - maxIterations: at most this many products (HARL: 10).
///   - residualTolerance: stop once ‖r‖² falls below it (HARL: 1e-10).
/// - Returns: x and the residual history.
/// Source: Hestenes & Stiefel, "Methods of conjugate gradients for solving linear systems" (1952);
/// Nocedal & Wright, "Numerical Optimization" (2006), Algorithm 5.2; used by Schulman et al., TRPO
/// (ICML 2015), App. C, and Kuba et al. (ICLR 2022), Algorithm 2, line 11.
public func conjugateGradient(
  _ product: ([Double]) -> [Double], _ b: [Double], maxIterations: Int = 10, residualTolerance: Double = 1e-10
) -> ConjugateGradientResult {
  ensure(
    !b.isEmpty && maxIterations >= 1,
    "conjugateGradient: needs b [P ≥ 1] and at least one iteration, got P = \(b.count), \(maxIterations)")
  // snippet: conjugate-gradient
  var x = [Double](repeating: 0, count: b.count)
  var r = b  // r = b − H x, with x = 0
  var p = b
  var rr = innerProduct(r, r)
  var history = [rr]
  for _ in 0..<maxIterations where rr > residualTolerance {
    let Hp = product(p)
    let α = rr / innerProduct(p, Hp)
    for k in x.indices {
      x[k] += α * p[k]
      r[k] -= α * Hp[k]
    }
    let rrNext = innerProduct(r, r)
    for k in p.indices { p[k] = r[k] + (rrNext / rr) * p[k] }
    rr = rrNext
    history.append(rr)
  }
  // end snippet
  return ConjugateGradientResult(solution: x, squaredResiduals: history)
}

/// uᵀv for two vectors of the same length.
public func innerProduct(_ u: [Double], _ v: [Double]) -> Double {
  ensure(u.count == v.count, "innerProduct: vectors of lengths \(u.count) and \(v.count)")
  var total = 0.0
  for k in u.indices { total += u[k] * v[k] }
  return total
}
