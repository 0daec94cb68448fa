/// How a layer fills a new parameter tensor: the standard random initialisations.
///
/// A weight W [fan_in, fan_out] maps fan_in inputs to fan_out outputs (our layers compute x W, so the
/// rows of W are inputs). For any other rank, fan_out is the last extent and fan_in the product of the
/// rest (a bias [n] has fan_in = 1, fan_out = n). All randomness comes from the `RandomGenerator`
/// passed in, so the same seed gives the same network on every machine.
///
///     let W = Initializer.orthogonal(gain: 2.0.squareRoot()).makeParameter([64, 64], rng: &rng)
public enum Initializer: Sendable {
  /// Wᵢⱼ ~ U(−a, a) with a = gain · √(6 / (fan_in + fan_out)), so that Var W = gain² · 2 / (fan_in + fan_out).
  /// Keeps activations and gradients at similar scales in both directions through a tanh network.
  /// Source: Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural
  /// networks" (2010), eq. 16; PyTorch `xavier_uniform_`.
  case glorotUniform(gain: Double = 1)

  /// Wᵢⱼ ~ N(0, σ²) with σ = gain / √fan_in; gain = √2 (the default) keeps the variance of ReLU
  /// activations constant with depth. Source: He et al., "Delving deep into rectifiers" (2015), eq. 10;
  /// PyTorch `kaiming_normal_` (mode fan_in).
  case heNormal(gain: Double = 2.0.squareRoot())

  /// W = gain · Q, Q with orthonormal columns (QᵀQ = I, when fan_in ≥ fan_out) or orthonormal rows
  /// (QQᵀ = I, when fan_in < fan_out), drawn uniformly (Haar) by orthonormalising a Gaussian matrix.
  /// PPO implementations use gain √2 for hidden layers, 0.01 for the policy head and 1 for the value
  /// head. Source: Saxe et al., "Exact solutions to the nonlinear dynamics of learning in deep linear
  /// neural networks" (2014); PyTorch `orthogonal_`; Huang et al., "The 37 implementation details of PPO" (2022).
  case orthogonal(gain: Double = 1)

  /// Wᵢⱼ ~ U(−a, a). PyTorch's default for recurrent cells (`nn.GRUCell`) is a = 1/√hidden.
  case uniform(bound: Double)

  /// Wᵢⱼ ~ N(0, std²). PyTorch's default for `nn.Embedding` is std = 1.
  case normal(std: Double)

  /// W = 0 (biases).
  case zeros

  /// A new trainable leaf tensor (`requiresGradient: true`) of the given shape, filled by this rule.
  public func makeParameter(_ shape: [Int], rng: inout RandomGenerator) -> Tensor {
    let values = makeValues(shape, rng: &rng)
    return Tensor(shape: shape, scalars: values.scalars, requiresGradient: true)
  }

  /// The values only: a constant tensor of the given shape, filled by this rule.
  public func makeValues(_ shape: [Int], rng: inout RandomGenerator) -> Tensor {
    ensure(
      !shape.isEmpty && shape.allSatisfy { $0 > 0 }, "Initializer: needs a non-empty shape with positive extents, got \(shape)")
    let fanOut = shape.last!
    let fanIn = shape.reduce(1, *) / fanOut
    switch self {
    case .glorotUniform(let gain):
      let a = gain * (6 / Double(fanIn + fanOut)).squareRoot()
      return rng.uniform(shape, -a, a)
    case .heNormal(let gain):
      return rng.normal(shape, std: gain / Double(fanIn).squareRoot())
    case .orthogonal(let gain):
      let q = orthonormalMatrix(rows: fanIn, columns: fanOut, rng: &rng)
      return Tensor(shape: shape, scalars: q.map { gain * $0 })
    case .uniform(let bound):
      return rng.uniform(shape, -bound, bound)
    case .normal(let std):
      return rng.normal(shape, std: std)
    case .zeros:
      return Tensor.zeros(shape)
    }
  }
}

/// A random [rows, columns] matrix (row-major scalars) with orthonormal columns if rows ≥ columns, or
/// orthonormal rows otherwise.
///
/// Draws a tall Gaussian matrix A [n, k] (n ≥ k), orthonormalises its columns by modified
/// Gram–Schmidt, qⱼ = normalise(aⱼ − Σ_{i<j} (qᵢ·aⱼ) qᵢ), and transposes when the wide shape was asked
/// for. This is the Q of the QR decomposition A = QR with diag(R) > 0, which is exactly the sign fix
/// PyTorch's `orthogonal_` applies, so Q is uniformly distributed over orthonormal frames.
func orthonormalMatrix(rows: Int, columns: Int, rng: inout RandomGenerator) -> [Double] {
  let (n, k) = (Swift.max(rows, columns), Swift.min(rows, columns))
  var q: [[Double]] = []  // the orthonormal columns found so far, each of length n
  while q.count < k {
    var v = (0..<n).map { _ in rng.normal() }
    for _ in 0..<2 {  // a second pass removes the rounding error of the first ("twice is enough")
      for qi in q {
        let projection = zip(qi, v).reduce(0) { $0 + $1.0 * $1.1 }
        for r in 0..<n { v[r] -= projection * qi[r] }
      }
    }
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if norm > 1e-10 { q.append(v.map { $0 / norm }) }  // (a dependent draw has probability 0; redraw)
  }
  // q[j][r] is entry (r, j) of the tall matrix Q [n, k].
  if rows >= columns {
    return (0..<rows).flatMap { r in (0..<columns).map { j in q[j][r] } }
  } else {
    return (0..<rows).flatMap { r in (0..<columns).map { j in q[r][j] } }  // Qᵀ
  }
}
