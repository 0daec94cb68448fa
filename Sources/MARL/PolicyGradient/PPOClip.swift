import Autodiff
import Foundation  // exp

/// The coefficients of the PPO-clip loss.
///
/// Defaults follow MAPPO's reference implementation (marlbenchmark/on-policy `config.py`): ε = 0.2 for
/// the ratio and for the value clip, value coefficient 1, entropy coefficient 0.01.
public struct PPOClipConfig: Sendable, Equatable {
  /// ε: the ratio r = π/π_old is clipped to [1 − ε, 1 + ε].
  public var clipEpsilon: Double
  /// ε_V: when set, the new value may move at most ε_V from the old one before the loss stops caring
  /// (the pessimistic max of the clipped and unclipped errors). `nil`: the plain squared error.
  public var valueClip: Double?
  /// c_V, the weight of the value loss in the total.
  public var valueCoefficient: Double
  /// c_H, the weight of the entropy bonus (subtracted from the loss: more entropy, lower loss).
  public var entropyCoefficient: Double

  /// A configuration; the defaults are MAPPO's.
  public init(
    clipEpsilon: Double = 0.2, valueClip: Double? = 0.2, valueCoefficient: Double = 1, entropyCoefficient: Double = 0.01
  ) {
    ensure(clipEpsilon > 0 && clipEpsilon < 1, "PPOClipConfig: clipEpsilon must be in (0, 1), got \(clipEpsilon)")
    ensure(valueClip.map { $0 > 0 } ?? true, "PPOClipConfig: valueClip must be positive or nil")
    self.clipEpsilon = clipEpsilon
    self.valueClip = valueClip
    self.valueCoefficient = valueCoefficient
    self.entropyCoefficient = entropyCoefficient
  }
}

/// The terms of an actor-critic loss (PPO-clip or A2C), as differentiable scalars, plus diagnostics.
public struct ActorCriticLoss {
  /// L^π: the policy loss (the negated surrogate), a scalar.
  public let policy: Tensor
  /// L^V: the value loss, a scalar.
  public let value: Tensor
  /// H̄: the mean entropy of the policies, a scalar.
  public let entropy: Tensor
  /// L = L^π + c_V L^V − c_H H̄, the scalar to minimise.
  public let total: Tensor
  /// The fraction of rows whose ratio is clipped in the direction that stops the gradient (PPO only).
  public let clipFraction: Double
  /// mean(r − 1 − log r), an always-non-negative estimate of KL(π_old ‖ π) (Schulman's "k3").
  public let approximateKL: Double
}

/// The PPO-clip surrogate, to be *maximised*:
///
///     L^CLIP(θ) = (1/N) Σₙ min( rₙ Âₙ, clip(rₙ, 1 − ε, 1 + ε) Âₙ ),   rₙ = exp(log π_θ(aₙ|oₙ) − log π_old(aₙ|oₙ))
///
/// The min makes it a pessimistic bound: once the ratio has moved past 1 + ε in the direction the
/// advantage rewards (Â > 0, r > 1 + ε; or Â < 0, r < 1 − ε) the clipped term wins and its gradient is
/// zero, so no row can pull the policy further than ε from the one that collected the data.
///
/// - Parameters:
///   - logProbabilities: log π_θ(aₙ|oₙ), [N], differentiable.
///   - oldLogProbabilities: log π_old(aₙ|oₙ), [N], recorded at collection (used as a constant).
///   - advantages: Âₙ, [N] (used as a constant).
///   - epsilon: ε.
/// - Returns: L^CLIP, a scalar.
///
/// Source: Schulman, Wolski, Dhariwal, Radford & Klimov, "Proximal Policy Optimization Algorithms"
/// (arXiv 1707.06347, 2017), eq. (7); MAPPO applies it per agent (Yu et al., NeurIPS 2022).
public func ppoClipSurrogate(logProbabilities: Tensor, oldLogProbabilities: Tensor, advantages: Tensor, epsilon ε: Double)
  -> Tensor
{
  ensure(
    logProbabilities.rank == 1 && oldLogProbabilities.shape == logProbabilities.shape
      && advantages.shape == logProbabilities.shape,
    "ppoClipSurrogate: expects log π [N], log π_old [N], Â [N], got \(logProbabilities.shape), \(oldLogProbabilities.shape), \(advantages.shape)"
  )
  // snippet: ppo-clip-surrogate
  let ratio = (logProbabilities - oldLogProbabilities.detached).exp()  // r = π_θ / π_old
  let Â = advantages.detached
  let unclipped = ratio * Â
  let clipped = ratio.clamped(1 - ε, 1 + ε) * Â
  return minimum(unclipped, clipped).mean()
  // end snippet
}

