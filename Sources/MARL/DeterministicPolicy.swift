import Autodiff

/// A deterministic policy tree: one action per observation history of length 0…h−1,
/// π(ō) = a, stored flat as actions[node] with the numbering of `ObservationHistory`.
///
/// An agent's local policy πᵢ is a tree over its own observations Oᵢ with actions in Aᵢ; a centralised
/// policy is a tree over joint observations with joint actions. The tree has (kʰ − 1)/(k − 1) nodes for
/// k observations. Source: Oliehoek & Amato (2016), ch. 3 (policy trees); MADP manual §3.2.
public struct PolicyTree: Hashable, Sendable, CustomStringConvertible {
  /// k, the branching factor: the number of observations the policy conditions on.
  public let observationCount: Int
  /// h, the number of decisions along every path.
  public let horizon: Int
  /// actions[node] = π(ō) for the history ō numbered `node`, shape [(kʰ − 1)/(k − 1)].
  public var actions: [Int]

  /// A tree from its flat table of actions.
  public init(observationCount: Int, horizon: Int, actions: [Int]) {
    let nodes = ObservationHistory.nodeCount(observationCount: observationCount, horizon: horizon)
    ensure(
      actions.count == nodes,
      "PolicyTree: actions has shape [\(actions.count)], expected [(kʰ − 1)/(k − 1)] = [\(nodes)] for k = \(observationCount), h = \(horizon)"
    )
    self.observationCount = observationCount
    self.horizon = horizon
    self.actions = actions
  }

  /// The tree π(ō) = rule(ō), for a rule written on histories (o¹,…,oᵗ), t = 0…h−1.
  public init(observationCount: Int, horizon: Int, rule: ([Int]) -> Int) {
    let nodes = ObservationHistory.nodeCount(observationCount: observationCount, horizon: horizon)
    self.init(
      observationCount: observationCount, horizon: horizon,
      actions: (0..<nodes).map { rule(ObservationHistory.history(of: $0, observationCount: observationCount)) })
  }

  /// π(ō) for the history ō = (o¹,…,oᵗ).
  public func action(after history: [Int]) -> Int {
    actions[ObservationHistory.node(of: history, observationCount: observationCount)]
  }

  /// Steps to the next tree in odometer order (base `actionCount`, the last node the fastest digit).
  /// Returns false, leaving the all-zero tree, after the last one.
  mutating func advance(actionCount: Int) -> Bool {
    var node = actions.count - 1
    while node >= 0 && actions[node] == actionCount - 1 {
      actions[node] = 0
      node -= 1
    }
    guard node >= 0 else { return false }
    actions[node] += 1
    return true
  }

  /// "[0 | 0 0 | 1 0 0 2]": the actions level by level (t = 0, 1, …), with indices.
  public var description: String {
    var levels: [String] = []
    var start = 0, size = 1
    for _ in 0..<horizon {
      levels.append(actions[start..<start + size].map(String.init).joined(separator: " "))
      start += size
      size *= observationCount
    }
    return "[" + levels.joined(separator: " | ") + "]"
  }
}

/// A joint policy π = ⟨π₁,…,πₙ⟩: one local policy tree per agent. Source: Oliehoek & Amato (2016), ch. 3.
public struct JointPolicy: Hashable, Sendable, CustomStringConvertible {
  /// policies[i] = πᵢ, agent i's tree over its own observation histories.
  public var policies: [PolicyTree]

  /// ⟨π₁,…,πₙ⟩.
  public init(_ policies: [PolicyTree]) { self.policies = policies }

  /// πᵢ.
  public subscript(agent: Int) -> PolicyTree {
    get { policies[agent] }
    set { policies[agent] = newValue }
  }

  /// "⟨[…], […]⟩".
  public var description: String { "⟨" + policies.map(\.description).joined(separator: ", ") + "⟩" }
}

extension DecPOMDP {
  /// πᵢ(ōᵢ) = rule(ōᵢ): agent i's policy tree for this model's horizon from a rule on its histories.
  public func policy(of agent: Int, rule: ([Int]) -> Int) -> PolicyTree {
    let tree = PolicyTree(observationCount: observationCounts[agent], horizon: horizon, rule: rule)
    ensure(
      tree.actions.allSatisfy { $0 >= 0 && $0 < actionCounts[agent] },
      "DecPOMDP.policy: the rule chose an action outside 0..<|A_\(agent)| = \(actionCounts[agent])")
    return tree
  }

  /// ⟨π₁,…,πₙ⟩ with πᵢ(ōᵢ) = rule(i, ōᵢ).
  public func jointPolicy(rule: (_ agent: Int, _ history: [Int]) -> Int) -> JointPolicy {
    JointPolicy((0..<agentCount).map { i in policy(of: i) { rule(i, $0) } })
  }

  /// πᵢ(ōᵢ) ~ Uniform(Aᵢ) independently at every history: a random deterministic local policy.
  public func randomPolicy(of agent: Int, using rng: inout RandomGenerator) -> PolicyTree {
    let nodes = ObservationHistory.nodeCount(observationCount: observationCounts[agent], horizon: horizon)
    return PolicyTree(
      observationCount: observationCounts[agent], horizon: horizon,
      actions: (0..<nodes).map { _ in rng.integer(below: actionCounts[agent]) })
  }

  /// A random deterministic joint policy (each agent's tree from `randomPolicy`, agent 1 first).
  public func randomJointPolicy(using rng: inout RandomGenerator) -> JointPolicy {
    JointPolicy((0..<agentCount).map { randomPolicy(of: $0, using: &rng) })
  }

  /// Agent i's policy tree as indented lines "HearLeft, HearRight → OpenLeft", one per history.
  public func describe(_ policy: PolicyTree, of agent: Int) -> String {
    policy.actions.indices.map { node in
      let history = ObservationHistory.history(of: node, observationCount: policy.observationCount)
      let names = history.isEmpty ? "∅" : history.map { observationNames[agent][$0] }.joined(separator: ", ")
      return String(repeating: "  ", count: history.count) + names + " → " + actionNames[agent][policy.actions[node]]
    }.joined(separator: "\n")
  }

  func checkPolicy(_ policy: JointPolicy, _ caller: String) {
    ensure(
      policy.policies.count == agentCount,
      "\(caller): the joint policy has \(policy.policies.count) agents, the model \(agentCount)")
    for i in 0..<agentCount {
      ensure(
        policy[i].observationCount == observationCounts[i] && policy[i].horizon >= horizon,
        "\(caller): agent \(i)'s tree has k = \(policy[i].observationCount), h = \(policy[i].horizon); expected k = |O_\(i)| = \(observationCounts[i]), h ≥ \(horizon)"
      )
    }
  }
}
