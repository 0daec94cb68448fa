import Autodiff

/// Exercise 5.3: the HAPPO loss of one agent.
///
/// Agent i_m maximises the PPO-clip objective with M = factor · Â in place of the advantage, so the
/// loss to *minimise* is
///
///     L(θ) = −(1/B) Σ_b min( r_b M_b, clip(r_b, 1 − ε, 1 + ε) M_b ),   r_b = exp(log π_θ(a_b|o_b) − log π_old(a_b|o_b)),
///     M_b = factor_b · Â_b
///
/// Three rules make it HAPPO's and not a near miss:
/// - only the agent's own ratio r is clipped: the factor (the earlier agents' ratios) is *not*;
/// - no gradient may flow into the factor, the advantages or the old log-probabilities: they are data
///   (use `.detached`);
/// - the minimum is taken *per sample*, before the mean.
///
/// - Parameters:
///   - logProbabilities: log π_θ(a_b|o_b), [B], differentiable in θ.
///   - oldLogProbabilities: log π_old(a_b|o_b), [B].
///   - factor: the product of earlier agents' ratios, [B] (positive). It may arrive with a gradient
///     graph attached; your loss must not send gradient into it.
///   - advantages: Â_b, [B].
///   - epsilon: ε.
/// - Returns: L, a scalar tensor.
///
/// Hint: `Tensor` has `exp()`, `clamped(_:_:)`, `minimum(_:_:)`, `mean()` and `detached`. Kuba et
/// al. (ICLR 2022), eq. (11) and Algorithm 3, line 11. Sanity check: one sample with log-ratio
/// log 1.5, factor 2 and Â = 1, ε = 0.2, gives L = −min(3, 2.4) = −2.4.
public func happoLoss(logProbabilities: Tensor, oldLogProbabilities: Tensor, factor: Tensor, advantages: Tensor, epsilon: Double)
  throws -> Tensor
{
  // BEGIN SOLUTION
  let weightOfSample = factor.detached * advantages.detached
  let ownRatio = (logProbabilities - oldLogProbabilities.detached).exp()
  let keptInBand = ownRatio.clamped(1 - epsilon, 1 + epsilon)
  let pessimistic = minimum(ownRatio * weightOfSample, keptInBand * weightOfSample)
  return -pessimistic.mean()
  // END SOLUTION
}
