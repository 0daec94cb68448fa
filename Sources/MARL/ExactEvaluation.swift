/// The exact value of a joint policy and its decomposition over time steps.
public struct PolicyEvaluation: Sendable {
  /// V(π) = Σ_{t=0}^{h−1} E[R(s_t, a_t) | π, b⁰].
  public let value: Double
  /// expectedRewards[t] = E[R(s_t, a_t) | π, b⁰], shape [h].
  public let expectedRewards: [Double]
}

extension DecPOMDP {
  /// Evaluates a deterministic joint policy exactly:
  ///
  ///     V(π) = E[ Σ_{t=0}^{h−1} R(s_t, a_t) | π, b⁰ ],
  ///
  /// by propagating Pr(s_t, ō_t), the probability of every state and joint observation history, forward:
  /// Pr(s₀, ∅) = b⁰(s₀); a_t = ⟨π₁(ō₁),…,πₙ(ōₙ)⟩; E[R_t] = Σ Pr(s_t, ō_t) R(s_t, a_t);
  /// Pr(s_{t+1}, ō_t o) = 𝒪(o|a_t,s_{t+1}) Σ_{s_t} T(s_{t+1}|s_t,a_t) Pr(s_t, ō_t).
  /// Histories of probability zero are dropped. Cost O(h · |O|^{h−1} · |S|² · |O|).
  ///
  /// Source: Oliehoek & Amato (2016), ch. 3 (the value of a joint policy), computed forward.
  public func evaluate(_ policy: JointPolicy) -> PolicyEvaluation {
    checkPolicy(policy, "evaluate")
    let S = stateCount, n = agentCount, O = jointObservationCount
    let trees = policy.policies.map(\.actions)
    // One entry k per joint observation history: probabilities[k·|S| + s] = Pr(s_t = s, ō_t),
    // nodes[k·n + i] = agent i's history node.
    var probabilities = initialBelief
    var nodes = [Int](repeating: 0, count: n)
    var expectedRewards: [Double] = []
    var predicted = [Double](repeating: 0, count: S)
    // snippet: evaluate-joint-policy
    for t in 0..<horizon {
      var expectedReward = 0.0
      var nextProbabilities: [Double] = [], nextNodes: [Int] = []
      for k in 0..<probabilities.count / S {
        var a = 0  // a_t = ⟨π₁(ō₁),…,πₙ(ōₙ)⟩
        for i in 0..<n { a += trees[i][nodes[k * n + i]] * actionPlaceValues[i] }
        for s in 0..<S { expectedReward += probabilities[k * S + s] * reward(s, a) }
        guard t + 1 < horizon else { continue }
        for sNext in 0..<S {  // Σₛ T(s′|s,a) Pr(s, ō)
          predicted[sNext] = 0
          for s in 0..<S { predicted[sNext] += probabilities[k * S + s] * transitionProbability(s, a, sNext) }
        }
        for o in 0..<O {  // Pr(s′, ō o) = 𝒪(o|a,s′) · predicted(s′)
          var mass = 0.0
          for sNext in 0..<S {
            let p = observationProbability(a, sNext, o) * predicted[sNext]
            nextProbabilities.append(p)
            mass += p
          }
          if mass == 0 {
            nextProbabilities.removeLast(S)
            continue
          }
          for i in 0..<n {
            nextNodes.append(
              ObservationHistory.child(
                of: nodes[k * n + i], observation: localObservation(of: i, inJointObservation: o),
                observationCount: observationCounts[i]))
          }
        }
      }
      expectedRewards.append(expectedReward)
      probabilities = nextProbabilities
      nodes = nextNodes
    }
    // end snippet
    return PolicyEvaluation(value: expectedRewards.reduce(0, +), expectedRewards: expectedRewards)
  }
}
