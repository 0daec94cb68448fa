import Autodiff

/// The one-step temporal-difference errors of a segment:
///
///     δ_t = r_t + γ (1 − 𝟙[terminated_t]) V(s_{t+1}) − V(s_t)
///
/// δ_t is an estimate of the advantage A(s_t, a_t) = Q(s_t, a_t) − V(s_t): its expectation given
/// (s_t, a_t) is exactly A when V is the true value function. It is GAE with λ = 0. A truncated row
/// bootstraps like a continuing one; only a termination drops V(s_{t+1}).
///
/// - Parameters:
///   - rewards: r_t, shape [T].
///   - values: V(s_t), [T].
///   - nextValues: V(s_{t+1}), [T] (read at every non-terminated row).
///   - ends: how each row ended, [T].
///   - gamma: γ ∈ [0, 1].
/// - Returns: δ_t, shape [T].
///
/// Source: Sutton & Barto (2018), eq. (6.5); Schulman et al., "High-Dimensional Continuous Control
/// Using Generalized Advantage Estimation" (ICLR 2016), §3 (δᵥ_t).
public func temporalDifferenceErrors(
  rewards: [Double], values: [Double], nextValues: [Double], ends: [StepEnd], gamma γ: Double
) -> [Double] {
  ensureSegment(
    "temporalDifferenceErrors", rewards: rewards.count, ends: ends.count, values: values.count, nextValues: nextValues.count)
  ensure((0...1).contains(γ), "temporalDifferenceErrors: gamma must be in [0, 1], got \(γ)")
  // snippet: td-error
  return rewards.indices.map { t in
    rewards[t] + γ * ends[t].bootstrapMask * nextValues[t] - values[t]
  }
  // end snippet
}
