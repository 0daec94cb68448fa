/// A tensor of `Double`s: a shape and its scalars in row-major order, plus, when it takes part in a
/// differentiable computation, the node of the computation graph that produced it.
///
/// `Tensor` is a value type. Every operation returns a new tensor; when gradients are being recorded
/// (see ``GradientMode``) and one of the operation's inputs is differentiable, the result carries a
/// ``GraphNode`` that remembers the inputs and the backward rule (the vector–Jacobian product).
///
///     let x = Tensor([1, 2, 3], requiresGradient: true)
///     let y = (x * x).sum()                       // y = Σᵢ xᵢ² = 14
///     let dx = gradients(of: y, withRespectTo: [x])[0]   // ∂y/∂x = 2x = [2, 4, 6]
///
/// Shapes: `[]` is a scalar, `[n]` a vector, `[m, n]` a matrix, and so on. Scalars are stored
/// row-major: the last index varies fastest.
public struct Tensor {
  /// The extent of each axis. `[]` for a scalar.
  public let shape: [Int]
  /// The scalars, row-major. `scalars.count == shape.reduce(1, *)`.
  public let scalars: [Double]
  /// The graph node that produced this tensor, or `nil` for a constant.
  let node: GraphNode?

  /// A constant tensor (no gradient flows into it) with the given shape and scalars.
  ///
  /// The number of scalars must equal the product of the shape.
  public init(shape: [Int], scalars: [Double]) {
    ensure(valid: scalarCountFailure(shape, count: scalars.count))
    self.shape = shape
    self.scalars = scalars
    self.node = nil
  }

  /// A leaf tensor. With `requiresGradient: true` it is a variable that ``gradients(of:withRespectTo:createGraph:)``
  /// can differentiate with respect to.
  public init(shape: [Int], scalars: [Double], requiresGradient: Bool) {
    self.init(shape: shape, scalars: scalars)
    if requiresGradient { self = Tensor(shape: shape, scalars: scalars, node: GraphNode.leaf()) }
  }

  /// The result of an operation (internal: ops build it through ``Tensor/record(_:shape:scalars:inputs:backward:)``).
  init(shape: [Int], scalars: [Double], node: GraphNode?) {
    self.shape = shape
    self.scalars = scalars
    self.node = node
  }

  // MARK: - Convenience initialisers

  /// A vector from an array literal of scalars: shape `[scalars.count]`.
  public init(_ scalars: [Double], requiresGradient: Bool = false) {
    self.init(shape: [scalars.count], scalars: scalars, requiresGradient: requiresGradient)
  }

  /// A matrix from rows of equal length: shape `[rows.count, rows[0].count]`.
  public init(_ rows: [[Double]], requiresGradient: Bool = false) {
    let columns = rows.first?.count ?? 0
    ensure(rows.allSatisfy { $0.count == columns }, "Tensor(rows): rows have different lengths \(rows.map(\.count))")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 }, requiresGradient: requiresGradient)
  }

  /// A scalar tensor (shape `[]`).
  public init(_ scalar: Double, requiresGradient: Bool = false) {
    self.init(shape: [], scalars: [scalar], requiresGradient: requiresGradient)
  }

  /// A tensor whose scalars are all `value`.
  public init(repeating value: Double, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// All zeros.
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
  /// All ones.
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

  // MARK: - Queries

  /// The number of axes.
  public var rank: Int { shape.count }
  /// The number of scalars.
  public var count: Int { scalars.count }
  /// Whether gradients can flow into this tensor (it is a variable, or was computed from one while
  /// gradients were being recorded).
  public var requiresGradient: Bool { node != nil }
  /// The value of a one-element tensor.
  public var scalar: Double {
    ensure(scalars.count == 1, "Tensor.scalar: needs exactly one element, shape is \(shape)")
    return scalars[0]
  }

  /// The same values, cut off from the graph: no gradient flows through the result (stop-gradient).
  public var detached: Tensor { Tensor(shape: shape, scalars: scalars) }

  /// The scalar at a multi-index (row-major).
  public subscript(index: Int...) -> Double {
    ensure(index.count == rank, "Tensor subscript: \(index.count) indices for shape \(shape)")
    var offset = 0
    for (axis, i) in index.enumerated() {
      ensure(i >= 0 && i < shape[axis], "Tensor subscript: index \(index) out of range for shape \(shape)")
      offset = offset * shape[axis] + i
    }
    return scalars[offset]
  }

  /// The tensor as rows of a matrix (for printing and tests). Requires rank 2.
  public var rows: [[Double]] {
    ensure(rank == 2, "Tensor.rows: needs a matrix, shape is \(shape)")
    return (0..<shape[0]).map { r in Array(scalars[(r * shape[1])..<((r + 1) * shape[1])]) }
  }
}

