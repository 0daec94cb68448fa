import MARL

/// Exercise 1.3: the exact value of a deterministic joint policy.
///
/// The value of a joint policy π = ⟨π₁,…,πₙ⟩ is its expected total reward over the h decisions:
///
///     V(π) = E[ Σ_{t=0}^{h−1} R(s_t, a_t) | π, b⁰ ],   a_t = ⟨π₁(ō₁), …, πₙ(ōₙ)⟩,
///
/// where ōᵢ is agent i's own observation history at time t. The joint action is fixed by the joint
/// history ō = ⟨ō₁,…,ōₙ⟩, so propagate the joint probability of a state and a joint history forward:
///
///     Pr(s₀, ∅) = b⁰(s₀),
///     E[R(s_t, a_t)] = Σ_{s, ō} Pr(s_t = s, ō) R(s, a(ō)),
///     Pr(s_{t+1} = s′, ō·o) = 𝒪(o|a(ō),s′) Σₛ T(s′|s,a(ō)) Pr(s_t = s, ō),
///
/// where ō·o is ō extended by the joint observation o (each agent appends its own component oᵢ).
/// Exactly h rewards are collected, at t = 0…h−1; the reward is earned in the state *before* the
/// transition.
///
/// - Parameters:
///   - policy: π. `policy[i]` is agent i's `PolicyTree`: `policy[i].action(after: [o¹, …, oᵗ])` is its
///     action after observing o¹…oᵗ; or index `policy[i].actions` by history node, node 0 being the empty
///     history and `ObservationHistory.child(of:observation:observationCount:)` extending one.
///   - model: the Dec-POMDP: `horizon`, `initialBelief`, `stateCount`, `jointObservationCount`,
///     `transitionProbability(s, a, s′)`, `observationProbability(a, s′, o)`, `reward(s, a)`;
///     `jointAction(_:)` builds a joint action from the local ones and
///     `localObservation(of:inJointObservation:)` splits a joint observation.
/// - Returns: V(π).
///
/// Hint: a depth-first walk over joint histories, carrying the vector Pr(s, ō) over s, is short. Joint
/// histories of probability zero can be skipped. Dec-Tiger's "always listen" is worth exactly −2 per step.
public func evaluatePolicy(_ policy: JointPolicy, in model: DecPOMDP) throws -> Double {
  // BEGIN SOLUTION
  let agents = 0..<model.agentCount, states = 0..<model.stateCount
  // The expected reward collected from time t on, along the joint history whose agents sit at
  // `nodes` of their trees, where weight[s] = Pr(s_t = s, that history).
  func expectedReturn(nodes: [Int], weight: [Double], t: Int) -> Double {
    let a = model.jointAction(agents.map { i in policy[i].actions[nodes[i]] })
    var total = states.reduce(0.0) { sum, s in sum + weight[s] * model.reward(s, a) }
    guard t + 1 < model.horizon else { return total }
    let afterMove = states.map { next in
      states.reduce(0.0) { sum, s in sum + weight[s] * model.transitionProbability(s, a, next) }
    }
    for observed in 0..<model.jointObservationCount {
      let nextWeight = states.map { next in afterMove[next] * model.observationProbability(a, next, observed) }
      if nextWeight.allSatisfy({ $0 == 0 }) { continue }
      let nextNodes = agents.map { i in
        let own = model.localObservation(of: i, inJointObservation: observed)
        return ObservationHistory.child(of: nodes[i], observation: own, observationCount: policy[i].observationCount)
      }
      total += expectedReturn(nodes: nextNodes, weight: nextWeight, t: t + 1)
    }
    return total
  }
  return expectedReturn(nodes: agents.map { _ in 0 }, weight: model.initialBelief, t: 0)
  // END SOLUTION
}
