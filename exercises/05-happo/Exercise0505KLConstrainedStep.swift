import Foundation  // sqrt

/// Exercise 5.5: the KL-constrained step and its line search.
///
/// Conjugate gradient has produced the natural direction x ≈ H⁻¹g for one agent. HATRPO scales it to
/// the edge of the trust region's quadratic model, ½(βx)ᵀH(βx) = δ, which gives
///
///     β = √(2δ / xᵀH x),   full step s = β x,   predicted improvement gᵀs
///
/// and then searches back along s: for j = 0, 1, …, L − 1, try θⱼ = θ + αʲ s and accept the first one
/// that (1) keeps the mean KL within the region, kl(θⱼ) ≤ δ; (2) really improves the surrogate,
/// L(θⱼ) − L(θ) > 0; and (3) earns more than a fraction κ of the predicted improvement,
/// L(θⱼ) − L(θ) > κ αʲ gᵀs. If no j qualifies, return θ unchanged.
///
/// - Parameters:
///   - parameters: θ, the agent's current parameters, [P].
///   - direction: x, [P]; `curvatureProduct`: H x, [P]; `gradient`: g, [P].
///   - maxKL: δ; backtrackCoefficient: α ∈ (0, 1); maxBacktracks: L; acceptRatio: κ.
///   - surrogate: θ ↦ L(θ); kl: θ ↦ mean KL(π_θ_old ‖ π_θ).
/// - Returns: the accepted parameters (or θ).
///
/// Hint: Kuba et al. (ICLR 2022), eq. (8) and Algorithm 2, lines 12–13. Sanity check: with
/// x = H⁻¹g and a KL that is exactly ½ΔᵀHΔ, the full step has KL exactly δ and is accepted.
public func klConstrainedStep(
  parameters: [Double], direction: [Double], curvatureProduct: [Double], gradient: [Double],
  maxKL: Double, backtrackCoefficient: Double, maxBacktracks: Int, acceptRatio: Double,
  surrogate: ([Double]) -> Double, kl: ([Double]) -> Double
) throws -> [Double] {
  // BEGIN SOLUTION
  let curvatureAlongX = zip(direction, curvatureProduct).reduce(0) { $0 + $1.0 * $1.1 }
  guard curvatureAlongX > 0 else { return parameters }
  let scale = sqrt(2 * maxKL / curvatureAlongX)
  let promised = scale * zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
  let startingValue = surrogate(parameters)
  var shrink = 1.0
  for _ in 0..<maxBacktracks {
    let candidate = parameters.indices.map { parameters[$0] + shrink * scale * direction[$0] }
    let gain = surrogate(candidate) - startingValue
    if kl(candidate) <= maxKL, gain > 0, gain > acceptRatio * shrink * promised { return candidate }
    shrink *= backtrackCoefficient
  }
  return parameters
  // END SOLUTION
}
