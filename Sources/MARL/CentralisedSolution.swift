extension DecPOMDP {
  /// The centralised (POMDP) relaxation: one controller sees the joint observation and picks the joint
  /// action, so a policy maps joint observation histories ō to joint actions. Its optimal value solves
  ///
  ///     V(ō, β) = max_a [ Σₛ β(s) R(s,a) + Σ_o V(ōo, β′_{a,o}) ],  β′_{a,o}(s′) = 𝒪(o|a,s′) Σₛ β(s) T(s′|s,a),
  ///
  /// with β(s) = Pr(s_t = s, ō) unnormalised and β = b⁰ at the root, by depth-first search over
  /// joint histories. Every decentralised policy is also a centralised one, so V*_centralised ≥ V*_Dec;
  /// the gap is the price of decentralisation. Cost Σ_{t<h} (|A||O|)ᵗ nodes (Dec-Tiger h = 4: 47 989).
  ///
  /// Returns the policy as a tree over joint observations (branching |O|) with joint actions, and its value.
  /// Source: Kaelbling, Littman & Cassandra (AIJ 1998) for the finite-horizon POMDP recursion; Oliehoek &
  /// Amato (2016) on the multi-agent POMDP as an upper bound of the Dec-POMDP.
  public func centralisedSolution() -> (policy: PolicyTree, value: Double) {
    let A = jointActionCount, O = jointObservationCount, S = stateCount
    var choice = [Int](repeating: 0, count: ObservationHistory.nodeCount(observationCount: A * O, horizon: horizon))

    func value(at u: Int, time t: Int, beta: [Double]) -> Double {
      var bestValue = -Double.infinity, bestAction = 0
      var predicted = [Double](repeating: 0, count: S), childBeta = [Double](repeating: 0, count: S)
      for a in 0..<A {
        var total = 0.0
        for s in 0..<S { total += beta[s] * reward(s, a) }
        if t + 1 < horizon {
          for sNext in 0..<S {
            predicted[sNext] = 0
            for s in 0..<S { predicted[sNext] += beta[s] * transitionProbability(s, a, sNext) }
          }
          for o in 0..<O {
            var mass = 0.0
            for sNext in 0..<S {
              childBeta[sNext] = observationProbability(a, sNext, o) * predicted[sNext]
              mass += childBeta[sNext]
            }
            if mass > 0 {
              total += value(
                at: ObservationHistory.child(of: u, observation: a * O + o, observationCount: A * O),
                time: t + 1, beta: childBeta)
            }
          }
        }
        if a == 0 || total > bestValue + 1e-12 * max(1, abs(bestValue)) {
          bestValue = total
          bestAction = a
        }
      }
      choice[u] = bestAction
      return bestValue
    }
    let optimalValue = value(at: 0, time: 0, beta: initialBelief)

    // Read the policy tree over joint observation histories off the recorded choices.
    var actions = [Int](repeating: 0, count: ObservationHistory.nodeCount(observationCount: O, horizon: horizon))
    func walk(_ u: Int, _ v: Int, _ t: Int) {
      actions[v] = choice[u]
      guard t + 1 < horizon else { return }
      for o in 0..<O {
        walk(
          ObservationHistory.child(of: u, observation: choice[u] * O + o, observationCount: A * O),
          ObservationHistory.child(of: v, observation: o, observationCount: O), t + 1)
      }
    }
    walk(0, 0, 0)
    return (PolicyTree(observationCount: O, horizon: horizon, actions: actions), optimalValue)
  }
}