extension Tensor: CustomStringConvertible {
  /// `Tensor(shape: [2], [1.0, 2.0])`, with `, grad` when the tensor is differentiable.
  public var description: String {
    let shown = scalars.count <= 12 ? "\(scalars)" : "\(Array(scalars.prefix(12)).description.dropLast()), …]"
    return "Tensor(shape: \(shape), \(shown)\(requiresGradient ? ", grad" : ""))"
  }
}

/// Why `shape` cannot hold `count` scalars, or nil when it can.
func scalarCountFailure(_ shape: [Int], count: Int) -> String? {
  if shape.contains(where: { $0 < 0 }) { return "Tensor(shape:scalars:): negative extent in shape \(shape)" }
  let needed = shape.reduce(1, *)
  return needed == count ? nil : "Tensor(shape:scalars:): shape \(shape) needs \(needed) scalars, got \(count)"
}

// MARK: - Checks that keep their message

/// Stops the program with `message` unless `condition` holds.
///
/// The library is compiled with `-O` even in debug builds, and there `precondition` drops its message: the
/// process just dies with "illegal instruction". `fatalError` always prints it, so every check in the
/// library goes through here, and a shape mismatch says which op and which shapes.
@inline(__always)
public func ensure(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #fileID, line: UInt = #line
) {
  if !condition() { fatalError(message(), file: file, line: line) }
}

/// Stops the program with the message a shape validator returned, if any. Validators (`matmulFailure`,
/// `broadcastFailure`, …) return the message instead of stopping, so that tests can read it.
@inline(__always)
public func ensure(valid failure: @autoclosure () -> String?, file: StaticString = #fileID, line: UInt = #line) {
  if let message = failure() { fatalError(message, file: file, line: line) }
}

/// Strides of a row-major layout: `strides[k] = Π_{j>k} shape[j]`.
@inlinable
func rowMajorStrides(_ shape: [Int]) -> [Int] {
  var strides = Array(repeating: 1, count: shape.count)
  var running = 1
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[axis] = running
    running *= shape[axis]
  }
  return strides
}

/// For each position of `shape` in row-major order, the offset Σₖ index[k] · strides[k] of the scalar it
/// reads from a layout with those `strides` (a permuted layout, or one with stride 0 on broadcast axes).
/// The multi-index advances like an odometer, and the offset with it, so no position is multiplied out.
func stridedOffsets(_ shape: [Int], strides: [Int]) -> [Int] {
  let rank = shape.count
  let total = shape.reduce(1, *)
  var offsets = [Int](repeating: 0, count: total)
  var index = [Int](repeating: 0, count: rank)
  var offset = 0
  for position in 0..<total {
    offsets[position] = offset
    var axis = rank - 1
    while axis >= 0 {
      index[axis] += 1
      offset += strides[axis]
      if index[axis] < shape[axis] { break }
      offset -= strides[axis] * index[axis]
      index[axis] = 0
      axis -= 1
    }
  }
  return offsets
}
