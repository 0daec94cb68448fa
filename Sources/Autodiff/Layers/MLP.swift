/// A multilayer perceptron: affine layers with a non-linearity between them.
///
/// For sizes [d₀, d₁, …, d_L]:
///   h₀ = x,   hₗ = f(hₗ₋₁ Wₗ + bₗ) for l = 1…L−1,   y = f_out(h_{L−1} W_L + b_L),
/// with Wₗ [dₗ₋₁, dₗ] and bₗ [dₗ]. Shapes: x [N, d₀] → y [N, d_L] (extra leading axes are batch axes).
///
/// Parameters, in order: `[W₁, b₁, W₂, b₂, …, W_L, b_L]` (each layer's ``Linear/parameters``).
///
///     var rng = RandomGenerator(seed: 0)
///     let policy = MLP(sizes: [4, 64, 64, 3], activation: .tanh, rng: &rng)
///     policy(Tensor.zeros([10, 4])).shape   // [10, 3]
///
/// Source: Rumelhart, Hinton & Williams (1986); the actor and critic networks of every chapter.
public struct MLP: Module {
  /// The affine layers, first to last.
  public private(set) var layers: [Linear]
  /// f, applied after every layer but the last.
  public let activation: Activation
  /// f_out, applied after the last layer (`.identity` for logits, Q-values and state values).
  public let outputActivation: Activation

  /// The sizes [d₀, d₁, …, d_L]: input, hidden layers, output.
  public var sizes: [Int] { [layers[0].inputSize] + layers.map(\.outputSize) }

  /// An MLP with the given sizes (at least two: input and output).
  ///
  /// - Parameters:
  ///   - hiddenInit: how the weights of every layer but the last are drawn (e.g. `.orthogonal(gain: √2)` for PPO).
  ///   - outputInit: how the last layer's weights are drawn (e.g. `.orthogonal(gain: 0.01)` for a PPO policy head).
  ///   Biases start at zero.
  public init(
    sizes: [Int], activation: Activation = .tanh, outputActivation: Activation = .identity,
    hiddenInit: Initializer = .glorotUniform(), outputInit: Initializer = .glorotUniform(),
    rng: inout RandomGenerator
  ) {
    ensure(sizes.count >= 2, "MLP: needs at least an input and an output size, got \(sizes)")
    var layers: [Linear] = []
    for l in 1..<sizes.count {
      let isLast = l == sizes.count - 1
      layers.append(
        Linear(inputSize: sizes[l - 1], outputSize: sizes[l], weightInit: isLast ? outputInit : hiddenInit, rng: &rng))
    }
    self.layers = layers
    self.activation = activation
    self.outputActivation = outputActivation
  }

  /// `[W₁, b₁, …, W_L, b_L]`.
  public var parameters: [Tensor] {
    get { layers.flatMap(\.parameters) }
    set {
      let pieces = splitParameters(newValue, counts: layers.map { $0.parameters.count }, in: "MLP")
      for l in layers.indices { layers[l].parameters = pieces[l] }
    }
  }

  /// y = f_out(h_{L−1} W_L + b_L), hₗ = f(hₗ₋₁ Wₗ + bₗ), h₀ = x. x [N, d₀] → y [N, d_L].
  public func callAsFunction(_ x: Tensor) -> Tensor {
    ensure(
      x.rank >= 2 && x.shape.last == sizes[0],
      "MLP: expected input [N, \(sizes[0])] (or [..., \(sizes[0])]), got \(x.shape)")
    var h = x
    for (l, layer) in layers.enumerated() {
      let isLast = l == layers.count - 1
      h = isLast ? outputActivation(layer(h)) : activation(layer(h))
    }
    return h
  }
}
