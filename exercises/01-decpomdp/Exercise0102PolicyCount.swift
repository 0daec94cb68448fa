import Foundation

/// Exercise 1.2: how many deterministic joint policies are there?
///
/// A deterministic local policy πᵢ chooses an action for every observation history of agent i of
/// length 0…h−1: the nodes of its policy tree. There are
///
///     Σ_{t=0}^{h−1} |Oᵢ|ᵗ = (|Oᵢ|ʰ − 1)/(|Oᵢ| − 1)   histories (h of them when |Oᵢ| = 1),
///
/// each may take any of |Aᵢ| actions, and a joint policy picks one local policy per agent, so
///
///     |Π| = Πᵢ |Aᵢ|^((|Oᵢ|ʰ − 1)/(|Oᵢ| − 1)).
///
/// This grows doubly exponentially in h: for Dec-Tiger it leaves Double's range (about 10³⁰⁸) at h = 9.
/// So return its base-10 logarithm,
///
///     log₁₀|Π| = Σᵢ nodesᵢ · log₁₀|Aᵢ|.
///
/// - Parameters:
///   - actionCounts: |Aᵢ| ≥ 1 for each agent.
///   - observationCounts: |Oᵢ| ≥ 1 for each agent, in the same order.
///   - horizon: h ≥ 1, the number of decisions.
/// - Returns: log₁₀ of the number of deterministic joint policies.
///
/// Hint: Dec-Tiger (two agents, |Aᵢ| = 3, |Oᵢ| = 2) at h = 2 has 3³ · 3³ = 729 joint policies: a tree
/// decides once at t = 0 and once after each of the two observations. Never form |Aᵢ|^nodes itself,
/// and mind the division by |Oᵢ| − 1.
public func log10JointPolicyCount(actionCounts: [Int], observationCounts: [Int], horizon: Int) throws -> Double {
  // BEGIN SOLUTION
  var logCount = 0.0
  for (choices, branching) in zip(actionCounts, observationCounts) {
    // 1 + k + k² + … + k^(h−1) decision nodes, summed in floating point so that large h cannot overflow.
    var decisionNodes = 0.0, widthOfLevel = 1.0
    for _ in 0..<horizon {
      decisionNodes += widthOfLevel
      widthOfLevel *= Double(branching)
    }
    logCount += decisionNodes * log10(Double(choices))
  }
  return logCount
  // END SOLUTION
}
