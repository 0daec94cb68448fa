import Autodiff

/// The pieces of Lemma 2 for one old policy π, one new policy π̄ and one ordering i_{1:n}:
///
///     J(π̄) ≥ J(π) + Σ_{m=1}^{n} [ L^{i_{1:m}}_π(π̄^{i_{1:m−1}}, π̄^{i_m}) − C · D^max_KL(π^{i_m}, π̄^{i_m}) ]
///
/// with C = 4γ max_{s,a}|A_π(s, a)| / (1 − γ)² and D^max_KL(π^i, π̄^i) = max_s KL(π^i(·|s) ‖ π̄^i(·|s)).
/// Source: Kuba et al. (ICLR 2022), Lemma 2 (built on Schulman et al., TRPO, ICML 2015, Theorem 1).
public struct ImprovementBound: Sendable {
  /// i_{1:n}, the ordering of the agents.
  public let order: [Int]
  /// J(π).
  public let oldObjective: Double
  /// J(π̄), by exact evaluation.
  public let newObjective: Double
  /// L^{i_{1:m}}_π(π̄^{i_{1:m−1}}, π̄^{i_m}) for m = 1…n (ρ_π-weighted sums over states).
  public let surrogates: [Double]
  /// D^max_KL(π^{i_m}, π̄^{i_m}) for m = 1…n.
  public let maxKL: [Double]
  /// C = 4γ max|A_π| / (1 − γ)².
  public let penalty: Double

  /// J(π) + Σ_m [L^{i_{1:m}} − C · D^max_KL(π^{i_m}, π̄^{i_m})], the right-hand side of Lemma 2.
  public var bound: Double {
    oldObjective + zip(surrogates, maxKL).reduce(0.0) { $0 + $1.0 - penalty * $1.1 }
  }
  /// J(π̄) − bound: never negative if the lemma holds.
  public var slack: Double { newObjective - bound }
}

extension TabularMarkovGame {
  /// The quantities of Lemma 2 for policies π (old) and π̄ (new) and the ordering `order`, all exact:
  /// J by policy evaluation, each L^{i_{1:m}} as Σ_s ρ_π(s) ``MultiAgentQ/sequentialSurrogate(order:updated:candidate:)``.
  public func improvementBound(from π: ProductPolicy, to π̄: ProductPolicy, order: [Int]) -> ImprovementBound {
    ensure(
      order.sorted() == Array(0..<agentCount),
      "TabularMarkovGame.improvementBound: \(order) is not an ordering of the \(agentCount) agents")
    let old = evaluate(π)
    let new = evaluate(π̄)
    // MARK: - The sequential surrogates L^{i_{1:m}}
    let surrogates = (1...agentCount).map { m in
      (0..<stateCount).reduce(0.0) { total, s in
        let updated = order[..<(m - 1)].map { π̄.probabilities[$0][s] }
        let candidate = π̄.probabilities[order[m - 1]][s]
        return total + old.visitation[s]
          * old.multiAgentQ(state: s).sequentialSurrogate(
            order: Array(order[..<m]), updated: updated, candidate: candidate)
      }
    }
    // MARK: - The penalty
    let maxKL = order.map { maxKLDivergence(agent: $0, from: π, to: π̄) }
    let penalty = 4 * gamma * old.maxAbsoluteAdvantage / ((1 - gamma) * (1 - gamma))
    return ImprovementBound(
      order: order, oldObjective: old.objective, newObjective: new.objective, surrogates: surrogates, maxKL: maxKL,
      penalty: penalty)
  }

  /// D^max_KL(πⁱ, π̄ⁱ) = max_s KL(πⁱ(·|s) ‖ π̄ⁱ(·|s)) for one agent.
  public func maxKLDivergence(agent i: Int, from π: ProductPolicy, to π̄: ProductPolicy) -> Double {
    (0..<stateCount).map { discreteKL(π.probabilities[i][$0], π̄.probabilities[i][$0]) }.max()!
  }

  /// D^max_KL(π, π̄) = max_s KL(π(·|s) ‖ π̄(·|s)) of the *joint* policies, by enumerating joint actions.
  public func jointMaxKLDivergence(from π: ProductPolicy, to π̄: ProductPolicy) -> Double {
    let joint = space.all
    return (0..<stateCount).map { s in
      discreteKL(joint.map { π.jointProbability(state: s, actions: $0) }, joint.map { π̄.jointProbability(state: s, actions: $0) })
    }.max()!
  }

  /// Σ_s ρ_ν(s) Σ_a π̄(a|s) A_π(s, a): the expected advantage of π under the new policy π̄, with states
  /// weighted by the visitation of `weighting` (ν = π̄ gives J(π̄) − J(π) exactly, the performance
  /// difference lemma; ν = π gives TRPO's surrogate L_π(π̄) − J(π)).
  /// Source: Kakade & Langford, "Approximately Optimal Approximate Reinforcement Learning" (ICML 2002),
  /// Lemma 6.1; Schulman et al. (ICML 2015), eqs. (1)–(3).
  public func expectedAdvantage(
    of π̄: ProductPolicy, relativeTo old: MarkovGameEvaluation, statesFrom weighting: MarkovGameEvaluation
  ) -> Double {
    let joint = space.all
    var total = 0.0
    for s in 0..<stateCount {
      for (a, actions) in joint.enumerated() {
        total += weighting.visitation[s] * π̄.jointProbability(state: s, actions: actions) * (old.q[s][a] - old.values[s])
      }
    }
    return total
  }
}
