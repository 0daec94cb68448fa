import Autodiff

extension DecPOMDP {
  /// The Bayesian belief update (a state estimator for whoever sees the joint action and joint observation):
  ///
  ///     b′(s′) = 𝒪(o|a,s′) Σₛ b(s) T(s′|s,a) / Pr(o|b,a),   Pr(o|b,a) = Σ_{s′} 𝒪(o|a,s′) Σₛ b(s) T(s′|s,a).
  ///
  /// Shapes: b and b′ are [|S|]. Returns b′ and Pr(o|b,a); when Pr(o|b,a) = 0 the observation is
  /// impossible and b′ is all zeros.
  ///
  /// Source: Kaelbling, Littman & Cassandra, "Planning and acting in partially observable stochastic
  /// domains" (AIJ 1998), the state estimator SE(b,a,o); Oliehoek & Amato (2016), ch. 2.
  public func beliefUpdate(_ b: [Double], jointAction a: Int, jointObservation o: Int)
    -> (belief: [Double], observationProbability: Double)
  {
    let S = stateCount
    ensure(b.count == S, "beliefUpdate: b has shape [\(b.count)], expected [|S|] = [\(S)]")
    // snippet: belief-update
    var bNext = [Double](repeating: 0, count: S)
    for sNext in 0..<S {
      var predicted = 0.0  // Σₛ b(s) T(s′|s,a)
      for s in 0..<S { predicted += b[s] * transitionProbability(s, a, sNext) }
      bNext[sNext] = observationProbability(a, sNext, o) * predicted
    }
    let probabilityOfO = bNext.reduce(0, +)  // Pr(o|b,a)
    if probabilityOfO > 0 {
      for sNext in 0..<S { bNext[sNext] /= probabilityOfO }
    }
    // end snippet
    return (bNext, probabilityOfO)
  }
}
