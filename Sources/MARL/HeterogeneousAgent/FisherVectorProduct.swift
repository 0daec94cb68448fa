import Autodiff
import Foundation  // exp

/// Products with the Hessian of the mean KL divergence, H = ∇²_θ KL̄(θ) at θ = θ_old, computed by
/// differentiating twice and never forming H:
///
///     H v = ∇_θ ( ∇_θ KL̄(θ) · v ) |_{θ_old}  (+ damping · v)
///
/// where KL̄(θ) = (1/N) Σₙ KL(π_{θ_old}(·|oₙ) ‖ π_θ(·|oₙ)). At θ_old the KL's gradient is zero and its
/// Hessian equals the Fisher information matrix F = E[∇ log π ∇ log πᵀ], which is why this product is
/// called the Fisher-vector product. One product costs one extra backward pass through the graph of
/// the gradient, recorded once.
///
/// Shapes: θ [P]; `meanKL` maps θ [P] to a scalar; v [P] → H v [P].
/// Source: Schulman et al., TRPO (ICML 2015), App. C.1 (Hessian-vector products of the KL); Kuba et
/// al. (ICLR 2022), Algorithm 2, line 11; damping as in HARL's `trpo_util.py` (0.1 · v).
public struct FisherVectorProduct {
  /// θ_old, recorded as the variable of the graph.
  private let variable: Tensor
  /// ∇_θ KL̄ at θ_old, with its graph (createGraph), so it can be differentiated again.
  private let gradient: Tensor
  /// λ, added as λ v (keeps H positive definite when the KL is flat in some direction).
  public let damping: Double

  /// Records ∇_θ KL̄(θ) at θ_old [P] once; `meanKL` must compare against constants of θ_old (detached).
  public init(at θOld: Tensor, meanKL: (Tensor) -> Tensor, damping: Double = 0) {
    ensure(θOld.rank == 1, "FisherVectorProduct: θ must be a vector [P], got \(θOld.shape)")
    ensure(damping >= 0, "FisherVectorProduct: damping must be non-negative, got \(damping)")
    variable = Tensor(shape: θOld.shape, scalars: θOld.scalars, requiresGradient: true)
    let kl = meanKL(variable)
    ensure(kl.count == 1, "FisherVectorProduct: meanKL must return a scalar, got \(kl.shape)")
    gradient = gradients(of: kl, withRespectTo: [variable], createGraph: true)[0]
    self.damping = damping
  }

  /// P, the number of parameters.
  public var dimension: Int { variable.count }

  /// H v + λ v, [P].
  public func callAsFunction(_ v: [Double]) -> [Double] {
    ensure(v.count == dimension, "FisherVectorProduct: v has \(v.count) entries, expected P = \(dimension)")
    // snippet: fisher-vector-product
    let directional = (gradient * Tensor(v)).sum()  // ∇KL̄ · v, still a function of θ
    let Hv = gradients(of: directional, withRespectTo: [variable])[0]  // ∇(∇KL̄ · v) = H v
    // end snippet
    return zip(Hv.scalars, v).map { $0 + damping * $1 }
  }

  /// The whole matrix H + λI, one product per column: [P][P]. For checks on small problems only.
  public func matrix() -> [[Double]] {
    let P = dimension
    let columns = (0..<P).map { k in callAsFunction((0..<P).map { $0 == k ? 1 : 0 }) }
    return (0..<P).map { row in (0..<P).map { columns[$0][row] } }
  }
}

/// The Fisher information matrix of a batch of categorical policies, by enumerating actions:
///
///     F = (1/N) Σₙ Σ_a π_θ(a|oₙ) ∇_θ log π_θ(a|oₙ) ∇_θ log π_θ(a|oₙ)ᵀ
///
/// It needs only first derivatives (one backward pass per row and action), so it is an independent
/// check of ``FisherVectorProduct``, which differentiates the KL twice.
///
/// Shapes: θ [P]; `logProbabilities` maps θ to log π_θ(·|oₙ) [N, K]. Returns [P][P].
/// Source: Amari, "Natural Gradient Works Efficiently in Learning" (Neural Computation 1998), §3;
/// Kakade, "A Natural Policy Gradient" (NeurIPS 2001), eq. (3).
public func fisherInformationMatrix(at θ: Tensor, logProbabilities: (Tensor) -> Tensor) -> [[Double]] {
  ensure(θ.rank == 1, "fisherInformationMatrix: θ must be a vector [P], got \(θ.shape)")
  let variable = Tensor(shape: θ.shape, scalars: θ.scalars, requiresGradient: true)
  let logπ = logProbabilities(variable)
  ensure(logπ.rank == 2, "fisherInformationMatrix: log π must be [N, K], got \(logπ.shape)")
  let (N, K, P) = (logπ.shape[0], logπ.shape[1], θ.count)
  var F = [[Double]](repeating: [Double](repeating: 0, count: P), count: P)
  for n in 0..<N {
    for a in 0..<K {
      let probability = exp(logπ.scalars[n * K + a])
      let seed = Tensor(shape: [N, K], scalars: (0..<(N * K)).map { $0 == n * K + a ? 1 : 0 })
      let score = gradients(of: logπ, withRespectTo: [variable], seed: seed)[0].scalars  // ∇ log π(a|oₙ)
      for r in 0..<P where score[r] != 0 {
        for c in 0..<P { F[r][c] += probability * score[r] * score[c] / Double(N) }
      }
    }
  }
  return F
}
