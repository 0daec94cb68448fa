import Autodiff

/// Exercise 3.5: one-hot agent ids for a shared network.
///
/// A network shared by n agents reads a batch of B joint steps as B·n rows laid out agent-minor:
/// row b·n + i holds agent i's observation at step b. Append to every row the one-hot id of its
/// agent, e_i ∈ {0, 1}ⁿ, so that the network can tell the agents apart:
///
///     [o | e_i],   shape [B·n, d] → [B·n, d + n]
///
/// The observations come first, the id last. The result must stay differentiable with respect to the
/// observations (build it with tensor operations, not by copying scalars).
///
/// - Parameters: observations [B·n, d]; agentCount n (it divides the number of rows).
/// - Returns: [B·n, d + n].
///
/// Hint: `Tensor.oneHot(_:depth:)` builds the ids from a list of agent indices, and
/// `Tensor(concatenating:alongAxis:)` joins along the columns (axis 1).
public func appendAgentIDs(_ observations: Tensor, agentCount: Int) throws -> Tensor {
  // BEGIN SOLUTION
  let rowCount = observations.shape[0]
  let owners = (0..<rowCount).map { row in row % agentCount }
  let ids = Tensor.oneHot(owners, depth: agentCount)
  return Tensor(concatenating: [observations, ids], alongAxis: 1)
  // END SOLUTION
}
