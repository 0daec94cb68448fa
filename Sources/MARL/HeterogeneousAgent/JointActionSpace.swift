import Autodiff

/// The joint actions of n agents, a = (a¹, …, aⁿ) with aⁱ ∈ {0, …, |Aⁱ| − 1}, numbered in mixed radix
/// with agent 1 the most significant digit (the layout of ``MatrixGame/payoff`` and of
/// ``DecPOMDP/jointAction(_:)``): index(a) = Σᵢ aⁱ Π_{j>i} |Aʲ|.
///
///     let space = JointActionSpace(actionCounts: [2, 3])
///     space.count                 // 6
///     space.actions(of: 4)        // [1, 1]
///     space.index(of: [1, 1])     // 4
///
/// Source: the usual mixed-radix numbering of a product set; Oliehoek & Amato, "A Concise Introduction
/// to Decentralized POMDPs" (2016), §2.4 (joint actions as tuples).
public struct JointActionSpace: Sendable, Equatable {
  /// |Aⁱ| for every agent i.
  public let actionCounts: [Int]
  /// |A| = Πᵢ |Aⁱ|.
  public let count: Int

  /// The joint actions of agents with the given numbers of actions (each at least 1).
  public init(actionCounts: [Int]) {
    ensure(
      !actionCounts.isEmpty && actionCounts.allSatisfy { $0 >= 1 },
      "JointActionSpace: actionCounts must be non-empty and positive, got \(actionCounts)")
    self.actionCounts = actionCounts
    count = actionCounts.reduce(1, *)
  }

  /// n, the number of agents.
  public var agentCount: Int { actionCounts.count }

  /// (a¹, …, aⁿ) of the joint action with the given index in 0..<count.
  public func actions(of index: Int) -> [Int] {
    ensure(index >= 0 && index < count, "JointActionSpace.actions: index \(index) out of 0..<\(count)")
    var actions = [Int](repeating: 0, count: agentCount)
    var rest = index
    for i in stride(from: agentCount - 1, through: 0, by: -1) {
      actions[i] = rest % actionCounts[i]
      rest /= actionCounts[i]
    }
    return actions
  }

  /// The index of the joint action (a¹, …, aⁿ).
  public func index(of actions: [Int]) -> Int {
    ensure(actions.count == agentCount, "JointActionSpace.index: expected \(agentCount) actions, got \(actions.count)")
    var index = 0
    for (a, k) in zip(actions, actionCounts) {
      ensure(a >= 0 && a < k, "JointActionSpace.index: action \(a) out of 0..<\(k) in \(actions)")
      index = index * k + a
    }
    return index
  }

  /// Every joint action, in index order: [[0, …, 0], [0, …, 1], …].
  public var all: [[Int]] { (0..<count).map(actions(of:)) }

  /// Every assignment of actions to the listed agents only, a^{i_{1:m}}, in mixed radix over the list
  /// (the first listed agent most significant). Shapes: agents [m] → [Π_j |A^{i_j}|][m].
  public func assignments(to agents: [Int]) -> [[Int]] {
    agents.reduce([[]]) { partial, agent in
      partial.flatMap { prefix in (0..<actionCounts[agent]).map { prefix + [$0] } }
    }
  }
}

/// Every ordering of 0..<n, in lexicographic order: n! arrays of length n (`[[0, 1], [1, 0]]` for n = 2).
///
/// Lemma 1 holds for every ordering i_{1:n} of the agents, and HAPPO draws one of them at random
/// at every iteration. Source: Kuba et al., "Trust Region Policy Optimisation in Multi-Agent
/// Reinforcement Learning" (ICLR 2022), §3.1 and Algorithm 1, line 5.
public func allOrderings(of n: Int) -> [[Int]] {
  ensure(n >= 0 && n <= 8, "allOrderings: n must be in 0…8 (n! orderings), got \(n)")
  guard n > 0 else { return [[]] }
  return allOrderings(of: n - 1).flatMap { shorter in
    (0...shorter.count).map { position in
      var longer = shorter
      longer.insert(n - 1, at: position)
      return longer
    }
  }.sorted { $0.lexicographicallyPrecedes($1) }
}

/// Every ordered subset i_{1:m} of distinct agents from 0..<n with 1 ≤ m ≤ n: Σ_m n!/(n − m)! lists.
/// These are all the agent sequences the multi-agent advantage A^{i_{1:m}} can be asked about.
public func allOrderedSubsets(of n: Int) -> [[Int]] {
  ensure(n >= 1 && n <= 8, "allOrderedSubsets: n must be in 1…8, got \(n)")
  var result: [[Int]] = []
  var frontier: [[Int]] = [[]]
  for _ in 1...n {
    frontier = frontier.flatMap { prefix in (0..<n).filter { !prefix.contains($0) }.map { prefix + [$0] } }
    result += frontier
  }
  return result
}

/// A uniformly random ordering of 0..<n (Fisher–Yates with our generator): the permutation i_{1:n}
/// that HATRPO and HAPPO draw at the start of every iteration (Kuba et al. 2022, Algorithms 2–3, line 8).
public func randomOrdering(of n: Int, using rng: inout RandomGenerator) -> [Int] {
  var order = Array(0..<n)
  for k in stride(from: n - 1, to: 0, by: -1) {
    order.swapAt(k, rng.integer(below: k + 1))
  }
  return order
}
