/// A rule that moves parameters θ a small step against their gradient ∇θL.
///
///     var optimizer = Adam(learningRate: 1e-3)
///     for _ in 0..<steps {
///       let (loss, gradients) = model.valueWithGradients { m in lossOf(m) }
///       optimizer.update(&model, along: gradients)
///     }
///
/// An optimizer keeps its own state (momentum, moment estimates) for one list of parameters, matched
/// by position: always pass the same list, in the same order. The update is computed without recording
/// a graph, and the new parameters are fresh leaf tensors (`requiresGradient: true`), so the next step's
/// gradient starts from them and not from the whole history of updates.
public protocol Optimizer {
  /// θₖ ← the updated θₖ, for every k. `gradients[k]` is ∂L/∂θₖ and has θₖ's shape.
  mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor])
}

extension Optimizer {
  /// Updates a module's ``Module/parameters`` in place, along gradients aligned with them.
  public mutating func update<M: Module>(_ model: inout M, along gradients: [Tensor]) {
    var θ = model.parameters
    update(&θ, along: gradients)
    model.parameters = θ
  }
}

// MARK: - Helpers for the optimizers

/// Checks that there is one gradient per parameter, of the same shape, naming the optimizer.
func checkGradientsMatch(_ parameters: [Tensor], _ gradients: [Tensor], in optimizer: String) {
  ensure(
    parameters.count == gradients.count,
    "\(optimizer).update: \(parameters.count) parameters but \(gradients.count) gradients")
  for (k, (θ, g)) in zip(parameters, gradients).enumerated() {
    ensure(θ.shape == g.shape, "\(optimizer).update: parameter \(k) has shape \(θ.shape), its gradient \(g.shape)")
  }
}

/// Checks that the optimizer's per-parameter state still matches the parameters (same count and
/// shapes), or creates it as zeros on the first step.
func stateMatching(_ state: [Tensor], _ parameters: [Tensor], in optimizer: String) -> [Tensor] {
  if state.isEmpty { return parameters.map { Tensor.zeros($0.shape) } }
  ensure(
    state.map(\.shape) == parameters.map(\.shape),
    "\(optimizer).update: parameter shapes \(parameters.map(\.shape)) differ from the first step's \(state.map(\.shape)); use one optimizer per parameter list"
  )
  return state
}

/// A fresh trainable leaf with the values of `t`: the start of the next step's graph.
func trainableLeaf(_ t: Tensor) -> Tensor {
  Tensor(shape: t.shape, scalars: t.scalars, requiresGradient: true)
}
