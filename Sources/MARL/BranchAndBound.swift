extension DecPOMDP {
  /// The optimal deterministic joint policy by depth-first branch and bound over the policy trees of
  /// agents 1…n−1 (agent n always answers with its exact best response, as in `exhaustiveSearch`).
  ///
  /// The decisions πᵢ(ōᵢ) of agents 1…n−1 are fixed one history at a time, shortest histories first.
  /// A partial assignment is pruned when its upper bound cannot beat the best value found so far:
  ///
  ///     U(ō, β) = max_{a consistent with the fixed decisions at ō} [ Σₛ β(s) R(s,a) + Σ_o U(ōo, β′_{a,o}) ],
  ///
  /// the value of a relaxed problem in which every decision not yet fixed, and all of agent n's, may
  /// depend on the joint observation history ō. Every completion of the partial policies is feasible for
  /// the relaxation, so U is admissible (≥ the best completion) and the search is exact; with nothing
  /// fixed U is the centralised value of `centralisedSolution`. Actions are tried in order of decreasing
  /// bound; the search starts from `incumbent` if given (any joint policy: its value is a lower bound).
  ///
  /// Source: the bound is the POMDP heuristic of MAA* (Szer, Charpillet & Zilberstein, UAI 2005) applied
  /// to partially specified policies; the depth-first search with best responses at the leaves is ours.
  public func branchAndBoundSearch(incumbent: JointPolicy? = nil) -> SearchResult {
    var search = BranchAndBoundSearch(model: self)
    if let incumbent {
      checkPolicy(incumbent, "branchAndBoundSearch")
      search.best = (incumbent, evaluate(incumbent).value)
    }
    search.search(position: 0)
    return SearchResult(policy: search.best.policy, value: search.best.value, candidatesExamined: search.examined)
  }
}

/// The state of `branchAndBoundSearch`: the partial trees of agents 1…n−1 and the best policy so far.
struct BranchAndBoundSearch {
  let model: DecPOMDP
  /// assigned[i][node] = πᵢ(ōᵢ), or −1 while the decision is still free (agents 1…n−1).
  var assigned: [[Int]]
  /// The decisions in the order they are fixed: by history length, then agent, then node.
  let order: [(agent: Int, node: Int)]
  var best: (policy: JointPolicy, value: Double)
  var examined = 0

  init(model: DecPOMDP) {
    self.model = model
    let fixed = model.agentCount - 1
    assigned = (0..<fixed).map { [Int](repeating: -1, count: model.decisionNodeCount(of: $0)) }
    var order: [(agent: Int, node: Int)] = []
    for t in 0..<model.horizon {
      for i in 0..<fixed {
        let k = model.observationCounts[i]
        let first = ObservationHistory.nodeCount(observationCount: k, horizon: t)
        let last = ObservationHistory.nodeCount(observationCount: k, horizon: t + 1)
        order += (first..<last).map { (i, $0) }
      }
    }
    self.order = order
    best = (JointPolicy((0..<model.agentCount).map { model.zeroPolicy(of: $0) }), -.infinity)
  }

  /// Fixes decision `order[position]` to each action in turn, best bound first, pruning hopeless ones.
  mutating func search(position: Int) {
    if position == order.count {  // agents 1…n−1 complete: agent n best-responds
      let trees = assigned.enumerated().map {
        PolicyTree(observationCount: model.observationCounts[$0.offset], horizon: model.horizon, actions: $0.element)
      }
      let last = model.agentCount - 1
      let response = model.bestResponse(of: last, to: JointPolicy(trees + [model.zeroPolicy(of: last)]))
      examined += 1
      if response.value > best.value { best = (JointPolicy(trees + [response.policy]), response.value) }
      return
    }
    let (i, node) = order[position]
    var candidates: [(bound: Double, action: Int)] = []
    for a in 0..<model.actionCounts[i] {
      assigned[i][node] = a
      candidates.append((upperBound(), a))
    }
    candidates.sort { $0.bound > $1.bound || ($0.bound == $1.bound && $0.action < $1.action) }
    for (bound, a) in candidates {
      if bound <= best.value + 1e-9 * max(1, abs(best.value)) { break }
      assigned[i][node] = a
      search(position: position + 1)
    }
    assigned[i][node] = -1
  }

  /// U(∅, b⁰) for the current partial assignment.
  func upperBound() -> Double {
    let nodes = [Int](repeating: 0, count: assigned.count)
    return model.initialBelief.withUnsafeBufferPointer { beta in
      nodes.withUnsafeBufferPointer { relaxedValue(time: 0, beta: beta, nodes: $0) }
    }
  }

  /// U(ō, β): nodes[i] is agent i's history node (agents 1…n−1), β(s) = Pr(s, ō) unnormalised.
  /// (Scratch space on the stack: this runs millions of times in a search.)
  func relaxedValue(time t: Int, beta: UnsafeBufferPointer<Double>, nodes: UnsafeBufferPointer<Int>) -> Double {
    let S = model.stateCount, O = model.jointObservationCount, fixed = assigned.count
    var bestValue = -Double.infinity
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * S) { scratch in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: max(fixed, 1)) { childNodes in
        let predicted = UnsafeMutableBufferPointer(rebasing: scratch[0..<S])
        let childBeta = UnsafeMutableBufferPointer(rebasing: scratch[S..<2 * S])
        jointActions: for a in 0..<model.jointActionCount {
          for i in 0..<fixed {
            let decision = assigned[i][nodes[i]]
            if decision >= 0 && decision != model.localAction(of: i, inJointAction: a) { continue jointActions }
          }
          var total = 0.0
          for s in 0..<S { total += beta[s] * model.reward(s, a) }
          if t + 1 < model.horizon {
            for sNext in 0..<S {
              predicted[sNext] = 0
              for s in 0..<S { predicted[sNext] += beta[s] * model.transitionProbability(s, a, sNext) }
            }
            for o in 0..<O {
              var mass = 0.0
              for sNext in 0..<S {
                childBeta[sNext] = model.observationProbability(a, sNext, o) * predicted[sNext]
                mass += childBeta[sNext]
              }
              guard mass > 0 else { continue }
              for i in 0..<fixed {
                childNodes[i] = ObservationHistory.child(
                  of: nodes[i],
                  observation: model.localObservation(of: i, inJointObservation: o), observationCount: model.observationCounts[i])
              }
              total += relaxedValue(time: t + 1, beta: UnsafeBufferPointer(childBeta), nodes: UnsafeBufferPointer(childNodes))
            }
          }
          bestValue = max(bestValue, total)
        }
      }
    }
    return bestValue
  }
}
