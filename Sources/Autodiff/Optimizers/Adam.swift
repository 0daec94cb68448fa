import Foundation  // pow

/// Adam: gradient descent with per-parameter step sizes from running moment estimates.
///
/// At step t = 1, 2, … with g = ∇θL (every operation elementwise):
///
///     m ← β₁ m + (1 − β₁) g               first moment (mean of g)
///     v ← β₂ v + (1 − β₂) g²              second moment (uncentred variance of g)
///     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias corrections (m and v start at 0)
///     θ ← θ − α m̂ / (√v̂ + ε)
///
/// The first step moves every coordinate by about α in the direction of −sign(g), whatever the
/// gradient's scale.
///
/// Source: Kingma & Ba, "Adam: A Method for Stochastic Optimization" (ICLR 2015), Algorithm 1;
/// the same as PyTorch `torch.optim.Adam` without weight decay.
public struct Adam: Optimizer {
  /// α, the step size.
  public var learningRate: Double
  /// β₁, the decay of the first-moment average.
  public let beta1: Double
  /// β₂, the decay of the second-moment average.
  public let beta2: Double
  /// ε, keeps the division finite when v̂ ≈ 0.
  public let epsilon: Double
  /// t, the number of updates made so far.
  public private(set) var step = 0
  /// m, one tensor per parameter (empty until the first update).
  public private(set) var firstMoment: [Tensor] = []
  /// v, one tensor per parameter (empty until the first update).
  public private(set) var secondMoment: [Tensor] = []

  /// Adam with the paper's defaults: α = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸.
  public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
    ensure(learningRate > 0, "Adam: learningRate must be positive, got \(learningRate)")
    ensure((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam: beta1, beta2 must be in [0, 1), got \(beta1), \(beta2)")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  /// One step of Algorithm 1 for each parameter. Shapes: each g like its θ.
  public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
    checkGradientsMatch(parameters, gradients, in: "Adam")
    firstMoment = stateMatching(firstMoment, parameters, in: "Adam")
    secondMoment = stateMatching(secondMoment, parameters, in: "Adam")
    step += 1
    let (α, β1, β2, ε, t) = (learningRate, beta1, beta2, epsilon, Double(step))
    withoutGradients {
      for k in parameters.indices {
        let g = gradients[k]
        firstMoment[k] = β1 * firstMoment[k] + (1 - β1) * g
        secondMoment[k] = β2 * secondMoment[k] + (1 - β2) * g * g
        let m̂ = firstMoment[k] / (1 - pow(β1, t))
        let v̂ = secondMoment[k] / (1 - pow(β2, t))
        parameters[k] = trainableLeaf(parameters[k] - α * m̂ / (v̂.sqrt() + ε))
      }
    }
  }
}
