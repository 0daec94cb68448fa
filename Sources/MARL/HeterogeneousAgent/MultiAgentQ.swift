import Autodiff

/// The multi-agent state-action values at one state s, computed exactly by enumeration from the joint
/// Q-values Q_π(s, a) and the agents' policies πⁱ(·|s).
///
/// For an ordered set of agents i_{1:m} (the others are −i_{1:m}), Kuba et al. define
///
///     Q^{i_{1:m}}_π(s, a^{i_{1:m}}) = E_{a^{−i_{1:m}} ∼ π^{−i_{1:m}}}[ Q_π(s, a^{i_{1:m}}, a^{−i_{1:m}}) ]          (Def. 1)
///     A^{i_{1:m}}_π(s, a^{j_{1:k}}, a^{i_{1:m}}) = Q^{j_{1:k}, i_{1:m}}_π(s, a^{j_{1:k}}, a^{i_{1:m}}) − Q^{j_{1:k}}_π(s, a^{j_{1:k}})   (eq. 1)
///
/// Q^{i_{1:m}} is what the team expects when the agents i_{1:m} have committed to their actions and the
/// rest still draw theirs from π; A^{i_{1:m}} is what committing agents i_{1:m} *in addition to*
/// j_{1:k} changes. Two ends: Q^{∅} = V_π(s) (nobody committed) and Q^{1:n} = Q_π(s, a).
///
/// In a one-step game (a ``MatrixGame``) Q_π(a) = R(a); in a Markov game Q_π comes from exact policy
/// evaluation (``TabularMarkovGame/evaluate(_:)``).
///
/// - Complexity: each value costs O(|A| · n), a pass over every joint action.
/// Source: Kuba, Chen, Wen, Wen, Sun, Wang & Yang, "Trust Region Policy Optimisation in Multi-Agent
/// Reinforcement Learning" (ICLR 2022), §2.1, Definition 1 and eq. (1).
public struct MultiAgentQ: Sendable {
  /// The agents' joint actions.
  public let space: JointActionSpace
  /// Q_π(s, a) for every joint action a, in ``JointActionSpace`` order: [|A|].
  public let q: [Double]
  /// πⁱ(·|s) for every agent i: [n][|Aⁱ|], each a probability distribution.
  public let policies: [[Double]]

  /// The values of one state from its joint Q-values [|A|] and the agents' policies [n][|Aⁱ|].
  public init(actionCounts: [Int], q: [Double], policies: [[Double]]) {
    let space = JointActionSpace(actionCounts: actionCounts)
    ensure(q.count == space.count, "MultiAgentQ: q has \(q.count) entries, expected |A| = \(space.count) for \(actionCounts)")
    ensure(
      policies.map(\.count) == actionCounts,
      "MultiAgentQ: policies have sizes \(policies.map(\.count)), expected \(actionCounts)")
    ensure(
      policies.allSatisfy { p in p.allSatisfy { $0 >= 0 } && abs(p.reduce(0, +) - 1) < 1e-9 },
      "MultiAgentQ: every policy must be a probability distribution")
    self.space = space
    self.q = q
    self.policies = policies
  }

  /// n, the number of agents.
  public var agentCount: Int { space.agentCount }

  /// Q^{i_{1:m}}_π(s, a^{i_{1:m}}): the agents listed in `agents` play `actions` (same order), the
  /// others draw from their policies. With no agents this is V_π(s); with all of them, Q_π(s, a).
  public func q(agents: [Int], actions: [Int]) -> Double {
    ensure(agents.count == actions.count, "MultiAgentQ.q: \(agents.count) agents but \(actions.count) actions")
    ensure(
      Set(agents).count == agents.count && agents.allSatisfy { $0 >= 0 && $0 < agentCount },
      "MultiAgentQ.q: agents \(agents) must be distinct and in 0..<\(agentCount)")
    var fixed = [Int?](repeating: nil, count: agentCount)
    for (i, a) in zip(agents, actions) { fixed[i] = a }
    // snippet: multi-agent-q
    var total = 0.0
    for index in 0..<space.count {
      let a = space.actions(of: index)
      var weight = 1.0  // π^{−i_{1:m}}(a^{−i_{1:m}}): only the uncommitted agents are drawn
      for i in 0..<agentCount {
        if let committed = fixed[i] {
          if a[i] != committed { weight = 0; break }
        } else {
          weight *= policies[i][a[i]]
        }
      }
      total += weight * q[index]
    }
    return total
    // end snippet
  }

