/// One operation in the computation graph: its inputs and its backward rule.
///
/// The backward rule receives the gradient of the final scalar with respect to this node's output,
/// ḡ = ∂L/∂y (same shape as y), and returns the vector–Jacobian products ∂L/∂xₖ = ḡ · ∂y/∂xₖ, one per
/// input, each with the shape of that input. It is written with `Tensor` operations, so that when
/// gradients are recorded while it runs (`createGraph: true`), the gradient is itself differentiable.
final class GraphNode {
  /// The op's name, for messages and debugging (`"mul"`, `"matmul"`, …).
  let op: String
  /// The tensors the op read. Leaves (variables) have none.
  private(set) var inputs: [Tensor]
  /// ḡ ↦ [ḡ · ∂y/∂x₀, ḡ · ∂y/∂x₁, …].
  private(set) var backward: (Tensor) -> [Tensor]

  init(op: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor]) {
    self.op = op
    self.inputs = inputs
    self.backward = backward
  }

  /// Frees the graph behind this node without recursion.
  ///
  /// Left to itself, releasing a node releases its inputs, whose release releases theirs, and so on: one
  /// nested call per op, so dropping a chain of 100,000 ops overflows the stack. Instead, the nodes that
  /// only this graph still owns are unlinked one at a time from an explicit stack; each then dies with
  /// no inputs (and a backward rule that captures nothing), so no release ever nests. A node that
  /// something else still holds is left alone.
  deinit {
    guard !inputs.isEmpty else { return }
    var pending = inputs.compactMap(\.node)
    inputs = []
    backward = { _ in [] }
    while var node = pending.popLast() {
      guard isKnownUniquelyReferenced(&node) else { continue }
      pending.append(contentsOf: node.inputs.compactMap(\.node))
      node.inputs = []
      node.backward = { _ in [] }
    }
  }

  /// A variable: a node with no inputs.
  static func leaf() -> GraphNode { GraphNode(op: "leaf", inputs: [], backward: { _ in [] }) }
}

extension Tensor {
  /// Builds the result of an op. If gradients are being recorded and some input is differentiable, the
  /// result gets a graph node holding `backward`; otherwise it is a constant and `backward` is dropped.
  ///
  /// Every op in this library ends with a call to `record`, with its backward rule written right there,
  /// below its forward computation.
  // snippet: record-op
  static func record(
    _ op: String, shape: [Int], scalars: [Double], inputs: [Tensor],
    backward: @escaping (Tensor) -> [Tensor]
  ) -> Tensor {
    guard GradientMode.isRecording, inputs.contains(where: { $0.node != nil }) else {
      return Tensor(shape: shape, scalars: scalars, node: nil)
    }
    return Tensor(shape: shape, scalars: scalars, node: GraphNode(op: op, inputs: inputs, backward: backward))
  }
  // end snippet
}
