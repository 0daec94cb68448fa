import Foundation

/// Exercise 2.4: the double-Q TD target of value decomposition, with a target network.
///
/// For each transition b of a batch, the *live* network chooses the next joint action, agent by agent,
/// and the *target* network evaluates it:
///
///     ū′_a = argmax_u Q_a(τ′_a, u)                                (live utilities)
///     y_b  = r_b + γ · (1 − terminated_b) · Q̄_tot(Q̄₁(τ′₁, ū′₁), …, Q̄ₙ(τ′ₙ, ū′ₙ))   (target utilities, target mixer)
///
/// At a terminal transition there is no next state to bootstrap from: y = r.
///
/// - Parameters:
///   - rewards: r, B values.
///   - terminated: B flags.
///   - gamma: the discount γ.
///   - liveNext: Q_a(τ′_a, u) of the live agents, indexed [b][a][u].
///   - targetNext: Q̄_a(τ′_a, u) of the target agents, indexed [b][a][u].
///   - targetMix: the target mixer at s′_b: given b and the n chosen target utilities, returns Q̄_tot.
/// - Returns: y, B values.
///
/// Hint: taking max_u Q̄_a(τ′_a, u) of the *target* utilities instead is plain (not double) Q-learning,
/// which overestimates. On ties choose the lowest action index.
public func doubleQTargets(
  rewards: [Double], terminated: [Bool], gamma: Double, liveNext: [[[Double]]], targetNext: [[[Double]]],
  targetMix: (Int, [Double]) -> Double
) throws -> [Double] {
  // BEGIN SOLUTION
  var targets: [Double] = []
  for b in rewards.indices {
    if terminated[b] {
      targets.append(rewards[b])
      continue
    }
    var evaluated: [Double] = []
    for (agent, live) in liveNext[b].enumerated() {
      var choice = 0
      for u in live.indices where live[u] > live[choice] { choice = u }
      evaluated.append(targetNext[b][agent][choice])
    }
    targets.append(rewards[b] + gamma * targetMix(b, evaluated))
  }
  return targets
  // END SOLUTION
}
