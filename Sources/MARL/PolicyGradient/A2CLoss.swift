import Autodiff

/// The coefficients of the advantage actor-critic (A2C) loss.
///
/// Defaults: c_V = 0.5 and c_H = 0.01, the values of OpenAI baselines' A2C (`a2c/a2c.py`).
public struct A2CConfig: Sendable, Equatable {
  /// c_V, the weight of the value loss.
  public var valueCoefficient: Double
  /// c_H, the weight of the entropy bonus.
  public var entropyCoefficient: Double

  /// A configuration; the defaults are those of OpenAI baselines.
  public init(valueCoefficient: Double = 0.5, entropyCoefficient: Double = 0.01) {
    self.valueCoefficient = valueCoefficient
    self.entropyCoefficient = entropyCoefficient
  }
}

/// The A2C loss: the score-function policy gradient with a learned baseline, a regression for the
/// critic, and an entropy bonus:
///
///     L = −(1/N) Σₙ Âₙ log π_θ(aₙ|oₙ)  +  c_V · ½ (1/N) Σₙ (V(sₙ) − Rₙ)²  −  c_H (1/N) Σₙ H(π_θ(·|oₙ))
///
/// Its policy gradient −(1/N) Σ Â ∇ log π is exactly the PPO-clip gradient at θ = θ_old (r = 1, so
/// no clip is active and ∇r = ∇ log π). IA2C gives every agent its own copy with a local critic
/// V(oⁱ); MAA2C gives the critic the global state, V(s).
///
/// - Parameters: log π [N] (differentiable), Â [N], V [N] (differentiable), R [N], entropy [N].
/// - Returns: the terms and their weighted total (clip fraction 0; approximate KL 0).
///
/// Source: Mnih et al., "Asynchronous Methods for Deep Reinforcement Learning" (ICML 2016), Algorithm S3
/// (A3C; A2C is its synchronous version); Papoudakis et al., "Benchmarking Multi-Agent Deep
/// Reinforcement Learning Algorithms in Cooperative Tasks" (NeurIPS D&B 2021), IA2C and MAA2C.
public func a2cLoss(
  logProbabilities: Tensor, advantages: Tensor, values: Tensor, returns: Tensor, entropy: Tensor, config: A2CConfig
) -> ActorCriticLoss {
  ensure(
    logProbabilities.rank == 1 && [advantages, values, returns, entropy].allSatisfy { $0.shape == logProbabilities.shape },
    "a2cLoss: expects log π, Â, V, R, H all [N], got \([logProbabilities, advantages, values, returns, entropy].map(\.shape))")
  // snippet: a2c-loss
  let policyLoss = -(advantages.detached * logProbabilities).mean()
  let valueLoss = 0.5 * (values - returns.detached).squared().mean()
  let meanEntropy = entropy.mean()
  let total = policyLoss + config.valueCoefficient * valueLoss - config.entropyCoefficient * meanEntropy
  // end snippet
  return ActorCriticLoss(
    policy: policyLoss, value: valueLoss, entropy: meanEntropy, total: total, clipFraction: 0, approximateKL: 0)
}
