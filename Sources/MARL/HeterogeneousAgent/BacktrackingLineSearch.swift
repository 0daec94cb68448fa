import Autodiff

/// What the line search of a trust-region step decided.
public struct LineSearchResult: Sendable {
  /// θ_old + α^j β x for the accepted j, or θ_old when no step was accepted, [P].
  public let parameters: [Double]
  /// Whether some step was accepted.
  public let accepted: Bool
  /// j, the number of times the step was shrunk before it was accepted (or the number tried).
  public let backtracks: Int
  /// L(θ_new) − L(θ_old) of the accepted step (0 when none was).
  public let improvement: Double
  /// The mean KL of the accepted step (0 when none was).
  public let kl: Double
}

/// Backtracking line search along a trust-region step: try θ_old + α^j · s for j = 0, 1, …, L − 1
/// and keep the first that
///
/// 1. stays in the trust region, KL̄(θ_old, θ) ≤ δ (the quadratic model of the KL can be wrong),
/// 2. really improves the surrogate, L(θ) − L(θ_old) > 0,
/// 3. earns at least a fraction κ of the improvement the linear model promised, α^j · (g · s).
///
/// If none qualifies, the agent keeps θ_old: a rejected update is better than a harmful one.
///
/// - Parameters:
///   - θOld: the current parameters [P]; `fullStep` s = β x [P].
///   - expectedImprovement: g · s, the first-order prediction for the full step.
///   - surrogate: L(θ), to be increased; `kl`: KL̄(θ_old, θ).
///   - maxKL: δ; backtrackCoefficient: α ∈ (0, 1); steps: L; acceptRatio: κ.
/// Source: Kuba et al. (ICLR 2022), Algorithm 2, line 13; Schulman et al., TRPO (ICML 2015), App. C;
/// HARL `hatrpo.py` (δ 0.01, α 0.8, L 10, κ 0.5).
public func backtrackingLineSearch(
  from θOld: [Double], fullStep: [Double], expectedImprovement: Double,
  surrogate: ([Double]) -> Double, kl: ([Double]) -> Double,
  maxKL δ: Double, backtrackCoefficient α: Double, steps: Int, acceptRatio κ: Double
) -> LineSearchResult {
  ensure(θOld.count == fullStep.count, "backtrackingLineSearch: θ [\(θOld.count)] and step [\(fullStep.count)] differ in length")
  ensure(
    α > 0 && α < 1 && steps >= 1, "backtrackingLineSearch: needs 0 < α < 1 and at least one step, got α = \(α), L = \(steps)")
  let baseline = surrogate(θOld)
  var fraction = 1.0  // α^j
  // snippet: hatrpo-line-search
  for j in 0..<steps {
    let θ = zip(θOld, fullStep).map { $0 + fraction * $1 }
    let improvement = surrogate(θ) - baseline
    let divergence = kl(θ)
    if divergence <= δ && improvement > 0 && improvement > κ * fraction * expectedImprovement {
      return LineSearchResult(parameters: θ, accepted: true, backtracks: j, improvement: improvement, kl: divergence)
    }
    fraction *= α
  }
  // end snippet
  return LineSearchResult(parameters: θOld, accepted: false, backtracks: steps, improvement: 0, kl: 0)
}
