import Autodiff

extension DecPOMDP {
  /// The exact best response of agent i to the fixed policies π₋ᵢ of the others:
  ///
  ///     BRᵢ(π₋ᵢ) = argmax_{πᵢ} V(⟨πᵢ, π₋ᵢ⟩),
  ///
  /// by depth-first search over agent i's own history tree. A node ōᵢ carries the unnormalised joint
  /// distribution β(s, ō₋ᵢ) = Pr(s_t = s, ō₋ᵢ, ōᵢ) over states and the others' histories, and
  ///
  ///     V(ōᵢ, β) = max_{aᵢ} [ Σ_{s,ō₋ᵢ} β(s,ō₋ᵢ) R(s, ⟨aᵢ, π₋ᵢ(ō₋ᵢ)⟩) + Σ_{oᵢ} V(ōᵢoᵢ, β′_{aᵢ,oᵢ}) ],
  ///     β′_{aᵢ,oᵢ}(s′, ō₋ᵢo₋ᵢ) = Σ_s β(s,ō₋ᵢ) T(s′|s,a) 𝒪(⟨oᵢ,o₋ᵢ⟩|a,s′),  a = ⟨aᵢ, π₋ᵢ(ō₋ᵢ)⟩.
  ///
  /// The children's β′ depend on the action chosen, so the search recurses once per action: its cost is
  /// Σ_{t<h} (|Aᵢ||Oᵢ|)ᵗ nodes. Ties go to the lowest action index. Agent i's entry in `policy` is ignored.
  /// Returns BRᵢ and V(⟨BRᵢ, π₋ᵢ⟩).
  ///
  /// Source: Nair, Tambe, Yokoo, Pynadath & Marsella, "Taming decentralized POMDPs" (IJCAI 2003)
  /// (the best response of one agent to the others' fixed policies is a POMDP over (s, ō₋ᵢ)).
  public func bestResponse(of agent: Int, to policy: JointPolicy) -> (policy: PolicyTree, value: Double) {
    checkPolicy(policy, "bestResponse")
    ensure(agent >= 0 && agent < agentCount, "bestResponse: agent \(agent) out of range 0..<\(agentCount)")
    var search = BestResponseSearch(model: self, agent: agent, trees: policy.policies.map(\.actions))
    let value = search.value(at: 0, time: 0, beta: initialBelief, nodes: [Int](repeating: 0, count: agentCount))
    return (search.extractPolicy(), value)
  }
}

/// The depth-first search behind `bestResponse`. The action chosen at every action–observation
/// history (aᵢ⁰, oᵢ¹, …) is recorded in `choice`, numbered like `ObservationHistory` with branching
/// |Aᵢ||Oᵢ|, so exploring one action never overwrites the subtree chosen under another.
struct BestResponseSearch {
  let model: DecPOMDP
  let agent: Int
  let trees: [[Int]]
  var choice: [Int]

  init(model: DecPOMDP, agent: Int, trees: [[Int]]) {
    self.model = model
    self.agent = agent
    self.trees = trees
    let branching = model.actionCounts[agent] * model.observationCounts[agent]
    choice = [Int](repeating: 0, count: ObservationHistory.nodeCount(observationCount: branching, horizon: model.horizon))
  }

  /// V(ōᵢ, β) for the action–observation history numbered u at time t. beta[k·|S| + s] = β(s, ō₋ᵢ of entry k),
  /// nodes[k·n + j] = agent j's history node in entry k (agent i's slot unused).
  mutating func value(at u: Int, time t: Int, beta: [Double], nodes: [Int]) -> Double {
    let S = model.stateCount, n = model.agentCount, i = agent
    let Ai = model.actionCounts[i], Oi = model.observationCounts[i]
    let entries = beta.count / S
    let isLast = t + 1 == model.horizon
    // The others' part of the joint action, Σ_{j≠i} πⱼ(ōⱼ)·place(j), for every entry.
    var othersAction = [Int](repeating: 0, count: entries)
    for k in 0..<entries {
      for j in 0..<n where j != i { othersAction[k] += trees[j][nodes[k * n + j]] * model.actionPlaceValues[j] }
    }
    var predicted = [Double](repeating: 0, count: S)
    var bestValue = -Double.infinity, bestAction = 0
    for ai in 0..<Ai {
      var value = 0.0
      var childBeta = [[Double]](repeating: [], count: Oi)
      var childNodes = [[Int]](repeating: [], count: Oi)
      for k in 0..<entries {
        let a = othersAction[k] + ai * model.actionPlaceValues[i]
        for s in 0..<S { value += beta[k * S + s] * model.reward(s, a) }  // immediate expected reward
        if isLast { continue }
        for sNext in 0..<S {
          predicted[sNext] = 0
          for s in 0..<S { predicted[sNext] += beta[k * S + s] * model.transitionProbability(s, a, sNext) }
        }
        for o in 0..<model.jointObservationCount {  // β′_{aᵢ,oᵢ}(s′, ō₋ᵢo₋ᵢ)
          let oi = model.localObservation(of: i, inJointObservation: o)
          var mass = 0.0
          for sNext in 0..<S {
            let p = model.observationProbability(a, sNext, o) * predicted[sNext]
            childBeta[oi].append(p)
            mass += p
          }
          if mass == 0 {
            childBeta[oi].removeLast(S)
            continue
          }
          for j in 0..<n {
            childNodes[oi].append(
              j == i
                ? 0
                : ObservationHistory.child(
                  of: nodes[k * n + j], observation: model.localObservation(of: j, inJointObservation: o),
                  observationCount: model.observationCounts[j]))
          }
        }
      }
      // snippet: best-response
      if !isLast {
        for oi in 0..<Oi {
          let child = ObservationHistory.child(of: u, observation: ai * Oi + oi, observationCount: Ai * Oi)
          value += self.value(at: child, time: t + 1, beta: childBeta[oi], nodes: childNodes[oi])
        }
      }
      if ai == 0 || value > bestValue + 1e-12 * max(1, abs(bestValue)) {  // ties → the lowest action
        bestValue = value
        bestAction = ai
      }
    }
    // end snippet
    choice[u] = bestAction
    return bestValue
  }

  /// Reads agent i's policy tree off `choice`, following the chosen action at every history.
  func extractPolicy() -> PolicyTree {
    let Ai = model.actionCounts[agent], Oi = model.observationCounts[agent]
    var actions = [Int](repeating: 0, count: ObservationHistory.nodeCount(observationCount: Oi, horizon: model.horizon))
    func walk(_ u: Int, _ v: Int, _ t: Int) {
      actions[v] = choice[u]
      guard t + 1 < model.horizon else { return }
      for oi in 0..<Oi {
        walk(
          ObservationHistory.child(of: u, observation: choice[u] * Oi + oi, observationCount: Ai * Oi),
          ObservationHistory.child(of: v, observation: oi, observationCount: Oi), t + 1)
      }
    }
    walk(0, 0, 0)
    return PolicyTree(observationCount: Oi, horizon: model.horizon, actions: actions)
  }
}
