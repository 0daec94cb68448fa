import Autodiff

/// The outcome of a JESP run: a Nash equilibrium in the space of deterministic joint policies.
public struct JESPResult: Sendable {
  /// π at convergence: no single agent can improve V by changing its own policy.
  public let policy: JointPolicy
  /// V(π).
  public let value: Double
  /// The number of rounds (passes over agents 1…n), counting the last one, which found no improvement.
  public let rounds: Int
}

extension DecPOMDP {
  /// Joint Equilibrium-based Search for Policies (Exhaustive-JESP): from a starting joint policy, replace
  /// agents' policies in turn by their exact best responses,
  ///
  ///     πᵢ ← BRᵢ(π₋ᵢ)  whenever  V(⟨BRᵢ(π₋ᵢ), π₋ᵢ⟩) > V(π),
  ///
  /// until a whole round of agents 1…n brings no improvement. V rises strictly at every change and there
  /// are finitely many policies, so it terminates, at a locally optimal (Nash) joint policy that need
  /// not be globally optimal.
  ///
  /// Source: Nair, Tambe, Yokoo, Pynadath & Marsella, "Taming decentralized POMDPs: towards efficient
  /// policy computation for multiagent settings" (IJCAI 2003), Exhaustive-JESP.
  public func jesp(from start: JointPolicy) -> JESPResult {
    var policy = start
    var value = evaluate(policy).value
    var rounds = 0
    var improved = true
    while improved {
      improved = false
      rounds += 1
      for i in 0..<agentCount {
        let response = bestResponse(of: i, to: policy)
        if response.value > value + 1e-9 * max(1, abs(value)) {
          policy[i] = response.policy
          value = response.value
          improved = true
        }
      }
    }
    return JESPResult(policy: policy, value: value, rounds: rounds)
  }

  /// JESP from a uniformly random deterministic joint policy drawn with `randomJointPolicy(using:)`.
  public func jesp(using rng: inout RandomGenerator) -> JESPResult {
    jesp(from: randomJointPolicy(using: &rng))
  }
}
