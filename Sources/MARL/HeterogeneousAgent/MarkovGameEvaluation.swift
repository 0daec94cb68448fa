import Autodiff

/// Everything exact policy evaluation knows about a joint policy π in a ``TabularMarkovGame``.
public struct MarkovGameEvaluation: Sendable {
  /// V_π(s) for every state, [|S|].
  public let values: [Double]
  /// Q_π(s, a) = r(s, a) + γ Σ_{s′} P(s′|s, a) V_π(s′), [|S|][|A|].
  public let q: [[Double]]
  /// ρ_π(s) = Σₜ γᵗ Pr(sₜ = s), the *unnormalised* discounted visitation (it sums to 1/(1 − γ)), [|S|].
  public let visitation: [Double]
  /// J(π) = Σ_s ρ⁰(s) V_π(s).
  public let objective: Double
  /// The policy that was evaluated.
  public let policy: ProductPolicy
  /// The agents' action counts.
  public let actionCounts: [Int]

  /// The multi-agent values Q^{i_{1:m}}, A^{i_{1:m}} of state s (Kuba et al. 2022, Def. 1, eq. 1).
  public func multiAgentQ(state s: Int) -> MultiAgentQ {
    MultiAgentQ(actionCounts: actionCounts, q: q[s], policies: policy.policies(at: s))
  }

  /// max_{s, a} |A_π(s, a)|: the ε of the penalty coefficient C = 4γε/(1 − γ)².
  public var maxAbsoluteAdvantage: Double {
    var worst = 0.0
    for (s, row) in q.enumerated() {
      for value in row { worst = max(worst, abs(value - values[s])) }
    }
    return worst
  }
}

extension TabularMarkovGame {
  /// Exact policy evaluation of the product policy π, by two linear solves:
  ///
  ///     V_π = (I − γ P_π)⁻¹ r_π                 with P_π(s′|s) = Σ_a π(a|s) P(s′|s, a), r_π(s) = Σ_a π(a|s) r(s, a)
  ///     ρ_π = (I − γ P_πᵀ)⁻¹ ρ⁰                 (the discounted visitation Σₜ γᵗ Pr(sₜ = ·))
  ///
  /// then Q_π(s, a) = r(s, a) + γ Σ_{s′} P(s′|s, a) V_π(s′) and J(π) = ρ⁰ · V_π.
  ///
  /// - Complexity: O(|S|²|A| n + |S|³).
  /// Source: the Bellman equation for V_π, Sutton & Barto (2018), eq. (4.4); the discounted visitation
  /// of Kakade & Langford (ICML 2002) and Schulman et al., TRPO (ICML 2015), §2.
  public func evaluate(_ π: ProductPolicy) -> MarkovGameEvaluation {
    ensure(
      π.probabilities.count == agentCount && π.probabilities.allSatisfy { $0.count == stateCount },
      "TabularMarkovGame.evaluate: the policy must be [n = \(agentCount)][|S| = \(stateCount)][|Aⁱ|]")
    let S = stateCount, A = space.count
    let joint = space.all
    // MARK: - The policy's Markov chain
    var chain = [[Double]](repeating: [Double](repeating: 0, count: S), count: S)  // P_π(s′|s)
    var expectedReward = [Double](repeating: 0, count: S)  // r_π(s)
    for s in 0..<S {
      for a in 0..<A {
        let p = π.jointProbability(state: s, actions: joint[a])
        expectedReward[s] += p * reward(s, a)
        for sNext in 0..<S { chain[s][sNext] += p * transitionProbability(s, a, sNext) }
      }
    }
    // MARK: - Values and visitation
    let valueSystem = (0..<S).map { s in (0..<S).map { k in (s == k ? 1 : 0) - gamma * chain[s][k] } }
    let values = solveLinearSystem(valueSystem, expectedReward)
    let visitSystem = (0..<S).map { s in (0..<S).map { k in (s == k ? 1 : 0) - gamma * chain[k][s] } }
    let visitation = solveLinearSystem(visitSystem, initialDistribution)
    // MARK: - Q from V
    let q = (0..<S).map { s in
      (0..<A).map { a in
        reward(s, a) + gamma * (0..<S).reduce(0.0) { $0 + transitionProbability(s, a, $1) * values[$1] }
      }
    }
    let objective = zip(initialDistribution, values).reduce(0.0) { $0 + $1.0 * $1.1 }
    return MarkovGameEvaluation(
      values: values, q: q, visitation: visitation, objective: objective, policy: π, actionCounts: actionCounts)
  }

  /// A nearly unbiased Monte-Carlo estimate of Q_π(s, a) (truncated at the horizon; bias bound below), an
  /// independent check of ``evaluate(_:)``: start in s, play a, then follow π, for `episodes` episodes cut
  /// at `horizon` steps (the cut changes the mean by at most γ^horizon · max|r| / (1 − γ)). Returns the mean
  /// and its standard error.
  public func monteCarloQ(
    _ π: ProductPolicy, state s: Int, actions: [Int], episodes: Int, horizon: Int, using rng: inout RandomGenerator
  ) -> (mean: Double, standardError: Double) {
    ensure(episodes >= 2, "TabularMarkovGame.monteCarloQ: needs at least 2 episodes, got \(episodes)")
    let A = space.count
    let first = space.index(of: actions)
    var sum = 0.0, sumOfSquares = 0.0
    for _ in 0..<episodes {
      var state = s, discount = 1.0, total = 0.0
      var jointAction = first
      for _ in 0..<horizon {
        total += discount * reward[state * A + jointAction]
        // s′ ∼ P(·|s, a) by inverse CDF over the row of the table.
        let row = (state * A + jointAction) * stateCount
        var u = rng.uniform(), next = stateCount - 1
        for k in 0..<stateCount {
          u -= transition[row + k]
          if u < 0 { next = k; break }
        }
        state = next
        discount *= gamma
        // a ∼ π(·|s′), agent by agent, assembled in mixed radix.
        jointAction = 0
        for i in 0..<agentCount { jointAction = jointAction * space.actionCounts[i] + rng.categorical(π.probabilities[i][state]) }
      }
      sum += total
      sumOfSquares += total * total
    }
    let mean = sum / Double(episodes)
    let variance = max(0, (sumOfSquares - Double(episodes) * mean * mean) / Double(episodes - 1))
    return (mean, (variance / Double(episodes)).squareRoot())
  }
}