/// The value loss, optionally clipped around the old values:
///
///     L^V = ½ (1/N) Σₙ max( (Vₙ − Rₙ)², (V_oldₙ + clip(Vₙ − V_oldₙ, −ε_V, ε_V) − Rₙ)² )     (clipped)
///     L^V = ½ (1/N) Σₙ (Vₙ − Rₙ)²                                                      (clip = nil)
///
/// Shapes: values [N] (differentiable), oldValues [N], returns [N] (constants). Returns a scalar.
/// Source: the PPO2 implementation of OpenAI baselines (`ppo2/model.py`); MAPPO's
/// `use_clipped_value_loss` (marlbenchmark/on-policy `r_mappo.py`), there with a Huber loss.
public func clippedValueLoss(values: Tensor, oldValues: Tensor, returns: Tensor, clip: Double?) -> Tensor {
  ensure(
    values.rank == 1 && oldValues.shape == values.shape && returns.shape == values.shape,
    "clippedValueLoss: expects V [N], V_old [N], R [N], got \(values.shape), \(oldValues.shape), \(returns.shape)")
  let R = returns.detached
  let unclipped = (values - R).squared()
  guard let clip else { return 0.5 * unclipped.mean() }
  let V_old = oldValues.detached
  let clippedValues = V_old + (values - V_old).clamped(-clip, clip)
  return 0.5 * maximum(unclipped, (clippedValues - R).squared()).mean()
}

/// The whole PPO-clip loss L = −L^CLIP + c_V L^V − c_H H̄ (minimised by gradient descent).
///
/// Shapes: every tensor [N] (one row per agent-step); `entropy` holds H(π_θ(·|oₙ)) per row.
/// Source: Schulman et al. (2017), eq. (9), with the value loss above and MAPPO's coefficients.
public func ppoClipLoss(
  logProbabilities: Tensor, oldLogProbabilities: Tensor, advantages: Tensor,
  values: Tensor, oldValues: Tensor, returns: Tensor, entropy: Tensor, config: PPOClipConfig
) -> ActorCriticLoss {
  ensure(
    entropy.shape == logProbabilities.shape, "ppoClipLoss: entropy \(entropy.shape) must match log π \(logProbabilities.shape)")
  let surrogate = ppoClipSurrogate(
    logProbabilities: logProbabilities, oldLogProbabilities: oldLogProbabilities, advantages: advantages,
    epsilon: config.clipEpsilon)
  let valueLoss = clippedValueLoss(values: values, oldValues: oldValues, returns: returns, clip: config.valueClip)
  let meanEntropy = entropy.mean()
  let total = -surrogate + config.valueCoefficient * valueLoss - config.entropyCoefficient * meanEntropy
  // Diagnostics, from the values only.
  let logRatio = zip(logProbabilities.scalars, oldLogProbabilities.scalars).map { $0 - $1 }
  let ε = config.clipEpsilon
  let stopped = zip(logRatio, advantages.scalars).filter { logR, Â in
    let r = Foundation.exp(logR)
    return (Â > 0 && r > 1 + ε) || (Â < 0 && r < 1 - ε)
  }.count
  let kl = logRatio.reduce(0) { $0 + (Foundation.exp($1) - 1 - $1) } / Double(max(logRatio.count, 1))
  return ActorCriticLoss(
    policy: -surrogate, value: valueLoss, entropy: meanEntropy, total: total,
    clipFraction: Double(stopped) / Double(max(logRatio.count, 1)), approximateKL: kl)
}
