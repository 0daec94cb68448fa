import MARL

/// Exercise 3.2: generalised advantage estimation, GAE(γ, λ).
///
/// With the same segment as exercise 3.1 plus the critic's values V(s_t) (`values[t]`), compute the
/// TD errors and their exponentially weighted sums:
///
///     δ_t = r_t + γ (1 − 𝟙[ends[t] == .terminated]) V(s_{t+1}) − V(s_t)
///     Â_t = δ_t + γλ Â_{t+1}      while row t's episode goes on to row t + 1,
///     Â_t = δ_t                    at an episode end (terminated or truncated) and at the last row.
///
/// A truncated row still bootstraps in δ_t (its next state has a future); it only stops the sum.
///
/// - Parameters: rewards, values, nextValues, ends: [T] each; gamma γ and lambda λ in [0, 1].
/// - Returns: Â_t, [T].
///
/// Hint: check yourself with λ = 0 (you should get δ) and λ = 1 (you should get G_t − V(s_t) with
/// the returns of exercise 3.1).
public func gaeAdvantages(
  rewards: [Double], values: [Double], nextValues: [Double], ends: [StepEnd], gamma: Double, lambda: Double
) throws -> [Double] {
  // BEGIN SOLUTION
  let count = rewards.count
  var advantage = [Double](repeating: 0, count: count)
  var carried = 0.0
  for t in (0..<count).reversed() {
    let keep = ends[t] == .terminated ? 0.0 : 1.0
    let tdError = rewards[t] - values[t] + gamma * keep * nextValues[t]
    let episodeGoesOn = ends[t] == .continues && t < count - 1
    carried = tdError + (episodeGoesOn ? gamma * lambda * carried : 0)
    advantage[t] = carried
  }
  return advantage
  // END SOLUTION
}
