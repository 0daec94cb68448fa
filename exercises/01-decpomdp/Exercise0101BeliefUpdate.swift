import MARL

/// Exercise 1.1: the Bayesian belief update.
///
/// Whoever sees every agent's action and observation (a central planner; no single agent of a
/// Dec-POMDP does) can summarise the past by a belief b ∈ Δ(S), the probability of each state. After
/// the joint action a and the joint observation o, Bayes' rule gives the new belief
///
///     b′(s′) = 𝒪(o|a,s′) Σₛ T(s′|s,a) b(s) / Pr(o|b,a),
///     Pr(o|b,a) = Σ_{s′} 𝒪(o|a,s′) Σₛ T(s′|s,a) b(s).
///
/// First predict where the state went (the sum over s), then weigh each s′ by how likely it makes what
/// was observed, then normalise. The observation arrives *after* the action, so 𝒪 is evaluated at the
/// new state s′, not the old state s.
///
/// - Parameters:
///   - model: the Dec-POMDP. Read it with `model.stateCount`, `model.transitionProbability(s, a, s′)`
///     = T(s′|s,a) and `model.observationProbability(a, s′, o)` = 𝒪(o|a,s′).
///   - belief: b, shape [|S|], summing to 1.
///   - jointAction: a, a joint action index in 0..<model.jointActionCount.
///   - jointObservation: o, a joint observation index in 0..<model.jointObservationCount.
/// - Returns: b′, shape [|S|], summing to 1; all zeros when o cannot happen (Pr(o|b,a) = 0).
///
/// Hint: in Dec-Tiger, listening leaves the tiger where it is and each agent hears its side correctly
/// with probability 0.85, independently. From (½, ½), ⟨HearLeft, HearLeft⟩ should make "tiger left"
/// about 97% likely: the likelihoods are 0.85² against 0.15².
public func beliefUpdate(in model: DecPOMDP, belief: [Double], jointAction: Int, jointObservation: Int) throws -> [Double] {
  // BEGIN SOLUTION
  let states = 0..<model.stateCount
  // Weigh the predicted probability of every next state by the likelihood of what was observed there.
  let weighted = states.map { next in
    let arriving = states.reduce(0.0) { sum, s in sum + belief[s] * model.transitionProbability(s, jointAction, next) }
    return model.observationProbability(jointAction, next, jointObservation) * arriving
  }
  let evidence = weighted.reduce(0, +)  // Pr(o | b, a)
  guard evidence > 0 else { return Array(repeating: 0, count: model.stateCount) }
  return weighted.map { $0 / evidence }
  // END SOLUTION
}
