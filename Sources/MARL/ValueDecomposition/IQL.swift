import Autodiff

/// Independent Q-learning (IQL) seen as the trivial "mixer": no mixing at all. Every agent treats the
/// shared reward as its own and regresses its utility on it, as if the others were part of the
/// environment:
///
///     value_a = Q_a(τ_a, u_a),   trained on   y = r + γ maxᵤ′ Q̄_a(τ′_a, u′)
///
/// Shapes: utilities [B, n], states [B, S] (unused) → values [B, n] (K = n). No parameters.
///
/// Source: Tan, "Multi-agent reinforcement learning: independent vs. cooperative agents" (ICML 1993);
/// Claus & Boutilier (AAAI 1998) for independent learners in matrix games.
public struct IndependentMixer: Mixer {
  /// n.
  public let agentCount: Int
  /// K = n: one value per agent.
  public var valueCount: Int { agentCount }

  /// The identity "mixer" for n agents.
  public init(agentCount: Int) {
    ensure(agentCount >= 1, "IndependentMixer: needs at least one agent, got \(agentCount)")
    self.agentCount = agentCount
  }

  /// None: IQL has nothing to learn beyond the agents' utilities.
  public var parameters: [Tensor] {
    get { [] }
    set { ensure(newValue.isEmpty, "IndependentMixer.parameters: has none, got \(newValue.count) tensors") }
  }

  /// value_a = Q_a: utilities [B, n] → [B, n], unchanged.
  public func callAsFunction(_ utilities: Tensor, states: Tensor) -> Tensor {
    checkInputs(utilities, states, in: "IndependentMixer")
    return utilities
  }
}

extension MatrixGame {
  /// What an independent learner's utility converges to while its partners' policies stay fixed: the
  /// payoff of each of its actions averaged over what the others do,
  ///
  ///     Q_a(u_a) → E_{u₋ₐ ~ π₋ₐ}[ R(u_a, u₋ₐ) ] = Σ_{u₋ₐ} Π_{b≠a} π_b(u_b) · R(u_a, u₋ₐ).
  ///
  /// When the partners learn too, π₋ₐ moves and so does this target: the non-stationarity that each
  /// independent learner faces.
  ///
  /// - Parameters:
  ///   - agent: a, in 0..<n.
  ///   - policies: πᵦ(u_b) for every agent b, shape [n][|A_b|] (agent a's own entry is ignored).
  /// - Returns: the target for each of agent a's actions, shape [|A_a|].
  public func independentTarget(of agent: Int, partnerPolicies policies: [[Double]]) -> [Double] {
    ensure(agent >= 0 && agent < actionCounts.count, "independentTarget: agent \(agent) out of range 0..<\(actionCounts.count)")
    ensure(
      policies.count == actionCounts.count && zip(policies, actionCounts).allSatisfy { $0.count == $1 },
      "independentTarget: expected one policy per agent with shapes \(actionCounts), got \(policies.map(\.count))")
    var target = [Double](repeating: 0, count: actionCounts[agent])
    for (index, r) in payoff.enumerated() {
      let u = jointActionComponents(index)
      var probability = 1.0
      for b in actionCounts.indices where b != agent { probability *= policies[b][u[b]] }
      target[u[agent]] += probability * r
    }
    return target
  }

  /// Tabular independent Q-learning for one agent while its partners' policies stay fixed: the agent
  /// plays uniformly at random, and after each one-step episode moves the utility of the action it took
  /// toward the reward with step size 1/N(u_a),
  ///
  ///     Q_a(u_a) ← Q_a(u_a) + (r − Q_a(u_a)) / N(u_a),
  ///
  /// which keeps Q_a(u_a) equal to the mean reward seen after u_a: an unbiased estimate of
  /// ``independentTarget(of:partnerPolicies:)``.
  ///
  /// - Returns: Q_a for each action and its standard error s/√N, shape [|A_a|] each.
  public func sampledIndependentQ(
    of agent: Int, partnerPolicies policies: [[Double]], episodes: Int, rng: inout RandomGenerator
  ) -> (values: [Double], standardErrors: [Double]) {
    ensure(episodes >= 1, "sampledIndependentQ: needs at least one episode, got \(episodes)")
    _ = independentTarget(of: agent, partnerPolicies: policies)  // the same shape checks
    let k = actionCounts[agent]
    var q = [Double](repeating: 0, count: k), squares = [Double](repeating: 0, count: k),
      visits = [Double](repeating: 0, count: k)
    for _ in 0..<episodes {
      var u = policies.map { rng.categorical($0) }
      u[agent] = rng.integer(below: k)
      let r = payoff(u)
      visits[u[agent]] += 1
      q[u[agent]] += (r - q[u[agent]]) / visits[u[agent]]
      squares[u[agent]] += r * r
    }
    let errors = (0..<k).map { v -> Double in
      guard visits[v] > 1 else { return .infinity }
      let variance = (squares[v] - visits[v] * q[v] * q[v]) / (visits[v] - 1)
      return (max(variance, 0) / visits[v]).squareRoot()
    }
    return (q, errors)
  }
}
