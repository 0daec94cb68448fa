import MARL

/// Exercise 4.4: TD(λ) targets for COMA's critic.
///
/// Row t of a segment holds the shared reward r_t after the joint action u_t, how the step ended
/// (`ends[t]`: `.continues`, `.terminated` or `.truncated`), and q_{t+1} = Q̄(s_{t+1}, u_{t+1}), the
/// target critic's value of the next joint action (`nextValues[t]`). The TD(λ) target is, backwards,
///
///     y_t = r_t + γ m_t [ (1 − λ) q_{t+1} + λ y_{t+1} ],   m_t = 0 if row t terminated, else 1,
///
/// where y_{t+1} is replaced by q_{t+1} wherever the episode's data stops after row t: at a
/// truncation, and at the last row of the segment. (So those rows get r_t + γ q_{t+1}, and a
/// terminated row gets just r_t.) A new episode starts after a terminated or truncated row; its
/// rewards must never leak into the previous episode's targets.
///
/// - Parameters: rewards [T], nextValues [T], ends [T], gamma γ, lambda λ (both in [0, 1]).
/// - Returns: y, [T].
///
/// Hint: λ = 0 gives r_t + γ m_t q_{t+1}; λ = 1 gives the discounted return, bootstrapped only at
/// truncations and at the end of the segment.
public func criticTargets(rewards: [Double], nextValues: [Double], ends: [StepEnd], gamma: Double, lambda: Double) throws
  -> [Double]
{
  // BEGIN SOLUTION
  var targets = [Double](repeating: 0, count: rewards.count)
  var laterTarget = 0.0
  for t in rewards.indices.reversed() {
    let sameEpisodeFollows = ends[t] == .continues && t + 1 < rewards.count
    let continuation = sameEpisodeFollows ? laterTarget : nextValues[t]
    let blended = (1 - lambda) * nextValues[t] + lambda * continuation
    targets[t] = rewards[t] + (ends[t] == .terminated ? 0 : gamma * blended)
    laterTarget = targets[t]
  }
  return targets
  // END SOLUTION
}
