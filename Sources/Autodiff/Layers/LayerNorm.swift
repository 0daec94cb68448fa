/// Layer normalisation over the last axis, with a learned gain and bias.
///
/// For each row x ∈ ℝᵈ (the last axis):
///
///     μ = (1/d) Σᵢ xᵢ,   σ² = (1/d) Σᵢ (xᵢ − μ)²,   yᵢ = γᵢ (xᵢ − μ) / √(σ² + ε) + βᵢ
///
/// so before the gain γ and bias β each row has mean 0 and variance σ²/(σ² + ε) ≈ 1. σ² is the biased
/// (divide-by-d) variance, as in PyTorch. Shapes: x [..., d] → y [..., d]; γ, β [d].
///
/// Parameters, in order: `[gain, bias]` (γ starts at 1, β at 0).
///
/// Source: Ba, Kiros & Hinton, "Layer Normalization" (2016), eqs. 3–4; PyTorch `nn.LayerNorm`.
/// MAT normalises after every attention and feed-forward block.
public struct LayerNorm: Module {
  /// γ [d].
  public private(set) var gain: Tensor
  /// β [d].
  public private(set) var bias: Tensor
  /// ε, added to the variance so a constant row does not divide by zero.
  public let epsilon: Double

  /// The size d of the normalised (last) axis.
  public var size: Int { gain.shape[0] }

  /// A layer norm over rows of `size` scalars, with γ = 1 and β = 0.
  public init(size: Int, epsilon: Double = 1e-5) {
    ensure(size > 0, "LayerNorm: size must be positive, got \(size)")
    gain = Tensor(shape: [size], scalars: Array(repeating: 1, count: size), requiresGradient: true)
    bias = Tensor(shape: [size], scalars: Array(repeating: 0, count: size), requiresGradient: true)
    self.epsilon = epsilon
  }

  /// `[gain, bias]`: γ [d], β [d].
  public var parameters: [Tensor] {
    get { [gain, bias] }
    set {
      let θ = checkedParameters(newValue, replacing: parameters, in: "LayerNorm")
      (gain, bias) = (θ[0], θ[1])
    }
  }

  /// y = γ ⊙ (x − μ)/√(σ² + ε) + β over the last axis. x [..., d] → y [..., d].
  public func callAsFunction(_ x: Tensor) -> Tensor {
    ensure(
      x.rank >= 1 && x.shape.last == size,
      "LayerNorm: expected input [..., \(size)], got \(x.shape)")
    let μ = x.mean(alongAxes: [-1], keepingDimensions: true)
    let centred = x - μ
    let σ2 = (centred * centred).mean(alongAxes: [-1], keepingDimensions: true)
    let normalised = centred / (σ2 + epsilon).sqrt()
    return normalised * gain + bias
  }
}
