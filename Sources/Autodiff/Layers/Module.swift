/// A neural-network building block with trainable parameters: a `Linear` layer, an `MLP`, a `GRUCell`…
///
/// A module is a value (a struct). Its whole trainable state is the list `parameters`, always in the
/// order its type documents, and assigning a new list of the same shapes gives the same module with
/// new weights. That one property is all that optimizers, gradient computation and flattening need:
///
///     var model = MLP(sizes: [2, 8, 1], activation: .tanh, rng: &rng)
///     let (loss, gradients) = model.valueWithGradients { m in (m(x) - y).squared().mean() }
///     optimizer.update(&model, along: gradients)
///
/// which is shorthand for the explicit pattern, worth reading once:
///
///     let (loss, gradients) = valueWithGradients(at: model.parameters) { θ in
///       var m = model
///       m.parameters = θ      // the same network, computing with the variables θ
///       return lossOf(m)
///     }
///
/// Because a setter accepts any tensors of the right shapes, not just leaves, the parameters can also be
/// the *result* of a differentiable computation, θ′ = θ − α∇L(θ): that is how a meta-gradient
/// (MAML-style) differentiates through an inner update.
///
/// A module built from other modules (``MLP``, ``MultiHeadAttention``) lists its children's parameters
/// one child after the other.
public protocol Module {
  /// The trainable tensors, in the order the conforming type documents. Setting replaces them; the
  /// new tensors must have the same count and shapes (checked, with a message naming the module).
  var parameters: [Tensor] { get set }
}

extension Module {
  /// The total number of trainable scalars P = Σₖ |θₖ|.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// The shape of each parameter, in order.
  public var parameterShapes: [[Int]] { parameters.map(\.shape) }

  /// The same module computing with `parameters` θ instead of its own.
  ///
  ///     let adapted = model.with(parameters: θ′)    // θ′ = θ − α∇L(θ), still differentiable in θ
  public func with(parameters θ: [Tensor]) -> Self {
    var copy = self
    copy.parameters = θ
    return copy
  }

  /// A scalar function of the module, L(θ), and its gradient ∇θL, one tensor per parameter.
  ///
  ///     let (loss, gradients) = model.valueWithGradients { m in (m(x) - y).squared().mean() }
  ///
  /// `loss` receives a copy of the module whose parameters are the variables being differentiated.
  /// With `createGraph: true` the gradients are themselves differentiable (second order).
  /// - Returns: the value L (a one-element tensor) and ∇θL, aligned with ``parameters``.
  public func valueWithGradients(
    createGraph: Bool = false, _ loss: (Self) -> Tensor
  ) -> (value: Tensor, gradients: [Tensor]) {
    Autodiff.valueWithGradients(at: parameters, createGraph: createGraph) { θ in
      loss(with(parameters: θ))
    }
  }
}

// MARK: - Helpers for conforming types

/// `new`, after checking that it has as many tensors as `current` and the same shapes, one by one.
/// Every module's `parameters` setter calls this first.
func checkedParameters(_ new: [Tensor], replacing current: [Tensor], in module: String) -> [Tensor] {
  ensure(
    new.count == current.count,
    "\(module).parameters: expected \(current.count) tensors, got \(new.count)")
  for (k, (n, c)) in zip(new, current).enumerated() {
    ensure(
      n.shape == c.shape,
      "\(module).parameters: tensor \(k) must have shape \(c.shape), got \(n.shape)")
  }
  return new
}

/// A flat parameter list cut into consecutive pieces of the given lengths: how a composite module
/// hands each child its own parameters back. `counts` are the children's `parameters.count`.
func splitParameters(_ all: [Tensor], counts: [Int], in module: String) -> [[Tensor]] {
  ensure(
    all.count == counts.reduce(0, +),
    "\(module).parameters: expected \(counts.reduce(0, +)) tensors, got \(all.count)")
  var pieces: [[Tensor]] = []
  var start = 0
  for count in counts {
    pieces.append(Array(all[start..<(start + count)]))
    start += count
  }
  return pieces
}
