import Autodiff

/// A batch of categorical policies π(·|o) = softmax(z), the head of every discrete-action actor.
///
/// Built from logits z [N, K] (one row per observation: one agent at one time step); every quantity
/// is a differentiable function of z, so a loss built from it sends gradients into the network.
///
///     let π = CategoricalDistribution(logits: actor(observations))   // [N, K]
///     let logπ = π.logProbability(of: actions)                        // [N]
///     let H = π.entropy()                                             // [N]
///
/// Source: the softmax policy of Sutton & Barto (2018), eq. (13.2); entropy and KL as in Cover &
/// Thomas, "Elements of Information Theory" (2006), eqs. (2.1) and (2.26).
public struct CategoricalDistribution {
  /// z, the unnormalised log-probabilities, [N, K].
  public let logits: Tensor
  /// log π(k|o) = z_k − log Σ_j exp(z_j), computed stably, [N, K].
  public let logProbabilities: Tensor

  /// The distributions softmax(z) for logits z [N, K].
  public init(logits: Tensor) {
    ensure(logits.rank == 2 && logits.shape[1] >= 1, "CategoricalDistribution: logits must be [N, K], got \(logits.shape)")
    self.logits = logits
    self.logProbabilities = logits.logSoftmax(alongAxis: 1)
  }

  /// N, the number of distributions.
  public var batchSize: Int { logits.shape[0] }
  /// K, the number of actions.
  public var actionCount: Int { logits.shape[1] }

  /// π(k|o) = softmax(z)_k, [N, K].
  public var probabilities: Tensor { logProbabilities.exp() }

  /// log π(aₙ|oₙ) for one action per row: the gather of ``logProbabilities`` at (n, aₙ). [N].
  public func logProbability(of actions: [Int]) -> Tensor {
    ensure(actions.count == batchSize, "CategoricalDistribution.logProbability: \(actions.count) actions for \(batchSize) rows")
    return logProbabilities.gathering(actions)
  }

  /// H(π) = −Σ_k π_k log π_k per row, [N]. Maximal (log K) for the uniform policy; the entropy bonus.
  public func entropy() -> Tensor {
    -(probabilities * logProbabilities).sum(alongAxes: [1])
  }

  /// KL(π ‖ π′) = Σ_k π_k (log π_k − log π′_k) per row, [N]: zero iff the rows agree, never negative.
  /// `other` must have the same shape [N, K].
  public func klDivergence(to other: CategoricalDistribution) -> Tensor {
    ensure(
      other.logits.shape == logits.shape,
      "CategoricalDistribution.klDivergence: shapes \(logits.shape) and \(other.logits.shape) differ")
    return (probabilities * (logProbabilities - other.logProbabilities)).sum(alongAxes: [1])
  }

  /// One action per row, aₙ ∼ π(·|oₙ) (inverse CDF). Not differentiable: sampling is what the score
  /// function works around.
  public func sample(using rng: inout RandomGenerator) -> [Int] {
    probabilities.rows.map { rng.categorical($0) }
  }

  /// The most likely action of each row, argmax_k π_k (ties to the lowest index): greedy execution.
  public var mode: [Int] { logits.argmax() }
}
