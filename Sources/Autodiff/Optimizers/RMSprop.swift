/// RMSprop: divide each step by a running root-mean-square of recent gradients.
///
///     v ← a v + (1 − a) g²,    θ ← θ − α g / (√v + ε)        (v starts at 0, elementwise)
///
/// with α the learning rate and a the smoothing constant. pymarl trains QMIX, VDN and COMA with
/// α = 5·10⁻⁴, a = 0.99, ε = 10⁻⁵, which are this type's defaults.
///
/// Source: Tieleman & Hinton, COURSERA "Neural Networks for Machine Learning", lecture 6.5 (2012);
/// the formula of PyTorch `torch.optim.RMSprop` (no momentum, not centred), where `alpha` is a.
public struct RMSprop: Optimizer {
  /// α, the step size.
  public var learningRate: Double
  /// a, the decay of the mean-square average (PyTorch's `alpha`).
  public let smoothing: Double
  /// ε, added to √v so the division stays finite.
  public let epsilon: Double
  /// v, the running mean of g², one tensor per parameter (empty until the first update).
  public private(set) var meanSquare: [Tensor] = []

  /// RMSprop with pymarl's defaults: α = 5·10⁻⁴, a = 0.99, ε = 10⁻⁵.
  public init(learningRate: Double = 5e-4, smoothing: Double = 0.99, epsilon: Double = 1e-5) {
    ensure(learningRate > 0, "RMSprop: learningRate must be positive, got \(learningRate)")
    ensure((0..<1).contains(smoothing), "RMSprop: smoothing must be in [0, 1), got \(smoothing)")
    self.learningRate = learningRate
    self.smoothing = smoothing
    self.epsilon = epsilon
  }

  /// v ← a v + (1 − a) g², θ ← θ − α g / (√v + ε), for each parameter. Shapes: each g like its θ.
  public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
    checkGradientsMatch(parameters, gradients, in: "RMSprop")
    meanSquare = stateMatching(meanSquare, parameters, in: "RMSprop")
    let (α, a, ε) = (learningRate, smoothing, epsilon)
    withoutGradients {
      for k in parameters.indices {
        let g = gradients[k]
        meanSquare[k] = a * meanSquare[k] + (1 - a) * g * g
        parameters[k] = trainableLeaf(parameters[k] - α * g / (meanSquare[k].sqrt() + ε))
      }
    }
  }
}
