import Autodiff
import Foundation  // exp

// HAPPO's factor M = (ratio product) · Â: what the agents updated earlier in this iteration did to the
// probability of each sampled joint action, times the joint advantage. The code keeps the ratio
// product, called `factor` below (HARL's name), which starts at 1 for the first agent in the ordering
// (so M^{i_1} = Â) and picks up one ratio per updated agent:
//
//     M^{i_{1:m+1}}(s, a) = [π̄^{i_m}(a^{i_m}|o) / π^{i_m}(a^{i_m}|o)] · M^{i_{1:m}}(s, a)      (Algorithms 2–3)
//
// It is data, not a function of the current agent's parameters: no gradient flows through it, and it
// is not clipped (only the current agent's own ratio is).

/// The factor after agent i_m's update: factor · π_new(a|o) / π_old(a|o) for every row, computed as
/// factor · exp(log π_new − log π_old). Plain numbers: no gradient can flow through them.
///
/// Shapes: factor [N], both log-probabilities [N] (of the sampled actions of the agent just updated,
/// after and before its update). Returns [N].
/// Source: Kuba et al. (ICLR 2022), Algorithm 3, line 12 (and Algorithm 2, line 14); HARL
/// `on_policy_ha_runner.py` (the factor is multiplied in, detached, unclipped).
public func updatedCorrectionFactor(_ factor: [Double], newLogProbabilities: [Double], oldLogProbabilities: [Double]) -> [Double]
{
  ensure(
    factor.count == newLogProbabilities.count && factor.count == oldLogProbabilities.count,
    "updatedCorrectionFactor: factor [\(factor.count)], new log π [\(newLogProbabilities.count)], old log π [\(oldLogProbabilities.count)] must have the same length"
  )
  // snippet: happo-factor-update
  return factor.indices.map { n in factor[n] * exp(newLogProbabilities[n] - oldLogProbabilities[n]) }
  // end snippet
}

/// HAPPO's objective for agent i_m, to be *maximised* (eq. 11):
///
///     (1/N) Σₙ min( rₙ Mₙ, clip(rₙ, 1 − ε, 1 + ε) Mₙ ),   rₙ = π_θ(aₙ|oₙ) / π_old(aₙ|oₙ),   Mₙ = factorₙ · Âₙ
///
/// It is the PPO-clip surrogate (``ppoClipSurrogate(logProbabilities:oldLogProbabilities:advantages:epsilon:)``)
/// with M in place of the advantage: the agent's *own* ratio is clipped, M is a detached constant and
/// is never clipped.
///
/// Shapes: logProbabilities [N] (differentiable in θ), oldLogProbabilities [N], factor [N] (positive),
/// advantages Â [N]. Returns a scalar.
/// Source: Kuba et al. (ICLR 2022), eqs. (10)–(11) and Algorithm 3, line 11; HARL `happo.py`.
public func happoSurrogate(
  logProbabilities: Tensor, oldLogProbabilities: Tensor, factor: Tensor, advantages: Tensor, epsilon ε: Double
) -> Tensor {
  ensure(
    factor.shape == logProbabilities.shape && advantages.shape == logProbabilities.shape,
    "happoSurrogate: expects log π [N], factor [N], Â [N], got \(logProbabilities.shape), \(factor.shape), \(advantages.shape)")
  // snippet: happo-surrogate
  let M = (factor * advantages).detached  // M^{i_{1:m}}: earlier agents' ratios × Â, a constant
  return ppoClipSurrogate(
    logProbabilities: logProbabilities, oldLogProbabilities: oldLogProbabilities, advantages: M, epsilon: ε)
  // end snippet
}
