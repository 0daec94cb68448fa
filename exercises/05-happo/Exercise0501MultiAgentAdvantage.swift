import MARL

/// Exercise 5.1: the multi-agent advantage, by enumeration.
///
/// In one state s, the team's joint Q-values Q(s, a) are given for every joint action a, and every
/// agent i plays its own policy πⁱ. Once the agents j_{1:k} (`given`) have committed to their actions,
/// committing the agents i_{1:m} (`agents`) as well changes the team's expectation by
///
///     A^{i_{1:m}}(s, a^{j_{1:k}}, a^{i_{1:m}}) = Q^{j_{1:k}, i_{1:m}}(s, a^{j_{1:k}}, a^{i_{1:m}}) − Q^{j_{1:k}}(s, a^{j_{1:k}})
///
/// where Q^{S}(s, a^{S}) = Σ over the actions of the agents *not* in S of Π_{i ∉ S} πⁱ(aⁱ) · Q(s, a):
/// the committed agents' actions are fixed, and only the others are drawn from their policies (so
/// only *their* probabilities appear in the weight). With S empty this is V(s).
///
/// - Parameters:
///   - q: Q(s, a) for every joint action, flat, agent 0 the most significant digit: for action
///     counts (2, 3), entry a⁰·3 + a¹. Shape [Πᵢ |Aⁱ|].
///   - actionCounts: |Aⁱ| for each agent.
///   - policies: πⁱ(·), [n][|Aⁱ|].
///   - agents, actions: i_{1:m} and their actions a^{i_{1:m}} (same length).
///   - given, givenActions: j_{1:k} and their actions (same length; may be empty; disjoint from `agents`).
/// - Returns: A^{i_{1:m}}(s, a^{j_{1:k}}, a^{i_{1:m}}).
///
/// Hint: write a helper for Q^{S} that walks every joint action, skips those that disagree with a
/// committed action, and weights the rest by the free agents' probabilities. Kuba et al. (ICLR
/// 2022), Definition 1 and eq. (1). Sanity check: for Q = (1, 2, 3, 4) over two 2-action agents with
/// π⁰ = (½, ½) and π¹ = (¼, ¾), A¹ given a⁰ = 0, for a¹ = 1, is 0.25.
public func multiAgentAdvantage(
  q: [Double], actionCounts: [Int], policies: [[Double]], agents: [Int], actions: [Int], given: [Int], givenActions: [Int]
) throws -> Double {
  // BEGIN SOLUTION
  func committedValue(_ who: [Int], _ what: [Int]) -> Double {
    var choice = [Int: Int]()
    for (agent, action) in zip(who, what) { choice[agent] = action }
    var value = 0.0
    for index in q.indices {
      // Decode the joint action, last agent fastest.
      var digits = [Int](repeating: 0, count: actionCounts.count)
      var remainder = index
      for agent in actionCounts.indices.reversed() {
        digits[agent] = remainder % actionCounts[agent]
        remainder /= actionCounts[agent]
      }
      var probabilityOfOthers = 1.0
      var consistent = true
      for agent in actionCounts.indices {
        if let forced = choice[agent] {
          consistent = consistent && forced == digits[agent]
        } else {
          probabilityOfOthers *= policies[agent][digits[agent]]
        }
      }
      if consistent { value += probabilityOfOthers * q[index] }
    }
    return value
  }
  return committedValue(given + agents, givenActions + actions) - committedValue(given, givenActions)
  // END SOLUTION
}
