import MARL

/// Exercise 4.5: the exact variance of COMA's gradient estimator.
///
/// In a matrix game with independent softmax policies πᵇ = softmax(θᵇ), agent a's per-sample COMA
/// gradient with respect to its own logits θᵃ is
///
///     g(u) = Aᵃ(u) (e_{uᵃ} − πᵃ),   Aᵃ(u) = R(u) − Σ_k πᵃ(k) R(u⁻ᵃ, k),   u ∼ Π_b πᵇ,
///
/// a vector of length |Aᵃ| (e_k is the k-th unit vector). Return its total variance
///
///     tr Cov[g] = Σ_u π(u) ‖g(u) − E g‖²,   E g = Σ_u π(u) g(u),   π(u) = Π_b πᵇ(uᵇ).
///
/// - Parameters: the game (`game.allJointActions` lists every joint action, `game.payoff(_:)` its
///   payoff), the agent a, and every agent's policy `policies[b]`.
/// - Returns: tr Cov[g], a number ≥ 0.
///
/// Hint: two passes over the joint actions, one for E g and one for the spread around it. For
/// R = u¹ + 10u², π¹ = (0.7, 0.3) and π² uniform, agent 1's answer is about 0.0672.
public func comaGradientVariance(in game: MatrixGame, agent a: Int, policies: [[Double]]) throws -> Double {
  // BEGIN SOLUTION
  let own = policies[a]
  var weightedSamples: [(probability: Double, g: [Double])] = []
  for played in game.allJointActions {
    var probability = 1.0
    for (b, action) in played.enumerated() { probability *= policies[b][action] }
    var alternative = played
    var baselineValue = 0.0
    for k in own.indices {
      alternative[a] = k
      baselineValue += own[k] * game.payoff(alternative)
    }
    let advantage = game.payoff(played) - baselineValue
    weightedSamples.append((probability, own.indices.map { k in advantage * ((k == played[a] ? 1 : 0) - own[k]) }))
  }
  var average = [Double](repeating: 0, count: own.count)
  for sample in weightedSamples { for k in own.indices { average[k] += sample.probability * sample.g[k] } }
  var spread = 0.0
  for sample in weightedSamples {
    for k in own.indices { spread += sample.probability * (sample.g[k] - average[k]) * (sample.g[k] - average[k]) }
  }
  return spread
  // END SOLUTION
}
