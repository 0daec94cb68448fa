/// Reverse-mode differentiation: the gradients of a scalar `y` with respect to each tensor in `xs`.
///
/// ∂y/∂xₖ is computed by the chain rule, visiting the graph from `y` back to the variables in reverse
/// topological order. Each node receives the sum of the gradients flowing into it from every use
/// (a reused node accumulates), and passes ḡ · ∂node/∂input to each of its inputs.
///
/// - Parameters:
///   - y: the tensor to differentiate; a scalar unless `seed` is given.
///   - xs: the variables. A tensor that `y` does not depend on gets a zero gradient.
///   - seed: ∂L/∂y, when `y` is not a scalar (a vector–Jacobian product). Defaults to 1.
///   - createGraph: when true, the backward rules run while recording, so the returned gradients are
///     differentiable again (second-order derivatives, meta-gradients). When false they are constants.
/// - Returns: one gradient per entry of `xs`, each with that entry's shape.
/// - Complexity: O(size of the graph). The traversal is iterative: no recursion, so chains of
///   hundreds of thousands of ops are fine.
public func gradients(
  of y: Tensor, withRespectTo xs: [Tensor], seed: Tensor? = nil, createGraph: Bool = false
) -> [Tensor] {
  ensure(valid: seedFailure(y.shape, seed: seed?.shape))
  let ḡy = seed ?? Tensor(repeating: 1, shape: y.shape)
  guard let root = y.node else { return xs.map { Tensor.zeros($0.shape) } }

  // snippet: backward-pass
  // MARK: - Order the graph
  let order = topologicalOrder(from: root)

  // MARK: - Propagate ḡ from y back to the leaves
  var ḡ: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): ḡy]
  withGradientRecording(createGraph) {
    for node in order.reversed() {
      guard let ḡnode = ḡ[ObjectIdentifier(node)], !node.inputs.isEmpty else { continue }
      let ḡinputs = node.backward(ḡnode)
      ensure(
        ḡinputs.count == node.inputs.count,
        "backward of \(node.op): returned \(ḡinputs.count) gradients for \(node.inputs.count) inputs")
      for (input, ḡinput) in zip(node.inputs, ḡinputs) {
        guard let inputNode = input.node else { continue }
        ensure(
          ḡinput.shape == input.shape,
          "backward of \(node.op): gradient shape \(ḡinput.shape) differs from input shape \(input.shape)")
        let key = ObjectIdentifier(inputNode)
        ḡ[key] = ḡ[key].map { $0 + ḡinput } ?? ḡinput
      }
    }
  }
  return xs.map { x in x.node.flatMap { ḡ[ObjectIdentifier($0)] } ?? Tensor.zeros(x.shape) }
  // end snippet
}

/// Why a seed of shape `seed` (nil: none) cannot start the backward pass from a `y` of shape `y`, or nil.
func seedFailure(_ y: [Int], seed: [Int]?) -> String? {
  guard let seed else {
    return y.reduce(1, *) == 1 ? nil : "gradients(of:): y must be a scalar without a seed, its shape is \(y)"
  }
  return seed == y ? nil : "gradients(of:): seed shape \(seed) differs from y's shape \(y)"
}

/// Every node that `root` depends on, each after all of its inputs (a topological order), found by an
/// iterative depth-first search with an explicit stack.
func topologicalOrder(from root: GraphNode) -> [GraphNode] {
  var order: [GraphNode] = []
  var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
  // Each stack entry is a node and the index of the next input to visit.
  var stack: [(node: GraphNode, next: Int)] = [(root, 0)]
  while let (node, next) = stack.last {
    if next < node.inputs.count {
      stack[stack.count - 1].next += 1
      if let child = node.inputs[next].node, visited.insert(ObjectIdentifier(child)).inserted {
        stack.append((child, 0))
      }
    } else {
      order.append(node)  // all inputs are already in `order`
      stack.removeLast()
    }
  }
  return order
}

/// The value of a scalar function and its gradients with respect to `xs`, in one call.
///
///     let (loss, grads) = valueWithGradients(at: model.parameters) { θ in lossFunction(θ) }
///
/// `f` runs with recording on even inside ``withoutGradients(_:)``: asking for gradients means asking for
/// the graph. (So a function that differentiates inside, like a gradient penalty, can itself be evaluated
/// as a constant, e.g. by the central differences of ``checkGradients(at:epsilon:tolerance:_:)``.)
public func valueWithGradients(
  at xs: [Tensor], createGraph: Bool = false, _ f: ([Tensor]) -> Tensor
) -> (value: Tensor, gradients: [Tensor]) {
  let variables = xs.map { $0.requiresGradient ? $0 : Tensor(shape: $0.shape, scalars: $0.scalars, requiresGradient: true) }
  let value = withGradientRecording(true) { f(variables) }
  return (value, gradients(of: value, withRespectTo: variables, createGraph: createGraph))
}
