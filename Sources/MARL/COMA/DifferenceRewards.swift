import Autodiff

// Credit assignment with a shared reward. Every agent receives the same r(s, u), so an agent whose
// action was excellent is punished when a teammate blunders, and the learning signal each agent gets
// about its *own* choice is buried under the others' noise. Difference rewards subtract what the
// team would have earned had agent a done something else: what is left is agent a's contribution.

extension MatrixGame {
  /// The difference reward of agent a with a fixed default action cᵃ:
  ///
  ///     Dᵃ(u) = R(u) − R(u⁻ᵃ, cᵃ)
  ///
  /// The subtracted term does not depend on uᵃ, so maximising Dᵃ over uᵃ is maximising R; but it
  /// removes every effect of the other agents that does not interact with uᵃ. Each evaluation needs
  /// one extra call of the reward function per agent, with a joint action that never happened.
  ///
  /// - Parameters: agent a, the joint action u [n], the default action cᵃ.
  /// - Returns: Dᵃ(u).
  ///
  /// Source: Wolpert & Tumer, "Optimal payoff functions for members of collectives" (Advances in
  /// Complex Systems 2001), the wonderful life utility; Foerster et al. (AAAI 2018), §4.
  public func differenceReward(of agent: Int, jointAction u: [Int], defaultAction c: Int) -> Double {
    ensure(
      agent >= 0 && agent < actionCounts.count && c >= 0 && c < actionCounts[agent],
      "differenceReward: agent \(agent) or default action \(c) out of range for action counts \(actionCounts)")
    // snippet: difference-reward
    var counterfactual = u
    counterfactual[agent] = c  // only agent a's action changes
    return payoff(u) - payoff(counterfactual)
    // end snippet
  }

  /// The aristocrat utility: the difference reward with the default action replaced by its
  /// expectation under agent a's own policy,
  ///
  ///     AUᵃ(u) = R(u) − Σ_k πᵃ(k) R(u⁻ᵃ, k) = E_{cᵃ∼πᵃ}[Dᵃ(u; cᵃ)]
  ///
  /// It has the same form as COMA's advantage with Q = R (the one-step case). `policy` is πᵃ [|Aᵃ|].
  ///
  /// Source: Wolpert & Tumer (2001), the aristocrat utility; Foerster et al. (AAAI 2018), §4.
  public func aristocratUtility(of agent: Int, jointAction u: [Int], policy: [Double]) -> Double {
    ensure(
      policy.count == actionCounts[agent],
      "aristocratUtility: policy has \(policy.count) entries, agent \(agent) has \(actionCounts[agent]) actions")
    var total = 0.0
    for c in policy.indices { total += policy[c] * differenceReward(of: agent, jointAction: u, defaultAction: c) }
    return total
  }
}
