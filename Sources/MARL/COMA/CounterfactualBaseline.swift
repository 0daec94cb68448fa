import Autodiff

// COMA's answer to "how much of the team's reward is agent a's doing?": compare the joint action's
// value with what agent a would have earned on average, had it redrawn its own action from its own
// policy while every other agent kept theirs. The comparison needs Q for every action of agent a with
// the others fixed, the K numbers a COMA critic returns in one forward pass.

/// COMA's counterfactual baseline for one agent at one step:
///
///     bᵃ(s, u⁻ᵃ) = Σ_{u′ᵃ} πᵃ(u′ᵃ|τᵃ) Q(s, (u⁻ᵃ, u′ᵃ))
///
/// `qValues[k]` is Q(s, (u⁻ᵃ, k)), the value of the joint action in which agent a plays k and the
/// others play what they played; `policy[k]` is πᵃ(k|τᵃ), agent a's *own* policy. The baseline does
/// not depend on the action uᵃ that agent a actually took, which is why it adds no bias.
///
/// - Parameters: qValues [K], policy [K] (a distribution).
/// - Returns: bᵃ, a scalar.
///
/// Source: Foerster et al., "Counterfactual Multi-Agent Policy Gradients" (AAAI 2018), eq. (4).
public func counterfactualBaseline(qValues: [Double], policy: [Double]) -> Double {
  ensure(
    qValues.count == policy.count && !policy.isEmpty,
    "counterfactualBaseline: qValues [\(qValues.count)] and policy [\(policy.count)] must both be [K], K ≥ 1")
  var b = 0.0
  for k in policy.indices { b += policy[k] * qValues[k] }
  return b
}

/// COMA's counterfactual advantage of the action agent a took:
///
///     Aᵃ(s, u) = Q(s, u) − Σ_{u′ᵃ} πᵃ(u′ᵃ|τᵃ) Q(s, (u⁻ᵃ, u′ᵃ))
///
/// with Q(s, u) = `qValues[action]` (the taken action uᵃ with the others' actions u⁻ᵃ).
///
/// - Parameters: qValues [K], policy [K], action uᵃ ∈ 0..<K.
/// - Returns: Aᵃ(s, u). Its expectation over uᵃ ∼ πᵃ is zero.
///
/// Source: Foerster et al. (AAAI 2018), eq. (4).
public func counterfactualAdvantage(qValues: [Double], policy: [Double], action: Int) -> Double {
  ensure(action >= 0 && action < qValues.count, "counterfactualAdvantage: action \(action) outside 0..<\(qValues.count)")
  return qValues[action] - counterfactualBaseline(qValues: qValues, policy: policy)
}

/// The counterfactual advantages of a whole batch at once, one row per (step, agent):
///
///     Aₙ = Qₙ[uₙ] − Σ_k πₙ[k] Qₙ[k]
///
/// Row n holds agent a's critic output Qₙ = Q(s, (u⁻ᵃ, ·)) [K] and *that same agent's* policy πₙ [K].
/// The result is detached: the advantage weighs the actor's score ∇ log π and must not send gradients
/// into the critic (or into π through the baseline).
///
/// - Parameters: qValues [N, K], policies [N, K], actions [N].
/// - Returns: A [N], a constant tensor.
///
/// Source: Foerster et al. (AAAI 2018), eq. (4); pymarl `coma_learner.py` (baseline (π·Q).sum(−1), detached).
public func counterfactualAdvantages(qValues: Tensor, policies: Tensor, actions: [Int]) -> Tensor {
  ensure(
    qValues.rank == 2 && policies.shape == qValues.shape && actions.count == qValues.shape[0],
    "counterfactualAdvantages: expects Q [N, K], π [N, K], u [N], got \(qValues.shape), \(policies.shape), [\(actions.count)]")
  // snippet: coma-advantage
  let q = qValues.detached, π = policies.detached
  let baseline = (π * q).sum(alongAxes: [1])  // bᵃ = Σ_u′ πᵃ(u′) Q(s, (u⁻ᵃ, u′)), [N]
  return q.gathering(actions) - baseline  // Aᵃ = Q(s, u) − bᵃ
  // end snippet
}

// MARK: - Exact counterfactuals in a matrix game

extension MatrixGame {
  /// What a perfect COMA critic returns for agent a: R(u⁻ᵃ, k) for every action k of agent a, the
  /// others' actions held at u⁻ᵃ. (In a matrix game Q(s, u) = R(u).) Shape [|Aᵃ|].
  public func counterfactualPayoffs(of agent: Int, jointAction u: [Int]) -> [Double] {
    ensure(agent >= 0 && agent < actionCounts.count, "counterfactualPayoffs: agent \(agent) outside 0..<\(actionCounts.count)")
    var v = u
    return (0..<actionCounts[agent]).map { k in
      v[agent] = k
      return payoff(v)
    }
  }

  /// Aᵃ(u) = R(u) − Σ_k πᵃ(k) R(u⁻ᵃ, k), COMA's advantage with the exact Q of a matrix game.
  /// `policy` is πᵃ [|Aᵃ|]. Source: Foerster et al. (AAAI 2018), eq. (4).
  public func counterfactualAdvantage(of agent: Int, jointAction u: [Int], policy: [Double]) -> Double {
    MARL.counterfactualAdvantage(qValues: counterfactualPayoffs(of: agent, jointAction: u), policy: policy, action: u[agent])
  }
}
