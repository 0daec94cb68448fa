// Parameters as one vector θ ∈ ℝᴾ: what second-order methods work with. HATRPO's conjugate gradient
// solves H x = g for a P-vector x, and its line search tries θ_old + α x; both need the model's many
// tensors laid end to end and cut back apart.
//
//     let θ = flatten(model.parameters)                 // [P]
//     let tensors = unflatten(θ, like: model.parameterShapes)   // the same tensors again
//
// Both directions are made of differentiable ops (reshape, concatenate, slice), so gradients flow
// through them: ∂L/∂θ = flatten(∂L/∂θₖ for each k).

/// θ = [vec(θ₁); vec(θ₂); …; vec(θ_K)], each tensor flattened row-major and concatenated.
///
/// Shapes: tensors of any shapes → [P], P = Σₖ |θₖ|. Backward: each θₖ receives its slice of ḡ, reshaped.
public func flatten(_ tensors: [Tensor]) -> Tensor {
  ensure(!tensors.isEmpty, "flatten: no tensors given")
  return Tensor(concatenating: tensors.map { $0.reshaped([$0.count]) }, alongAxis: 0)
}

/// The inverse of ``flatten(_:)``: θ [P] cut into consecutive pieces of the given shapes.
///
/// θₖ = θ[oₖ ..< oₖ + |θₖ|] reshaped to shapes[k], with oₖ = Σ_{j<k} |θⱼ|.
/// Shapes: [P] → one tensor per shape; P must equal the total size. Backward: ḡθ = flatten of the ḡθₖ.
public func unflatten(_ vector: Tensor, like shapes: [[Int]]) -> [Tensor] {
  let total = shapes.reduce(0) { $0 + $1.reduce(1, *) }
  ensure(
    vector.rank == 1 && vector.count == total,
    "unflatten: expected a vector [\(total)] for shapes \(shapes), got \(vector.shape)")
  var start = 0
  var pieces: [Tensor] = []
  for shape in shapes {
    let size = shape.reduce(1, *)
    pieces.append(vector.slice(start..<(start + size), alongAxis: 0).reshaped(shape))
    start += size
  }
  return pieces
}

/// ``unflatten(_:like:)`` with the shapes of `tensors`.
public func unflatten(_ vector: Tensor, like tensors: [Tensor]) -> [Tensor] {
  unflatten(vector, like: tensors.map(\.shape))
}

// MARK: - Plain arrays (no graph)

/// The scalars of all tensors laid end to end, as a plain array: [θ₁ row-major, θ₂, …].
public func flattenScalars(_ tensors: [Tensor]) -> [Double] {
  tensors.flatMap(\.scalars)
}

/// Constant tensors of the given shapes cut from a plain array (the inverse of ``flattenScalars(_:)``).
public func unflatten(_ scalars: [Double], like shapes: [[Int]]) -> [Tensor] {
  unflatten(Tensor(scalars), like: shapes)
}

// MARK: - A module's parameter vector

extension Module {
  /// All parameters as one vector θ [P] (``flatten(_:)``); setting it replaces them
  /// (``unflatten(_:like:)``), e.g. `model.parameterVector = θOld + α * x` in a line search.
  public var parameterVector: Tensor {
    get { flatten(parameters) }
    set { parameters = unflatten(newValue, like: parameterShapes) }
  }
}
