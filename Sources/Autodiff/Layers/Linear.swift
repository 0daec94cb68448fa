/// A fully connected (affine) layer: y = x W + b.
///
/// Shapes: x [N, in] → y [N, out], with W [in, out] and b [out] (b is broadcast over the rows).
/// Leading axes beyond one are batch axes too: x [B, T, in] → y [B, T, out], as attention needs.
/// Each output is yₙⱼ = Σᵢ xₙᵢ Wᵢⱼ + bⱼ.
///
/// Parameters, in order: `[weight, bias]`.
///
///     var rng = RandomGenerator(seed: 0)
///     let layer = Linear(inputSize: 3, outputSize: 2, rng: &rng)
///     layer(Tensor.zeros([5, 3])).shape   // [5, 2]
///
/// Source: Goodfellow, Bengio & Courville, "Deep Learning" (2016), §6.1; PyTorch `nn.Linear`, which
/// stores W transposed, [out, in], and computes x Wᵀ + b (the same map).
public struct Linear: Module {
  /// W [in, out].
  public private(set) var weight: Tensor
  /// b [out].
  public private(set) var bias: Tensor

  /// The size of each input row, `in`.
  public var inputSize: Int { weight.shape[0] }
  /// The size of each output row, `out`.
  public var outputSize: Int { weight.shape[1] }

  /// A layer with W filled by `weightInit` (Glorot uniform by default) and b by `biasInit` (zeros).
  public init(
    inputSize: Int, outputSize: Int,
    weightInit: Initializer = .glorotUniform(), biasInit: Initializer = .zeros,
    rng: inout RandomGenerator
  ) {
    ensure(inputSize > 0 && outputSize > 0, "Linear: sizes must be positive, got in \(inputSize), out \(outputSize)")
    weight = weightInit.makeParameter([inputSize, outputSize], rng: &rng)
    bias = biasInit.makeParameter([outputSize], rng: &rng)
  }

  /// `[weight, bias]`: W [in, out], b [out].
  public var parameters: [Tensor] {
    get { [weight, bias] }
    set {
      let θ = checkedParameters(newValue, replacing: parameters, in: "Linear")
      weight = θ[0]
      bias = θ[1]
    }
  }

  /// y = x W + b. x [N, in] (or [..., in]) → y [N, out] (or [..., out]).
  public func callAsFunction(_ x: Tensor) -> Tensor {
    ensure(
      x.rank >= 2 && x.shape.last == inputSize,
      "Linear: expected input [N, \(inputSize)] (or [..., \(inputSize)]), got \(x.shape)")
    // Fold the leading axes into rows (a no-op for x [N, in]), apply the layer, unfold.
    let rows = x.reshaped([-1, inputSize])
    let y = rows.matmul(weight) + bias
    return y.reshaped(Array(x.shape.dropLast()) + [outputSize])
  }
}
