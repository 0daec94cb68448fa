import Autodiff

/// The discounted return of every row of a segment, with episode ends and bootstrapping.
///
///     G_t = r_t + γ (1 − 𝟙[terminated_t]) · { G_{t+1}     if row t continues and t + 1 < T
///                                          { V(s_{t+1})  at a truncation or at the last row
///
/// Within an episode this is the familiar G_t = Σ_k γᵏ r_{t+k}; the bootstrap V(s_{t+1}) stands in
/// for the rewards the segment does not contain (after a time limit, or after the last row), and a
/// termination contributes nothing. Computed backwards in one pass, O(T).
///
/// - Parameters:
///   - rewards: r_t, the (shared) reward after the action at row t, shape [T].
///   - ends: how each row ended (``StepEnd``), [T].
///   - nextValues: V(s_{t+1}) per row, [T]; read only where a bootstrap is needed (truncated rows, and
///     the last row if it continues). See ``nextValues(values:ends:lastValue:finalValues:)``.
///   - gamma: γ ∈ [0, 1].
/// - Returns: G_t, shape [T].
///
/// Source: Sutton & Barto, "Reinforcement Learning: An Introduction" (2nd ed., 2018), eq. (3.8) and
/// §7.1 (n-step bootstrapped returns); Pardo et al. (ICML 2018) for bootstrapping at time limits.
public func discountedReturns(rewards: [Double], ends: [StepEnd], nextValues: [Double], gamma γ: Double) -> [Double] {
  ensureSegment("discountedReturns", rewards: rewards.count, ends: ends.count, nextValues: nextValues.count)
  ensure((0...1).contains(γ), "discountedReturns: gamma must be in [0, 1], got \(γ)")
  let T = rewards.count
  var returns = [Double](repeating: 0, count: T)
  // snippet: discounted-returns
  var following = 0.0  // G_{t+1}, or the bootstrap that replaces it
  for t in stride(from: T - 1, through: 0, by: -1) {
    switch ends[t] {
    case .terminated: following = 0
    case .truncated: following = nextValues[t]
    case .continues: if t == T - 1 { following = nextValues[t] }
    }
    returns[t] = rewards[t] + γ * following
    following = returns[t]
  }
  // end snippet
  return returns
}
