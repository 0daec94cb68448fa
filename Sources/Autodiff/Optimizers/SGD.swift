/// Stochastic gradient descent, optionally with momentum.
///
///     v ← μ v + g,    θ ← θ − α v        (v starts at 0; with μ = 0 this is θ ← θ − α g)
///
/// with α the learning rate, μ the momentum and g = ∇θL. This is PyTorch's form of momentum (the
/// velocity accumulates raw gradients and α scales the step); Sutskever et al. (2013) write the
/// equivalent v ← μv − αg, θ ← θ + v, which differs only when α changes during training.
///
/// Source: Robbins & Monro (1951); Polyak, "Some methods of speeding up the convergence of iteration
/// methods" (1964); PyTorch `torch.optim.SGD`.
public struct SGD: Optimizer {
  /// α, the step size.
  public var learningRate: Double
  /// μ ∈ [0, 1), the fraction of the previous velocity kept.
  public var momentum: Double
  /// v, one tensor per parameter (empty until the first update).
  public private(set) var velocity: [Tensor] = []

  /// Plain SGD (momentum 0) or SGD with momentum μ.
  public init(learningRate: Double, momentum: Double = 0) {
    ensure(learningRate > 0, "SGD: learningRate must be positive, got \(learningRate)")
    ensure(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1), got \(momentum)")
    self.learningRate = learningRate
    self.momentum = momentum
  }

  /// v ← μ v + g, θ ← θ − α v, for each parameter. Shapes: each g like its θ.
  public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
    checkGradientsMatch(parameters, gradients, in: "SGD")
    velocity = stateMatching(velocity, parameters, in: "SGD")
    let (α, μ) = (learningRate, momentum)
    withoutGradients {
      for k in parameters.indices {
        velocity[k] = μ * velocity[k] + gradients[k]
        parameters[k] = trainableLeaf(parameters[k] - α * velocity[k])
      }
    }
  }
}
