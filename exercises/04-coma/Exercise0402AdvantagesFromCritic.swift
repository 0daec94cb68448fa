import Autodiff

/// Exercise 4.2: every agent's counterfactual advantage from one pass of the critic.
///
/// A COMA critic returns, for each row n (one agent a at one step), the K values
/// Qₙ[k] = Q(s, (u⁻ᵃ, k)) of agent a playing k while the others keep their actions. With that agent's
/// *own* policy πₙ = πᵃ(·|τᵃ) in the same row, the advantage of the action uₙ it actually took is
///
///     Aₙ = Qₙ[uₙ] − Σ_k πₙ[k] Qₙ[k]
///
/// The advantage only *weighs* the actor's score ∇ log π in the loss −Σ Aₙ log πₙ(uₙ); no gradient
/// may flow back through it into the critic or the policy, so the result must be a constant tensor
/// even when `qValues` and `policies` are differentiable.
///
/// - Parameters:
///   - qValues: Q, shape [N, K] (possibly requiring gradients).
///   - policies: π, shape [N, K], each row a distribution (possibly requiring gradients).
///   - actions: uₙ, [N].
/// - Returns: A, shape [N], not requiring gradients.
///
/// Hint: `detached`, `gathering(_:)` and `sum(alongAxes:)` do it in three lines; so does a loop over rows.
public func comaAdvantages(qValues: Tensor, policies: Tensor, actions: [Int]) throws -> Tensor {
  // BEGIN SOLUTION
  let table = qValues.detached
  let weightedByOwnPolicy = (policies.detached * table).sum(alongAxes: [1])
  let valueOfWhatWasPlayed = table.gathering(actions)
  return valueOfWhatWasPlayed - weightedByOwnPolicy
  // END SOLUTION
}
