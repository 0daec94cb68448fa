/// Indexing: gather one entry per row (log π(a|o)), its adjoint scatter-add, one-hot encodings,
/// and `where` (select by a mask).
extension Tensor {
  // MARK: - gather

  /// yᵢ = xᵢ,ₐᵢ: for each row i of x [N, K], the entry in column aᵢ. Shape [N].
  /// This is how log π(aᵢ|oᵢ) is read from log-probabilities of every action.
  /// Backward: ḡx = scatter of ḡ into zeros at (i, aᵢ).
  public func gathering(_ indices: [Int]) -> Tensor {
    ensure(valid: gatheringFailure(shape, indices: indices))
    let k = shape[1]
    let x = self
    let values = indices.enumerated().map { scalars[$0.offset * k + $0.element] }
    return .record("gather", shape: [shape[0]], scalars: values, inputs: [x]) { ḡ in
      [ḡ.scattering(indices, columns: k)]
    }
  }

  /// The adjoint of gathering: y [N, K] with yᵢ,ₐᵢ = xᵢ and zeros elsewhere. Backward: ḡx = ḡ gathered at aᵢ.
  public func scattering(_ indices: [Int], columns k: Int) -> Tensor {
    ensure(valid: scatteringFailure(shape, indices: indices, columns: k))
    var out = [Double](repeating: 0, count: shape[0] * k)
    for (i, a) in indices.enumerated() { out[i * k + a] = scalars[i] }
    let x = self
    return .record("scatter", shape: [shape[0], k], scalars: out, inputs: [x]) { ḡ in [ḡ.gathering(indices)] }
  }

  // MARK: - one-hot

  /// The one-hot rows e_{aᵢ} ∈ {0,1}ᴷ: shape [N, K]. A constant.
  public static func oneHot(_ indices: [Int], depth k: Int) -> Tensor {
    ensure(indices.allSatisfy { $0 >= 0 && $0 < k }, "oneHot: an index is outside 0..<\(k): \(indices)")
    var out = [Double](repeating: 0, count: indices.count * k)
    for (i, a) in indices.enumerated() { out[i * k + a] = 1 }
    return Tensor(shape: [indices.count, k], scalars: out)
  }

  // MARK: - where

  /// zᵢ = xᵢ where maskᵢ is true, yᵢ elsewhere (x, y, mask broadcast to one shape). The mask is constant.
  /// Backward: ḡx = Σ ḡ ⊙ mask, ḡy = Σ ḡ ⊙ (1 − mask). Unlike x·m + y·(1 − m), an unselected
  /// −∞ (an attention mask) never turns into NaN.
  public static func `where`(_ mask: [Bool], shape maskShape: [Int], _ x: Tensor, _ y: Tensor) -> Tensor {
    ensure(valid: whereFailure(maskCount: mask.count, maskShape: maskShape, x.shape, y.shape))
    let m = Tensor(shape: maskShape, scalars: mask.map { $0 ? 1 : 0 })
    let shape = broadcastShape(broadcastShape(x.shape, y.shape, op: "where"), maskShape, op: "where")
    let xs = x.broadcast(to: shape).scalars, ys = y.broadcast(to: shape).scalars, ms = m.broadcast(to: shape).scalars
    let values = (0..<xs.count).map { ms[$0] == 1 ? xs[$0] : ys[$0] }
    return .record("where", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
      let mb = m.broadcast(to: shape)
      return [(ḡ * mb).sum(toShape: x.shape), (ḡ * (1 - mb)).sum(toShape: y.shape)]
    }
  }
}

// MARK: - Shape validation

/// Why `gathering(indices)` cannot read from a tensor of shape `shape`, or nil.
func gatheringFailure(_ shape: [Int], indices: [Int]) -> String? {
  guard shape.count == 2 && indices.count == shape[0] else {
    return "gathering: needs x [N, K] and N indices, got shape \(shape) and \(indices.count) indices"
  }
  return indices.allSatisfy { $0 >= 0 && $0 < shape[1] } ? nil : "gathering: an index is outside 0..<\(shape[1]): \(indices)"
}

/// Why `scattering(indices, columns: k)` cannot write a tensor of shape `shape` into [N, k], or nil.
func scatteringFailure(_ shape: [Int], indices: [Int], columns k: Int) -> String? {
  guard shape.count == 1 && indices.count == shape[0] else {
    return "scattering: needs x [N] and N indices, got shape \(shape) and \(indices.count) indices"
  }
  return indices.allSatisfy { $0 >= 0 && $0 < k } ? nil : "scattering: an index is outside 0..<\(k): \(indices)"
}

/// Why `where` cannot select between shapes `x` and `y` with a mask of `maskCount` entries and shape
/// `maskShape`, or nil.
func whereFailure(maskCount: Int, maskShape: [Int], _ x: [Int], _ y: [Int]) -> String? {
  if maskCount != maskShape.reduce(1, *) { return "where: mask has \(maskCount) entries for shape \(maskShape)" }
  if let failure = broadcastFailure(x, y, op: "where") { return failure }
  let rank = max(x.count, y.count)
  let xy = zip(Array(repeating: 1, count: rank - x.count) + x, Array(repeating: 1, count: rank - y.count) + y)
    .map { $0 == 1 ? $1 : $0 }
  return broadcastFailure(xy, maskShape, op: "where (mask)")
}
