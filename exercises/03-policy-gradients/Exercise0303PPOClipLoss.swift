import Autodiff

/// Exercise 3.3: the PPO-clip policy loss.
///
/// Given, for N sampled actions, the log-probabilities under the policy being trained, log π_θ(aₙ|oₙ)
/// (differentiable), the log-probabilities recorded when the data was collected, log π_old(aₙ|oₙ),
/// and the advantages Âₙ, return the loss that gradient *descent* minimises:
///
///     L(θ) = −(1/N) Σₙ min( rₙ Âₙ, clip(rₙ, 1 − ε, 1 + ε) Âₙ ),   rₙ = exp(log π_θ − log π_old)
///
/// The old log-probabilities and the advantages are data: no gradient may flow into them (use
/// `.detached`), even when the caller computed them with the same network.
///
/// - Parameters: logProbabilities [N], oldLogProbabilities [N], advantages [N], epsilon ε.
/// - Returns: L, a scalar tensor, differentiable with respect to `logProbabilities`.
///
/// Hint: `Tensor.exp()`, `clamped(_:_:)`, the free function `minimum(_:_:)` and `mean()` are all you
/// need. Where the clip binds in the advantage's favour, your gradient should be exactly zero.
public func ppoClipPolicyLoss(logProbabilities: Tensor, oldLogProbabilities: Tensor, advantages: Tensor, epsilon: Double) throws
  -> Tensor
{
  // BEGIN SOLUTION
  let r = (logProbabilities - oldLogProbabilities.detached).exp()
  let weights = advantages.detached
  let pessimistic = minimum(r * weights, r.clamped(1 - epsilon, 1 + epsilon) * weights)
  return -pessimistic.mean()
  // END SOLUTION
}
