import Autodiff

/// One sampled episode of a Dec-POMDP under a joint policy.
public struct Episode: Sendable {
  /// s₀, …, s_h (h + 1 states; s_h follows the last action).
  public let states: [Int]
  /// a₀, …, a_{h−1}, joint action indices.
  public let jointActions: [Int]
  /// o₁, …, o_h, joint observation indices (o_{t+1} is received after a_t).
  public let jointObservations: [Int]
  /// R(s_t, a_t) for t = 0…h−1.
  public let rewards: [Double]
  /// The return G = Σ_t R(s_t, a_t).
  public var totalReward: Double { rewards.reduce(0, +) }
}

extension DecPOMDP {
  /// Samples one episode: s₀ ~ b⁰; for t = 0…h−1: a_t = ⟨πᵢ(ōᵢ)⟩ᵢ, r_t = R(s_t, a_t),
  /// s_{t+1} ~ T(·|s_t,a_t), o_{t+1} ~ 𝒪(·|a_t,s_{t+1}), and each agent appends its oᵢ to ōᵢ.
  /// Source: the Dec-POMDP generative process, Oliehoek & Amato (2016), ch. 2.
  public func sampleEpisode(_ policy: JointPolicy, using rng: inout RandomGenerator) -> Episode {
    checkPolicy(policy, "sampleEpisode")
    let S = stateCount, n = agentCount, O = jointObservationCount
    var nodes = [Int](repeating: 0, count: n)
    var s = Self.sample(initialBelief, 0, S, &rng)
    var states = [s], actions: [Int] = [], observations: [Int] = [], rewards: [Double] = []
    for _ in 0..<horizon {
      var a = 0
      for i in 0..<n { a += policy[i].actions[nodes[i]] * actionPlaceValues[i] }
      rewards.append(reward(s, a))
      s = Self.sample(transitionTable, (s * jointActionCount + a) * S, S, &rng)
      let o = Self.sample(observationTable, (a * S + s) * O, O, &rng)
      for i in 0..<n {
        nodes[i] = ObservationHistory.child(
          of: nodes[i], observation: localObservation(of: i, inJointObservation: o),
          observationCount: observationCounts[i])
      }
      states.append(s)
      actions.append(a)
      observations.append(o)
    }
    return Episode(states: states, jointActions: actions, jointObservations: observations, rewards: rewards)
  }

  /// The Monte-Carlo estimate of V(π) from m episodes: the mean return Ḡ and its standard error
  /// √(Σ(G − Ḡ)² / (m(m − 1))).
  public func monteCarloValue(_ policy: JointPolicy, episodes m: Int, using rng: inout RandomGenerator)
    -> (mean: Double, standardError: Double)
  {
    ensure(m >= 2, "monteCarloValue: need at least 2 episodes, got \(m)")
    let returns = (0..<m).map { _ in sampleEpisode(policy, using: &rng).totalReward }
    return meanAndStandardError(returns)
  }

  /// k ~ p over table[start ..< start + count] by the inverse CDF (the row sums to 1).
  private static func sample(_ table: [Double], _ start: Int, _ count: Int, _ rng: inout RandomGenerator) -> Int {
    let u = rng.uniform()
    var cumulative = 0.0
    for k in 0..<count {
      cumulative += table[start + k]
      if u < cumulative { return k }
    }
    return (0..<count).last(where: { table[start + $0] > 0 })!  // u fell in the rounding gap at the top
  }
}
