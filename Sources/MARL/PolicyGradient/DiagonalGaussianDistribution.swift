import Autodiff
import Foundation  // log, Double.pi

/// A batch of Gaussian policies with diagonal covariance, N(μ, diag σ²), the head of a
/// continuous-action actor.
///
/// μ [N, D] is usually the network's output and log σ a learned vector [D] shared by every row
/// (as in PPO and MAPPO for continuous control) or a second output [N, D]; either broadcasts.
/// Every quantity is a differentiable function of μ and log σ, summed over the D action dimensions
/// (they are independent):
///
///     log π(a) = −½ Σ_d [ ((a_d − μ_d)/σ_d)² + 2 log σ_d + log 2π ]
///     H(π)     =  Σ_d [ log σ_d + ½ log(2πe) ]
///     KL(π‖π′) =  Σ_d [ log(σ′_d/σ_d) + (σ_d² + (μ_d − μ′_d)²) / (2σ′_d²) − ½ ]
///
/// Source: Bishop, "Pattern Recognition and Machine Learning" (2006), eq. (2.43) (density) and
/// eq. (1.110) (differential entropy); the Gaussian KL in closed form, e.g. Kullback (1959).
/// HATRPO's KL constraint uses the same closed form (Kuba et al., ICLR 2022, code `hatrpo.py`).
public struct DiagonalGaussianDistribution {
  /// μ, [N, D].
  public let mean: Tensor
  /// log σ, [D] (one per action dimension, shared by the rows) or [N, D].
  public let logStd: Tensor

  /// N(μ, diag exp(2 log σ)). Shapes: μ [N, D]; log σ [D] or [N, D].
  public init(mean: Tensor, logStd: Tensor) {
    ensure(mean.rank == 2, "DiagonalGaussianDistribution: mean must be [N, D], got \(mean.shape)")
    ensure(
      logStd.shape == [mean.shape[1]] || logStd.shape == mean.shape,
      "DiagonalGaussianDistribution: logStd must be [D] = [\(mean.shape[1])] or [N, D] = \(mean.shape), got \(logStd.shape)")
    self.mean = mean
    self.logStd = logStd
  }

  /// N, the number of distributions.
  public var batchSize: Int { mean.shape[0] }
  /// D, the action dimension.
  public var dimension: Int { mean.shape[1] }

  /// σ = exp(log σ), broadcastable to [N, D].
  public var std: Tensor { logStd.exp() }

  /// log π(aₙ) summed over dimensions, [N]. Actions a [N, D].
  public func logProbability(of actions: Tensor) -> Tensor {
    ensure(
      actions.shape == mean.shape,
      "DiagonalGaussianDistribution.logProbability: actions \(actions.shape) must match the mean \(mean.shape)")
    let z = (actions - mean) / std
    let perDimension = -0.5 * (z * z) - logStd - 0.5 * log(2 * Double.pi)
    return perDimension.sum(alongAxes: [1])
  }

  /// H(π) per row, [N]: Σ_d (log σ_d + ½ log 2πe). It depends on σ only, not on μ.
  public func entropy() -> Tensor {
    let perDimension = logStd + 0.5 * (log(2 * Double.pi) + 1)
    return perDimension.broadcast(to: mean.shape).sum(alongAxes: [1])
  }

  /// KL(π ‖ π′) per row, [N], in closed form. `other` must have the same N and D.
  public func klDivergence(to other: DiagonalGaussianDistribution) -> Tensor {
    ensure(
      other.mean.shape == mean.shape,
      "DiagonalGaussianDistribution.klDivergence: means \(mean.shape) and \(other.mean.shape) differ")
    let varianceRatio = (2 * (logStd - other.logStd)).exp()  // σ²/σ′²
    let meanGap = (mean - other.mean) / other.std  // (μ − μ′)/σ′
    let perDimension = (other.logStd - logStd) + 0.5 * (varianceRatio + meanGap * meanGap) - 0.5
    return perDimension.broadcast(to: mean.shape).sum(alongAxes: [1])
  }

  /// aₙ = μₙ + σ ⊙ εₙ with ε ∼ N(0, I): one action per row, [N, D], a constant (no gradient).
  public func sample(using rng: inout RandomGenerator) -> Tensor {
    let ε = rng.normal(mean.shape)
    return withoutGradients { (mean + std * ε).detached }
  }
}
