/// Exercise 4.3: the input rows of COMA's critic.
///
/// One critic network serves all n agents and returns K values per row, one per action of the row's
/// agent. For that to work, agent a's row must *not* contain agent a's own action. For B steps, build
/// n rows per step (agent-minor: row b·n + a is agent a at step b), each the concatenation of
///
///     1. s_b, the state                                     (S numbers)
///     2. oᵃ_b, agent a's observation                         (d numbers)
///     3. the joint action as n one-hot blocks of length K,   (n·K numbers)
///        with agent a's own block all zeros
///     4. the previous joint action as n one-hot blocks       (n·K numbers)
///        (a block of zeros where the previous action is −1: the first step of an episode)
///     5. the one-hot id of agent a                           (n numbers)
///
/// - Parameters:
///   - states: s_b, [B][S].
///   - observations: oᵃ_b, [B][n][d].
///   - jointActions: uᵃ_b ∈ 0..<K, [B][n].
///   - previousJointActions: uᵃ_{b−1} ∈ −1..<K, [B][n].
///   - actionCount: K.
/// - Returns: B·n rows of length S + d + 2nK + n.
///
/// Hint: with n = 2, K = 3, agent 0's step-b block 3 is [0, 0, 0, e(u¹_b)]; agent 1's is [e(u⁰_b), 0, 0, 0].
public func comaCriticInputs(
  states: [[Double]], observations: [[[Double]]], jointActions: [[Int]], previousJointActions: [[Int]], actionCount K: Int
) throws -> [[Double]] {
  // BEGIN SOLUTION
  func oneHot(_ index: Int) -> [Double] { (0..<K).map { $0 == index ? 1.0 : 0.0 } }
  var result: [[Double]] = []
  for step in states.indices {
    let agents = jointActions[step].count
    for me in 0..<agents {
      var features = states[step] + observations[step][me]
      for teammate in 0..<agents {
        features += teammate == me ? [Double](repeating: 0, count: K) : oneHot(jointActions[step][teammate])
      }
      for teammate in 0..<agents { features += oneHot(previousJointActions[step][teammate]) }
      features += (0..<agents).map { $0 == me ? 1.0 : 0.0 }
      result.append(features)
    }
  }
  return result
  // END SOLUTION
}
