import Autodiff
import Foundation  // log

extension MultiAgentQ {
  /// Agent i_m's surrogate at this state, given that the agents before it in the ordering have moved to
  /// new policies π̄^{i_{1:m−1}} and that i_m considers the policy π̂^{i_m}:
  ///
  ///     L^{i_{1:m}}_π(s; π̄^{i_{1:m−1}}, π̂^{i_m}) = E_{a^{i_{1:m−1}} ∼ π̄^{i_{1:m−1}}, a^{i_m} ∼ π̂^{i_m}}[ A^{i_m}_π(s, a^{i_{1:m−1}}, a^{i_m}) ]
  ///
  /// by enumerating a^{i_{1:m}} and computing each multi-agent advantage exactly. It is zero when
  /// π̂^{i_m} = π^{i_m} (eq. 6). The advantages are those of the *old* joint policy π.
  ///
  /// - Parameters:
  ///   - order: i_{1:m}, the agents up to and including the one being updated (the last entry).
  ///   - updated: π̄^{i_j}(·|s) for j = 1…m − 1, [m − 1][|A^{i_j}|].
  ///   - candidate: π̂^{i_m}(·|s), [|A^{i_m}|].
  /// Source: Kuba et al. (ICLR 2022), Definition 2 and eq. (6).
  public func sequentialSurrogate(order: [Int], updated: [[Double]], candidate: [Double]) -> Double {
    ensure(
      !order.isEmpty && updated.count == order.count - 1,
      "MultiAgentQ.sequentialSurrogate: order i_{1:m} \(order) needs m − 1 = \(order.count - 1) updated policies, got \(updated.count)"
    )
    let newPolicies = updated + [candidate]
    ensure(
      zip(order, newPolicies).allSatisfy { space.actionCounts[$0] == $1.count },
      "MultiAgentQ.sequentialSurrogate: policy sizes \(newPolicies.map(\.count)) do not match the agents \(order)")
    var total = 0.0
    for actions in space.assignments(to: order) {
      var weight = 1.0  // π̄^{i_{1:m−1}}(a^{i_{1:m−1}}) π̂^{i_m}(a^{i_m})
      for (j, a) in actions.enumerated() { weight *= newPolicies[j][a] }
      if weight == 0 { continue }
      let m = order.count - 1
      total +=
        weight
        * advantage(agents: [order[m]], actions: [actions[m]], given: Array(order[..<m]), givenActions: Array(actions[..<m]))
    }
    return total
  }

  /// The same surrogate written as an expectation over the *old* joint policy with the *joint*
  /// advantage, which is what a batch of samples can estimate (Proposition 3, eq. 9):
  ///
  ///     E_{a∼π}[ (π̂^{i_m}(a^{i_m}) / π^{i_m}(a^{i_m}) − 1) · (π̄^{i_{1:m−1}}(a^{i_{1:m−1}}) / π^{i_{1:m−1}}(a^{i_{1:m−1}})) · A_π(s, a) ]
  ///
  /// The second ratio times A_π is the factor M^{i_{1:m}}(s, a) of eq. (10). Parameters as for
  /// ``sequentialSurrogate(order:updated:candidate:)``; every π^{i_j}(a) must be positive.
  /// Source: Kuba et al. (ICLR 2022), Proposition 3, eqs. (9)–(10).
  public func importanceWeightedSurrogate(order: [Int], updated: [[Double]], candidate: [Double]) -> Double {
    ensure(
      !order.isEmpty && updated.count == order.count - 1,
      "MultiAgentQ.importanceWeightedSurrogate: order \(order) needs \(order.count - 1) updated policies, got \(updated.count)")
    let V = value
    let m = order.count - 1
    var total = 0.0
    for index in 0..<space.count {
      let a = space.actions(of: index)
      var probability = 1.0
      for i in 0..<agentCount { probability *= policies[i][a[i]] }
      var previousRatio = 1.0  // π̄^{i_{1:m−1}} / π^{i_{1:m−1}}
      for j in 0..<m { previousRatio *= updated[j][a[order[j]]] / policies[order[j]][a[order[j]]] }
      let ownRatio = candidate[a[order[m]]] / policies[order[m]][a[order[m]]]
      total += probability * (ownRatio - 1) * previousRatio * (q[index] - V)
    }
    return total
  }
}

/// KL(p ‖ q) = Σ_k p_k log(p_k / q_k) of two discrete distributions (terms with p_k = 0 contribute 0).
/// Shapes: p [K], q [K]. Source: Cover & Thomas, "Elements of Information Theory" (2006), eq. (2.26).
public func discreteKL(_ p: [Double], _ q: [Double]) -> Double {
  ensure(p.count == q.count, "discreteKL: distributions of sizes \(p.count) and \(q.count)")
  var total = 0.0
  for (pk, qk) in zip(p, q) where pk > 0 { total += pk * log(pk / qk) }
  return total
}
