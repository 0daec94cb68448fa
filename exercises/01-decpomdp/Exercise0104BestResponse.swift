import MARL

/// Exercise 1.4: one agent's best response, by enumeration.
///
/// Fix the policies π₋ᵢ of every agent but i. What is left is a single-agent problem for agent i, and
/// its best response is the local policy that maximises the value of the joint policy:
///
///     BRᵢ(π₋ᵢ) = argmax_{πᵢ} V(⟨πᵢ, π₋ᵢ⟩).
///
/// Agent i has |Aᵢ|^((|Oᵢ|ʰ − 1)/(|Oᵢ| − 1)) deterministic local policies (exercise 1.2): few enough, in
/// small problems, to try them all. Put each candidate in agent i's slot, evaluate the joint policy
/// exactly, and keep the best. (JESP alternates such best responses between the agents.)
///
/// - Parameters:
///   - agent: i, in 0..<model.agentCount. Only this agent's policy changes.
///   - policy: the joint policy whose other entries are π₋ᵢ; its entry for agent i is ignored.
///   - model: the Dec-POMDP.
/// - Returns: a best response πᵢ (any one of them when several tie) and its value V(⟨πᵢ, π₋ᵢ⟩).
///
/// Hint: `model.localPolicies(of: i)` lists every policy tree of agent i, `JointPolicy` has a settable
/// subscript per agent, and `model.evaluate(π).value` is V(π) (or use your answer to 1.3). A best
/// response is not greedy: in Dec-Tiger, listening costs now and pays later.
public func bestResponse(of agent: Int, to policy: JointPolicy, in model: DecPOMDP) throws -> (policy: PolicyTree, value: Double)
{
  // BEGIN SOLUTION
  var candidate = policy
  var best: (policy: PolicyTree, value: Double) = (policy[agent], -.infinity)
  for option in model.localPolicies(of: agent) {
    candidate[agent] = option
    let valueOfOption = model.evaluate(candidate).value
    if valueOfOption > best.value { best = (option, valueOfOption) }
  }
  return best
  // END SOLUTION
}