  /// V_π(s) = Q^{∅}_π(s) = Σ_a π(a|s) Q_π(s, a).
  public var value: Double { q(agents: [], actions: []) }

  /// A^{i_{1:m}}_π(s, a^{j_{1:k}}, a^{i_{1:m}}) = Q^{j_{1:k}, i_{1:m}} − Q^{j_{1:k}}: the change in expected
  /// value when `agents` commit to `actions` after `given` have committed to `givenActions`.
  public func advantage(agents: [Int], actions: [Int], given: [Int] = [], givenActions: [Int] = []) -> Double {
    ensure(Set(agents).isDisjoint(with: given), "MultiAgentQ.advantage: agents \(agents) and given \(given) must be disjoint")
    return q(agents: given + agents, actions: givenActions + actions) - q(agents: given, actions: givenActions)
  }

  /// The terms of Lemma 1 along the ordering `order` = i_{1:m}: for j = 1…m,
  ///
  ///     A^{i_j}_π(s, a^{i_{1:j−1}}, a^{i_j})
  ///
  /// each agent's advantage given the actions of the agents before it. `actions[j]` is agent order[j]'s action.
  public func sequentialAdvantages(order: [Int], actions: [Int]) -> [Double] {
    ensure(order.count == actions.count, "MultiAgentQ.sequentialAdvantages: \(order.count) agents but \(actions.count) actions")
    return order.indices.map { j in
      advantage(agents: [order[j]], actions: [actions[j]], given: Array(order[..<j]), givenActions: Array(actions[..<j]))
    }
  }

  /// The joint advantage A_π(s, a) = Q_π(s, a) − V_π(s), read from the table.
  public func jointAdvantage(_ actions: [Int]) -> Double { q[space.index(of: actions)] - value }

  /// A Monte-Carlo estimate of Q^{i_{1:m}}_π(s, a^{i_{1:m}}), an independent check of
  /// ``q(agents:actions:)``: fix the listed agents' actions, draw the others' from their policies,
  /// and average Q_π(s, a) over `samples` draws. Returns the mean and its standard error.
  public func monteCarloQ(agents: [Int], actions: [Int], samples: Int, using rng: inout RandomGenerator) -> (
    mean: Double, standardError: Double
  ) {
    ensure(
      agents.count == actions.count && samples >= 2, "MultiAgentQ.monteCarloQ: needs one action per agent and at least 2 samples")
    var sum = 0.0, sumOfSquares = 0.0
    var a = [Int](repeating: 0, count: agentCount)
    for _ in 0..<samples {
      for i in 0..<agentCount { a[i] = rng.categorical(policies[i]) }
      for (i, fixed) in zip(agents, actions) { a[i] = fixed }
      let x = q[space.index(of: a)]
      sum += x
      sumOfSquares += x * x
    }
    let mean = sum / Double(samples)
    let variance = max(0, (sumOfSquares - Double(samples) * mean * mean) / Double(samples - 1))
    return (mean, (variance / Double(samples)).squareRoot())
  }
}

extension MatrixGame {
  /// The multi-agent values of the game's one state when agent i plays `policies[i]`: a one-step game
  /// has Q_π(a) = R(a) whatever π (nothing follows the first action).
  public func multiAgentQ(policies: [[Double]]) -> MultiAgentQ {
    MultiAgentQ(actionCounts: actionCounts, q: payoff, policies: policies)
  }
}
